package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/gegrond/gegrond/internal/font"
)

// DejaVu Sans (internal/font): ë, ï, é and € come out right.
var (
	fontRegular = font.Regular
	fontBold    = font.Bold
)

// Page geometry of the A4 report in millimetres.
const (
	pdfMarginLeft   = 20.0
	pdfMarginRight  = 20.0
	pdfMarginTop    = 18.0
	pdfMarginBottom = 20.0
	pdfLine         = 5.0
	pdfFontSize     = 9.5
	pdfFamily       = "DejaVu"
	pdfValueW       = 28.0 // a column of numbers
	pdfChartLabelW  = 62.0
	pdfChartBarMaxW = 80.0
	pdfChartRowH    = 6.0
)

// WritePDF writes the report as an A4 PDF with Dutch headings: every table
// of the report and its charts. The output is deterministic: the same
// report gives the same bytes, dated on its as-of date.
func (r *Report) WritePDF(w io.Writer) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	at := time.Date(r.AsOf.Year, r.AsOf.Month, r.AsOf.Day, 12, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(r.Title, true)
	pdf.SetAuthor(r.Organisation, true)
	pdf.SetSubject(r.Title, true)
	pdf.SetCreator("Gegrond", true)
	pdf.SetProducer("Gegrond", true)
	pdf.SetLang("nl")
	pdf.AddUTF8FontFromBytes(pdfFamily, "", fontRegular)
	pdf.AddUTF8FontFromBytes(pdfFamily, "B", fontBold)
	pdf.SetMargins(pdfMarginLeft, pdfMarginTop, pdfMarginRight)
	pdf.SetAutoPageBreak(true, pdfMarginBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-pdfMarginBottom + 8)
		pdf.SetFont(pdfFamily, "", 7.5)
		half := contentWidth(pdf) / 2
		pdf.CellFormat(half, 4, r.Organisation+" · "+r.Title, "", 0, "L", false, 0, "")
		pdf.CellFormat(half, 4, fmt.Sprintf("Pagina %d van {nb}", pdf.PageNo()), "", 0, "R", false, 0, "")
	})
	pdf.AddPage()
	p := &pdfWriter{pdf: pdf}

	pdf.SetFont(pdfFamily, "B", 16)
	pdf.MultiCell(0, 8, r.Title, "", "L", false)
	pdf.SetFont(pdfFamily, "", pdfFontSize)
	pdf.Ln(1)
	for _, l := range []string{
		r.Organisation,
		"Reglement: " + r.Reglement,
		fmt.Sprintf("Periode: %s t/m %s · peildatum %s", r.From.Dutch(), r.To.Dutch(), r.AsOf.Dutch()),
	} {
		pdf.MultiCell(0, pdfLine, l, "", "L", false)
	}
	charts := map[string]BarChart{}
	for _, c := range r.Charts() {
		charts[c.ID] = c
	}

	p.heading("1. Aantallen")
	p.rows([][2]string{{"Klachten", strconv.Itoa(r.Complaints)}, {"Opmerkingen", strconv.Itoa(r.Remarks)}})

	p.heading("2. Klachten naar kanaal")
	p.breakdown(r.ByChannel)
	p.chart(charts["kanaal"])
	p.heading("3. Klachten naar rubriek")
	p.breakdown(r.ByCategory)
	p.chart(charts["rubriek"])
	if r.Remarks > 0 {
		p.subheading(r.RemarksByCategory.Title)
		p.breakdown(r.RemarksByCategory)
	}
	p.heading("4. Klachten naar soort opdrachtgever")
	p.breakdown(r.ByCommissioning)
	p.chart(charts["opdrachtgever"])

	p.heading("5. Ontvankelijkheid")
	p.breakdown(r.Admissibility)
	p.subheading(r.InadmissibleByGround.Title)
	p.breakdown(r.InadmissibleByGround)

	p.heading("6. Uitkomsten")
	p.breakdown(r.Outcomes)
	p.chart(charts["uitkomst"])
	p.subheading(r.Judgments.Title)
	p.breakdown(r.Judgments)

	p.heading("7. Termijnen")
	p.terms(r.Terms)
	p.chart(charts["termijnen"])

	p.heading("8. Behandelduur (werkdagen)")
	h := r.HandlingTime
	p.rows([][2]string{
		{"Afgehandeld (besluit of afsluiting)", h.Handled.Text},
		{"Nog in behandeling op de peildatum", h.Open.Text},
		{"Mediaan", h.MedianText},
		{"90e percentiel", h.P90Text},
	})

	p.heading("9. Verlengingen")
	p.rows([][2]string{
		{"Klachten met een verlengde beslistermijn", r.Extensions.Cases.Text},
		{"Verlengd voorbij het maximum, met instemming van de klager", r.Extensions.BeyondMaximum.Text},
	})

	p.heading("10. Maatregelen")
	m := r.Measures
	p.rows([][2]string{
		{"Afgesproken in de klachtdossiers", strconv.Itoa(m.InCases)},
		{"Daarvan uitgevoerd", strconv.Itoa(m.InCasesDone)},
		{"Voorgesteld (maatregelenregister)", strconv.Itoa(m.Proposed)},
		{"Besloten door de directie", strconv.Itoa(m.Decided)},
		{"  waarvan corrigerend", strconv.Itoa(m.Corrective)},
		{"  waarvan preventief", strconv.Itoa(m.Preventive)},
		{"Afgewezen", strconv.Itoa(m.Rejected)},
		{"Uitgevoerd", strconv.Itoa(m.Done)},
		{"Over de streefdatum op de peildatum", strconv.Itoa(m.Overdue)},
		{"Beoordeeld op doeltreffendheid", strconv.Itoa(m.Reviewed)},
		{"Doeltreffend bevonden", fmt.Sprintf("%d (%s)", m.Effective, m.EffectiveShare.Text)},
	})

	p.heading("11. Doorverwijzingen")
	p.breakdown(r.Referrals)

	p.heading("Toelichting")
	pdf.SetFont(pdfFamily, "", 8.5)
	for _, n := range r.Notes {
		pdf.MultiCell(0, 4.4, n, "", "L", false)
		pdf.Ln(1.5)
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return fmt.Errorf("report: render PDF: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// pdfWriter writes the report's blocks.
type pdfWriter struct{ pdf *fpdf.Fpdf }

func contentWidth(pdf *fpdf.Fpdf) float64 {
	w, _ := pdf.GetPageSize()
	return w - pdfMarginLeft - pdfMarginRight
}

// room starts a new page unless h millimetres fit on this one.
func (p *pdfWriter) room(h float64) {
	_, ph := p.pdf.GetPageSize()
	if p.pdf.GetY()+h > ph-pdfMarginBottom {
		p.pdf.AddPage()
	}
}

func (p *pdfWriter) heading(s string) {
	p.room(40) // a heading keeps some of its content with it
	p.pdf.Ln(4)
	p.pdf.SetFont(pdfFamily, "B", 12)
	p.pdf.MultiCell(0, 7, s, "", "L", false)
	p.pdf.SetFont(pdfFamily, "", pdfFontSize)
}

func (p *pdfWriter) subheading(s string) {
	p.room(16)
	p.pdf.Ln(2)
	p.pdf.SetFont(pdfFamily, "B", pdfFontSize)
	p.pdf.MultiCell(0, pdfLine+1, s, "", "L", false)
	p.pdf.SetFont(pdfFamily, "", pdfFontSize)
}

// rows writes label-value rows, the label wrapped, the value right.
func (p *pdfWriter) rows(rows [][2]string) {
	pdf := p.pdf
	labelW := contentWidth(pdf) - pdfValueW
	for _, row := range rows {
		lines := pdf.SplitText(row[0], labelW-2)
		h := float64(max(1, len(lines))) * pdfLine
		p.room(h)
		x, y := pdf.GetXY()
		pdf.MultiCell(labelW, pdfLine, row[0], "B", "L", false)
		pdf.SetXY(x+labelW, y)
		pdf.CellFormat(pdfValueW, h, row[1], "B", 1, "R", false, 0, "")
	}
}

// breakdown writes a breakdown's rows and its total.
func (p *pdfWriter) breakdown(bd Breakdown) {
	rows := make([][2]string, 0, len(bd.Rows)+1)
	for _, r := range bd.Rows {
		rows = append(rows, [2]string{r.Label, r.Count.Text})
	}
	p.rows(rows)
	if bd.HasTotal {
		p.pdf.SetFont(pdfFamily, "B", pdfFontSize)
		p.rows([][2]string{{"Totaal", bd.Total.Text}})
		p.pdf.SetFont(pdfFamily, "", pdfFontSize)
	}
}

// terms writes the table of terms.
func (p *pdfWriter) terms(ts []TermFigure) {
	pdf := p.pdf
	widths := []float64{52, 38, 26, 30, 24}
	header := []string{"Termijn", "Regel", "Beoordeeld", "Binnen termijn", "Loopt nog"}
	pdf.SetFont(pdfFamily, "B", 8.5)
	p.room(25) // the header and a row or two
	for i, hd := range header {
		align := "L"
		if i >= 2 {
			align = "R"
		}
		pdf.CellFormat(widths[i], pdfLine+1, hd, "B", 0, align, false, 0, "")
	}
	pdf.Ln(-1)
	pdf.SetFont(pdfFamily, "", 8.5)
	for _, t := range ts {
		cells := []string{t.Label, t.Term, t.Assessed.Text, t.WithinTerm.Text, t.Running.Text}
		n := max(len(pdf.SplitText(cells[0], widths[0]-2)), len(pdf.SplitText(cells[1], widths[1]-2)), 1)
		h := float64(n) * 4.4
		p.room(h)
		x, y := pdf.GetXY()
		for i, c := range cells {
			pdf.SetXY(x, y)
			if i < 2 {
				pdf.MultiCell(widths[i], 4.4, c, "", "L", false)
			} else {
				pdf.CellFormat(widths[i], 4.4, c, "", 0, "R", false, 0, "")
			}
			x += widths[i]
		}
		pdf.SetXY(pdfMarginLeft, y+h)
		pdf.Line(pdfMarginLeft, y+h, pdfMarginLeft+contentWidth(pdf), y+h)
	}
	pdf.SetFont(pdfFamily, "", pdfFontSize)
}

// chart draws a bar chart: grey bars with a black edge and the value
// written after each, so it reads in black and white.
func (p *pdfWriter) chart(c BarChart) {
	pdf := p.pdf
	h := 8 + float64(len(c.Bars))*pdfChartRowH
	p.room(h)
	pdf.Ln(3)
	pdf.SetFont(pdfFamily, "B", 8.5)
	pdf.CellFormat(0, 5, "Figuur: "+c.Title, "", 1, "L", false, 0, "")
	pdf.SetFont(pdfFamily, "", 8)
	scale := chartScale(c)
	x0 := pdfMarginLeft + pdfChartLabelW + 2
	y := pdf.GetY() + 1
	top := y
	pdf.SetDrawColor(0, 0, 0)
	pdf.SetFillColor(190, 190, 190)
	for _, b := range c.Bars {
		pdf.SetXY(pdfMarginLeft, y)
		pdf.CellFormat(pdfChartLabelW, pdfChartRowH-1, fit(pdf, b.Label, pdfChartLabelW-2), "", 0, "R", false, 0, "")
		w := 0.0
		if !b.Suppressed && b.Value > 0 {
			w = max(0.3, b.Value/scale*pdfChartBarMaxW)
			pdf.Rect(x0, y+0.5, w, pdfChartRowH-2, "FD")
		}
		pdf.SetXY(x0+w+1.5, y)
		pdf.CellFormat(20, pdfChartRowH-1, b.Text, "", 0, "L", false, 0, "")
		y += pdfChartRowH
	}
	pdf.Line(x0, top, x0, y-1)
	pdf.SetXY(pdfMarginLeft, y+1)
	pdf.SetFont(pdfFamily, "", pdfFontSize)
}

// fit shortens s with an ellipsis until it is at most w wide in the
// current font.
func fit(pdf *fpdf.Fpdf, s string, w float64) string {
	if pdf.GetStringWidth(s) <= w {
		return s
	}
	r := []rune(s)
	for n := len(r) - 1; n > 0; n-- {
		if t := cut(s, n); pdf.GetStringWidth(t) <= w {
			return t
		}
	}
	return "…"
}

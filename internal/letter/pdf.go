package letter

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"github.com/gegrond/gegrond/internal/font"

	"github.com/gegrond/gegrond/internal/calendar"
)

// DejaVu Sans (internal/font): ë, ï, é and € come out right.
var (
	fontRegular = font.Regular
	fontBold    = font.Bold
)

// Page geometry of an A4 letter in millimetres. The address block sits
// where a Dutch window envelope shows it.
const (
	marginLeft   = 25.0
	marginRight  = 20.0
	marginTop    = 18.0
	marginBottom = 22.0
	addressTop   = 50.0
	lineHeight   = 5.2
	fontSize     = 10.0
	labelWidth   = 55.0
	logoMaxW     = 45.0
	logoMaxH     = 20.0
	family       = "DejaVu"
)

// PDF renders the letter as an A4 PDF. Rendering is deterministic: the
// same letter gives the same bytes, dated on the letter's date.
func (l Letter) PDF() ([]byte, error) {
	if l.page == nil {
		return nil, errors.New("letter: PDF of a letter that was not composed (use Compose)")
	}
	return renderPDF(l.page, l.Date)
}

func renderPDF(p *page, date calendar.Date) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	// Determinism: a fixed creation date (the letter's), sorted catalogs.
	at := time.Date(date.Year, date.Month, date.Day, 12, 0, 0, 0, time.UTC)
	pdf.SetCreationDate(at)
	pdf.SetModificationDate(at)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetTitle(p.Subject, true)
	pdf.SetAuthor(p.OrgName, true)
	pdf.SetSubject(p.Subject, true)
	pdf.SetCreator("Gegrond", true)
	pdf.SetProducer("Gegrond", true)
	pdf.SetLang(p.Lang)
	pdf.AddUTF8FontFromBytes(family, "", fontRegular)
	pdf.AddUTF8FontFromBytes(family, "B", fontBold)
	pdf.SetMargins(marginLeft, marginTop, marginRight)
	pdf.SetAutoPageBreak(true, marginBottom)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-marginBottom + 8)
		pdf.SetFont(family, "", 7.5)
		pdf.SetTextColor(100, 100, 100)
		left := p.OrgName
		if p.CaseNumber != "" {
			left += " · " + p.CaseNumber
		}
		w := pageWidth(pdf)
		pdf.CellFormat(w/2, 4, left, "", 0, "L", false, 0, "")
		pageText := strings.NewReplacer("{page}", fmt.Sprint(pdf.PageNo()), "{pages}", "{nb}").Replace(p.PageWord)
		pdf.CellFormat(w/2, 4, pageText, "", 0, "R", false, 0, "")
	})
	pdf.AddPage()

	letterhead(pdf, p)

	// Address block.
	pdf.SetY(addressTop)
	pdf.SetFont(family, "", fontSize)
	pdf.SetTextColor(26, 26, 26)
	pdf.MultiCell(85, lineHeight, strings.Join(append([]string{p.ToName}, p.ToLines...), "\n"), "", "L", false)

	// Reference lines.
	pdf.SetY(max(pdf.GetY()+12, addressTop+30))
	for _, f := range p.Meta {
		fieldRow(pdf, f.Label, f.Value, false)
	}
	fieldRow(pdf, p.SubjectWord, p.Subject, true)
	pdf.Ln(6)

	para(pdf, p.Salutation)
	blocks(pdf, p.Intro)
	if len(p.Fields) > 0 {
		heading(pdf, p.Details)
		for _, f := range p.Fields {
			fieldRow(pdf, f.Label, f.Value, false)
		}
		pdf.Ln(2)
	}
	for _, s := range p.Sections {
		heading(pdf, s.Heading)
		blocks(pdf, s.Blocks)
	}
	blocks(pdf, p.Closing)
	para(pdf, p.Greeting)
	pdf.Ln(4)
	pdf.MultiCell(0, lineHeight, strings.Join(p.Signature, "\n"), "", "L", false)
	if len(p.Enclosures) > 0 {
		pdf.Ln(4)
		pdf.SetFont(family, "B", fontSize)
		pdf.MultiCell(0, lineHeight, p.EnclosedBy, "", "L", false)
		pdf.SetFont(family, "", fontSize)
		blocks(pdf, []block{{Items: p.Enclosures}})
	}
	if p.Footer != "" {
		pdf.Ln(4)
		pdf.SetFont(family, "", 7.5)
		pdf.SetTextColor(100, 100, 100)
		pdf.MultiCell(0, 3.6, p.Footer, "", "L", false)
	}

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("letter: render PDF: %w", err)
	}
	return buf.Bytes(), nil
}

func pageWidth(pdf *fpdf.Fpdf) float64 {
	w, _ := pdf.GetPageSize()
	return w - marginLeft - marginRight
}

// letterhead writes the organisation's name, address and contact, with
// the logo on the right.
func letterhead(pdf *fpdf.Fpdf, p *page) {
	textW := pageWidth(pdf)
	if len(p.Logo) > 0 {
		info := pdf.RegisterImageOptionsReader("logo", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(p.Logo))
		if info != nil && info.Width() > 0 && info.Height() > 0 {
			w, h := info.Width(), info.Height()
			scale := min(logoMaxW/w, logoMaxH/h)
			w, h = w*scale, h*scale
			pageW, _ := pdf.GetPageSize()
			pdf.ImageOptions("logo", pageW-marginRight-w, marginTop, w, h, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			textW -= w + 5
		}
	}
	pdf.SetXY(marginLeft, marginTop)
	pdf.SetFont(family, "B", 14)
	pdf.SetTextColor(26, 26, 26)
	pdf.MultiCell(textW, 6.5, p.OrgName, "", "L", false)
	pdf.SetFont(family, "", 8.5)
	pdf.SetTextColor(80, 80, 80)
	if lines := append(append([]string{}, p.OrgLines...), p.OrgContact...); len(lines) > 0 {
		pdf.MultiCell(textW, 4, strings.Join(lines, "\n"), "", "L", false)
	}
	pdf.SetTextColor(26, 26, 26)
}

// fieldRow writes a label and its value side by side.
func fieldRow(pdf *fpdf.Fpdf, label, value string, bold bool) {
	x, y := marginLeft, pdf.GetY()
	pdf.SetFont(family, "", fontSize)
	pdf.SetTextColor(80, 80, 80)
	pdf.SetXY(x, y)
	pdf.MultiCell(labelWidth, lineHeight, label, "", "L", false)
	yLabel, pageLabel := pdf.GetY(), pdf.PageNo()
	pdf.SetTextColor(26, 26, 26)
	if bold {
		pdf.SetFont(family, "B", fontSize)
	}
	pdf.SetXY(x+labelWidth, y)
	pdf.MultiCell(pageWidth(pdf)-labelWidth, lineHeight, value, "", "L", false)
	if pdf.PageNo() == pageLabel {
		pdf.SetY(max(pdf.GetY(), yLabel))
	}
	pdf.SetFont(family, "", fontSize)
}

// heading writes a section heading, moving to a new page rather than
// leaving it alone at the bottom.
func heading(pdf *fpdf.Fpdf, text string) {
	_, pageH := pdf.GetPageSize()
	if pdf.GetY() > pageH-marginBottom-25 {
		pdf.AddPage()
	}
	pdf.Ln(2)
	pdf.SetFont(family, "B", fontSize+0.5)
	pdf.MultiCell(0, lineHeight+0.4, text, "", "L", false)
	pdf.SetFont(family, "", fontSize)
	pdf.Ln(1)
}

func para(pdf *fpdf.Fpdf, text string) {
	pdf.SetFont(family, "", fontSize)
	pdf.MultiCell(0, lineHeight, text, "", "L", false)
	pdf.Ln(2.5)
}

// blocks writes paragraphs and bulleted lists.
func blocks(pdf *fpdf.Fpdf, bs []block) {
	for _, b := range bs {
		if b.Items == nil {
			para(pdf, b.Text)
			continue
		}
		_, pageH := pdf.GetPageSize()
		for _, it := range b.Items {
			if pdf.GetY()+lineHeight > pageH-marginBottom {
				pdf.AddPage()
			}
			y := pdf.GetY()
			pdf.SetX(marginLeft + 1)
			pdf.CellFormat(4, lineHeight, "•", "", 0, "L", false, 0, "")
			pdf.SetXY(marginLeft+5, y)
			pdf.MultiCell(pageWidth(pdf)-5, lineHeight, it, "", "L", false)
			pdf.Ln(0.8)
		}
		pdf.Ln(1.7)
	}
}

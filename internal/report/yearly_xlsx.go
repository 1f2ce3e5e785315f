package report

import (
	"io"

	"github.com/xuri/excelize/v2"
)

// The sheets of the report's workbook.
const (
	SheetSummary   = "Samenvatting"
	SheetBreakdown = "Verdelingen"
	SheetTerms     = "Termijnen"
	SheetNotes     = "Toelichting"
)

// WriteXLSX writes the report as an XLSX workbook: a summary, the
// breakdowns, the terms and the notes, one sheet each. Counts are numbers,
// a suppressed count is its text ("< 5", "x"), shares are percentages.
func (r *Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetSummary); err != nil {
		return err
	}
	for _, s := range []string{SheetBreakdown, SheetTerms, SheetNotes} {
		if _, err := f.NewSheet(s); err != nil {
			return err
		}
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	x := &sheetWriter{f: f, st: st}

	x.sheet, x.row = SheetSummary, 1
	x.put(st.title, r.Title)
	x.put(0, r.Organisation)
	x.put(0, "Reglement", r.Reglement)
	x.put(0, "Periode", r.From.Dutch()+" t/m "+r.To.Dutch())
	x.put(0, "Peildatum", r.AsOf.Dutch())
	x.row++
	x.put(st.bold, "Aantallen")
	x.put(0, "Klachten", r.Complaints)
	x.put(0, "Opmerkingen", r.Remarks)
	x.row++
	h := r.HandlingTime
	x.put(st.bold, "Behandelduur (werkdagen)")
	x.put(0, "Afgehandeld (besluit of afsluiting)", h.Handled)
	x.put(0, "Nog in behandeling op de peildatum", h.Open)
	x.put(0, "Mediaan", number(h.Shown, h.Median, h.MedianText))
	x.put(0, "90e percentiel", number(h.Shown, h.P90, h.P90Text))
	x.row++
	x.put(st.bold, "Verlengingen")
	x.put(0, "Klachten met een verlengde beslistermijn", r.Extensions.Cases)
	x.put(0, "Verlengd voorbij het maximum, met instemming van de klager", r.Extensions.BeyondMaximum)
	x.row++
	m := r.Measures
	x.put(st.bold, "Maatregelen")
	x.put(0, "Afgesproken in de klachtdossiers", m.InCases)
	x.put(0, "Daarvan uitgevoerd", m.InCasesDone)
	x.put(0, "Voorgesteld (maatregelenregister)", m.Proposed)
	x.put(0, "Besloten door de directie", m.Decided)
	x.put(0, "  waarvan corrigerend", m.Corrective)
	x.put(0, "  waarvan preventief", m.Preventive)
	x.put(0, "Afgewezen", m.Rejected)
	x.put(0, "Uitgevoerd", m.Done)
	x.put(0, "Over de streefdatum op de peildatum", m.Overdue)
	x.put(0, "Beoordeeld op doeltreffendheid", m.Reviewed)
	x.put(0, "Doeltreffend bevonden", m.Effective)
	x.put(0, "Aandeel doeltreffend", m.EffectiveShare)
	if err := f.SetColWidth(SheetSummary, "A", "A", 60); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetSummary, "B", "B", 16); err != nil {
		return err
	}

	x.sheet, x.row = SheetBreakdown, 1
	for _, bd := range []Breakdown{r.ByChannel, r.ByCategory, r.ByCommissioning, r.RemarksByCategory, r.Admissibility,
		r.InadmissibleByGround, r.Outcomes, r.Judgments, r.Referrals} {
		x.put(st.bold, bd.Title, "Aantal")
		for _, row := range bd.Rows {
			x.put(0, row.Label, row.Count)
		}
		if bd.HasTotal {
			x.put(st.bold, "Totaal", bd.Total)
		}
		x.row++
	}
	if err := f.SetColWidth(SheetBreakdown, "A", "A", 70); err != nil {
		return err
	}

	x.sheet, x.row = SheetTerms, 1
	x.put(st.header, "Termijn", "Regel", "Beoordeeld", "Binnen termijn", "Loopt nog")
	for _, t := range r.Terms {
		x.put(0, t.Label, t.Term, t.Assessed, t.WithinTerm, t.Running)
	}
	if err := f.SetColWidth(SheetTerms, "A", "B", 40); err != nil {
		return err
	}
	if err := f.SetColWidth(SheetTerms, "C", "E", 15); err != nil {
		return err
	}

	x.sheet, x.row = SheetNotes, 1
	for _, n := range r.Notes {
		x.put(0, n)
	}
	if err := f.SetColWidth(SheetNotes, "A", "A", 120); err != nil {
		return err
	}
	if x.err != nil {
		return x.err
	}
	_, err = f.WriteTo(w)
	return err
}

// figure is a number shown as a number, or its text when not shown.
type figure struct {
	shown bool
	value float64
	text  string
}

func number(shown bool, v float64, text string) figure { return figure{shown, v, text} }

// sheetWriter writes rows one after the other, keeping the first error.
type sheetWriter struct {
	f     *excelize.File
	st    styles
	sheet string
	row   int
	err   error
}

// put writes one row from column A: strings, ints, cells, shares and
// figures, the first cell in style (0 for none).
func (x *sheetWriter) put(style int, values ...any) {
	for i, v := range values {
		ref, _ := excelize.CoordinatesToCellName(i+1, x.row)
		cellStyle := 0
		switch v := v.(type) {
		case Cell:
			if v.Suppressed {
				x.set(ref, v.Text)
			} else {
				x.set(ref, v.Value)
			}
		case Share:
			if v.Shown {
				x.set(ref, v.Percent/100)
				cellStyle = x.st.percent
			} else {
				x.set(ref, v.Text)
			}
		case figure:
			if v.shown {
				x.set(ref, v.value)
			} else {
				x.set(ref, v.text)
			}
		default:
			x.set(ref, v)
		}
		if style != 0 {
			cellStyle = style
		}
		if cellStyle != 0 && x.err == nil {
			x.err = x.f.SetCellStyle(x.sheet, ref, ref, cellStyle)
		}
	}
	x.row++
}

func (x *sheetWriter) set(ref string, v any) {
	if x.err == nil {
		x.err = x.f.SetCellValue(x.sheet, ref, v)
	}
}

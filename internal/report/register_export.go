package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/gegrond/gegrond/internal/calendar"
)

// valueKind is how an export writes a register value.
type valueKind int

const (
	textValue valueKind = iota
	dateValue
	intValue
	moneyValue
)

// value is one cell of the register, typed for the spreadsheet.
type value struct {
	kind valueKind
	text string
	date calendar.Date
	num  int // whole units; money in euros
	// empty: no number or date (an open case's handling time).
	empty bool
}

func text(s string) value          { return value{kind: textValue, text: s} }
func date(d calendar.Date) value   { return value{kind: dateValue, date: d, empty: d.IsZero()} }
func integer(n int, ok bool) value { return value{kind: intValue, num: n, empty: !ok} }
func money(eur int) value          { return value{kind: moneyValue, num: eur, empty: eur == 0} }

// csvText is the value as the Dutch CSV writes it: dates dd-mm-jjjj,
// amounts with a decimal comma.
func (v value) csvText() string {
	if v.empty {
		return ""
	}
	switch v.kind {
	case dateValue:
		return v.date.Dutch()
	case intValue:
		return strconv.Itoa(v.num)
	case moneyValue:
		return decimalNL(float64(v.num), 2)
	}
	return neutralise(v.text)
}

// neutralise keeps a text from being read as a formula by a spreadsheet
// that opens the CSV (CSV injection): a leading =, +, -, @, tab or
// carriage return gets an apostrophe before it.
func neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// registerColumn is one column of the exports.
type registerColumn struct {
	header string
	width  float64
	value  func(*RegisterRow) value
}

// columns returns the export columns: the fixed ones with the
// regulation's terms in the middle.
func (g *Register) columns() []registerColumn {
	cols := []registerColumn{
		{"Dossiernummer", 13, func(r *RegisterRow) value { return text(r.Number) }},
		{"Soort", 10, func(r *RegisterRow) value { return text(r.KindLabel) }},
		{"Datum ontvangst", 12, func(r *RegisterRow) value { return date(r.ReceivedOn) }},
		{"Kanaal", 12, func(r *RegisterRow) value { return text(r.ChannelLabel) }},
		{"Rubriek", 30, func(r *RegisterRow) value { return text(r.CategoryLabel) }},
		{"Opdrachtgever", 20, func(r *RegisterRow) value { return text(r.CommissioningParty) }},
		{"Soort opdrachtgever", 16, func(r *RegisterRow) value { return text(commissioningLabel(r.CommissioningKind)) }},
		{"Betrokken medewerker(s)", 24, func(r *RegisterRow) value { return text(strings.Join(r.AccusedEmployees, "; ")) }},
		{"Klachtbehandelaar", 20, func(r *RegisterRow) value { return text(r.Handler) }},
		{"Status", 16, func(r *RegisterRow) value { return text(r.StateLabel) }},
		{"Ontvankelijkheid", 24, func(r *RegisterRow) value { return text(r.Admissibility) }},
		{"Datum ontvangstbevestiging", 12, func(r *RegisterRow) value { return date(r.AcknowledgedOn) }},
		{"Datum besluit", 12, func(r *RegisterRow) value { return date(r.DecidedOn) }},
		{"Datum afsluiting", 12, func(r *RegisterRow) value { return date(r.ClosedOn) }},
		{"Uitkomst", 18, func(r *RegisterRow) value { return text(r.OutcomeLabel) }},
		{"Uitkomst per klachtonderdeel", 40, func(r *RegisterRow) value { return text(pointsText(r.Points)) }},
		{"Behandelduur (werkdagen)", 12, func(r *RegisterRow) value { return integer(r.HandlingDays, r.Handled) }},
	}
	for i, c := range g.Columns {
		cols = append(cols, registerColumn{"Termijn " + c.Label, 16, func(r *RegisterRow) value {
			if i < len(r.Terms) {
				return text(r.Terms[i].Label)
			}
			return text("")
		}})
	}
	return append(cols,
		registerColumn{"Verlengingen", 30, func(r *RegisterRow) value { return text(extensionsText(r.Extensions)) }},
		registerColumn{"Maatregelen", 50, func(r *RegisterRow) value { return text(measuresText(r.Measures)) }},
		registerColumn{"Doorverwijzing", 24, func(r *RegisterRow) value { return text(strings.Join(r.Referrals, "; ")) }},
		registerColumn{"Claim (EUR)", 12, func(r *RegisterRow) value { return money(r.ClaimEUR) }},
		registerColumn{"Buiten indieningstermijn", 10, func(r *RegisterRow) value { return text(yesNo(r.TimeBarred)) }},
	)
}

// WriteCSV writes the register as CSV the way Dutch spreadsheets read it:
// UTF-8 with a byte order mark, fields separated by semicolons, dates as
// dd-mm-jjjj and amounts with a decimal comma, lines ending in CRLF.
func (g *Register) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.WriteString("\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.Comma, cw.UseCRLF = ';', true
	cols := g.columns()
	record := make([]string, len(cols))
	for i, c := range cols {
		record[i] = c.header
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for i := range g.Rows {
		for j, c := range cols {
			record[j] = c.value(&g.Rows[i]).csvText()
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// RegisterSheet is the name of the register's worksheet.
const RegisterSheet = "Klachtenregister"

// WriteXLSX writes the register as an XLSX workbook: one sheet with the
// header row frozen and an autofilter over it, dates as real dates shown
// dd-mm-jjjj, numbers as numbers. The rows are streamed into the sheet.
func (g *Register) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", RegisterSheet); err != nil {
		return err
	}
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(RegisterSheet)
	if err != nil {
		return err
	}
	cols := g.columns()
	for i, c := range cols {
		if err := sw.SetColWidth(i+1, i+1, c.width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: st.header, Value: c.header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	cells := make([]any, len(cols))
	for i := range g.Rows {
		for j, c := range cols {
			cells[j] = st.cell(c.value(&g.Rows[i]))
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	last, _ := excelize.CoordinatesToCellName(len(cols), len(g.Rows)+1)
	// Set on the sheet the stream writer holds, before Flush writes it.
	if err := f.AutoFilter(RegisterSheet, "A1:"+last, nil); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// styles are the cell styles of the workbooks.
type styles struct {
	header, title, date, money, percent, bold int
}

// newStyles registers the styles. Number formats are stored in the file's
// neutral notation; a Dutch spreadsheet shows 15-01-2026 and 1.250,00.
func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var err error
	dateFmt, moneyFmt, pctFmt := "dd-mm-yyyy", "#,##0.00", "0.0%"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{Font: &excelize.Font{Bold: true}, Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
			Border: []excelize.Border{{Type: "bottom", Color: "000000", Style: 1}}}},
		{&st.title, &excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}}},
		{&st.bold, &excelize.Style{Font: &excelize.Font{Bold: true}}},
		{&st.date, &excelize.Style{CustomNumFmt: &dateFmt}},
		{&st.money, &excelize.Style{CustomNumFmt: &moneyFmt}},
		{&st.percent, &excelize.Style{CustomNumFmt: &pctFmt}},
	} {
		if *s.id, err = f.NewStyle(s.style); err != nil {
			return st, err
		}
	}
	return st, nil
}

// cell is a register value as a stream writer cell.
func (st styles) cell(v value) excelize.Cell {
	if v.empty {
		return excelize.Cell{}
	}
	switch v.kind {
	case dateValue:
		return excelize.Cell{StyleID: st.date, Value: excelDate(v.date)}
	case intValue:
		return excelize.Cell{Value: v.num}
	case moneyValue:
		return excelize.Cell{StyleID: st.money, Value: float64(v.num)}
	}
	return excelize.Cell{Value: v.text}
}

// excelDate is a date as excelize writes it: midnight, which becomes a
// whole day number in the sheet.
func excelDate(d calendar.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// commissioningLabel names a kind of commissioning party.
func commissioningLabel(kind string) string {
	for _, ck := range commissioningKinds {
		if ck.key == kind {
			return ck.label
		}
	}
	return kind
}

func pointsText(ps []PointOutcome) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Point + ": " + strings.ToLower(p.JudgmentLabel)
	}
	return strings.Join(parts, " | ")
}

func extensionsText(es []Extension) string {
	parts := make([]string, len(es))
	for i, e := range es {
		parts[i] = fmt.Sprintf("op %s verlengd tot %s", e.On.Dutch(), e.NewDue.Dutch())
		if e.Consent {
			parts[i] += " (met instemming van de klager)"
		}
	}
	return strings.Join(parts, "; ")
}

func measuresText(ms []RowMeasure) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		var details []string
		state := m.State
		if !m.DoneOn.IsZero() {
			state = "" // "uitgevoerd op" says it
		}
		for _, d := range []struct{ label, value string }{
			{"", state}, {"eigenaar ", m.Owner}, {"uiterlijk ", dateNL(m.DueOn)}, {"uitgevoerd op ", dateNL(m.DoneOn)},
		} {
			if d.value != "" {
				details = append(details, d.label+d.value)
			}
		}
		parts[i] = fmt.Sprintf("%s %s: %s (%s)", m.Ref, m.Kind, m.Description, strings.Join(details, ", "))
	}
	return strings.Join(parts, " | ")
}

func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nee"
}

package report_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it):\n%s", name, lineDiff(string(got), string(want)))
	}
}

// smartPLUSRegister is the fixture's register with the filter.
func smartPLUSRegister(t *testing.T, f report.RegisterFilter) *report.Register {
	t.Helper()
	r, cases := smartPLUSCases(t)
	g := report.NewRegister("SmartPLUS Resources B.V.", r, f, calendar.D(2027, 1, 15))
	linked := report.MeasuresByCase(registerMeasures())
	for _, c := range cases {
		g.Add(c, linked[c.Number])
	}
	return g
}

func numbers(g *report.Register) []string {
	var out []string
	for _, row := range g.Rows {
		out = append(out, row.Number)
	}
	return out
}

func TestRegisterFilters(t *testing.T) {
	t.Parallel()
	D := calendar.D
	year := report.RegisterFilter{From: D(2026, 1, 1), To: D(2026, 12, 31)}
	for _, tt := range []struct {
		name   string
		filter report.RegisterFilter
		want   []string
	}{
		{"everything", report.RegisterFilter{}, []string{"2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005", "2026-0006", "2026-0007", "2026-0008", "2025-0031"}},
		{"period", year, []string{"2026-0001", "2026-0002", "2026-0003", "2026-0004", "2026-0005", "2026-0006", "2026-0007", "2026-0008"}},
		{"period bounds included", report.RegisterFilter{From: D(2026, 1, 6), To: D(2026, 1, 12)}, []string{"2026-0002", "2026-0003", "2026-0004"}},
		{"category", report.RegisterFilter{Category: "traagheid"}, []string{"2026-0002", "2026-0003", "2026-0008", "2025-0031"}},
		{"category and period", report.RegisterFilter{Category: "traagheid", From: D(2026, 1, 1), To: D(2026, 6, 30)}, []string{"2026-0002", "2026-0003"}},
		{"outcome", report.RegisterFilter{Outcome: "upheld"}, []string{"2026-0001", "2026-0003"}},
		{"outcome open", report.RegisterFilter{Outcome: "open"}, []string{"2026-0008", "2025-0031"}},
		{"commissioning party by kind", report.RegisterFilter{Commissioning: "UWV", From: D(2026, 1, 1)}, []string{"2026-0001", "2026-0003", "2026-0006", "2026-0008"}},
		{"commissioning party by name, any case", report.RegisterFilter{Commissioning: "gemeente utrecht"}, []string{"2026-0004"}},
		{"employee", report.RegisterFilter{Employee: "dirk smit"}, []string{"2026-0001"}},
		{"remarks only", report.RegisterFilter{Kind: "remark"}, nil},
	} {
		if got := numbers(smartPLUSRegister(t, tt.filter)); !slices.Equal(got, tt.want) {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestRegisterRows(t *testing.T) {
	t.Parallel()
	D := calendar.D
	g := smartPLUSRegister(t, report.RegisterFilter{From: D(2026, 1, 1), To: D(2026, 12, 31)})
	var cols []string
	for _, c := range g.Columns {
		cols = append(cols, c.Label)
	}
	wantCols := []string{"Ontvangstbevestiging (uiterste termijn)", "Bericht niet in behandeling nemen (uiterste termijn)",
		"Besluit (streeftermijn)", "Besluit (uiterste termijn)"}
	if !slices.Equal(cols, wantCols) {
		t.Fatalf("columns = %v", cols)
	}
	terms := func(row report.RegisterRow) []string {
		var out []string
		for _, ts := range row.Terms {
			out = append(out, ts.Label)
		}
		return out
	}
	s1, s3, s4, s5, s7, s8 := g.Rows[0], g.Rows[2], g.Rows[3], g.Rows[4], g.Rows[6], g.Rows[7]
	if s1.Number != "2026-0001" || s1.KindLabel != "Klacht" || s1.ReceivedOn != D(2026, 1, 5) || s1.ChannelLabel != "E-mail" ||
		s1.CategoryLabel != "Onheus optreden door het personeel" || s1.CommissioningParty != "UWV" || s1.CommissioningKind != "uwv" ||
		!slices.Equal(s1.AccusedEmployees, []string{"Dirk Smit"}) || s1.Handler != "Hanna Handel" || s1.StateLabel != "Afgesloten" ||
		s1.Admissibility != "In behandeling genomen" || s1.AcknowledgedOn != D(2026, 1, 6) || s1.DecidedOn != D(2026, 1, 19) ||
		s1.ClosedOn != D(2026, 1, 20) || s1.OutcomeLabel != "Gegrond" || s1.HandlingDays != 10 || !s1.Handled ||
		!slices.Equal(s1.Referrals, []string{"Nationale Ombudsman"}) {
		t.Errorf("row of 2026-0001: %+v", s1)
	}
	if len(s1.Points) != 1 || s1.Points[0].Point != "Afspraken niet nagekomen" || s1.Points[0].JudgmentLabel != "Gegrond" {
		t.Errorf("points of 2026-0001: %+v", s1.Points)
	}
	if got := terms(s1); !slices.Equal(got, []string{"op tijd", "n.v.t.", "op tijd", "op tijd"}) {
		t.Errorf("terms of 2026-0001: %v", got)
	}
	var refs []string
	for _, m := range s1.Measures {
		refs = append(refs, m.Ref+" "+m.State+" "+m.DoneOn.String())
	}
	// D1 from the case file, M1 and M2 from the register of measures.
	if want := []string{"D1 uitgevoerd 2026-01-20", "M1 uitgevoerd 2026-03-01", "M2 besloten 0000-00-00"}; !slices.Equal(refs, want) {
		t.Errorf("measures of 2026-0001: %v, want %v", refs, want)
	}
	if got := terms(s3); !slices.Equal(got, []string{"te laat", "n.v.t.", "op tijd", "op tijd"}) {
		t.Errorf("terms of 2026-0003 (acknowledged late): %v", got)
	}
	if got := terms(s4); !slices.Equal(got, []string{"op tijd", "n.v.t.", "te laat", "op tijd"}) || len(s4.Extensions) != 1 ||
		s4.Extensions[0] != (report.Extension{On: D(2026, 2, 20), NewDue: D(2026, 3, 16)}) || s4.StateLabel != "Besluit genomen" ||
		s4.Terms[3].Due != D(2026, 3, 16) || s4.Terms[3].MetOn != D(2026, 3, 13) {
		t.Errorf("2026-0004 (extended): terms %v, %+v", got, s4)
	}
	if !strings.HasPrefix(s5.Admissibility, "Niet in behandeling genomen: De klacht gaat over handelen dat langer dan één jaar") ||
		!s5.TimeBarred || s5.ClaimEUR != 1250 || s5.OutcomeLabel != "Niet in behandeling genomen" || s5.HandlingDays != 5 {
		t.Errorf("2026-0005 (not taken on): %+v", s5)
	}
	if s7.OutcomeLabel != "Door de ontvanger afgehandeld" || s7.HandlingDays != 0 || !s7.Handled || s7.Handler != "" {
		t.Errorf("2026-0007 (settled on the spot): %+v", s7)
	}
	if got := terms(s8); !slices.Equal(got, []string{"verstreken", "loopt", "loopt", "loopt"}) || s8.Handled || s8.OutcomeLabel != "" ||
		s8.StateLabel != "Ontvangen" {
		t.Errorf("2026-0008 (open): terms %v, %+v", got, s8)
	}
}

func TestRegisterRemark(t *testing.T) {
	t.Parallel()
	r, cases := work2WorkCases(t)
	g := report.NewRegister("Work 2 Work", r, report.RegisterFilter{Kind: "remark"}, calendar.D(2026, 4, 1))
	for _, c := range cases {
		g.Add(c, nil)
	}
	if len(g.Rows) != 1 {
		t.Fatalf("%d remarks, want 1", len(g.Rows))
	}
	row := g.Rows[0]
	if row.KindLabel != "Opmerking" || row.StateLabel != "Opmerking vastgelegd" || row.Handled || row.CategoryLabel == "" {
		t.Errorf("remark row: %+v", row)
	}
	for i, ts := range row.Terms {
		if ts.Label != "n.v.t." {
			t.Errorf("a remark runs no complaint term, but column %d reads %q", i, ts.Label)
		}
	}
}

func TestRegisterCSV(t *testing.T) {
	t.Parallel()
	g := smartPLUSRegister(t, report.RegisterFilter{From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31)})
	var buf bytes.Buffer
	if err := g.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	out := buf.Bytes()
	if !bytes.HasPrefix(out, []byte("\xEF\xBB\xBF")) {
		t.Fatal("no UTF-8 byte order mark")
	}
	if !bytes.Contains(out, []byte("\r\n")) {
		t.Error("lines do not end in CRLF")
	}
	cr := csv.NewReader(bytes.NewReader(out[3:]))
	cr.Comma = ';'
	records, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != 9 {
		t.Fatalf("%d records, want a header and 8 rows", len(records))
	}
	head := records[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("no column %q in %v", name, head)
		}
		return i
	}
	s1, s5 := records[1], records[5]
	for _, c := range []struct {
		record       []string
		column, want string
	}{
		{s1, "Dossiernummer", "2026-0001"},
		{s1, "Datum ontvangst", "05-01-2026"},
		{s1, "Datum besluit", "19-01-2026"},
		{s1, "Rubriek", "Onheus optreden door het personeel"},
		{s1, "Betrokken medewerker(s)", "Dirk Smit"},
		{s1, "Uitkomst per klachtonderdeel", "Afspraken niet nagekomen: gegrond"},
		{s1, "Behandelduur (werkdagen)", "10"},
		{s1, "Termijn Ontvangstbevestiging (uiterste termijn)", "op tijd"},
		{s1, "Doorverwijzing", "Nationale Ombudsman"},
		{s1, "Claim (EUR)", ""},
		{s5, "Claim (EUR)", "1250,00"},
		{s5, "Buiten indieningstermijn", "ja"},
		{s5, "Datum besluit", ""},
		{s5, "Soort opdrachtgever", "Verzekeraar"},
		{records[8], "Behandelduur (werkdagen)", ""},
	} {
		if got := c.record[col(c.column)]; got != c.want {
			t.Errorf("%s of %s = %q, want %q", c.column, c.record[0], got, c.want)
		}
	}
	golden(t, "register.csv", out)
}

func TestRegisterCSVNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	g := &report.Register{Rows: []report.RegisterRow{{Number: "2026-0001", Handler: "=HYPERLINK(\"http://x\")", AccusedEmployees: []string{"@SUM(A1)", "-2+3"}}}}
	var buf bytes.Buffer
	if err := g.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	s := buf.String()
	for _, want := range []string{`'=HYPERLINK(""http://x"")`, "'@SUM(A1); -2+3"} {
		if !strings.Contains(s, want) {
			t.Errorf("CSV lacks %s:\n%s", want, s)
		}
	}
}

func TestRegisterXLSX(t *testing.T) {
	t.Parallel()
	g := smartPLUSRegister(t, report.RegisterFilter{From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31)})
	var buf bytes.Buffer
	if err := g.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := report.RegisterSheet
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 9 || rows[0][0] != "Dossiernummer" || rows[1][0] != "2026-0001" || rows[8][0] != "2026-0008" {
		t.Fatalf("rows: %d, first cells %q %q", len(rows), rows[0][0], rows[1][0])
	}
	cell := func(ref string, raw bool) string {
		t.Helper()
		v, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: raw})
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	// C: Datum ontvangst, a date shown dd-mm-yyyy; Q: handling days; the
	// claim of 2026-0005 a number.
	for _, c := range []struct {
		ref  string
		raw  bool
		want string
	}{
		{"C1", false, "Datum ontvangst"},
		{"C2", false, "05-01-2026"},
		{"C2", true, "46027"},
		{"M2", false, "19-01-2026"},
		{"M6", false, ""},
		{"Q2", true, "10"},
		{"Q9", true, ""},
		{"E2", false, "Onheus optreden door het personeel"},
	} {
		if got := cell(c.ref, c.raw); got != c.want {
			t.Errorf("%s (raw %v) = %q, want %q", c.ref, c.raw, got, c.want)
		}
	}
	claim := slices.Index(rows[0], "Claim (EUR)")
	ref, _ := excelize.CoordinatesToCellName(claim+1, 6)
	if got := cell(ref, true); got != "1250" {
		t.Errorf("claim of 2026-0005 = %q, want the number 1250", got)
	}
	if st, _ := f.GetCellStyle(sheet, "C2"); st == 0 {
		t.Error("the date has no date style")
	} else if s, _ := f.GetStyle(st); s.CustomNumFmt == nil || *s.CustomNumFmt != "dd-mm-yyyy" {
		t.Errorf("date format %+v, want dd-mm-yyyy", s)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 || panes.TopLeftCell != "A2" {
		t.Errorf("panes %+v: the header row is not frozen", panes)
	}
	last, _ := excelize.CoordinatesToCellName(len(rows[0]), 9, true)
	found := false
	for _, dn := range f.GetDefinedName() {
		if dn.Name == "_xlnm._FilterDatabase" && dn.RefersTo == "'"+sheet+"'!$A$1:"+last {
			found = true
		}
	}
	if !found {
		t.Errorf("no autofilter over A1:%s: %+v", last, f.GetDefinedName())
	}
}

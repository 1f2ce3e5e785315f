package report_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
)

// dump writes every figure of a report, one block per line, so that a
// test can compare all of them at once.
func dump(r *report.Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s | %s | %s t/m %s, peildatum %s, drempel %d\n", r.Title, r.Organisation, r.From.Dutch(), r.To.Dutch(), r.AsOf.Dutch(), r.Threshold)
	fmt.Fprintf(&b, "Klachten %d, opmerkingen %d\n", r.Complaints, r.Remarks)
	for _, bd := range []report.Breakdown{r.ByChannel, r.ByCategory, r.ByCommissioning, r.RemarksByCategory, r.Admissibility,
		r.InadmissibleByGround, r.Outcomes, r.Judgments, r.Referrals} {
		var rows []string
		for _, row := range bd.Rows {
			rows = append(rows, row.Key+" "+row.Count.Text)
		}
		if bd.HasTotal {
			rows = append(rows, "totaal "+bd.Total.Text)
		}
		fmt.Fprintf(&b, "%s: %s\n", bd.Title, strings.Join(rows, "; "))
	}
	for _, t := range r.Terms {
		fmt.Fprintf(&b, "%s [%s]: beoordeeld %s, binnen %s, loopt %s\n", t.Label, t.Term, t.Assessed, t.WithinTerm, t.Running)
	}
	h := r.HandlingTime
	fmt.Fprintf(&b, "Behandelduur: afgehandeld %s, open %s, mediaan %s, p90 %s\n", h.Handled, h.Open, h.MedianText, h.P90Text)
	fmt.Fprintf(&b, "Verlengingen: %s, voorbij maximum %s\n", r.Extensions.Cases, r.Extensions.BeyondMaximum)
	m := r.Measures
	fmt.Fprintf(&b, "Maatregelen: dossiers %d, uitgevoerd %d; voorgesteld %d, besloten %d (corrigerend %d, preventief %d), afgewezen %d, uitgevoerd %d, over datum %d, beoordeeld %d, doeltreffend %d (%s)\n",
		m.InCases, m.InCasesDone, m.Proposed, m.Decided, m.Corrective, m.Preventive, m.Rejected, m.Done, m.Overdue, m.Reviewed, m.Effective, m.EffectiveShare)
	return b.String()
}

// smartPLUSReport builds the fixture's yearly report of 2026 with the
// threshold.
func smartPLUSReport(t *testing.T, threshold int) *report.Report {
	t.Helper()
	r, cases := smartPLUSCases(t)
	b, err := report.NewBuilder(report.Options{
		Kind: report.Yearly, Organisation: "SmartPLUS Resources B.V.", Reglement: r,
		From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31), AsOf: calendar.D(2027, 1, 15), Threshold: threshold,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		b.Add(c)
	}
	b.AddMeasures(registerMeasures()...)
	return b.Report()
}

// The figures every SmartPLUS report shares whatever its threshold.
const (
	smartPLUSHead = "Jaarverslag klachten 2026 | SmartPLUS Resources B.V. | 01-01-2026 t/m 31-12-2026, peildatum 15-01-2027, drempel %d\n" +
		"Klachten 8, opmerkingen 0\n"
	smartPLUSMeasures = "Maatregelen: dossiers 2, uitgevoerd 1; voorgesteld 3, besloten 2 (corrigerend 1, preventief 1), afgewezen 1, uitgevoerd 2, over datum 1, beoordeeld 2, doeltreffend 1 (50,0%)\n"
)

func TestYearlyReportEveryFigure(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		threshold int
		want      string
	}{
		{"threshold 1: the exact figures", 1, fmt.Sprintf(smartPLUSHead, 1) +
			"Klachten naar kanaal: email 3; post 2; phone 2; in_person 1; totaal 8\n" +
			"Klachten naar rubriek: onheus_optreden 2; traagheid 3; privacy 1; voorlichting 1; serviceverlening 1; totaal 8\n" +
			"Klachten naar soort opdrachtgever: uwv 4; employer 1; municipality 1; insurer 1; private 1; totaal 8\n" +
			"Opmerkingen naar rubriek: onheus_optreden 0; traagheid 0; privacy 0; voorlichting 0; serviceverlening 0; totaal 0\n" +
			"Ontvankelijkheid: admissible 4; inadmissible 1; pending 1; none 2; totaal 8\n" +
			"Niet in behandeling genomen, naar grond: earlier_complaint 0; older_than_one_year 1; insufficient_interest 0; totaal 1\n" +
			"Uitkomst: upheld 2; not_upheld 2; inadmissible 1; settled_informally 1; open 1; settled_by_receiver 1; totaal 8\n" +
			"Oordeel per klachtonderdeel: upheld 3; not_upheld 2; totaal 5\n" +
			"Doorverwezen naar: Nationale Ombudsman 4\n" +
			"Ontvangstbevestiging (uiterste termijn) [5 dagen na ontvangst]: beoordeeld 7, binnen 71,4%, loopt 0\n" +
			"Bericht niet in behandeling nemen (uiterste termijn) [4 weken na ontvangst]: beoordeeld 1, binnen 100,0%, loopt 1\n" +
			"Besluit (streeftermijn) [4 weken na ontvangst]: beoordeeld 4, binnen 50,0%, loopt 1\n" +
			"Besluit (uiterste termijn) [6 weken na ontvangst]: beoordeeld 4, binnen 100,0%, loopt 1\n" +
			"Behandelduur: afgehandeld 7, open 1, mediaan 10, p90 44\n" +
			"Verlengingen: 1, voorbij maximum 0\n" + smartPLUSMeasures},

		// Rule 2 at work: one suppressed count takes the smallest other
		// with it (post, the first of the two 2s; the remarks' zeros).
		{"threshold 2: ones suppressed, with a partner", 2, fmt.Sprintf(smartPLUSHead, 2) +
			"Klachten naar kanaal: email 3; post x; phone 2; in_person < 2; totaal 8\n" +
			"Klachten naar rubriek: onheus_optreden 2; traagheid 3; privacy < 2; voorlichting < 2; serviceverlening < 2; totaal 8\n" +
			"Klachten naar soort opdrachtgever: uwv 4; employer < 2; municipality < 2; insurer < 2; private < 2; totaal 8\n" +
			"Opmerkingen naar rubriek: onheus_optreden 0; traagheid 0; privacy 0; voorlichting 0; serviceverlening 0; totaal 0\n" +
			"Ontvankelijkheid: admissible 4; inadmissible < 2; pending < 2; none 2; totaal 8\n" +
			// Rule 3: the split of a suppressed count.
			"Niet in behandeling genomen, naar grond: earlier_complaint 0; older_than_one_year < 2; insufficient_interest 0; totaal < 2\n" +
			"Uitkomst: upheld 2; not_upheld 2; inadmissible < 2; settled_informally < 2; open < 2; settled_by_receiver < 2; totaal 8\n" +
			"Oordeel per klachtonderdeel: upheld 3; not_upheld 2; totaal 5\n" +
			"Doorverwezen naar: Nationale Ombudsman 4\n" +
			"Ontvangstbevestiging (uiterste termijn) [5 dagen na ontvangst]: beoordeeld 7, binnen 71,4%, loopt 0\n" +
			// Rule 4: a share over fewer than 2 complaints is not shown.
			"Bericht niet in behandeling nemen (uiterste termijn) [4 weken na ontvangst]: beoordeeld < 2, binnen –, loopt < 2\n" +
			"Besluit (streeftermijn) [4 weken na ontvangst]: beoordeeld 4, binnen 50,0%, loopt < 2\n" +
			"Besluit (uiterste termijn) [6 weken na ontvangst]: beoordeeld 4, binnen 100,0%, loopt < 2\n" +
			"Behandelduur: afgehandeld 7, open < 2, mediaan 10, p90 44\n" +
			"Verlengingen: < 2, voorbij maximum 0\n" + smartPLUSMeasures},

		{"threshold 5, the default: small counts suppressed", 0, fmt.Sprintf(smartPLUSHead, 5) +
			"Klachten naar kanaal: email < 5; post < 5; phone < 5; in_person < 5; totaal 8\n" +
			"Klachten naar rubriek: onheus_optreden < 5; traagheid < 5; privacy < 5; voorlichting < 5; serviceverlening < 5; totaal 8\n" +
			"Klachten naar soort opdrachtgever: uwv < 5; employer < 5; municipality < 5; insurer < 5; private < 5; totaal 8\n" +
			"Opmerkingen naar rubriek: onheus_optreden 0; traagheid 0; privacy 0; voorlichting 0; serviceverlening 0; totaal 0\n" +
			"Ontvankelijkheid: admissible < 5; inadmissible < 5; pending < 5; none < 5; totaal 8\n" +
			"Niet in behandeling genomen, naar grond: earlier_complaint 0; older_than_one_year < 5; insufficient_interest 0; totaal < 5\n" +
			"Uitkomst: upheld < 5; not_upheld < 5; inadmissible < 5; settled_informally < 5; open < 5; settled_by_receiver < 5; totaal 8\n" +
			"Oordeel per klachtonderdeel: upheld < 5; not_upheld < 5; totaal 5\n" +
			"Doorverwezen naar: Nationale Ombudsman < 5\n" +
			"Ontvangstbevestiging (uiterste termijn) [5 dagen na ontvangst]: beoordeeld 7, binnen 71,4%, loopt 0\n" +
			"Bericht niet in behandeling nemen (uiterste termijn) [4 weken na ontvangst]: beoordeeld < 5, binnen –, loopt < 5\n" +
			"Besluit (streeftermijn) [4 weken na ontvangst]: beoordeeld < 5, binnen –, loopt < 5\n" +
			"Besluit (uiterste termijn) [6 weken na ontvangst]: beoordeeld < 5, binnen –, loopt < 5\n" +
			"Behandelduur: afgehandeld 7, open < 5, mediaan 10, p90 44\n" +
			"Verlengingen: < 5, voorbij maximum 0\n" + smartPLUSMeasures},
	}
	for _, tt := range tests {
		got := dump(smartPLUSReport(t, tt.threshold))
		if got != tt.want {
			t.Errorf("%s:\n%s", tt.name, lineDiff(got, tt.want))
		}
	}
}

// lineDiff shows the lines of got that differ from want.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "line %d\n   got: %s\n  want: %s\n", i+1, gl, wl)
		}
	}
	return b.String()
}

func TestYearlyReportRemarksAndBoard(t *testing.T) {
	t.Parallel()
	r, cases := work2WorkCases(t)
	b, err := report.NewBuilder(report.Options{Kind: report.Management, Organisation: "Work 2 Work Re-integratie B.V.", Reglement: r,
		From: calendar.D(2026, 1, 1), To: calendar.D(2026, 3, 31), AsOf: calendar.D(2026, 4, 1), Threshold: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		b.Add(c)
	}
	got := dump(b.Report())
	want := "Managementrapportage klachten 01-01-2026 t/m 31-03-2026 | Work 2 Work Re-integratie B.V. | 01-01-2026 t/m 31-03-2026, peildatum 01-04-2026, drempel 1\n" +
		"Klachten 2, opmerkingen 1\n" +
		"Klachten naar kanaal: email 1; post 0; phone 1; in_person 0; totaal 2\n" +
		"Klachten naar rubriek: " + categories(r, map[string]int{"zakelijk": 1, "kwaliteit": 1}) + "totaal 2\n" +
		"Klachten naar soort opdrachtgever: uwv 1; employer 0; municipality 0; insurer 1; private 0; totaal 2\n" +
		"Opmerkingen naar rubriek: " + categories(r, map[string]int{"kwaliteit": 1}) + "totaal 1\n" +
		"Ontvankelijkheid: admissible 1; inadmissible 0; pending 0; none 1; totaal 2\n" +
		"Niet in behandeling genomen, naar grond: " + groundsZero(r) + "totaal 0\n" +
		"Uitkomst: upheld 0; not_upheld 1; inadmissible 0; settled_by_receiver 1; open 0; totaal 2\n" +
		"Oordeel per klachtonderdeel: upheld 0; not_upheld 1; totaal 1\n" +
		"Doorverwezen naar: De instantie die de financiën voor deze opdrachten verstrekt 1\n" +
		"Ontvangstbevestiging (uiterste termijn) [3 werkdagen na ontvangst]: beoordeeld 1, binnen 100,0%, loopt 0\n" +
		"Bericht niet in behandeling nemen (uiterste termijn) [3 werkdagen na ontvangst]: beoordeeld 0, binnen –, loopt 0\n" +
		"Besluit (streeftermijn) [2 weken na ontvangst]: beoordeeld 1, binnen 100,0%, loopt 0\n" +
		"Besluit (uiterste termijn) [4 weken na ontvangst]: beoordeeld 1, binnen 100,0%, loopt 0\n" +
		"Behandelduur: afgehandeld 2, open 0, mediaan 2,5, p90 5\n" +
		"Verlengingen: 0, voorbij maximum 0\n" +
		"Maatregelen: dossiers 0, uitgevoerd 0; voorgesteld 0, besloten 0 (corrigerend 0, preventief 0), afgewezen 0, uitgevoerd 0, over datum 0, beoordeeld 0, doeltreffend 0 (–)\n"
	if got != want {
		t.Errorf("Work 2 Work management report:\n%s", lineDiff(got, want))
	}
}

// categories lists the regulation's categories with the counts, as dump
// writes them.
func categories(r *reglement.Reglement, n map[string]int) string {
	var s string
	for _, c := range r.Categories {
		s += fmt.Sprintf("%s %d; ", c.ID, n[c.ID])
	}
	return s
}

// groundsZero lists the regulation's grounds at zero, as dump writes them.
func groundsZero(r *reglement.Reglement) string {
	var s string
	for _, g := range r.Admissibility.Grounds {
		s += g.ID + " 0; "
	}
	return s
}

// TestYearlyReportHoldsNoPersonalData: the report, as its web page, PDF
// and spreadsheet get it, carries none of the names and free texts of the
// cases, whatever the threshold.
func TestYearlyReportHoldsNoPersonalData(t *testing.T) {
	t.Parallel()
	rep := smartPLUSReport(t, 1)
	raw, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range personalData {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the report holds %q", secret)
		}
	}
}

// personalData are the names and free texts of the fixture's cases.
var personalData = []string{
	"Fatima", "Amrani", "fatima@example.nl", "Jansen", "Dirk", "Smit", "Els Visser", "Hanna", "Rita", "Bert",
	"Bakkerij", "Gemeente Utrecht", "Achmea", "Jan Particulier", "afspraken niet na", "Afspraken niet nagekomen",
	"Onvriendelijke toon", "Uit het dossier", "hoor en wederhoor", "Opgelost in een gesprek", "planning",
	"Excuses", "Terugbel", "Coaches", "folder", "Werkinstructie", "Kees", "Teamleider",
}

func TestNewBuilderRefuses(t *testing.T) {
	t.Parallel()
	r, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	ok := report.Options{Kind: report.Yearly, Reglement: r, From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31), AsOf: calendar.D(2027, 1, 1)}
	for name, mutate := range map[string]func(*report.Options){
		"no regulation":      func(o *report.Options) { o.Reglement = nil },
		"no period":          func(o *report.Options) { o.From = calendar.Date{} },
		"a period backwards": func(o *report.Options) { o.To = calendar.D(2025, 12, 31) },
		"no as-of date":      func(o *report.Options) { o.AsOf = calendar.Date{} },
		"unknown kind":       func(o *report.Options) { o.Kind = "weekly" },
		"negative threshold": func(o *report.Options) { o.Threshold = -1 },
	} {
		o := ok
		mutate(&o)
		if _, err := report.NewBuilder(o); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := report.NewBuilder(ok); err != nil {
		t.Fatal(err)
	}
}

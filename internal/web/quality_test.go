package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/store"
)

// Access levels of Kwaliteit beyond those of permission_test.go.
const (
	qualityRoles = "qualityRoles" // quality officer, board, administrator
	boardOnly    = "boardOnly"    // board
)

// routeAllows lists the roles an access level of routeAccess lets in,
// for the levels permission_test.go does not spell out itself.
var routeAllows = map[string][]string{
	qualityRoles: {"quality_officer", "board", "administrator"},
	boardOnly:    {"board"},
}

// The Kwaliteit routes in the route-permission walk: the register names
// employees, so only the quality officer, the board and administrators
// see it; only the board decides on a measure.
func init() {
	for pattern, who := range map[string]string{
		"GET /kwaliteit/register":                      qualityRoles,
		"GET /kwaliteit/register.csv":                  qualityRoles,
		"GET /kwaliteit/register.xlsx":                 qualityRoles,
		"GET /kwaliteit/maatregelen":                   qualityRoles,
		"POST /kwaliteit/maatregelen":                  qualityRoles,
		"POST /kwaliteit/maatregelen/{id}/besluit":     boardOnly,
		"POST /kwaliteit/maatregelen/{id}/gereed":      qualityRoles,
		"POST /kwaliteit/maatregelen/{id}/beoordeling": qualityRoles,
		"GET /kwaliteit/jaarverslag":                   qualityRoles,
		"GET /kwaliteit/jaarverslag.pdf":               qualityRoles,
		"GET /kwaliteit/jaarverslag.xlsx":              qualityRoles,
	} {
		entry := routeAccess[pattern]
		entry.who = who
		routeAccess[pattern] = entry
	}
}

func TestQualityRefusesHandlerAndReceiver(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, who := range []string{"handler", "receiver"} {
		c := b.signedIn(t, "smartplus/"+who)
		for _, path := range []string{"/kwaliteit/register", "/kwaliteit/maatregelen", "/kwaliteit/jaarverslag"} {
			if res := c.get(path); res.status != http.StatusForbidden {
				t.Errorf("GET %s as %s: %d, want 403", path, who, res.status)
			}
		}
		if res := c.get("/"); strings.Contains(res.body, `href="/kwaliteit/register"`) {
			t.Errorf("the navigation shows Kwaliteit to the %s", who)
		}
	}
	qo := b.signedIn(t, "smartplus/quality_officer")
	if res := qo.get("/"); !strings.Contains(res.body, `href="/kwaliteit/register"`) {
		t.Error("the navigation does not show Kwaliteit to the quality officer")
	}
}

func TestQualityRegisterAndExports(t *testing.T) {
	t.Parallel()
	b := setup(t)
	qo := b.signedIn(t, "smartplus/quality_officer")
	number := b.cases["overdue"]

	res := qo.get("/kwaliteit/register")
	if res.status != http.StatusOK || !strings.Contains(res.body, number) {
		t.Fatalf("register: %d, want 200 listing %s:\n%s", res.status, number, res.body)
	}
	if strings.Contains(res.body, b.cases["other"]) && b.cases["other"] != number {
		// Case numbers count per organisation; the other organisation's
		// complainant must not show.
		if strings.Contains(res.body, "Bestmatch Klager") {
			t.Error("the register shows a case of another organisation")
		}
	}
	if res := qo.get("/kwaliteit/register?van=2026-03-01&tot=2026-12-31"); strings.Contains(res.body, `href="/zaken/`+number+`"`) {
		t.Errorf("the register from 1 March lists %s, received on 2 February", number)
	}
	if res := qo.get("/kwaliteit/register?van=morgen"); res.status != http.StatusBadRequest {
		t.Errorf("a period that is no date: %d, want 400", res.status)
	}

	csv := qo.get("/kwaliteit/register.csv?van=2026-01-01&tot=2026-12-31")
	if csv.status != http.StatusOK || !strings.Contains(csv.body, number) {
		t.Fatalf("register.csv: %d, want 200 with %s:\n%s", csv.status, number, csv.body)
	}
	if cd := csv.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, ".csv") {
		t.Errorf("register.csv Content-Disposition %q", cd)
	}
	xlsx := qo.get("/kwaliteit/register.xlsx")
	if xlsx.status != http.StatusOK || !strings.HasPrefix(xlsx.body, "PK") {
		t.Errorf("register.xlsx: %d, want 200 and a zip", xlsx.status)
	}
}

func TestQualityMeasureLifecycle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := t.Context()
	qo := b.signedIn(t, "smartplus/quality_officer")
	board := b.signedIn(t, "smartplus/board")
	number := b.cases["overdue"]

	if res := qo.post("/kwaliteit/maatregelen", url.Values{"soort": {"corrective"}}); res.status != http.StatusBadRequest ||
		!strings.Contains(res.body, "Vul dit veld in.") {
		t.Fatalf("a measure without description: %d, want 400 with the fields marked", res.status)
	}
	res := qo.post("/kwaliteit/maatregelen", url.Values{"omschrijving": {"Afspraken voortaan per sms bevestigen"},
		"soort": {"preventive"}, "eigenaar": {"Teamleider jobcoaching"}, "termijn": {"2026-04-01"}, "zaken": {number}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("create measure: %d, want 303:\n%s", res.status, res.body)
	}
	ms, err := b.store.ListMeasures(ctx, "smartplus", store.MeasureFilter{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("measures: %v, %v", ms, err)
	}
	m := ms[0]
	if m.State != store.MeasureProposed || len(m.Cases) != 1 || m.Cases[0] != number {
		t.Fatalf("measure %+v, want proposed and linked to %s", m, number)
	}
	list := qo.get("/kwaliteit/maatregelen")
	if !strings.Contains(list.body, "Afspraken voortaan per sms bevestigen") || !strings.Contains(list.body, "01-04-2026") {
		t.Errorf("the list does not show the measure:\n%s", list.body)
	}
	base := "/kwaliteit/maatregelen/" + m.ID
	if res := qo.post(base+"/besluit", url.Values{"besluit": {"goedkeuren"}}); res.status != http.StatusForbidden {
		t.Errorf("the quality officer decides: %d, want 403", res.status)
	}
	if res := board.post(base+"/gereed", nil); res.status != http.StatusConflict {
		t.Errorf("done before the decision: %d, want 409", res.status)
	}
	if res := board.post(base+"/besluit", url.Values{"besluit": {"goedkeuren"}, "toelichting": {"Akkoord"}}); res.status != http.StatusSeeOther {
		t.Fatalf("board decides: %d, want 303:\n%s", res.status, res.body)
	}
	if res := qo.post(base+"/gereed", url.Values{"toelichting": {"Ingevoerd"}}); res.status != http.StatusSeeOther {
		t.Fatalf("done: %d, want 303:\n%s", res.status, res.body)
	}
	if res := qo.post(base+"/beoordeling", url.Values{"jaar": {"2026"}, "effectief": {"nee"}, "motivering": {"Nog steeds gemiste afspraken"}}); res.status != http.StatusBadRequest {
		t.Errorf("not effective without adjustment: %d, want 400", res.status)
	}
	if res := qo.post(base+"/beoordeling", url.Values{"jaar": {"2026"}, "effectief": {"ja"}, "motivering": {"Geen gemiste afspraken meer"}}); res.status != http.StatusSeeOther {
		t.Fatalf("review: %d, want 303:\n%s", res.status, res.body)
	}
	m, err = b.store.GetMeasure(ctx, "smartplus", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	if m.State != store.MeasureDone || m.DecidedBy.UserID != b.users["smartplus/board"].ID || len(m.Reviews) != 1 || !m.Reviews[0].Effective {
		t.Errorf("measure after the lifecycle: %+v", m)
	}
	if list := qo.get("/kwaliteit/maatregelen"); !strings.Contains(list.body, "Geen gemiste afspraken meer") {
		t.Error("the list does not show the review")
	}
	if reg := qo.get("/kwaliteit/register"); !strings.Contains(reg.body, "M1 uitgevoerd") {
		t.Errorf("the register does not show measure M1 with case %s", number)
	}
}

func TestQualityYearlyReport(t *testing.T) {
	t.Parallel()
	b := setup(t)
	board := b.signedIn(t, "smartplus/board")
	res := board.get("/kwaliteit/jaarverslag?jaar=2026")
	if res.status != http.StatusOK {
		t.Fatalf("jaarverslag: %d:\n%s", res.status, res.body)
	}
	// SmartPLUS has four complaints in 2026 (setup_test.go), none of
	// another organisation; no names.
	for _, want := range []string{"<dt>Klachten</dt><dd>4</dd>", "<svg", `role="img"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the report page lacks %q", want)
		}
	}
	for _, name := range []string{"Petra de Vries", "Sanne Jansen", b.cases["overdue"]} {
		if strings.Contains(res.body, name) {
			t.Errorf("the anonymised report shows %q", name)
		}
	}
	if strings.Contains(res.body, "style=") {
		t.Error("the report page has a style attribute, which the CSP refuses")
	}
	pdf := board.get("/kwaliteit/jaarverslag.pdf?jaar=2026")
	if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF") {
		t.Errorf("jaarverslag.pdf: %d, want a PDF", pdf.status)
	}
	if cd := pdf.header.Get("Content-Disposition"); !strings.Contains(cd, "jaarverslag") {
		t.Errorf("jaarverslag.pdf Content-Disposition %q", cd)
	}
	if xlsx := board.get("/kwaliteit/jaarverslag.xlsx?van=2026-01-01&tot=2026-06-30"); xlsx.status != http.StatusOK || !strings.HasPrefix(xlsx.body, "PK") {
		t.Errorf("management report xlsx: %d, want a zip", xlsx.status)
	}
	if res := board.get("/kwaliteit/jaarverslag?van=2026-01-01&tot=2026-06-30"); res.status != http.StatusOK ||
		!strings.Contains(res.body, "<dt>Klachten</dt><dd>4</dd>") {
		t.Errorf("management report: %d", res.status)
	}
}

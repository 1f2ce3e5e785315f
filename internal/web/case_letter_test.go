package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
)

// The letter routes in the route-permission walk: every member may use
// them (the core decides who writes letters); with the walk's values the
// letter is not found or the form incomplete, never forbidden.
func init() {
	for _, pattern := range []string{
		"POST /zaken/{number}/brieven",
		"GET /zaken/{number}/brieven/{file}",
		"POST /zaken/{number}/brieven/{id}/gepost",
		"POST /zaken/{number}/brieven/{id}/opnieuw",
	} {
		entry := routeAccess[pattern]
		entry.who = allMembers
		routeAccess[pattern] = entry
	}
}

// letterPDF finds the PDF links of the letters a case file lists.
var letterPDF = regexp.MustCompile(`href="(/zaken/[0-9-]+/brieven/([0-9a-zA-Z_-]+)\.pdf)"`)

// assignHandler makes smartplus/handler the handler of a case.
func (b *testBundle) assignHandler(t *testing.T, number string) {
	t.Helper()
	h := b.users["smartplus/handler"]
	b.act(t, "smartplus/administrator", number, complaint.ActAssignHandler,
		map[string]any{"handler": map[string]any{"user_id": h.ID, "name": h.Name, "function": "klachtbehandelaar"}})
}

func TestLetterMissingContentsThenQueuedAndDownloaded(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.cases["ontime"]
	c := b.signedIn(t, "smartplus/receiver")
	page := c.ok("/zaken/" + n)
	for _, want := range []string{`id="h-letters"`, "Brieven", "Brief maken", `<option value="acknowledgement"`, "Er zijn nog geen brieven"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("case file lacks %q", want)
		}
	}
	form := values("soort", "acknowledgement", "ontvanger", "", "kanaal", "email", "adres", "")
	res := c.post("/zaken/"+n+"/brieven", form)
	if res.status != http.StatusConflict {
		t.Fatalf("acknowledgement without handler: status %d, want 409", res.status)
	}
	for _, want := range []string{"behandelaar van de klacht bij SmartPLUS", "Punt 5; Toelichting Punt 5", `href="#actie-assign_handler"`, "Behandelaar aanwijzen", "Ontvangstbevestiging"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("refusal lacks %q", want)
		}
	}
	if letterPDF.MatchString(res.body) {
		t.Error("a refused letter is listed")
	}

	b.assignHandler(t, n)
	res = c.post("/zaken/"+n+"/brieven", form)
	if res.status != http.StatusSeeOther || res.location() != "/zaken/"+n+"#brieven" {
		t.Fatalf("letter with handler: status %d to %q, body:\n%s", res.status, res.location(), res.body)
	}
	page = c.ok("/zaken/" + n)
	for _, want := range []string{"De brief is gemaakt en wordt per e-mail verzonden.", "In de wachtrij sinds", "Petra de Vries (klager)"} {
		if !strings.Contains(page.body, want) && !(want == "Petra de Vries (klager)" && strings.Contains(page.body, "(klager)")) {
			t.Errorf("case file after the letter lacks %q", want)
		}
	}
	m := letterPDF.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no PDF link in the case file")
	}
	pdf := c.get(m[1])
	if pdf.status != http.StatusOK || !strings.HasPrefix(pdf.body, "%PDF") {
		t.Fatalf("PDF: status %d, starts %q", pdf.status, pdf.body[:min(8, len(pdf.body))])
	}
	for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff"} {
		if got := pdf.header.Get(h); got != want {
			t.Errorf("PDF %s = %q, want %q", h, got, want)
		}
	}
	if cd := pdf.header.Get("Content-Disposition"); !strings.Contains(cd, n+"-acknowledgement") {
		t.Errorf("PDF Content-Disposition = %q", cd)
	}

	// Another organisation finds neither the case nor the letter.
	other := b.signedIn(t, "bestmatch/handler")
	if res := other.get(m[1]); res.status != http.StatusNotFound {
		t.Errorf("PDF from another organisation: %d, want 404", res.status)
	}
	if res := other.get("/zaken/" + b.cases["other"] + "/brieven/" + m[2] + ".pdf"); res.status != http.StatusNotFound {
		t.Errorf("letter under another organisation's case: %d, want 404", res.status)
	}
	// A letter is found only under its own case.
	if res := c.get("/zaken/" + b.cases["soon"] + "/brieven/" + m[2] + ".pdf"); res.status != http.StatusNotFound {
		t.Errorf("letter under another case: %d, want 404", res.status)
	}
}

func TestLetterByPostMarkedPostedMeetsAcknowledgement(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.openCase(t, "smartplus/receiver", "2026-03-09", func(in map[string]any) {
		in["complainant"] = map[string]any{"name": "Petra de Vries", "address": "Dorpsstraat 1\n3511 AB Utrecht"}
	})
	b.assignHandler(t, n)
	c := b.signedIn(t, "smartplus/handler")
	res := c.post("/zaken/"+n+"/brieven", values("soort", "acknowledgement", "ontvanger", "", "kanaal", "post", "adres", ""))
	if res.status != http.StatusSeeOther {
		t.Fatalf("letter by post: status %d, body:\n%s", res.status, res.body)
	}
	page := c.ok("/zaken/" + n)
	if !strings.Contains(page.body, "Klaar om te printen en te posten") {
		t.Error("a letter by post does not wait to be posted")
	}
	m := letterPDF.FindStringSubmatch(page.body)
	if m == nil {
		t.Fatal("no letter listed")
	}
	if res := c.post("/zaken/"+n+"/brieven/"+m[2]+"/gepost", values("datum", "31-02-2026")); res.status != http.StatusBadRequest || !strings.Contains(res.body, "Vul een datum in") {
		t.Errorf("posted with a bad date: %d", res.status)
	}
	res = c.post("/zaken/"+n+"/brieven/"+m[2]+"/gepost", values("datum", "10-03-2026"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("mark posted: status %d, body:\n%s", res.status, res.body)
	}
	page = c.ok("/zaken/" + n)
	if !strings.Contains(page.body, "Per post verstuurd op 10-03-2026") {
		t.Error("the letter does not show it was posted")
	}
	ack := regexp.MustCompile(`(?s)<tr class="utrecht-table__row gg-deadline gg-deadline--(met|met_late)">\s*<th[^>]*>Ontvangstbevestiging`)
	if !ack.MatchString(page.body) {
		t.Errorf("the acknowledgement is not met after posting; case file:\n%s", page.body)
	}
}

func TestAccusedEmployeeSeesNoLetters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	adam := b.addPerson(t, "smartplus", "adam", "Adam Aangeklaagd", "handler")
	n := b.openCase(t, "smartplus/receiver", "2026-03-02", accused(adam))
	b.assignHandler(t, n)
	h := b.signedIn(t, "smartplus/handler")
	res := h.post("/zaken/"+n+"/brieven", values("soort", "acknowledgement", "ontvanger", "", "kanaal", "email", "adres", ""))
	if res.status != http.StatusSeeOther {
		t.Fatalf("letter: status %d, body:\n%s", res.status, res.body)
	}
	m := letterPDF.FindStringSubmatch(h.ok("/zaken/" + n).body)
	if m == nil {
		t.Fatal("no letter listed")
	}
	c := b.signedIn(t, "smartplus/adam")
	page := c.ok("/zaken/" + n)
	if strings.Contains(page.body, `id="h-letters"`) || strings.Contains(page.body, "/brieven") {
		t.Error("the accused employee sees the letters")
	}
	for _, r := range []struct{ method, path string }{
		{http.MethodGet, m[1]},
		{http.MethodPost, "/zaken/" + n + "/brieven"},
		{http.MethodPost, "/zaken/" + n + "/brieven/" + m[2] + "/gepost"},
		{http.MethodPost, "/zaken/" + n + "/brieven/" + m[2] + "/opnieuw"},
	} {
		var res response
		if r.method == http.MethodGet {
			res = c.get(r.path)
		} else {
			res = c.post(r.path, values("soort", "acknowledgement", "kanaal", "email"))
		}
		if res.status != http.StatusForbidden {
			t.Errorf("%s %s as the accused employee: %d, want 403", r.method, r.path, res.status)
		}
	}
}

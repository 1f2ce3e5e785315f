package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// The portal in the route-permission walk: public pages; the token is the
// key, and a walk with "{token}" meets the dead-link page.
func init() {
	for _, p := range []string{"GET /portaal", "POST /portaal", "GET /portaal/{token}", "POST /portaal/{token}/bewijs",
		"POST /portaal/{token}/acties/{action}", "GET /portaal/{token}/brieven/{id}", "GET /portaal/{token}/documenten/{id}"} {
		routeAccess[p] = struct {
			who  string
			form url.Values
		}{everyone, nil}
	}
}

// mailCapture keeps the mail the job runner sends.
type mailCapture struct {
	mu   sync.Mutex
	sent []mail.Message
}

func (m *mailCapture) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

var portalLinkRE = regexp.MustCompile(`https?://[^\s]+/portaal/([A-Za-z0-9_-]{43})`)

// portalMails runs the job queue and returns the personal links mailed to
// address, oldest first.
func portalMails(t *testing.T, svc *service.Service, base, address string) []string {
	t.Helper()
	capture := &mailCapture{}
	r := jobs.New(svc, capture, jobs.Config{PortalBase: base}, nil)
	if _, err := r.RunDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var links []string
	for _, m := range capture.sent {
		if m.Headers["X-Gegrond-Notice"] != "portal_link" || len(m.To) != 1 || m.To[0].Email != address {
			continue
		}
		match := portalLinkRE.FindStringSubmatch(m.Text)
		if match == nil {
			t.Fatalf("a portal mail without a link:\n%s", m.Text)
		}
		links = append(links, match[0])
	}
	return links
}

// portalCase submits a complaint with a file on the public form and
// returns its number and the path of the link mailed for it.
func portalCase(t *testing.T, p *publicBundle) (string, string) {
	t.Helper()
	if res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}); res.status != http.StatusOK {
		t.Fatalf("submit: %d\n%s", res.status, res.body)
	}
	links := portalMails(t, p.svc, p.url, "sanne@example.nl")
	if len(links) != 1 {
		t.Fatalf("%d portal mails, want 1", len(links))
	}
	return p.cases(t)[0].Number, strings.TrimPrefix(links[0], p.url)
}

func TestPortalShowsTheCaseByTheMailedLink(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	number, path := portalCase(t, p)
	token := strings.TrimPrefix(path, "/portaal/")
	c := p.client(t)
	res := c.ok(path)
	for name, want := range map[string]string{"Referrer-Policy": "no-referrer", "Cache-Control": "no-store"} {
		if got := res.header.Get(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
	for _, want := range []string{number, "bewijs.pdf", "Wij hebben uw klacht ontvangen", "Bewijs toevoegen"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the portal lacks %q", want)
		}
	}
	// Best Match has no inspection or withdrawal; a statement of view
	// waits for the handling.
	for _, absent := range []string{"/acties/inzage", "/acties/intrekken", "/acties/zienswijze", "Coach Jansen"} {
		if strings.Contains(res.body, absent) {
			t.Errorf("the portal offers or shows %q", absent)
		}
	}
	// The complainant's own file comes back.
	m := regexp.MustCompile(`href="(/portaal/[^"]+/documenten/[^"]+)"`).FindStringSubmatch(res.body)
	if m == nil {
		t.Fatal("no document link")
	}
	doc := c.ok(m[1])
	if !bytes.Equal([]byte(doc.body), tinyPDF) || !strings.HasPrefix(doc.header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("document download: %q %v", doc.body, doc.header)
	}
	if strings.Contains(p.logs.String(), token) {
		t.Error("the token is in the server log")
	}
	if got := RedactPath(path + "/brieven/x"); strings.Contains(got, token) || got != "/portaal/-/brieven/x" {
		t.Errorf("RedactPath: %q", got)
	}
}

func TestPortalEvidenceGoesThroughTheChecks(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	number, path := portalCase(t, p)
	ctx := context.Background()
	files := len(p.files(t))
	post := func(vals url.Values, ups ...upload) response {
		ct, body := multipartBody(t, vals, ups...)
		req, err := http.NewRequest(http.MethodPost, p.url+path+"/bewijs", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		return p.client(t).do(req)
	}
	events := func() int {
		_, evs, err := p.store.GetCase(ctx, "webmatch", number)
		if err != nil {
			t.Fatal(err)
		}
		return len(evs)
	}
	before := events()
	// A program named as a PDF is refused, with the allowed types, and
	// leaves nothing.
	res := post(url.Values{"toelichting": {"Mijn mail"}}, upload{"brief.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "PDF, DOCX") || !strings.Contains(res.body, "Mijn mail") {
		t.Fatalf("renamed program: %d\n%s", res.status, res.body)
	}
	if events() != before || len(p.files(t)) != files {
		t.Fatal("a refused file left something behind")
	}
	if res := post(url.Values{}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "Kies minstens één bestand") {
		t.Fatalf("no file: %d", res.status)
	}
	res = post(url.Values{"toelichting": {"De mail van de coach"}}, upload{"mail-coach.pdf", tinyPDF}, upload{"tweede.pdf", tinyPDF})
	if res.status != http.StatusSeeOther || !strings.HasSuffix(res.location(), "?gedaan=bewijs") {
		t.Fatalf("evidence: %d %q\n%s", res.status, res.location(), res.body)
	}
	if events() != before+2 || len(p.files(t)) != files+2 {
		t.Fatalf("evidence: %d events, %d files", events()-before, len(p.files(t))-files)
	}
	page := p.client(t).ok(res.location())
	if !strings.Contains(page.body, "mail-coach.pdf") || !strings.Contains(page.body, "Uw bestanden zijn toegevoegd") {
		t.Fatal("the portal does not show the new files")
	}
	// It reaches the handler: Termijnen marks it.
	marked, err := p.store.FindCases(ctx, "webmatch", store.CaseFilter{ComplainantInput: true})
	if err != nil || len(marked) != 1 || marked[0].Number != number {
		t.Fatalf("marked: %+v %v", marked, err)
	}
}

func TestPortalRenewalAnswersTheSame(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	number, path := portalCase(t, p)
	c := p.client(t)
	strip := func(s string) string { return regexp.MustCompile(`value="[^"]*"`).ReplaceAllString(s, "") }
	match := c.post("/portaal", url.Values{"dossier": {number}, "email": {"sanne@example.nl"}})
	other := c.post("/portaal", url.Values{"dossier": {number}, "email": {"iemand@example.nl"}})
	unknown := c.post("/portaal", url.Values{"dossier": {"2026-9999"}, "email": {"sanne@example.nl"}})
	for _, res := range []response{match, other, unknown} {
		if res.status != http.StatusOK || res.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("renew: %d %v", res.status, res.header)
		}
	}
	if strip(match.body) != strip(other.body) || strip(match.body) != strip(unknown.body) {
		t.Error("the renewal page tells a matching case from another")
	}
	links := portalMails(t, p.svc, p.url, "sanne@example.nl")
	if len(links) != 1 {
		t.Fatalf("%d new links, want 1", len(links))
	}
	if res := c.get(path); res.status != http.StatusNotFound || !strings.Contains(res.body, "werkt niet (meer)") {
		t.Errorf("the replaced link: %d", res.status)
	}
	c.ok(strings.TrimPrefix(links[0], p.url))
	if res := c.post("/portaal", url.Values{"dossier": {number}, "email": {"geen-adres"}}); res.status != http.StatusBadRequest || !strings.Contains(res.body, "geen geldig e-mailadres") {
		t.Errorf("bad address: %d", res.status)
	}
	// Rate limited per address: five a window.
	status := 0
	for range 5 {
		status = c.post("/portaal", url.Values{"dossier": {"2026-0001"}, "email": {"x@example.nl"}}).status
	}
	if status != http.StatusTooManyRequests {
		t.Errorf("after many requests: %d, want 429", status)
	}
}

func FuzzPortalToken(f *testing.F) {
	for _, s := range []string{"", "abc", service.NewPortalToken(), strings.Repeat("A", 43), "/portaal/x/y", "%2F..%2F"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if service.ValidPortalToken(s) {
			if len(s) != 43 || strings.ContainsAny(s, "/=+%. ") {
				t.Fatalf("accepted %q", s)
			}
			if got := RedactPath("/portaal/" + s + "/bewijs"); strings.Contains(got, s) {
				t.Fatalf("RedactPath keeps the token: %q", got)
			}
		}
		_ = RedactPath(s)
	})
}

func TestPortalActionsFromTheirForms(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	number, path := portalCase(t, p)
	ctx := context.Background()
	staff := complaint.Caller{Actor: complaint.Actor{Name: "Hanna Handler", Kind: "user"}, Roles: []reglement.Role{reglement.RoleHandler, reglement.RoleBoard}}
	if _, err := p.svc.Act(ctx, "webmatch", number, staff, complaint.Command{Action: complaint.ActDecideAdmissibility, Input: []byte(`{"admissible":true}`)}); err != nil {
		t.Fatal(err)
	}
	c := p.client(t)
	page := c.ok(path)
	for _, want := range []string{"/acties/zienswijze", "/acties/gesprek"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("Best Match in handling: the portal lacks %s", want)
		}
	}
	// Empty: the message next to the field, nothing written.
	res := c.post(path+"/acties/zienswijze", url.Values{"tekst": {"  "}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `id="p-tekst-error"`) {
		t.Fatalf("empty statement: %d\n%s", res.status, res.body)
	}
	res = c.post(path+"/acties/zienswijze", url.Values{"tekst": {"Ik zie het anders: de coach belde niet af."}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("statement: %d\n%s", res.status, res.body)
	}
	page = c.ok(res.location())
	if !strings.Contains(page.body, "Uw zienswijze is toegevoegd") || !strings.Contains(page.body, "de coach belde niet af") {
		t.Error("the statement is not on the portal")
	}
	if res := c.post(path+"/acties/gesprek", url.Values{"toelichting": {"Graag op dinsdag."}}); res.status != http.StatusSeeOther {
		t.Fatalf("hearing request: %d\n%s", res.status, res.body)
	}
	// Asked twice: refused with a message in plain words.
	res = c.post(path+"/acties/gesprek", url.Values{"toelichting": {"Nog een keer."}})
	if res.status != http.StatusConflict || !strings.Contains(res.body, `id="portal-refused"`) || !strings.Contains(res.body, "Dit hebt u al gevraagd") {
		t.Fatalf("second hearing request: %d\n%s", res.status, res.body)
	}
	// Best Match has no withdrawal by the complainant.
	if res := c.post(path+"/acties/intrekken", url.Values{"reden": {"Klaar."}, "zeker": {"1"}}); res.status != http.StatusConflict {
		t.Fatalf("withdrawal under Best Match: %d", res.status)
	}
	if res := c.post(path+"/acties/onzin", url.Values{}); res.status != http.StatusNotFound {
		t.Fatalf("unknown action: %d", res.status)
	}
	_, events, err := p.store.GetCase(ctx, "webmatch", number)
	if err != nil {
		t.Fatal(err)
	}
	var mine []complaint.EventType
	for _, e := range events {
		if e.Actor.Kind == complaint.ActorComplainant && e.Type != complaint.EvReceived && e.Type != complaint.EvDocumentAdded {
			mine = append(mine, e.Type)
		}
	}
	if want := []complaint.EventType{complaint.EvStatementOfView, complaint.EvHearingRequested}; !slices.Equal(mine, want) {
		t.Errorf("the complainant's events %v, want %v", mine, want)
	}
}

func TestDashboardMarksComplainantInput(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	number := b.cases["overdue"]
	token, _, err := b.svc.IssuePortalLink(ctx, "smartplus", number, "klager@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	// SmartPLUS Punt 6: the complainant asks to see the documents.
	if _, err := b.svc.PortalAct(ctx, token, complaint.Command{Action: complaint.ActRequestInspection, Input: []byte(`{"text":"Graag."}`)}); err != nil {
		t.Fatal(err)
	}
	c := b.signedIn(t, "smartplus/handler")
	marked := c.ok("/?nieuw=1")
	if !strings.Contains(marked.body, "/zaken/"+number+`"`) || !strings.Contains(marked.body, "Nieuw van klager</strong>") {
		t.Fatalf("the filtered dashboard lacks the case:\n%s", marked.body)
	}
	for other, n := range b.cases {
		if n != number && strings.Contains(marked.body, "/zaken/"+n+`"`) {
			t.Errorf("the filter shows %s (%s)", n, other)
		}
	}
	// The case file says what waits for an answer.
	file := c.ok("/zaken/" + number).body
	for _, want := range []string{"De klager vroeg op 10-03-2026 om inzage in de stukken", "Nieuw van de klager sinds"} {
		if !strings.Contains(file, want) {
			t.Errorf("the case file lacks %q", want)
		}
	}
	// The handler acts: the mark is gone.
	staff, err := b.svc.Caller(ctx, "smartplus", b.users["smartplus/handler"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Act(ctx, "smartplus", number, staff, complaint.Command{Action: complaint.ActGrantInspection, Input: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	if res := c.ok("/?nieuw=1"); strings.Contains(res.body, "/zaken/"+number+`"`) {
		t.Error("still marked after the handler granted inspection")
	}
	if file := c.ok("/zaken/" + number).body; strings.Contains(file, "om inzage in de stukken") || strings.Contains(file, "Nieuw van de klager sinds") {
		t.Error("the case file still asks for an answer after inspection was granted")
	}
}

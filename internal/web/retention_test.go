package web

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/web/webtest"
)

// retentionWho: the data protection officer and administrators.
const retentionWho = "retentionWho"

// The retention screens in the route-permission walk. The POST sends a
// wrong confirmation, so that the walk erases nothing.
func init() {
	routeAllows[retentionWho] = []string{"data_protection_officer", "administrator"}
	type entry = struct {
		who  string
		form url.Values
	}
	routeAccess["GET /privacy/bewaartermijnen"] = entry{retentionWho, nil}
	routeAccess["GET /privacy/bewaartermijnen/{number}"] = entry{retentionWho, nil}
	routeAccess["POST /privacy/bewaartermijnen/{number}"] = entry{retentionWho, url.Values{"reason": {"erasure_request"}, "note": {"x"}, "confirm": {"0000-0000"}}}
}

// settledCase opens a smartplus case settled on the spot by the
// receiver: closed on receipt, 10 March 2026.
func (b *testBundle) settledCase(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	caller, err := b.svc.Caller(ctx, "smartplus", b.users["smartplus/receiver"].ID)
	if err != nil {
		t.Fatal(err)
	}
	incident := calendar.D(2026, 3, 9)
	v, _, err := b.svc.CreateCase(ctx, "smartplus", caller, complaint.NewComplaint{
		Intake: complaint.Intake{Channel: reglement.ChannelPhone, Complainant: complaint.Person{Name: "Wendelien Wissel", Phone: "0612345678"},
			IncidentDate: &incident, Facts: "Mijn coach Karel vergat het gesprek."},
		SettledOnSpot: "Karel heeft zijn excuses aangeboden.",
	}, "")
	if err != nil {
		t.Fatal(err)
	}
	if v.Case.IsOpen() {
		t.Fatalf("the settled case is open: %s", v.Case.Phase)
	}
	return v.Number
}

func TestRetentionScreenErasesACase(t *testing.T) {
	t.Parallel()
	b := setup(t)
	number := b.settledCase(t)
	dpo := b.signedIn(t, "smartplus/data_protection_officer")

	// SmartPLUS's regulation sets no period: the case is listed as such.
	list := dpo.ok("/privacy/bewaartermijnen")
	for _, want := range []string{number, "bewaartermijn niet bepaald", "Toelichting Punt 6"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("the retention list lacks %q", want)
		}
	}
	if !strings.Contains(dpo.ok("/").body, `href="/privacy/bewaartermijnen"`) {
		t.Error("the data protection officer has no link to the retention screen")
	}
	if strings.Contains(b.signedIn(t, "smartplus/handler").ok("/").body, `href="/privacy/bewaartermijnen"`) {
		t.Error("a handler sees the link to the retention screen")
	}
	path := "/privacy/bewaartermijnen/" + number
	dpo.ok(path)

	res := dpo.post(path, url.Values{"reason": {"erasure_request"}, "note": {"Verzoek per brief"}, "confirm": {"2026-9999"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Dit is niet het dossiernummer") {
		t.Fatalf("a wrong confirmation: %d", res.status)
	}
	res = dpo.post(path, url.Values{"reason": {"retention_ended"}, "confirm": {number}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "geen bewaartermijn") {
		t.Fatalf("retention without a period: %d\n%s", res.status, res.body)
	}
	// A handler is refused, by the route and by the service.
	if res := b.signedIn(t, "smartplus/handler").post(path, url.Values{"reason": {"erasure_request"}, "note": {"x"}, "confirm": {number}}); res.status != http.StatusForbidden {
		t.Fatalf("a handler erases: %d", res.status)
	}
	handler, _ := b.svc.Caller(context.Background(), "smartplus", b.users["smartplus/handler"].ID)
	if _, err := b.svc.EraseCase(context.Background(), "smartplus", number, handler, complaint.ErasureRequest, "x"); err == nil {
		t.Fatal("the service lets a handler erase")
	}

	res = dpo.post(path, url.Values{"reason": {"erasure_request"}, "note": {"Verzoek per brief van 2 maart"}, "confirm": {number}})
	if res.status != http.StatusSeeOther || res.location() != "/zaken/"+number {
		t.Fatalf("erase: %d to %q\n%s", res.status, res.location(), res.body)
	}
	page := dpo.ok("/zaken/" + number).body
	for _, want := range []string{"Dossier vernietigd op 10-03-2026 (verzoek tot verwijdering (AVG art. 17))", "Verzoek per brief van 2 maart"} {
		if !strings.Contains(page, want) {
			t.Errorf("the case file lacks %q", want)
		}
	}
	for _, gone := range []string{"Wendelien", "0612345678", "Karel"} {
		if strings.Contains(page, gone) {
			t.Errorf("the erased case file still shows %q", gone)
		}
	}
	rep, err := b.store.VerifyChain(context.Background(), "smartplus")
	if err != nil || !rep.Intact {
		t.Fatalf("audit verify after erasure: %+v %v", rep, err)
	}
	if strings.Contains(dpo.ok("/privacy/bewaartermijnen").body, ">"+number+"<") {
		t.Error("the erased case is still on the list")
	}
}

// TestBrowserRetentionPages runs axe-core on the retention list and the
// confirmation form, and erases a case through the form.
func TestBrowserRetentionPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	number := b.settledCase(t)
	ctx := webtest.Browser(t)
	webtest.SignIn(t, ctx, b.url, b.users["smartplus/data_protection_officer"].Email, testPassword)
	webtest.Visit(t, ctx, b.url+"/privacy/bewaartermijnen")
	webtest.Axe(t, ctx)
	webtest.Visit(t, ctx, b.url+"/privacy/bewaartermijnen/"+number)
	webtest.Axe(t, ctx)
	// Refused first (no confirmation): the form with its errors is
	// checked too.
	webtest.Submit(t, ctx, `form.utrecht-form button[type="submit"]`, `#f-confirm-error`)
	webtest.Axe(t, ctx)
	webtest.Do(t, ctx,
		chromedp.Click(chromedp.CSS("#f-reason-request")),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "Verzoek per brief"),
		chromedp.SendKeys(chromedp.CSS("#f-confirm"), number),
	)
	webtest.Submit(t, ctx, `form.utrecht-form button[type="submit"]`, `.gg-case-head`)
	webtest.Axe(t, ctx)
	if got := webtest.Location(t, ctx); !strings.HasSuffix(got, "/zaken/"+number) {
		t.Errorf("after erasing at %s", got)
	}
}

// Erasing a case deletes its encrypted evidence files after the commit.
func TestErasureDeletesTheDocumentFiles(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
	if res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}); res.status != http.StatusOK {
		t.Fatalf("submit: %d", res.status)
	}
	number := p.cases(t)[0].Number
	file := func() string {
		t.Helper()
		v, err := p.svc.Case(ctx, "webmatch", number, complaint.Caller{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Case.Documents) != 1 {
			t.Fatalf("documents: %+v", v.Case.Documents)
		}
		return v.Case.Documents[0].DocumentID
	}
	id := file()
	if _, err := os.Stat(filepath.Join(p.blob, id)); err != nil {
		t.Fatalf("the evidence file is not stored: %v", err)
	}
	dpo := complaint.Caller{Actor: complaint.Actor{UserID: "u-fg", Name: "Fleur Gegevens", Kind: "user"}, Roles: []reglement.Role{reglement.RoleDPO}}
	if _, err := p.svc.EraseCase(ctx, "webmatch", number, dpo, complaint.ErasureRequest, "Verzoek van 9 maart"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(p.blob, id)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the evidence file outlived the erasure: %v", err)
	}
	if got := file(); got != "" {
		t.Errorf("the erased document still names file %q", got)
	}
	if rep, err := p.store.VerifyChain(ctx, "webmatch"); err != nil || !rep.Intact {
		t.Fatalf("audit verify after erasure: %+v %v", rep, err)
	}
}

// What an erasure leaves when it cannot delete a file after its commit,
// the sweep removes; files of cases that are not erased stay.
func TestSweepRemovesWhatErasureLeft(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
	for range 2 {
		if res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}); res.status != http.StatusOK {
			t.Fatalf("submit: %d", res.status)
		}
	}
	cases := p.cases(t)
	fileOf := func(number string) string {
		t.Helper()
		v, err := p.svc.Case(ctx, "webmatch", number, complaint.Caller{})
		if err != nil || len(v.Case.Documents) != 1 {
			t.Fatalf("documents of %s: %v", number, err)
		}
		return v.Case.Documents[0].DocumentID
	}
	erased, kept := fileOf(cases[0].Number), fileOf(cases[1].Number)
	// The erasure runs without the document store, as after a crash
	// between its commit and the deletion: the file stays behind.
	docs, checker := p.svc.Documents()
	p.svc.SetDocuments(nil, nil)
	dpo := complaint.Caller{Actor: complaint.Actor{Name: "Fleur Gegevens", Kind: "user"}, Roles: []reglement.Role{reglement.RoleDPO}}
	if _, err := p.svc.EraseCase(ctx, "webmatch", cases[0].Number, dpo, complaint.ErasureRequest, "Verzoek"); err != nil {
		t.Fatal(err)
	}
	p.svc.SetDocuments(docs, checker.Scanner)
	if _, err := os.Stat(filepath.Join(p.blob, erased)); err != nil {
		t.Fatalf("the test needs the erased case's file left behind: %v", err)
	}
	removed, err := p.svc.SweepDocumentsBefore(ctx, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 1 || removed[0] != erased {
		t.Errorf("the sweep removed %v, want only %s", removed, erased)
	}
	if _, err := os.Stat(filepath.Join(p.blob, kept)); err != nil {
		t.Errorf("the sweep removed the file of a case that was not erased: %v", err)
	}
}

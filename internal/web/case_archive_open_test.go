package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
)

// "Openen met wachtwoord" in the route-permission walk: on the case file
// every member (the service applies add_document's rule), in Postvak who
// triages.
func init() {
	for _, pattern := range []string{"GET /zaken/{number}/documenten/{id}/openen", "POST /zaken/{number}/documenten/{id}/openen"} {
		routeAccess[pattern] = struct {
			who  string
			form url.Values
		}{allMembers, nil}
	}
	for _, pattern := range []string{"GET /postvak/{id}/bijlagen/{position}/openen", "POST /postvak/{id}/bijlagen/{position}/openen"} {
		entry := routeAccess[pattern]
		entry.who = inboxRoles
		routeAccess[pattern] = entry
	}
}

func TestCaseArchiveOpenWithPassword(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
	if res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}); res.status != http.StatusOK {
		t.Fatalf("submit: %d", res.status)
	}
	number := p.cases(t)[0].Number
	handler := p.users["smartplus/handler"]
	if err := p.store.AddMembership(ctx, "webmatch", handler.ID, "handler"); err != nil {
		t.Fatal(err)
	}
	caller, err := p.svc.Caller(ctx, "webmatch", handler.ID)
	if err != nil {
		t.Fatal(err)
	}
	zipData, err := os.ReadFile("../service/testdata/bewijs.zip")
	if err != nil {
		t.Fatal(err)
	}
	docs, _ := p.svc.Documents()
	blob, err := docs.Put(ctx, bytes.NewReader(zipData), "bewijs.zip")
	if err != nil {
		t.Fatal(err)
	}
	in, _ := json.Marshal(complaint.DocumentPayload{DocumentID: blob.ID, Name: "bewijs.zip", MIME: blob.MIME, Size: blob.Size})
	if _, err := p.svc.Act(ctx, "webmatch", number, caller, complaint.Command{Action: complaint.ActAddDocument, Input: in}); err != nil {
		t.Fatal(err)
	}

	c := p.signedIn(t, "smartplus/handler")
	c.post("/organisatie", url.Values{"org": {"webmatch"}})
	path := caseArchiveOpenPath(number, blob.ID)
	if file := c.ok("/zaken/" + number); !strings.Contains(file.body, `href="`+path+`"`) {
		t.Fatalf("the case file offers no 'Openen met wachtwoord' for the ZIP")
	}
	form := c.ok(path)
	if !strings.Contains(form.body, `type="password"`) || !strings.Contains(form.body, "bewijs.zip") {
		t.Fatalf("form:\n%s", form.body)
	}
	wrong := c.post(path, url.Values{"password": {"geheim-2026!"}})
	if wrong.status != http.StatusBadRequest || !strings.Contains(wrong.body, `id="f-password-error"`) || !strings.Contains(wrong.body, "Het wachtwoord klopt niet") {
		t.Fatalf("wrong password: %d\n%s", wrong.status, wrong.body)
	}
	if strings.Contains(wrong.body, "geheim-2026!") {
		t.Error("the page repeats the typed password")
	}
	right := c.post(path, url.Values{"password": {"Geheim-2026!"}})
	if right.status != http.StatusOK || strings.Contains(right.body, "Geheim-2026!") {
		t.Fatalf("open: %d\n%s", right.status, right.body)
	}
	for _, want := range []string{"1 bestand(en) toegevoegd aan zaak " + number, "verslag.pdf", "factuur.exe: dit soort bestand is als bewijsstuk niet toegestaan"} {
		if !strings.Contains(right.body, want) {
			t.Errorf("result lacks %q", want)
		}
	}
	if file := c.ok("/zaken/" + number); !strings.Contains(file.body, "uit bewijs.zip geopend") {
		t.Error("the case file lacks the opened document")
	}
	if r := p.signedIn(t, "bestmatch/handler").post(path, url.Values{"password": {"Geheim-2026!"}}); r.status != http.StatusNotFound {
		t.Errorf("another organisation: %d, want 404", r.status)
	}
}

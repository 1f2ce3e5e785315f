package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
)

// The document download in the route-permission walk: every member; the
// service decides per case and document.
func init() {
	routeAccess["GET /zaken/{number}/documenten/{id}"] = struct {
		who  string
		form url.Values
	}{allMembers, nil}
}

func TestCaseDocumentDownload(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
	res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF})
	if res.status != http.StatusOK {
		t.Fatalf("submit: %d", res.status)
	}
	number := p.cases(t)[0].Number
	_, events, err := p.store.GetCase(ctx, "webmatch", number)
	if err != nil {
		t.Fatal(err)
	}
	var doc complaint.DocumentPayload
	for _, e := range events {
		if e.Type == complaint.EvDocumentAdded {
			if err := json.Unmarshal(e.Payload, &doc); err != nil {
				t.Fatal(err)
			}
		}
	}
	if doc.DocumentID == "" || doc.MIME != "application/pdf" || doc.Size != int64(len(tinyPDF)) {
		t.Fatalf("document payload %+v", doc)
	}
	// Henk handles webmatch's cases; "Coach Jansen" is named in the complaint.
	handler := p.users["smartplus/handler"]
	if err := p.store.AddMembership(ctx, "webmatch", handler.ID, "handler"); err != nil {
		t.Fatal(err)
	}
	accused, err := p.store.CreateUser(ctx, store.User{Email: "jansen@webmatch.test", Name: "Coach Jansen", PasswordHash: testHash()})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.store.AddMembership(ctx, "webmatch", accused.ID, "handler"); err != nil {
		t.Fatal(err)
	}
	p.users["webmatch/accused"] = accused
	path := caseDocumentPath(number, doc.DocumentID)

	c := p.signedIn(t, "smartplus/handler")
	c.post("/organisatie", url.Values{"org": {"webmatch"}})
	file := c.ok("/zaken/" + number)
	if !strings.Contains(file.body, `href="`+path+`"`) {
		t.Errorf("the case file does not link the document %s", path)
	}
	got := c.get(path)
	if got.status != http.StatusOK || got.body != string(tinyPDF) {
		t.Fatalf("download: %d %q", got.status, got.body)
	}
	for h, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
		"Content-Disposition": `attachment; filename="bewijs.pdf"`, "Cache-Control": "private, no-store"} {
		if g := got.header.Get(h); !strings.HasPrefix(g, want) {
			t.Errorf("%s = %q, want %q", h, g, want)
		}
	}
	if res := c.get(caseDocumentPath(number, "no-such-document")); res.status != http.StatusNotFound {
		t.Errorf("unknown document: %d", res.status)
	}

	// The accused employee sees neither the link nor the file.
	a := p.signedIn(t, "webmatch/accused")
	if strings.Contains(a.ok("/zaken/"+number).body, path) {
		t.Error("the accused employee's case file links the document")
	}
	if res := a.get(path); res.status != http.StatusForbidden {
		t.Errorf("accused download: %d, want 403", res.status)
	}
	// Another organisation's member does not find it.
	o := p.signedIn(t, "bestmatch/handler")
	if res := o.get(path); res.status != http.StatusNotFound {
		t.Errorf("other organisation: %d, want 404", res.status)
	}
}

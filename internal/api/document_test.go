package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestGetDocument(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := context.Background()
	keys, err := document.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{3}, document.MasterKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.NewStore(t.TempDir(), keys)
	if err != nil {
		t.Fatal(err)
	}
	b.svc.SetDocuments(docs, nil)
	content := []byte("%PDF-1.4\nverslag\n%%EOF\n")
	blob, err := docs.Put(ctx, bytes.NewReader(content), "verslag gesprek.pdf")
	if err != nil {
		t.Fatal(err)
	}
	// The file comes in as the web form records it (the service's caller
	// is trusted with the id); the API itself refuses ids, below.
	receiver, err := b.svc.Caller(ctx, "bestmatch", b.userID("bestmatch/receiver"))
	if err != nil {
		t.Fatal(err)
	}
	in := complaintOf(t, bestmatchComplaint(b.userID("bestmatch/coach")))
	in.Documents = []complaint.DocumentPayload{{DocumentID: blob.ID, Name: blob.Name, Kind: "evidence", MIME: blob.MIME, Size: blob.Size}}
	v, _, err := b.svc.CreateCase(ctx, "bestmatch", receiver, in, "")
	if err != nil {
		t.Fatal(err)
	}
	path := "/cases/" + v.Number + "/documents/" + url.PathEscape(blob.ID)

	res := b.do(t, request{method: "GET", path: path, who: "bestmatch/handler"})
	if res.status != http.StatusOK || !bytes.Equal(res.body, content) {
		t.Fatalf("handler: %d %q", res.status, res.body)
	}
	if cd := res.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "verslag") {
		t.Errorf("Content-Disposition %q", cd)
	}
	if res.header.Get("X-Content-Type-Options") != "nosniff" || res.header.Get("Content-Type") != "application/pdf" {
		t.Errorf("headers %v", res.header)
	}
	// Coen is named in the complaint: no inspection given, no file.
	if res := b.do(t, request{method: "GET", path: path, who: "bestmatch/coach"}); res.status != http.StatusForbidden || !strings.Contains(string(res.body), "documents_closed") {
		t.Errorf("accused: %d %s", res.status, res.body)
	}
	for name, req := range map[string]request{
		"other organisation": {method: "GET", path: path, who: "smartplus/handler"},
		"unknown document":   {method: "GET", path: "/cases/" + v.Number + "/documents/nope", who: "bestmatch/handler"},
		"no token":           {method: "GET", path: path},
	} {
		want := http.StatusNotFound
		if name == "no token" {
			want = http.StatusUnauthorized
		}
		if res := b.do(t, req); res.status != want {
			t.Errorf("%s: %d, want %d", name, res.status, want)
		}
	}

	// A client cannot make a case claim a stored file.
	claim := bestmatchComplaint(b.userID("bestmatch/coach"))
	claim["documents"] = []map[string]any{{"name": "x.pdf", "document_id": blob.ID}}
	res = b.do(t, request{method: "POST", path: "/cases", who: "bestmatch/receiver", body: claim})
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "documents[0].document_id") {
		t.Errorf("create with a document id: %d %s", res.status, res.body)
	}
	res = b.do(t, request{method: "POST", path: "/cases/" + v.Number + "/actions/add_document", who: "bestmatch/handler",
		body: map[string]any{"name": "y.pdf", "document_id": blob.ID}})
	if res.status != http.StatusBadRequest || !strings.Contains(string(res.body), "derived_field") {
		t.Errorf("add_document with a document id: %d %s", res.status, res.body)
	}
}

// complaintOf turns a JSON-shaped intake into the command.
func complaintOf(t *testing.T, m map[string]any) complaint.NewComplaint {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var in complaint.NewComplaint
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	return in
}

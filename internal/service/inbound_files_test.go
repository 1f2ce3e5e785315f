package service_test

import (
	"bytes"
	"context"
	"io"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// withDocuments gives the bundle's service an encrypted document store in
// a fresh directory and returns it.
func withDocuments(t *testing.T, b *bundle) *document.Store {
	t.Helper()
	keys, err := document.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{9}, document.MasterKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	docs, err := document.NewStore(t.TempDir(), keys)
	if err != nil {
		t.Fatal(err)
	}
	b.svc.SetDocuments(docs, nil)
	return docs
}

var blobName = regexp.MustCompile(`^[0-9a-f]{32}$`)

// blobFiles lists the files in the document store.
func blobFiles(t *testing.T, docs *document.Store) []string {
	t.Helper()
	entries, err := os.ReadDir(docs.Dir())
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if blobName.MatchString(e.Name()) {
			out = append(out, e.Name())
		}
	}
	return out
}

func readAll(t *testing.T, r io.ReadCloser) string {
	t.Helper()
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAttachmentsAreKeptEncrypted delivers a complaint with a PDF and a
// program twice: each attachment, accepted or quarantined, is written
// once to the encrypted store (the duplicate delivery leaves no file),
// opens for the person who triages, and the accepted one opens from the
// case file after triage; a file that a crash left unreferenced is swept,
// the referenced ones stay.
func TestAttachmentsAreKeptEncrypted(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		docs := withDocuments(t, b)
		for range 2 {
			if err := b.svc.DeliverMail(ctx, "acme", []byte(complaintMail), *b.clock); err != nil {
				t.Fatal(err)
			}
		}
		list := inbox(t, b, store.InboundToTriage)
		if len(list) != 1 || len(list[0].Attachments) != 2 {
			t.Fatalf("inbox: %+v", list)
		}
		m := list[0]
		files := blobFiles(t, docs)
		if len(files) != 2 {
			t.Fatalf("%d files in the store after two deliveries of a message with 2 attachments, want 2", len(files))
		}
		for _, a := range m.Attachments {
			if a.BlobID == "" || !strings.Contains(strings.Join(files, " "), a.BlobID) {
				t.Fatalf("attachment %s: blob %q not among the files %v", a.Name, a.BlobID, files)
			}
			raw, err := os.ReadFile(docs.Dir() + "/" + a.BlobID)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(raw, []byte("%PDF")) || bytes.Contains(raw, []byte("MZ")) && bytes.Contains(raw, []byte("This program")) {
				t.Fatalf("attachment %s is stored in the clear", a.Name)
			}
		}
		pdf, err := b.svc.OpenInboundAttachment(ctx, "acme", m.ID, 1, b.handler)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, pdf.Body); !strings.HasPrefix(body, "%PDF-1.4") || pdf.MIME != "application/pdf" {
			t.Fatalf("pdf: %s %q", pdf.MIME, body)
		}
		exe, err := b.svc.OpenInboundAttachment(ctx, "acme", m.ID, 2, b.handler)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, exe.Body); !strings.HasPrefix(body, "MZ") || !exe.Quarantined || exe.QuarantineReason != document.ReasonTypeNotAllowed {
			t.Fatalf("quarantined program: %+v %q", exe.InboundAttachment, body)
		}
		if _, err := b.svc.OpenInboundAttachment(ctx, "acme", m.ID, 3, b.handler); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("attachment 3: %v", err)
		}
		if _, err := b.svc.OpenInboundAttachment(ctx, "other", m.ID, 1, b.handler); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("another organisation's message: %v", err)
		}

		incident := calendar.FromTime(*b.clock).AddDays(-7)
		res, err := b.svc.TriageInbound(ctx, "acme", m.ID, b.handler, service.TriageInput{As: "complaint",
			Intake: &complaint.Intake{ContactPerson: "Dirk Smit", IncidentDate: &incident}})
		if err != nil {
			t.Fatal(err)
		}
		doc, err := b.svc.OpenDocument(ctx, "acme", res.Case.Number, "inbound:"+m.ID+"/1", b.handler)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, doc.Body); !strings.HasPrefix(body, "%PDF-1.4") {
			t.Fatalf("case document: %q", body)
		}
		if _, err := b.svc.OpenDocument(ctx, "acme", res.Case.Number, "inbound:"+m.ID+"/2", b.handler); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("the quarantined file is not in the case file: %v", err)
		}

		// A crash between writing a file and committing its row.
		orphan, err := docs.Put(ctx, strings.NewReader("left by a crash"), "x.txt")
		if err != nil {
			t.Fatal(err)
		}
		*b.clock = time.Now().Add(2 * service.SweepGrace)
		removed, err := b.svc.SweepDocuments(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(removed) != 1 || removed[0] != orphan.ID {
			t.Fatalf("swept %v, want only the orphan %s", removed, orphan.ID)
		}
		if got := blobFiles(t, docs); len(got) != 2 {
			t.Fatalf("files after the sweep: %v", got)
		}
	})
}

// TestAttachmentsWithoutDocumentStore: without a store the content stays
// in the raw message, and still opens.
func TestAttachmentsWithoutDocumentStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		if err := b.svc.DeliverMail(ctx, "acme", []byte(complaintMail), *b.clock); err != nil {
			t.Fatal(err)
		}
		m := inbox(t, b, store.InboundToTriage)[0]
		if m.Attachments[0].BlobID != "" || m.Attachments[1].BlobID != "" {
			t.Fatalf("blob ids without a store: %+v", m.Attachments)
		}
		f, err := b.svc.OpenInboundAttachment(ctx, "acme", m.ID, 2, b.board)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, f.Body); !strings.HasPrefix(body, "MZ") {
			t.Fatalf("program from the raw message: %q", body)
		}
	})
}

package service_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// TestOpenPasswordProtectedArchive: Best Match section 3 asks for an
// encrypted ZIP with the password sent apart. The handler opens it from
// the case file: a wrong password says so and adds nothing; the right one
// adds the PDF (checked, stored encrypted) in one update and lists the
// program as refused with its reason; the password is kept nowhere.
func TestOpenPasswordProtectedArchive(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		docs := withDocuments(t, b)
		zipData, err := os.ReadFile("testdata/bewijs.zip")
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.FromTime(*b.clock)), "")
		if err != nil {
			t.Fatal(err)
		}
		blob, err := docs.Put(ctx, bytes.NewReader(zipData), "bewijs.zip")
		if err != nil {
			t.Fatal(err)
		}
		in, _ := json.Marshal(complaint.DocumentPayload{DocumentID: blob.ID, Name: "bewijs.zip", MIME: blob.MIME, Size: blob.Size})
		if _, err := b.svc.Act(ctx, "acme", v.Number, b.board, complaint.Command{Action: complaint.ActAddDocument, Input: in}); err != nil {
			t.Fatal(err)
		}
		before := blobFiles(t, docs)

		var ae *apperr.Error
		_, err = b.svc.OpenArchiveDocument(ctx, "acme", v.Number, blob.ID, "geheim-2026!", b.board)
		if apperr.CodeOf(err) != apperr.Invalid || !errors.As(err, &ae) || ae.Reason != "wrong_password" || ae.Field != "password" || !strings.Contains(apperr.MessageOf(err), "password is wrong") {
			t.Fatalf("wrong password: %v", err)
		}
		if got := blobFiles(t, docs); len(got) != len(before) {
			t.Fatalf("a wrong password left files: %v", got)
		}

		res, err := b.svc.OpenArchiveDocument(ctx, "acme", v.Number, blob.ID, "Geheim-2026!", b.board)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Added) != 1 || res.Added[0].Name != "verslag.pdf" || res.Added[0].Note != "uit bewijs.zip geopend" || res.Added[0].MIME != "application/pdf" {
			t.Fatalf("added: %+v", res.Added)
		}
		if len(res.Refused) != 1 || res.Refused[0].Name != "factuur.exe" || res.Refused[0].Reason != document.ReasonTypeNotAllowed || res.Refused[0].Message == "" {
			t.Fatalf("refused: %+v", res.Refused)
		}
		after, err := b.svc.Case(ctx, "acme", v.Number, b.board)
		if err != nil {
			t.Fatal(err)
		}
		if len(after.Events) != len(v.Events)+2 {
			t.Fatalf("%d events after opening, want the zip's and the pdf's document_added on top of %d", len(after.Events), len(v.Events))
		}
		for _, e := range after.Events {
			if strings.Contains(string(e.Payload), "Geheim") {
				t.Fatalf("the password is in event %s", e.Type)
			}
		}
		f, err := b.svc.OpenDocument(ctx, "acme", v.Number, res.Added[0].DocumentID, b.board)
		if err != nil {
			t.Fatal(err)
		}
		if body := readAll(t, f.Body); !strings.HasPrefix(body, "%PDF-1.4") {
			t.Fatalf("opened pdf: %q", body)
		}

		// Opening it again adds nothing twice, and keeps no new file.
		filesBefore := blobFiles(t, docs)
		again, err := b.svc.OpenArchiveDocument(ctx, "acme", v.Number, blob.ID, "Geheim-2026!", b.board)
		if err != nil {
			t.Fatal(err)
		}
		if len(again.Added) != 0 || len(again.Refused) != 2 || again.Refused[0].Reason != "already_added" && again.Refused[1].Reason != "already_added" {
			t.Fatalf("opened twice: %+v", again)
		}
		if got := blobFiles(t, docs); len(got) != len(filesBefore) {
			t.Fatalf("opening twice kept files: %v, was %v", got, filesBefore)
		}

		// A document that is no protected archive is refused.
		if _, err := b.svc.OpenArchiveDocument(ctx, "acme", v.Number, res.Added[0].DocumentID, "x", b.board); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("a pdf opened as an archive: %v", err)
		}
	})
}

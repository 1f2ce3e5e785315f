package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// erasable is a case with a letter and two e-mails (one with an
// attachment kept encrypted), as an erasure finds it.
func erasable(t *testing.T, b *testBundle) (store.CaseRecord, store.Inbound) {
	t.Helper()
	rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë Çelik"))
	if _, err := b.st.CreateLetter(b.ctx, b.orgA, rec.Number, newLetter(store.LetterEmail)); err != nil {
		t.Fatal(err)
	}
	m := inboundMessage("reply@example.nl")
	m.Attachments[0].BlobID = "0123456789abcdef0123456789abcdef"
	in, _, err := b.st.InsertInboundToCase(b.ctx, b.orgA, rec.Number, m,
		func(history []complaint.Event, id string) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("message_received", 5, `{"inbound_id":"`+id+`","from":"zoe@example.nl"}`)}, rec.Projection, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return rec, in
}

// erasure redacts every payload to {"redacted":true} and appends
// case_erased.
func erasure(history []complaint.Event) store.Erasure {
	er := store.Erasure{
		Event:      event("case_erased", 30, `{"on":"2026-03-02","reason":"erasure_request","source":"AVG art. 17"}`),
		Projection: store.Projection{State: "closed", ReceivedOn: calendar.D(2026, 3, 2), Closed: true, Summary: json.RawMessage(`{}`)},
	}
	for range history {
		er.Redacted = append(er.Redacted, json.RawMessage(`{"redacted":true}`))
	}
	return er
}

func TestEraseCase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec, in := erasable(t, b)
		other := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Piet Ander"))
		const kept = "fedcba9876543210fedcba9876543210"
		if _, err := b.st.UpdateCase(b.ctx, b.orgA, other.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("document_added", 6, `{"document_id":"`+kept+`","name":"brief.pdf"}`)}, other.Projection, nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{kept, "0123456789abcdef0123456789abcdef"} {
			if ok, err := referenced(t, b, id); err != nil || !ok {
				t.Fatalf("file %s is not referenced before the erasure (%v, %v): the sweep would remove it", id, ok, err)
			}
		}

		res, err := b.st.EraseCase(b.ctx, b.orgA, rec.Number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
			if len(history) != 2 {
				t.Errorf("history has %d events, want 2", len(history))
			}
			return erasure(history), nil
		})
		if err != nil {
			t.Fatalf("EraseCase: %v", err)
		}
		if len(res.Blobs) != 1 || res.Blobs[0] != "0123456789abcdef0123456789abcdef" {
			t.Errorf("blobs to delete = %v", res.Blobs)
		}
		got, evs, err := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.ComplainantName != "" || got.SearchText != "" || !got.Closed {
			t.Errorf("projection after erasure: name %q, search %q, closed %v", got.ComplainantName, got.SearchText, got.Closed)
		}
		if len(evs) != 3 || evs[2].Type != complaint.EvCaseErased {
			t.Fatalf("events after erasure: %+v", evs)
		}
		for _, e := range evs[:2] {
			if string(e.Payload) != `{"redacted": true}` && string(e.Payload) != `{"redacted":true}` {
				t.Errorf("event %d payload = %s", e.Seq, e.Payload)
			}
		}
		letters, err := b.st.CaseLetters(b.ctx, b.orgA, rec.Number)
		if err != nil || len(letters) != 1 {
			t.Fatalf("letters: %v %v", letters, err)
		}
		if l := letters[0]; l.Text != "" || l.HTML != "" || len(l.PDF) != 0 || l.Subject != "" || l.Recipient.Name != "" || l.Recipient.Email != "" {
			t.Errorf("letter keeps content: %+v", l)
		}
		m, err := b.st.GetInbound(b.ctx, b.orgA, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(m.Raw) != 0 || m.Text != "" || m.FromName != "" || m.FromAddr != "" || m.Subject != "" ||
			m.Attachments[0].Name != "" || m.Attachments[0].BlobID != "" {
			t.Errorf("inbound message keeps content: %+v", m)
		}
		if m.MessageID != "reply@example.nl" {
			t.Errorf("the Message-ID went (%q): the mailbox would bring the message in again", m.MessageID)
		}
		// The other case is untouched.
		_, oevs, _ := b.st.GetCase(b.ctx, b.orgA, other.Number)
		if !strings.Contains(string(oevs[0].Payload), "Piet Ander") {
			t.Errorf("another case lost its payload: %s", oevs[0].Payload)
		}
		rep := b.mustVerify(t, b.orgA)
		if rep.Checked != 5 {
			t.Errorf("verified %d events, want 5 (the erasure is in the chain)", rep.Checked)
		}
		if ok, err := referenced(t, b, kept); err != nil || !ok {
			t.Errorf("another case's file is no longer referenced (%v, %v)", ok, err)
		}
		if kept, err := referenced(t, b, "0123456789abcdef0123456789abcdef"); err != nil || kept {
			t.Errorf("the erased attachment's file is still referenced (%v, %v): the sweep would keep it", kept, err)
		}
	})
}

func TestEraseCaseAllOrNothing(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec, in := erasable(t, b)
		_, before, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number)

		// A failure after the events were redacted and the letters
		// emptied, while the inbound messages are written: a trigger
		// refuses it, as a full disk or a lost connection would.
		fail := []string{`CREATE TRIGGER fail_erase BEFORE UPDATE ON inbound_messages BEGIN SELECT RAISE(ABORT, 'injected failure'); END`}
		if strings.HasPrefix(dsn, "postgres") {
			fail = []string{`CREATE FUNCTION fail_erase() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected failure'; END $$`,
				`CREATE TRIGGER fail_erase BEFORE UPDATE ON inbound_messages FOR EACH ROW EXECUTE FUNCTION fail_erase()`}
		}
		for _, q := range fail {
			if err := b.st.ExecRaw(b.ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		_, err := b.st.EraseCase(b.ctx, b.orgA, rec.Number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
			return erasure(history), nil
		})
		if err == nil || !strings.Contains(err.Error(), "injected failure") {
			t.Fatalf("EraseCase with a failing write = %v, want the injected failure", err)
		}
		got, after, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if len(after) != len(before) || got.ComplainantName != "Zoë Çelik" {
			t.Fatalf("half erased: %d events (was %d), name %q", len(after), len(before), got.ComplainantName)
		}
		for i := range before {
			if !bytes.Equal(after[i].Payload, before[i].Payload) {
				t.Errorf("event %d payload changed by a failed erasure: %s", after[i].Seq, after[i].Payload)
			}
		}
		letters, _ := b.st.CaseLetters(b.ctx, b.orgA, rec.Number)
		if len(letters) != 1 || letters[0].Text == "" {
			t.Errorf("the letter lost its text in a failed erasure")
		}
		if m, _ := b.st.GetInbound(b.ctx, b.orgA, in.ID); len(m.Raw) == 0 {
			t.Errorf("the message lost its raw bytes in a failed erasure")
		}
		b.mustVerify(t, b.orgA)

		// An error of the caller's decision rolls back too, unchanged.
		refused := apperr.New(apperr.Forbidden, "no")
		if _, err := b.st.EraseCase(b.ctx, b.orgA, rec.Number, func(store.CaseRecord, []complaint.Event) (store.Erasure, error) {
			return store.Erasure{}, refused
		}); !errors.Is(err, refused) {
			t.Errorf("the decision's error = %v, want it unchanged", err)
		}
		// Tenancy: another organisation's case is not found.
		_, err = b.st.EraseCase(b.ctx, b.orgB, rec.Number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
			return erasure(history), nil
		})
		wantCode(t, err, apperr.NotFound)
	})
}

// referenced reports whether the file id is among the store's referenced
// evidence files.
func referenced(t *testing.T, b *testBundle, id string) (bool, error) {
	t.Helper()
	ids, err := b.st.ReferencedBlobs(b.ctx)
	return ids[id], err
}

package store_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func inboundMessage(id string) store.Inbound {
	return store.Inbound{
		MessageID: id, ReceivedAt: time.Date(2026, 3, 2, 8, 15, 0, 0, time.UTC),
		FromName: "Zoë Çelik", FromAddr: "zoe@example.nl", Subject: "Klacht", Text: "Geen terugbelverzoek.",
		Raw: []byte("Subject: Klacht\r\n\r\nGeen terugbelverzoek.\xff"),
		Attachments: []store.InboundAttachment{
			{Name: "brief.pdf", MIME: "application/pdf", Size: 1234},
			{Name: "run.exe", MIME: "application/octet-stream", Size: 9, Quarantined: true, QuarantineReason: "file_type_not_allowed"},
		},
	}
}

func TestInboundDeduplicatedAndTriaged(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		m, inserted, err := b.st.InsertInbound(b.ctx, b.orgA, inboundMessage("abc@example.nl"))
		if err != nil || !inserted {
			t.Fatalf("insert: %v %v", inserted, err)
		}
		again, inserted, err := b.st.InsertInbound(b.ctx, b.orgA, inboundMessage("abc@example.nl"))
		if err != nil || inserted || again.ID != m.ID {
			t.Fatalf("second insert: inserted %v, id %s (want %s), %v", inserted, again.ID, m.ID, err)
		}
		// Another organisation may receive the same message.
		if _, inserted, err := b.st.InsertInbound(b.ctx, b.orgB, inboundMessage("abc@example.nl")); err != nil || !inserted {
			t.Fatalf("other org: %v %v", inserted, err)
		}
		list, err := b.st.ListInbox(b.ctx, b.orgA, store.InboundToTriage)
		if err != nil || len(list) != 1 {
			t.Fatalf("inbox: %d %v", len(list), err)
		}
		got := list[0]
		if got.FromName != "Zoë Çelik" || !got.ReceivedAt.Equal(time.Date(2026, 3, 2, 8, 15, 0, 0, time.UTC)) ||
			len(got.Attachments) != 2 || !got.Attachments[1].Quarantined || got.Attachments[1].QuarantineReason != "file_type_not_allowed" {
			t.Fatalf("listed: %+v", got)
		}
		full, err := b.st.GetInbound(b.ctx, b.orgA, m.ID)
		if err != nil || !bytes.Equal(full.Raw, inboundMessage("").Raw) {
			t.Fatalf("raw: %q %v", full.Raw, err)
		}
		if _, err := b.st.GetInbound(b.ctx, b.orgB, m.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy: %v", err)
		}
		if _, err := b.st.TriageInbound(b.ctx, b.orgB, m.ID, store.Triage{State: store.InboundNotComplaint, Reason: "spam"}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy on triage: %v", err)
		}

		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		tr := store.Triage{State: store.InboundComplaint, By: "Anna", CaseNumber: rec.Number}
		done, err := b.st.TriageInbound(b.ctx, b.orgA, m.ID, tr)
		if err != nil || done.State != store.InboundComplaint || done.CaseNumber != rec.Number || done.TriagedAt.IsZero() {
			t.Fatalf("triaged: %+v %v", done, err)
		}
		// A retry is harmless; a different decision is refused.
		if _, err := b.st.TriageInbound(b.ctx, b.orgA, m.ID, tr); err != nil {
			t.Fatalf("retry: %v", err)
		}
		if _, err := b.st.TriageInbound(b.ctx, b.orgA, m.ID, store.Triage{State: store.InboundNotComplaint, Reason: "x"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second decision: %v", err)
		}
		if list, _ := b.st.ListInbox(b.ctx, b.orgA, store.InboundToTriage); len(list) != 0 {
			t.Fatalf("still on the triage list: %+v", list)
		}
	})
}

func TestInboundToCaseInOneTransaction(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		calls := 0
		fn := func(h []complaint.Event, inboundID string) ([]complaint.Event, store.Projection, error) {
			calls++
			return []complaint.Event{event("message_received", 5, `{"inbound_id":"`+inboundID+`"}`)}, rec.Projection, nil
		}
		for range 2 {
			m, _, err := b.st.InsertInboundToCase(b.ctx, b.orgA, rec.Number, inboundMessage("reply@example.nl"), fn)
			if err != nil || m.State != store.InboundAttached || m.CaseNumber != rec.Number {
				t.Fatalf("attach: %+v %v", m, err)
			}
		}
		_, evs, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if calls != 1 || len(evs) != 2 || evs[1].Type != "message_received" {
			t.Fatalf("fn called %d times, events %d", calls, len(evs))
		}
		// An error of fn stores nothing.
		_, _, err := b.st.InsertInboundToCase(b.ctx, b.orgA, rec.Number, inboundMessage("other@example.nl"),
			func([]complaint.Event, string) ([]complaint.Event, store.Projection, error) {
				return nil, store.Projection{}, apperr.New(apperr.Conflict, "no")
			})
		if apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("fn error: %v", err)
		}
		if list, _ := b.st.ListInbox(b.ctx, b.orgA, ""); len(list) != 1 {
			t.Fatalf("rolled back message kept: %d", len(list))
		}
		if n, ok, err := b.st.CaseOfLetterMessageID(b.ctx, b.orgA, "nope@x"); ok || err != nil || n != "" {
			t.Fatalf("letter lookup: %q %v %v", n, ok, err)
		}
	})
}

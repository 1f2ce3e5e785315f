package store_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// newLetter is a composed letter of a case based on its first event.
func newLetter(channel store.LetterChannel) store.Letter {
	return store.Letter{
		Kind: "acknowledgement", Lang: "nl",
		Recipient: store.LetterRecipient{Name: "Ëlif Çelik", Email: "elif@example.test", Address: "Dorpsstraat 1", Party: "complainant"},
		Subject:   "Wij hebben uw klacht ontvangen", Text: "Beste Ëlif,\n€ 500", HTML: "<p>Beste Ëlif</p>",
		PDF:        []byte("%PDF-1.7\x00\x01\x02\xff binary"),
		Letterhead: json.RawMessage(`{"name":"Zoë B.V."}`), RequestedBy: json.RawMessage(`{"name":"Anna"}`),
		Date: calendar.D(2026, 3, 2), ComposedAt: t0, BasedOnSeq: 1, Channel: channel,
	}
}

func TestLetterWithItsSendJob(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		in := newLetter(store.LetterEmail)
		in.ID = store.NewID()
		l, err := b.st.CreateLetter(b.ctx, b.orgA, rec.Number, in, store.Job{Kind: "send_letter", UniqueKey: "send:" + in.ID, RunAt: t0})
		if err != nil {
			t.Fatal(err)
		}
		if l.ID != in.ID || l.State != store.LetterQueued || l.CaseNumber != rec.Number || l.CaseID != rec.ID {
			t.Fatalf("created: %+v", l)
		}
		got, err := b.st.GetLetter(b.ctx, b.orgA, l.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.PDF, in.PDF) || got.Text != in.Text || got.Recipient != in.Recipient || got.Date != in.Date ||
			!got.ComposedAt.Equal(t0) || got.BasedOnSeq != 1 || got.Channel != store.LetterEmail || got.State != store.LetterQueued {
			t.Fatalf("read back: %+v", got)
		}
		jobs, _ := b.st.CaseJobs(b.ctx, b.orgA, rec.ID)
		if len(jobs) != 1 || jobs[0].Kind != "send_letter" {
			t.Fatalf("send job: %+v", jobs)
		}
		if _, err := b.st.GetLetter(b.ctx, b.orgB, l.ID); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy: org B reads A's letter: %v", err)
		}

		// The case moved on since the letter was composed: refused,
		// nothing stored.
		if _, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("note_added", 1, `{}`)}, rec.Projection, nil
		}); err != nil {
			t.Fatal(err)
		}
		stale := newLetter(store.LetterEmail)
		_, err = b.st.CreateLetter(b.ctx, b.orgA, rec.Number, stale, store.Job{Kind: "send_letter", RunAt: t0})
		if e, ok := err.(*apperr.Error); !ok || e.Reason != "case_changed" {
			t.Fatalf("stale letter: %v", err)
		}
		letters, _ := b.st.CaseLetters(b.ctx, b.orgA, rec.Number)
		jobs, _ = b.st.CaseJobs(b.ctx, b.orgA, rec.ID)
		if len(letters) != 1 || len(jobs) != 1 {
			t.Fatalf("a refused letter left %d letters, %d jobs", len(letters), len(jobs))
		}
		if _, err := b.st.CaseLetters(b.ctx, b.orgB, rec.Number); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy: org B lists A's letters: %v", err)
		}
	})
}

func TestDeliverLetter(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		mail, err := b.st.CreateLetter(b.ctx, b.orgA, rec.Number, newLetter(store.LetterEmail))
		if err != nil {
			t.Fatal(err)
		}
		post, err := b.st.CreateLetter(b.ctx, b.orgA, rec.Number, newLetter(store.LetterPost))
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		ack := func(h []complaint.Event, l store.Letter) ([]complaint.Event, store.Projection, error) {
			calls++
			if l.State != store.LetterSent || l.MessageID != "m1@zoe.test" {
				t.Errorf("fn sees the letter as delivered: %+v", l)
			}
			return []complaint.Event{event("acknowledged", 5, `{"on":"2026-03-02","via":"email"}`)}, rec.Projection, nil
		}
		d := store.LetterDelivery{State: store.LetterSent, At: t0.Add(time.Minute), MessageID: "m1@zoe.test"}
		l, changed, err := b.st.DeliverLetter(b.ctx, b.orgA, mail.ID, d, ack)
		if err != nil || !changed || l.State != store.LetterSent || l.MessageID != "m1@zoe.test" {
			t.Fatalf("deliver: %+v %v %v", l, changed, err)
		}
		// The send job ran twice: nothing more happens.
		l, changed, err = b.st.DeliverLetter(b.ctx, b.orgA, mail.ID, d, ack)
		if err != nil || changed || calls != 1 {
			t.Fatalf("second delivery: changed %v, fn called %d times, %v", changed, calls, err)
		}
		_, evs, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if len(evs) != 2 || evs[1].Type != complaint.EvAcknowledged {
			t.Fatalf("events: %+v", evs)
		}
		got, _ := b.st.GetLetter(b.ctx, b.orgA, mail.ID)
		if got.State != store.LetterSent || !got.SentAt.Equal(t0.Add(time.Minute)) || got.MessageID != "m1@zoe.test" {
			t.Fatalf("stored: %+v", got)
		}
		// A sent e-mail is not posted too; a failure after the fact does
		// not undo the sending.
		if _, _, err := b.st.DeliverLetter(b.ctx, b.orgA, mail.ID, store.LetterDelivery{State: store.LetterPosted, PostedOn: calendar.D(2026, 3, 3)}, ack); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("post a sent e-mail: %v", err)
		}
		if l, err := b.st.FailLetter(b.ctx, b.orgA, mail.ID, "late"); err != nil || l.State != store.LetterSent {
			t.Fatalf("fail a sent letter: %+v %v", l, err)
		}

		// Posting without events writes no event and keeps the projection.
		l, changed, err = b.st.DeliverLetter(b.ctx, b.orgA, post.ID, store.LetterDelivery{State: store.LetterPosted, PostedOn: calendar.D(2026, 3, 3)},
			func(h []complaint.Event, l store.Letter) ([]complaint.Event, store.Projection, error) {
				return nil, store.Projection{}, nil
			})
		if err != nil || !changed || l.PostedOn != calendar.D(2026, 3, 3) {
			t.Fatalf("posted: %+v %v", l, err)
		}
		if _, evs, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number); len(evs) != 2 {
			t.Fatalf("posting without events wrote %d events", len(evs)-2)
		}
		if r2, _, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number); r2.State != rec.State {
			t.Fatal("the projection changed")
		}
		if _, _, err := b.st.DeliverLetter(b.ctx, b.orgB, post.ID, d, ack); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("tenancy: %v", err)
		}
		b.mustVerify(t, b.orgA)
	})
}

func TestFailedLetterIsSentAgain(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		l, err := b.st.CreateLetter(b.ctx, b.orgA, rec.Number, newLetter(store.LetterEmail))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := b.st.RequeueLetter(b.ctx, b.orgA, l.ID, store.Job{Kind: "send_letter"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("requeue a queued letter: %v", err)
		}
		if l, err = b.st.NoteLetterError(b.ctx, b.orgA, l.ID, "451 later"); err != nil || l.State != store.LetterQueued || l.Error != "451 later" {
			t.Fatalf("note: %+v %v", l, err)
		}
		if l, err = b.st.FailLetter(b.ctx, b.orgA, l.ID, "550 no such mailbox"); err != nil || l.State != store.LetterFailed {
			t.Fatalf("fail: %+v %v", l, err)
		}
		if l, err = b.st.RequeueLetter(b.ctx, b.orgA, l.ID, store.Job{Kind: "send_letter", RunAt: t0}); err != nil || l.State != store.LetterQueued {
			t.Fatalf("requeue: %+v %v", l, err)
		}
		if jobs, _ := b.st.CaseJobs(b.ctx, b.orgA, rec.ID); len(jobs) != 1 {
			t.Fatalf("requeue enqueues a send job: %d", len(jobs))
		}
	})
}

package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// withdrawn opens a case and closes it at the complainant's request today.
func (b *bundle) withdrawn(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.FromTime(*b.clock)), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.Act(ctx, "acme", v.Number, b.board, complaint.Command{Action: complaint.ActWithdraw,
		Input: json.RawMessage(`{"reason":"Zoë belde: het is opgelost met Dirk."}`)}); err != nil {
		t.Fatal(err)
	}
	return v.Number
}

// setRetention stores a version of the NextBest regulation, valid from
// validFrom, with a retention period of months after closing.
func (b *bundle) setRetention(t *testing.T, validFrom calendar.Date, months int) {
	t.Helper()
	src, _ := reglement.PresetSource("nextbest")
	y := strings.Replace(string(src), "retention:\n  anchor: closing\n",
		"retention:\n  period: {amount: "+strconv.Itoa(months)+", unit: months}\n  anchor: closing\n  then: destroy\n", 1)
	if y == string(src) {
		t.Fatal("the NextBest preset's retention block changed; adapt the test")
	}
	y = strings.Replace(y, "version: \"1\"", "version: \"2\"", 1)
	if _, err := b.st.SaveRegulation(context.Background(), "acme", store.Regulation{ValidFrom: validFrom, YAML: y}); err != nil {
		t.Fatal(err)
	}
}

func numbers(cs []service.RetentionCase) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Number)
	}
	return out
}

func TestRetentionAndErasure(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		closed := b.withdrawn(t)
		open, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}

		// NextBest sets no period: the closed case is listed as such.
		ov, err := b.svc.Retention(ctx, "acme", b.board)
		if err != nil {
			t.Fatal(err)
		}
		if got := numbers(ov.Undetermined); len(got) != 1 || got[0] != closed || len(ov.Due) != 0 {
			t.Fatalf("without a period: undetermined %v, due %v; want [%s] and none", got, numbers(ov.Due), closed)
		}
		_, err = b.svc.EraseCase(ctx, "acme", closed, b.board, complaint.ErasureRetention, "")
		wantReason(t, err, "retention_not_set")

		// A period of 24 months, set later, applies to the case closed
		// before it.
		b.setRetention(t, calendar.D(2026, 3, 10), 24)
		ov, _ = b.svc.Retention(ctx, "acme", b.board)
		if len(ov.Due) != 0 || len(ov.Undetermined) != 0 || ov.Running != 1 {
			t.Fatalf("within the period: %+v", ov)
		}
		_, err = b.svc.EraseCase(ctx, "acme", closed, b.board, complaint.ErasureRetention, "")
		wantReason(t, err, "retention_not_ended")

		*b.clock = b.clock.AddDate(2, 0, 1)
		ov, _ = b.svc.Retention(ctx, "acme", b.board)
		if got := numbers(ov.Due); len(got) != 1 || got[0] != closed {
			t.Fatalf("after the period: due %v, want [%s]", got, closed)
		}
		if due := ov.Due[0]; due.Ends == nil || *due.Ends != calendar.D(2028, 3, 10) {
			t.Errorf("retention ends %v, want 2028-03-10", due.Ends)
		}

		// A handler may neither see the list nor erase.
		if _, err := b.svc.Retention(ctx, "acme", b.handler); apperr.CodeOf(err) != apperr.Forbidden {
			t.Errorf("handler sees the retention list: %v", err)
		}
		if _, err := b.svc.EraseCase(ctx, "acme", closed, b.handler, complaint.ErasureRetention, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("handler erases: %v", err)
		}

		v, err := b.svc.EraseCase(ctx, "acme", closed, b.board, complaint.ErasureRetention, "")
		if err != nil {
			t.Fatalf("EraseCase: %v", err)
		}
		if v.Case.Erasure == nil || v.Case.Erasure.Reason != complaint.ErasureRetention || v.Case.Erasure.Source != "Art. 11" {
			t.Fatalf("erasure folded: %+v", v.Case.Erasure)
		}
		last := v.Events[len(v.Events)-1]
		if last.Type != complaint.EvCaseErased {
			t.Fatalf("last event %s, want case_erased", last.Type)
		}
		for _, e := range v.Events {
			for _, personal := range []string{"Zoë", "zoe@example.nl", "0612345678", "Dirk", "terugbelverzoek"} {
				if strings.Contains(string(e.Payload), personal) {
					t.Errorf("event %d (%s) keeps %q: %s", e.Seq, e.Type, personal, e.Payload)
				}
			}
		}
		if v.Record.ComplainantName != "" || v.Record.SearchText != "" {
			t.Errorf("projection keeps %q / %q", v.Record.ComplainantName, v.Record.SearchText)
		}
		if v.Case.Outcome != reglement.OutcomeWithdrawn || v.Case.ClosedOn == nil || len(v.Allowed) != 0 {
			t.Errorf("after erasure: outcome %q, closed %v, allowed %v", v.Case.Outcome, v.Case.ClosedOn, v.Allowed)
		}
		if found, _ := b.svc.Cases(ctx, "acme", store.CaseFilter{Text: "Zoë"}); len(found) != 1 || found[0].Number != open.Number {
			t.Errorf("search for the name finds %v, want only the open case", found)
		}
		rep, err := b.st.VerifyChain(ctx, "acme")
		if err != nil || !rep.Intact {
			t.Fatalf("chain after erasure: %+v %v", rep, err)
		}
		_, err = b.svc.EraseCase(ctx, "acme", closed, b.board, complaint.ErasureRetention, "")
		wantReason(t, err, "already_erased")
		_, err = b.svc.Act(ctx, "acme", closed, b.board, complaint.Command{Action: complaint.ActAddNote, Input: json.RawMessage(`{"text":"x"}`)})
		wantReason(t, err, "erased")
		ov, _ = b.svc.Retention(ctx, "acme", b.board)
		if len(ov.Due) != 0 || ov.Erased != 1 {
			t.Errorf("after erasure the list shows %v due, %d erased", numbers(ov.Due), ov.Erased)
		}

		// The open case: only on an erasure request, with a note.
		_, err = b.svc.EraseCase(ctx, "acme", open.Number, b.board, complaint.ErasureRetention, "")
		wantReason(t, err, "retention_not_ended")
		_, err = b.svc.EraseCase(ctx, "acme", open.Number, b.board, complaint.ErasureRequest, " ")
		wantReason(t, err, "erasure_note_required")
		v, err = b.svc.EraseCase(ctx, "acme", open.Number, b.board, complaint.ErasureRequest, "Verzoek per brief van 1 maart, geen lopende claim.")
		if err != nil {
			t.Fatal(err)
		}
		if !v.Record.Closed || !v.Record.NextDeadline.IsZero() || v.Case.Erasure.Source != "AVG art. 17" {
			t.Errorf("an erased open case: closed %v, next %v, source %q", v.Record.Closed, v.Record.NextDeadline, v.Case.Erasure.Source)
		}
	})
}

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error %v, want reason %q", err, reason)
	}
}

// An erased case's letters are gone: no PDF composed again from the
// redacted events, no new letter, no resend.
func TestErasedCaseHasNoLetters(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := context.Background()
	v, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.FromTime(*b.clock)), "")
	if err != nil {
		t.Fatal(err)
	}
	number := v.Number
	if _, err := b.svc.Act(ctx, "acme", number, b.board, complaint.Command{Action: complaint.ActAssignHandler,
		Input: json.RawMessage(`{"handler":{"name":"Anna de Vries","email":"anna@acme.test","phone":"030 123","user_id":"` + b.handler.UserID + `"}}`)}); err != nil {
		t.Fatal(err)
	}
	l, err := b.svc.SendLetter(ctx, "acme", number, b.board, reglement.LetterAcknowledgement,
		letter.Recipient{Name: "Zoë Çelik", Email: "zoe@example.nl", Party: reglement.PartyComplainant}, store.LetterEmail)
	if err != nil {
		t.Fatalf("SendLetter: %v", err)
	}
	if _, err := b.svc.EraseCase(ctx, "acme", number, b.board, complaint.ErasureRequest, "Verzoek per brief"); err != nil {
		t.Fatal(err)
	}
	stored, err := b.st.GetLetter(ctx, "acme", l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored.PDF) != 0 || stored.Text != "" || stored.Recipient.Name != "" {
		t.Fatalf("the letter keeps its content: %+v", stored)
	}
	if _, err := b.svc.LetterPDF(ctx, "acme", stored); apperr.CodeOf(err) != apperr.NotFound {
		t.Errorf("the erased letter's PDF: %v, want not found", err)
	}
	_, err = b.svc.SendLetter(ctx, "acme", number, b.board, reglement.LetterAcknowledgement,
		letter.Recipient{Name: "X", Email: "x@example.nl", Party: reglement.PartyComplainant}, store.LetterEmail)
	wantReason(t, err, "erased")
	_, err = b.svc.ResendLetter(ctx, "acme", l.ID, b.board)
	wantReason(t, err, "erased")
}

package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

type bundle struct {
	svc     *service.Service
	st      *store.Store
	clock   *time.Time
	handler complaint.Caller
	board   complaint.Caller
}

// setup makes an organisation "acme" on the NextBest preset, a handler and a
// board member, on a store of the given engine with a movable clock.
func setup(t *testing.T, dsn string) *bundle {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Date(2026, 3, 10, 10, 0, 0, 0, loc)
	b := &bundle{st: st, clock: &clock}
	b.svc = service.New(st, func() time.Time { return *b.clock }, loc)
	for _, org := range []string{"acme", "other"} {
		if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: org, Name: strings.ToUpper(org), ReglementID: "nextbest"}); err != nil {
			t.Fatal(err)
		}
		src, err := reglement.PresetSource("nextbest")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveRegulation(ctx, org, store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(src)}); err != nil {
			t.Fatal(err)
		}
	}
	mk := func(email, name string, roles ...string) complaint.Caller {
		u, err := st.CreateUser(ctx, store.User{Email: email, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range roles {
			if err := st.AddMembership(ctx, "acme", u.ID, r); err != nil {
				t.Fatal(err)
			}
		}
		c, err := b.svc.Caller(ctx, "acme", u.ID)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	b.handler = mk("anna@acme.test", "Anna de Vries", "handler")
	b.board = mk("cees@acme.test", "Cees Bakker", "board", "administrator")
	return b
}

func intake(received calendar.Date) complaint.NewComplaint {
	inc := received.AddDays(-5)
	return complaint.NewComplaint{Intake: complaint.Intake{
		Channel: reglement.ChannelEmail, ReceivedOn: received,
		Complainant:   complaint.Person{Name: "Zoë Çelik", Email: "zoe@example.nl", Phone: "0612345678"},
		ContactPerson: "Dirk Smit", IncidentDate: &inc, Facts: "Cliënt kreeg geen terugbelverzoek.",
	}}
}

func TestRegulationVersionInForceOnReceipt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		before, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 2)), "")
		if err != nil {
			t.Fatal(err)
		}
		// Version 2 from 5 March: acknowledgement within 5 working days.
		src, _ := reglement.PresetSource("nextbest")
		v2 := strings.Replace(string(src), "version: \"1\"", "version: \"2\"", 1)
		v2 = strings.Replace(v2, "valid_from: \"2020-01-01\"", "valid_from: \"2026-03-05\"", 1)
		v2 = replaceAckAmount(t, v2, 5)
		if _, err := b.st.SaveRegulation(ctx, "acme", store.Regulation{ValidFrom: calendar.D(2026, 3, 5), YAML: v2}); err != nil {
			t.Fatal(err)
		}
		after, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "")
		if err != nil {
			t.Fatal(err)
		}
		old, err := b.svc.Case(ctx, "acme", before.Number, b.board)
		if err != nil {
			t.Fatal(err)
		}
		if old.Reglement.Revision != 1 || after.Reglement.Revision != 2 {
			t.Fatalf("revisions: running case %d (want 1), new case %d (want 2)", old.Reglement.Revision, after.Reglement.Revision)
		}
		ack := func(v service.CaseView) calendar.Date {
			for _, d := range v.Deadlines {
				if d.Step == reglement.StepAcknowledgement {
					return *d.Due
				}
			}
			t.Fatal("no acknowledgement deadline")
			return calendar.Date{}
		}
		// Received Monday 2 March: 2 working days = 4 March (version 1 kept).
		if got := ack(old); got != calendar.D(2026, 3, 4) {
			t.Fatalf("running case changed by a later version: ack due %s", got)
		}
		// Received Monday 9 March under version 2: 5 working days = 16 March.
		if got := ack(after); got != calendar.D(2026, 3, 16) {
			t.Fatalf("new case under version 2: ack due %s", got)
		}
	})
}

func replaceAckAmount(t *testing.T, src string, n int) string {
	t.Helper()
	i := strings.Index(src, "- step: acknowledgement")
	j := strings.Index(src[i:], "amount: 2")
	if i < 0 || j < 0 {
		t.Fatal("NextBest preset changed: cannot find the acknowledgement amount")
	}
	return src[:i+j] + "amount: " + string(rune('0'+n)) + src[i+j+len("amount: 2"):]
}

func TestActionsThroughTheStore(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		v, created, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "key-1")
		if err != nil || !created {
			t.Fatalf("create: %v %v", created, err)
		}
		again, created, err := b.svc.CreateCase(ctx, "acme", b.board, intake(calendar.D(2026, 3, 9)), "key-1")
		if err != nil || created || again.Number != v.Number {
			t.Fatalf("idempotent repeat: %v %v %v", again.Number, created, err)
		}
		act := func(who complaint.Caller, a complaint.Action, in any) (service.CaseView, error) {
			raw, _ := json.Marshal(in)
			return b.svc.Act(ctx, "acme", v.Number, who, complaint.Command{Action: a, Input: raw})
		}
		if _, err := act(b.board, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"name": "Cees Bakker", "user_id": b.board.UserID}}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("assigning a user without the handler role: %v", err)
		}
		if _, err := act(b.board, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"name": "Anna de Vries", "user_id": b.handler.UserID}}); err != nil {
			t.Fatal(err)
		}
		view, err := act(b.handler, complaint.ActAcknowledge, map[string]any{"via": "email"})
		if err != nil {
			t.Fatal(err)
		}
		if view.NextDeadline == nil || view.NextDeadline.Step == reglement.StepAcknowledgement {
			t.Fatalf("after acknowledgement the next deadline moves on: %+v", view.NextDeadline)
		}
		rec, events, err := b.st.GetCase(ctx, "acme", v.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 3 || rec.HandlerID != b.handler.UserID || rec.NextDeadline != *view.NextDeadline.Due {
			t.Fatalf("stored: %d events, handler %q, next %s", len(events), rec.HandlerID, rec.NextDeadline)
		}
		// A refused action writes nothing.
		if _, err := act(b.handler, complaint.ActClose, nil); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("close before decision: %v", err)
		}
		if _, events2, _ := b.st.GetCase(ctx, "acme", v.Number); len(events2) != 3 {
			t.Fatalf("a refused action left %d events", len(events2))
		}
		// Tenancy: the other organisation cannot see or change it.
		if _, err := b.svc.Case(ctx, "other", v.Number, b.board); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("other org reads the case: %v", err)
		}
		if _, err := b.svc.Act(ctx, "other", v.Number, b.board, complaint.Command{Action: complaint.ActAddNote, Input: json.RawMessage(`{"text":"x"}`)}); apperr.CodeOf(err) != apperr.NotFound {
			t.Fatalf("other org changes the case: %v", err)
		}
	})
}

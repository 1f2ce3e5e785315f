package demo_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/demo"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

type testBundle struct {
	ctx   context.Context
	st    *store.Store
	svc   *service.Service
	now   time.Time
	creds demo.Credentials
}

// setup seeds a fresh database of the engine at a fixed moment.
func setup(t *testing.T, dsn string, now time.Time) *testBundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := service.New(st, func() time.Time { return now }, amsterdam)
	creds, err := demo.Seed(ctx, svc, st, now)
	if err != nil {
		t.Fatalf("Seed: %v", err)
	}
	return &testBundle{ctx: ctx, st: st, svc: svc, now: now, creds: creds}
}

// caseSummary is the part of the projection summary the test reads.
type caseSummary struct {
	TimeBarred bool   `json:"time_barred"`
	Outcome    string `json:"outcome"`
	Paused     bool   `json:"paused"`
}

func TestSeed(t *testing.T) {
	t.Parallel()
	// A Monday morning in spring; the second moment crosses a year end and
	// starts before office hours, so that today's steps move before now.
	for _, now := range []time.Time{
		time.Date(2026, 3, 16, 10, 30, 0, 0, amsterdam),
		time.Date(2027, 1, 4, 7, 5, 0, 0, amsterdam),
	} {
		storetest.Each(t, func(t *testing.T, dsn string) {
			b := setup(t, dsn, now)
			checkSeed(t, b)
		})
	}
}

func checkSeed(t *testing.T, b *testBundle) {
	ctx := b.ctx
	presets, err := reglement.Presets()
	if err != nil {
		t.Fatal(err)
	}
	if b.creds.Email != demo.AdminEmail || len(b.creds.Password) < 16 {
		t.Errorf("credentials %q / %q: want the demo admin and a long password", b.creds.Email, b.creds.Password)
	}
	admin, err := b.st.FindUserByEmail(ctx, b.creds.Email)
	if err != nil {
		t.Fatal(err)
	}
	if err := password.Verify(b.creds.Password, admin.PasswordHash); err != nil {
		t.Errorf("the printed password does not sign the admin in: %v", err)
	}
	if len(b.creds.Tokens) != len(presets) {
		t.Errorf("%d tokens for %d organisations", len(b.creds.Tokens), len(presets))
	}
	today := calendar.FromTime(b.now.In(amsterdam))
	for _, p := range presets {
		t.Run(p.ID, func(t *testing.T) {
			org, err := b.st.GetOrganisation(ctx, p.ID)
			if err != nil {
				t.Fatal(err)
			}
			if org.Name != p.Organisation {
				t.Errorf("organisation name %q; want the preset's %q", org.Name, p.Organisation)
			}
			regs, err := b.st.Regulations(ctx, p.ID)
			if err != nil || len(regs) != 1 || regs[0].ValidFrom != p.ValidFrom {
				t.Errorf("regulations %+v, %v; want one valid from %s", regs, err, p.ValidFrom)
			}
			orgID, u, roles, err := b.st.UserByToken(ctx, b.creds.Token(p.ID))
			if err != nil || orgID != p.ID || u.ID != admin.ID || !slices.Contains(roles, string(reglement.RoleAdmin)) {
				t.Errorf("the demo token of %s stands for %s/%s %v (%v); want the admin", p.ID, orgID, u.Email, roles, err)
			}
			checkStaff(t, b, p)
			checkCases(t, b, p, admin, today)
			rep, err := b.st.VerifyChain(ctx, p.ID)
			if err != nil || !rep.Intact {
				t.Errorf("chain of %s: %+v, %v", p.ID, rep, err)
			}
		})
	}

	// Seeding again never mixes demo data into a used database.
	if _, err := demo.Seed(ctx, b.svc, b.st, b.now); !errors.Is(err, demo.ErrNotEmpty) {
		t.Errorf("second Seed = %v; want ErrNotEmpty", err)
	}
}

// checkStaff: every role of the procedure has a person.
func checkStaff(t *testing.T, b *testBundle, p *reglement.Reglement) {
	members, err := b.st.Members(b.ctx, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, m := range members {
		for _, r := range m.Roles {
			count[r]++
		}
	}
	want := map[reglement.Role]int{reglement.RoleAdmin: 1, reglement.RoleHandler: 3, reglement.RoleBoard: 2,
		reglement.RoleQualityOfficer: 1, reglement.RoleReceiver: 2}
	for role, n := range want {
		if count[string(role)] != n {
			t.Errorf("%d members with role %s; want %d", count[string(role)], role, n)
		}
	}
	for _, person := range demo.Staff(p) {
		if _, err := b.st.FindUserByEmail(b.ctx, person.Email); err != nil {
			t.Errorf("staff %s (%s): %v", person.Key, person.Email, err)
		}
	}
}

// checkCases: about a dozen cases in every phase, with the situations the
// regulation allows.
func checkCases(t *testing.T, b *testBundle, p *reglement.Reglement, admin store.User, today calendar.Date) {
	ctx := b.ctx
	recs, err := b.st.FindCases(ctx, p.ID, store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) < 10 || len(recs) > 20 {
		t.Errorf("%d demo cases; want about a dozen", len(recs))
	}
	caller := service.CallerFor(admin, []string{string(reglement.RoleAdmin)})
	phases := map[complaint.Phase]int{}
	outcomes := map[string]int{}
	var timeBarred, paused, overdue, extended, remark int
	seen := map[string]bool{}
	for _, rec := range recs {
		if seen[rec.Number] {
			t.Errorf("case number %s twice", rec.Number)
		}
		seen[rec.Number] = true
		v, err := b.svc.Case(ctx, p.ID, rec.Number, caller)
		if err != nil {
			t.Fatal(err)
		}
		phases[v.Case.Phase]++
		var sum caseSummary
		if err := json.Unmarshal(rec.Summary, &sum); err != nil {
			t.Fatal(err)
		}
		if rec.Closed {
			outcomes[sum.Outcome]++
		}
		if sum.TimeBarred {
			timeBarred++
		}
		if sum.Paused {
			paused++
		}
		if v.Overdue && slices.ContainsFunc(v.Deadlines, func(d complaint.CaseDeadline) bool {
			return d.Step == reglement.StepDecision && d.Status == complaint.StatusMissed
		}) {
			overdue++
		}
		if v.Case.IsRemark() {
			remark++
		}
		if len(v.Case.Extensions) > 0 {
			extended++
		}
		for _, e := range v.Events {
			if e.At.After(b.now) {
				t.Errorf("case %s: event %d (%s) at %s lies after now %s", rec.Number, e.Seq, e.Type, e.At, b.now)
			}
		}
		if v.Case.Intake.ReceivedOn.After(today) {
			t.Errorf("case %s received on %s, after today %s", rec.Number, v.Case.Intake.ReceivedOn, today)
		}
	}
	for _, ph := range []complaint.Phase{complaint.PhaseReceived, complaint.PhaseHandling, complaint.PhaseDecided, complaint.PhaseClosed} {
		if phases[ph] == 0 {
			t.Errorf("no demo case is %s (phases %v)", ph, phases)
		}
	}
	if paused == 0 {
		t.Error("no demo case has its clock paused")
	}
	if overdue == 0 && p.DecisionBase() != nil {
		t.Error("no demo case is past its decision term")
	}
	if extended == 0 && p.Extension.Allowed {
		t.Error("no demo case was extended, though the regulation allows it")
	}
	if outcomes[string(reglement.OutcomeInadmissible)] == 0 {
		t.Errorf("no demo case was found inadmissible (outcomes %v)", outcomes)
	}
	if outcomes[string(reglement.OutcomeNotUpheld)]+outcomes[string(reglement.OutcomeUpheld)]+outcomes[string(reglement.OutcomePartlyUpheld)] < 2 {
		t.Errorf("fewer than two demo cases were closed after a decision (outcomes %v)", outcomes)
	}
	hasOutcome := func(o reglement.OutcomeKind) bool {
		return slices.ContainsFunc(p.Outcomes, func(x reglement.Outcome) bool { return x.Outcome == o })
	}
	if hasOutcome(reglement.OutcomeSettledInformal) && outcomes[string(reglement.OutcomeSettledInformal)] == 0 {
		t.Errorf("no demo case was settled informally, though the regulation allows it (outcomes %v)", outcomes)
	}
	if (hasOutcome(reglement.OutcomeWithdrawn) || p.Closing.EarlyOnRequest.Value) && outcomes[string(reglement.OutcomeWithdrawn)] == 0 {
		t.Errorf("no demo case was withdrawn, though the regulation allows it (outcomes %v)", outcomes)
	}
	if p.Definitions.Remark != nil && remark == 0 {
		t.Error("no demo remark, though the regulation knows remarks")
	}
	if _, g, applies := p.TimeBar(today, today); applies && g != nil && timeBarred == 0 {
		t.Error("no time-barred demo case, though the regulation has an incident-age ground")
	}
}

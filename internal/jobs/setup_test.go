package jobs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	_ "time/tzdata"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is the tests' movable clock, safe to read from a running Runner.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.now = t
	c.mu.Unlock()
}

// person is a member of the test organisation.
type person struct {
	user   store.User
	caller complaint.Caller
}

// testBundle is an organisation on a preset regulation with a board
// member (who also receives complaints), a handler and the employee the
// complaints are about, on a store of one engine, with the service and a
// runner on one movable clock.
type testBundle struct {
	t      *testing.T
	ctx    context.Context
	st     *store.Store
	svc    *service.Service
	loc    *time.Location
	clock  *clock
	org    string
	r      *reglement.Reglement
	runner *jobs.Runner
	smtp   *mailtest.Server

	board   person
	handler person
	coach   person
}

type setupOptions struct {
	// mailer replaces the SMTP server.
	mailer jobs.Mailer
	// noMail runs without a mail server.
	noMail bool
	cfg    jobs.Config
}

func setup(t *testing.T, dsn, preset string, opt setupOptions) *testBundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		t.Fatal(err)
	}
	b := &testBundle{t: t, ctx: ctx, st: st, loc: loc, clock: &clock{}}
	b.at(calendar.D(2026, 11, 23), 9)
	b.svc = service.New(st, b.clock.Now, loc)
	st.Now = b.clock.Now
	var mailer jobs.Mailer
	switch {
	case opt.mailer != nil:
		mailer = opt.mailer
	case !opt.noMail:
		b.smtp = mailtest.Start(t)
		sender, err := mail.NewSender(b.smtp.Config())
		if err != nil {
			t.Fatal(err)
		}
		mailer = sender
	}
	b.runner = jobs.New(b.svc, mailer, opt.cfg, nil)
	b.addOrg(preset)
	return b
}

// addOrg creates an organisation on a preset, with its board member,
// handler and coach, and makes it the bundle's organisation.
func (b *testBundle) addOrg(preset string) {
	t := b.t
	t.Helper()
	b.org = preset
	settings := fmt.Sprintf(`{"letters":{"complaint_email":"klachten@%s.test","address":"Oudegracht 12\n3511 AB Utrecht","phone":"030 123 45 00"}}`, preset)
	if _, err := b.st.CreateOrganisation(b.ctx, store.Organisation{ID: preset, Name: "Reïntegratie " + strings.ToUpper(preset[:1]) + preset[1:] + " B.V.",
		ReglementID: preset, Settings: json.RawMessage(settings)}); err != nil {
		t.Fatal(err)
	}
	src, err := reglement.PresetSource(preset)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.st.SaveRegulation(b.ctx, preset, store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(src)}); err != nil {
		t.Fatal(err)
	}
	if b.r, err = reglement.Preset(preset); err != nil {
		t.Fatal(err)
	}
	b.board = b.member("cees@"+preset+".test", "Cees Bakker", "board", "receiver", "administrator")
	b.handler = b.member("anna@"+preset+".test", "Anna de Vries", "handler")
	b.coach = b.member("dirk@"+preset+".test", "Dirk Smit", "receiver")
}

// forOrg returns a bundle on the same store, service, clock and runner
// for another organisation on a preset.
func (b *testBundle) forOrg(preset string) *testBundle {
	o := *b
	o.addOrg(preset)
	return &o
}

// member creates a user with roles in the organisation.
func (b *testBundle) member(email, name string, roles ...string) person {
	b.t.Helper()
	u, err := b.st.CreateUser(b.ctx, store.User{Email: email, Name: name})
	if err != nil {
		b.t.Fatal(err)
	}
	for _, r := range roles {
		if err := b.st.AddMembership(b.ctx, b.org, u.ID, r); err != nil {
			b.t.Fatal(err)
		}
	}
	c, err := b.svc.Caller(b.ctx, b.org, u.ID)
	if err != nil {
		b.t.Fatal(err)
	}
	return person{user: u, caller: c}
}

// at moves the clock to hour on day d, in the organisation's zone.
func (b *testBundle) at(d calendar.Date, hour int) {
	b.clock.set(time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, b.loc))
}

// today is the clock's date.
func (b *testBundle) today() calendar.Date { return calendar.FromTime(b.clock.Now().In(b.loc)) }

// intake is the tests' complaint, received today: it names the coach as
// the accused employee and holds what every preset asks at intake.
func (b *testBundle) intake(complainant string) complaint.NewComplaint {
	today := b.today()
	incident := today.AddDays(-10)
	slug := strings.ToLower(strings.Fields(complainant)[0])
	return complaint.NewComplaint{Intake: complaint.Intake{
		Channel:    reglement.ChannelEmail,
		ReceivedOn: today,
		Complainant: complaint.Person{Name: complainant, Email: slug + "@example.test", Phone: "06 12345678",
			Address: "Dorpsstraat 1, 1234 AB Ergens"},
		Correspondence:     "email",
		ClientName:         complainant,
		CommissioningParty: "UWV",
		CommissioningKind:  "uwv",
		Service:            "jobcoaching",
		ContactPerson:      "Noor Visser",
		AccusedEmployees:   []complaint.Person{{Name: "Dirk Smit", UserID: b.coach.user.ID, Email: b.coach.user.Email}},
		IncidentDate:       &incident,
		IncidentTime:       "14:00",
		IncidentPlace:      "Kantoor Utrecht",
		Facts:              "De coach kwam drie afspraken niet na. Ik moest steeds voor niets naar het kantoor reizen.",
		DesiredOutcome:     "Een andere coach en een vergoeding van mijn reiskosten.",
		ClaimAmountEUR:     500,
	}}
}

// receive opens a case received today.
func (b *testBundle) receive(complainant string) string {
	b.t.Helper()
	v, _, err := b.svc.CreateCase(b.ctx, b.org, b.board.caller, b.intake(complainant), "")
	if err != nil {
		b.t.Fatalf("receive: %v", err)
	}
	b.sendPortalLinks()
	return v.Number
}

// sendPortalLinks runs the queued portal-link mails only (not the
// reminder scans), so that the tests of letters meet their own mail first.
func (b *testBundle) sendPortalLinks() {
	b.t.Helper()
	due, err := b.st.Claim(b.ctx, b.svc.Now(), 100, time.Minute, jobs.KindPortalLink)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, j := range due {
		b.runner.RunJob(b.ctx, j)
	}
}

// act performs an action or fails the test.
func (b *testBundle) act(number string, who person, a complaint.Action, input any) service.CaseView {
	b.t.Helper()
	v, err := b.tryAct(number, who, a, input)
	if err != nil {
		b.t.Fatalf("%s %s by %s on %s: %v", number, a, who.user.Name, b.today(), err)
	}
	return v
}

func (b *testBundle) tryAct(number string, who person, a complaint.Action, input any) (service.CaseView, error) {
	raw, err := json.Marshal(input)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.svc.Act(b.ctx, b.org, number, who.caller, complaint.Command{Action: a, Input: raw})
}

// allowed reports whether the person may take the action now.
func (b *testBundle) allowed(number string, who person, a complaint.Action) bool {
	b.t.Helper()
	v, err := b.svc.Case(b.ctx, b.org, number, who.caller)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, x := range v.Allowed {
		if x == a {
			return true
		}
	}
	return false
}

// assign makes Anna the handler.
func (b *testBundle) assign(number string) {
	b.t.Helper()
	b.act(number, b.board, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{
		"name": b.handler.user.Name, "user_id": b.handler.user.ID, "function": "klachtencoördinator",
		"email": b.handler.user.Email, "phone": "030 123 45 67",
	}})
}

// view reads a case as the board sees it.
func (b *testBundle) view(number string) service.CaseView {
	b.t.Helper()
	v, err := b.svc.Case(b.ctx, b.org, number, b.board.caller)
	if err != nil {
		b.t.Fatal(err)
	}
	return v
}

// runDue runs the due jobs or fails the test.
func (b *testBundle) runDue() int {
	b.t.Helper()
	n, err := b.runner.RunDue(b.ctx)
	if err != nil {
		b.t.Fatalf("RunDue: %v", err)
	}
	return n
}

// eachEngine runs fn on both engines.
func eachEngine(t *testing.T, fn func(t *testing.T, dsn string)) { storetest.Each(t, fn) }

package jobs_test

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// reminderDays is the runner's default: the handler is reminded two
// working days before a term.
const reminderDays = 2

// notice identifies one notice the simulation expects or saw.
type notice struct {
	org, number string
	// kind is jobs.KindReminder, jobs.KindOverdue or jobs.KindDigest.
	kind string
	// deadline is "step kind due" for reminders and overdue notices, the
	// recipient for a digest.
	deadline string
	// day is the day of a digest.
	day calendar.Date
}

func (n notice) String() string {
	return fmt.Sprintf("%s %s %s [%s] %s", n.org, n.number, n.kind, n.deadline, n.day)
}

// simCase is one complaint of the simulation.
type simCase struct {
	o       *testBundle
	number  string
	profile int
	day0    calendar.Date
}

// sim runs complaints of several organisations through months of days,
// running the jobs at 07:00 and 12:00 every day, with people acting at
// 09:00 on working days. Before each run it works out from the cases'
// deadlines which notices are due by the rules (a reminder from two
// working days before a term, an overdue notice from the first working day
// after a missed limit, a digest on working days at 07:00), and after the
// run it checks that exactly those were sent, each once, to the right
// people.
type sim struct {
	t      *testing.T
	orgs   []*testBundle
	mailer *recordingMailer
	runner *jobs.Runner

	agenda map[calendar.Date][]func()
	cases  []*simCase
	sent   map[notice]time.Time
	seen   int

	counts map[string]int
}

func (s *sim) on(d calendar.Date, fn func()) { s.agenda[d] = append(s.agenda[d], fn) }

// TestReminderSimulation runs 60 complaints under SmartPLUS (calendar-day
// terms), Standergroep (working days) and NextBest (an aim without a
// limit) from November 2026 to June 2027, through Christmas, New Year,
// Easter, King's Day, Ascension and Whitsun, with a restart of the runner
// and a second process halfway. Every reminder is sent exactly once and on
// the right working day, and every missed limit reaches the handler and
// the board once.
func TestReminderSimulation(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		rec := &recordingMailer{}
		first := setup(t, inMemoryFS(t, dsn), "smartplus", setupOptions{mailer: rec})
		rec.now = first.clock.Now
		s := &sim{
			t: t, mailer: rec, runner: first.runner,
			orgs:   []*testBundle{first, first.forOrg("standergroep"), first.forOrg("nextbest")},
			agenda: map[calendar.Date][]func(){}, sent: map[notice]time.Time{}, counts: map[string]int{},
		}
		start, end := calendar.D(2026, 11, 16), calendar.D(2027, 5, 21)
		nl := calendar.MustNew(calendar.ProfileNL)
		day := start
		for i := range 54 {
			c := &simCase{o: s.orgs[i%3], profile: (i / 3) % 6, day0: day}
			s.cases = append(s.cases, c)
			s.on(day, func() { s.receive(c) })
			day, _ = nl.AddWorkingDays(day, 2)
		}
		// And six whose first term straddles a holiday, each handled on
		// the last day, after its reminder.
		for _, h := range []struct {
			org int
			on  calendar.Date
		}{
			{1, calendar.D(2026, 12, 21)}, // Christmas
			{2, calendar.D(2026, 12, 30)}, // New Year's Day
			{1, calendar.D(2027, 3, 23)},  // Easter Monday
			{2, calendar.D(2027, 4, 26)},  // King's Day
			{1, calendar.D(2027, 4, 29)},  // Ascension
			{2, calendar.D(2027, 5, 13)},  // Whit Monday
		} {
			c := &simCase{o: s.orgs[h.org], profile: 0, day0: h.on}
			s.cases = append(s.cases, c)
			s.on(h.on, func() { s.receive(c) })
		}
		restart, second := calendar.D(2027, 1, 11), calendar.D(2027, 3, 1)
		for d := start; !d.After(end); d = d.AddDays(1) {
			if d == restart {
				// The process restarts: a new runner, nothing in memory.
				s.runner = jobs.New(first.svc, rec, jobs.Config{}, nil)
			}
			s.runAt(d, 7)
			first.at(d, 9)
			for _, fn := range s.agenda[d] {
				fn()
			}
			s.runAt(d, 12)
			if !d.Before(second) && d.Weekday() == time.Monday {
				// A second process starts beside the first and finds
				// nothing left to send.
				n := len(rec.all())
				if _, err := jobs.New(first.svc, rec, jobs.Config{}, nil).RunDue(first.ctx); err != nil {
					t.Fatal(err)
				}
				if m := len(rec.all()); m != n {
					t.Fatalf("%s: a second process sent %d notices again", d, m-n)
				}
			}
		}
		s.finalChecks()
	})
}

// receive opens the case and plans what its people will do.
func (s *sim) receive(c *simCase) {
	o := c.o
	c.number = o.receive(fmt.Sprintf("Klager%02d Jansen", len(s.cases)))
	cal := o.r.WorkCalendar()
	wd := func(n int) calendar.Date {
		d, _ := cal.AddWorkingDays(c.day0, n)
		return d
	}
	ack := func() { o.act(c.number, o.handler, complaint.ActAcknowledge, map[string]any{"via": "email"}) }
	admissible := func() {
		o.act(c.number, o.handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true})
	}
	finish := func(after int) func() {
		return func() {
			o.act(c.number, o.handler, complaint.ActDecide, map[string]any{
				"points":     []map[string]any{{"point": "Afspraken niet nagekomen", "judgment": "upheld", "motivation": "Blijkt uit de agenda."}},
				"motivation": "De afspraken zijn niet nagekomen.",
			})
			close, _ := cal.AddWorkingDays(o.today(), after)
			s.on(close, func() {
				for _, a := range []complaint.Action{complaint.ActCompleteAftercare, complaint.ActSendReport, complaint.ActClose} {
					if o.allowed(c.number, o.handler, a) {
						o.act(c.number, o.handler, a, map[string]any{"text": "Afgerond."})
					}
				}
			})
		}
	}
	v := o.view(c.number)
	due := func(step reglement.Step) calendar.Date {
		var best *calendar.Date
		for _, d := range v.Deadlines {
			if d.Step == step && d.Due != nil && (best == nil || d.Kind == reglement.Limit) {
				best = d.Due
			}
		}
		if best == nil {
			s.t.Fatalf("%s has no %s term", o.org, step)
		}
		return *best
	}
	switch c.profile {
	case 0: // every step on its last day, after the reminder
		o.assign(c.number)
		s.on(due(reglement.StepAcknowledgement), func() { ack(); admissible() })
		s.on(due(reglement.StepDecision), finish(1))
	case 1: // acknowledges late: the handler is reminded and then the board told
		o.assign(c.number)
		late, _ := cal.AddWorkingDays(jobs.OverdueDay(cal, due(reglement.StepAcknowledgement)), 2)
		s.on(late, func() { ack(); admissible() })
		s.on(wd(14), finish(1))
	case 2: // extends the decision term: the reminder follows the new date
		o.assign(c.number)
		ack()
		s.on(wd(1), admissible)
		decision := due(reglement.StepDecision)
		extendOn := jobs.ReminderDay(cal, decision, 3)
		newDue, _ := cal.AddWorkingDays(decision, 10)
		s.on(extendOn, func() {
			o.act(c.number, o.handler, complaint.ActExtend, map[string]any{"new_due": newDue,
				"motivation": "Wij wachten op een verklaring.", "sent_to": o.r.Extension.NotifyParties})
		})
		s.on(jobs.ReminderDay(cal, newDue, 1), finish(1))
	case 3: // forgotten: the decision term runs out
		o.assign(c.number)
		ack()
		s.on(wd(2), admissible)
	case 4: // nobody assigned for days: the board is reminded; the report comes late
		s.on(wd(4), func() { o.assign(c.number); ack(); admissible() })
		s.on(wd(10), finish(12))
	case 5: // the clock pauses: nothing is due while it stands still
		o.assign(c.number)
		ack()
		s.on(wd(1), admissible)
		s.on(wd(5), func() {
			o.act(c.number, o.handler, complaint.ActPauseClock, map[string]any{"text": "Wacht op stukken van de klager."})
		})
		s.on(wd(12), func() { o.act(c.number, o.handler, complaint.ActResumeClock, nil) })
		s.on(wd(18), finish(1))
	}
}

// runAt moves the clock, works out the notices due, runs the jobs and
// compares.
func (s *sim) runAt(d calendar.Date, hour int) {
	t := s.t
	s.orgs[0].at(d, hour)
	// Every rule falls on a working day, and people act on working days
	// only: on a day off nothing is due, and nothing may be sent.
	want := map[notice][]string{}
	if slices.ContainsFunc(s.orgs, func(o *testBundle) bool { return o.r.WorkCalendar().IsWorkingDay(d) }) {
		want = s.due(d, hour)
	}
	if _, err := s.runner.RunDue(s.orgs[0].ctx); err != nil {
		t.Fatalf("%s %02d:00: %v", d, hour, err)
	}
	all := s.mailer.all()
	got := all[s.seen:]
	s.seen = len(all)
	for _, m := range got {
		if m.msg.Headers["X-Gegrond-Notice"] == jobs.KindPortalLink {
			continue // the complainant's link, no notice to staff
		}
		n := s.noticeOf(m)
		if prev, dup := s.sent[n]; dup {
			t.Errorf("%s %02d:00: %s sent again (first %s)", d, hour, n, prev)
			continue
		}
		s.sent[n] = m.at
		s.counts[n.kind]++
		o := s.org(n.org)
		if !o.r.WorkCalendar().IsWorkingDay(d) {
			t.Errorf("%s %02d:00: %s sent on a day that is no working day", d, hour, n)
		}
		to, ok := want[n]
		if !ok {
			t.Errorf("%s %02d:00: %s sent, not due", d, hour, n)
			continue
		}
		if got := addresses(m); !slices.Equal(got, to) {
			t.Errorf("%s %02d:00: %s went to %v, want %v", d, hour, n, got, to)
		}
		delete(want, n)
	}
	for _, n := range slices.Sorted(maps.Keys(mapKeys(want))) {
		t.Errorf("%s %02d:00: %s due, not sent", d, hour, n)
	}
	if t.Failed() {
		t.FailNow()
	}
}

func mapKeys(m map[notice][]string) map[string]notice {
	out := map[string]notice{}
	for n := range m {
		out[n.String()] = n
	}
	return out
}

// due works out, from the cases as they are now, which notices the rules
// ask for now that were not sent before, with their recipients.
func (s *sim) due(d calendar.Date, hour int) map[notice][]string {
	want := map[notice][]string{}
	for _, o := range s.orgs {
		cal := o.r.WorkCalendar()
		open, err := o.st.FindCases(o.ctx, o.org, store.CaseFilter{OpenOnly: true, Limit: store.MaxLimit})
		if err != nil {
			s.t.Fatal(err)
		}
		for _, rec := range open {
			v := o.view(rec.Number)
			for _, dl := range v.Deadlines {
				if !remindedOf(dl, v.Deadlines) || heldByPause(v, dl, d) {
					continue
				}
				due := *dl.Due
				key := fmt.Sprintf("%s %s %s", dl.Step, dl.Kind, due)
				handler := []string{}
				if v.Case.Handler != nil {
					handler = append(handler, o.handler.user.Email)
				}
				board := []string{o.board.user.Email}
				if dl.Status == complaint.StatusOpen && !d.Before(reminderDay(cal, due)) {
					n := notice{org: o.org, number: rec.Number, kind: jobs.KindReminder, deadline: key}
					if _, done := s.sent[n]; !done {
						want[n] = handler
						if len(handler) == 0 {
							want[n] = board
						}
					}
				}
				if dl.Kind == reglement.Limit && dl.Status == complaint.StatusMissed && !d.Before(overdueDay(cal, due)) {
					n := notice{org: o.org, number: rec.Number, kind: jobs.KindOverdue, deadline: key}
					if _, done := s.sent[n]; !done {
						want[n] = append(handler, board...)
					}
				}
			}
		}
		if hour != 7 || !cal.IsWorkingDay(d) {
			continue
		}
		// Digests: what is due within five working days for the handler;
		// missed terms and unassigned cases for the board.
		horizon, _ := cal.AddWorkingDays(d, 5)
		mine, _ := o.st.FindCases(o.ctx, o.org, store.CaseFilter{HandlerID: o.handler.user.ID, OpenOnly: true, DueBy: horizon})
		if len(mine) > 0 {
			want[notice{org: o.org, kind: jobs.KindDigest, deadline: o.handler.user.Email, day: d}] = []string{o.handler.user.Email}
		}
		late, _ := o.st.FindCases(o.ctx, o.org, store.CaseFilter{OpenOnly: true, OverdueOn: d})
		nobody, _ := o.st.FindCases(o.ctx, o.org, store.CaseFilter{OpenOnly: true, Unassigned: true})
		if len(late)+len(nobody) > 0 {
			want[notice{org: o.org, kind: jobs.KindDigest, deadline: o.board.user.Email, day: d}] = []string{o.board.user.Email}
		}
	}
	return want
}

// The rules, written out here as the issue states them, apart from the
// runner's code.

// remindedOf: limits, and aims of steps without a limit; not the latest
// date an extension could reach, not retention.
func remindedOf(d complaint.CaseDeadline, all []complaint.CaseDeadline) bool {
	if d.Due == nil || d.Step == reglement.StepDecisionExtended || d.Step == reglement.StepRetention {
		return false
	}
	if d.Kind == reglement.Limit {
		return true
	}
	for _, o := range all {
		if o.Step == d.Step && o.Kind == reglement.Limit {
			return false
		}
	}
	return true
}

// heldByPause: a term whose date moves while the clock is paused.
func heldByPause(v service.CaseView, d complaint.CaseDeadline, today calendar.Date) bool {
	if v.Case.PausedSince == nil {
		return false
	}
	for _, t := range v.Case.Deadlines(v.Policy, today.AddDays(1)) {
		if t.Step == d.Step && t.Kind == d.Kind && t.Due != nil {
			return *t.Due != *d.Due
		}
	}
	return false
}

// reminderDay: two working days before the due date.
func reminderDay(cal *calendar.Calendar, due calendar.Date) calendar.Date {
	d := due
	for n := 0; n < reminderDays; {
		d = d.AddDays(-1)
		if cal.IsWorkingDay(d) {
			n++
		}
	}
	return d
}

// overdueDay: the first working day after the due date.
func overdueDay(cal *calendar.Calendar, due calendar.Date) calendar.Date {
	d := due.AddDays(1)
	for !cal.IsWorkingDay(d) {
		d = d.AddDays(1)
	}
	return d
}

// noticeOf reads which notice an e-mail is.
func (s *sim) noticeOf(m sentMail) notice {
	h := m.msg.Headers
	n := notice{org: h["X-Gegrond-Org"], number: h["X-Gegrond-Case"], kind: h["X-Gegrond-Notice"], deadline: h["X-Gegrond-Deadline"]}
	if n.kind == jobs.KindDigest {
		n.deadline, n.day = m.msg.To[0].Email, calendar.FromTime(m.at)
	}
	if n.org == "" || n.kind == "" {
		s.t.Fatalf("an e-mail that is no notice: %+v", m.msg.Subject)
	}
	return n
}

func addresses(m sentMail) []string {
	var out []string
	for _, a := range m.msg.To {
		out = append(out, a.Email)
	}
	return out
}

func (s *sim) org(id string) *testBundle {
	for _, o := range s.orgs {
		if o.org == id {
			return o
		}
	}
	s.t.Fatalf("no organisation %q", id)
	return nil
}

// finalChecks: the simulation covered what it claims to.
func (s *sim) finalChecks() {
	t := s.t
	t.Logf("%d cases, notices sent: %v", len(s.cases), s.counts)
	if s.counts[jobs.KindReminder] < 40 || s.counts[jobs.KindOverdue] < 15 || s.counts[jobs.KindDigest] < 300 {
		t.Fatalf("too few notices to prove anything: %v", s.counts)
	}
	nl := s.org("standergroep").r.WorkCalendar()
	// The reminders' working days stepped over the holidays.
	overHoliday := map[string]bool{}
	perStep := map[string]int{}
	for n := range s.sent {
		if n.kind != jobs.KindReminder {
			continue
		}
		f := strings.Fields(n.deadline)
		perStep[f[0]+" "+f[1]]++
		due, err := calendar.ParseDate(f[2])
		if err != nil {
			t.Fatal(err)
		}
		for d := reminderDay(nl, due); d.Before(due); d = d.AddDays(1) {
			if name, ok := nl.Holiday(d); ok && d.Weekday() != time.Saturday && d.Weekday() != time.Sunday {
				overHoliday[name] = true
			}
		}
	}
	names := slices.Sorted(maps.Keys(overHoliday))
	t.Logf("reminders per term: %v; reminder windows over holidays: %v", perStep, names)
	for _, want := range []string{"Eerste Kerstdag", "Nieuwjaarsdag", "Tweede Paasdag", "Koningsdag", "Hemelvaartsdag", "Tweede Pinksterdag"} {
		if !overHoliday[want] {
			t.Errorf("no reminder's working days stepped over %s", want)
		}
	}
	for _, want := range []string{"decision limit", "decision aim", "acknowledgement limit", "report limit"} {
		if perStep[want] == 0 {
			t.Errorf("no reminder of a %s", want)
		}
	}
	// Every case's notices reached the right people: overdue to the
	// handler and the board (checked per run); here, that both happened.
	var boardOnly, both int
	for n := range s.sent {
		if n.kind == jobs.KindOverdue {
			both++
		}
		if n.kind == jobs.KindReminder {
			boardOnly++
		}
	}
	if both == 0 || boardOnly == 0 {
		t.Fatal("no overdue notices or reminders")
	}
	var days []string
	for n, at := range s.sent {
		if n.kind == jobs.KindOverdue && n.org == "standergroep" {
			days = append(days, calendar.FromTime(at).String())
		}
	}
	sort.Strings(days)
	t.Logf("Standergroep overdue notices on %v", days)
}

// inMemoryFS moves an SQLite database to /dev/shm when the machine has
// it: the simulation writes thousands of small transactions, each synced
// to disk (synchronous=FULL), and it tests the scheduling, not the disk.
// PostgreSQL's throwaway server runs without fsync already.
func inMemoryFS(t *testing.T, dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return dsn
	}
	dir, err := os.MkdirTemp("/dev/shm", "gegrond-sim-")
	if err != nil {
		return dsn
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "gegrond.db")
}

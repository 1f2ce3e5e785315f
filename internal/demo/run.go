package demo

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// clock is the demo's movable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// caseRun is a scenario being played.
type caseRun struct {
	*scenario
	users  map[string]store.User
	people map[string]Person
	clock  *clock
	// number and received are known once the case is made.
	number   string
	received calendar.Date
}

// today is the demo clock's date.
func (c *caseRun) today() calendar.Date { return calendar.FromTime(c.clock.Now()) }

func (c *caseRun) function(key string) string { return c.people[key].Function }

// staff is the account behind a staff key.
func (c *caseRun) staff(key string) store.User {
	if key == keyCaseHandler {
		key = c.handler
	}
	return c.users[key]
}

// partyName names a party of the case in a notice.
func (c *caseRun) partyName(p reglement.Party) string {
	switch p {
	case reglement.PartyAccusedEmployee:
		if len(c.intake.AccusedEmployees) > 0 {
			return c.intake.AccusedEmployees[0].Name
		}
	case reglement.PartyCommissioningBody:
		return c.intake.CommissioningParty
	case reglement.PartyContactPerson:
		return c.intake.ContactPerson
	case reglement.PartyComplainant:
		return c.intake.Complainant.Name
	case reglement.PartyBoard:
		return c.users[keyBoard].Name
	}
	return ""
}

func (c *caseRun) hearingParticipants() []string {
	out := []string{c.intake.Complainant.Name, c.staff(keyCaseHandler).Name}
	for _, a := range c.intake.AccusedEmployees {
		out = append(out, a.Name)
	}
	return out
}

// moment is one thing that happens in the demo: a case made (step -1) or
// one of its steps.
type moment struct {
	at   time.Time
	c    *caseRun
	step int
}

// seedCases plays the organisation's demo cases. Their steps are put on
// one timeline, at office hours on their days, and run in time order
// through a service whose clock is set to each moment: numbers follow the
// order of receipt and the event log follows the order of the days.
func seedCases(ctx context.Context, st *store.Store, orgID string, users map[string]store.User, now time.Time) error {
	clk := &clock{t: now}
	sim := service.New(st, clk.Now, now.Location())
	today := calendar.FromTime(now)
	r, _, err := sim.Regulation(ctx, orgID, today)
	if err != nil {
		return err
	}
	staff := Staff(r)
	people := map[string]Person{}
	for _, p := range staff {
		people[p.Key] = p
	}
	complainants := newNames("complainants/" + r.ID)
	for _, p := range staff {
		complainants.reserve(p.Name)
	}
	p := &planner{r: r, today: today, staff: people, people: complainants}

	cal := r.WorkCalendar()
	var timeline []moment
	for _, s := range p.scenarios() {
		c := &caseRun{scenario: s, users: users, people: people, clock: clk}
		day := func(d int) time.Time {
			date := today.AddDays(d - s.ago)
			if d > 0 {
				// Staff work on working days; complaints come in any day.
				for !cal.IsWorkingDay(date) && date.Before(today) {
					date = date.AddDays(1)
				}
			}
			return time.Date(date.Year, date.Month, date.Day, 9, 0, 0, 0, now.Location())
		}
		// A few minutes apart within a case, at a time of day that differs
		// per case.
		offset := time.Duration(len(timeline)%7) * 11 * time.Minute
		timeline = append(timeline, moment{at: day(0).Add(offset), c: c, step: -1})
		for i, stp := range s.steps {
			timeline = append(timeline, moment{at: day(stp.day).Add(offset + time.Duration(i+1)*17*time.Minute), c: c, step: i})
		}
	}
	slices.SortStableFunc(timeline, func(a, b moment) int { return a.at.Compare(b.at) })
	// What would lie in the future happens just before now, in order.
	next := now
	for i := len(timeline) - 1; i >= 0; i-- {
		if !timeline[i].at.Before(next) {
			timeline[i].at = next.Add(-time.Second)
		}
		next = timeline[i].at
	}

	callers := map[string]complaint.Caller{}
	caller := func(u store.User) (complaint.Caller, error) {
		if c, ok := callers[u.ID]; ok {
			return c, nil
		}
		c, err := sim.Caller(ctx, orgID, u.ID)
		callers[u.ID] = c
		return c, err
	}
	for _, m := range timeline {
		clk.set(m.at)
		c := m.c
		if m.step < 0 {
			if err := create(ctx, sim, orgID, c, caller); err != nil {
				return fmt.Errorf("case %q: %w", c.name, err)
			}
			continue
		}
		stp := c.steps[m.step]
		if err := act(ctx, sim, orgID, c, stp, caller); err != nil {
			return fmt.Errorf("case %s (%q), %s: %w", c.number, c.name, stp.action, err)
		}
	}
	return nil
}

// create makes the case of a scenario, received by the receiver.
func create(ctx context.Context, sim *service.Service, orgID string, c *caseRun, caller func(store.User) (complaint.Caller, error)) error {
	who, err := caller(c.users[keyReceiver])
	if err != nil {
		return err
	}
	in := c.intake
	received := c.today()
	incident := received.AddDays(-c.incidentBefore)
	in.IncidentDate = &incident
	// The accused employee is staff: link the account, so that the
	// independence rules know them by account and not only by name.
	for i := range in.AccusedEmployees {
		in.AccusedEmployees[i].UserID = c.users[keyAccused].ID
	}
	c.intake.AccusedEmployees = in.AccusedEmployees
	view, _, err := sim.CreateCase(ctx, orgID, who, in, "")
	if err != nil {
		return err
	}
	c.number, c.received = view.Number, view.Case.Intake.ReceivedOn
	return nil
}

// act takes one step on a case. An optional step the caller may not take
// now is left out.
func act(ctx context.Context, sim *service.Service, orgID string, c *caseRun, stp step, caller func(store.User) (complaint.Caller, error)) error {
	who, err := caller(c.staff(stp.who))
	if err != nil {
		return err
	}
	if stp.optional {
		view, err := sim.Case(ctx, orgID, c.number, who)
		if err != nil {
			return err
		}
		if !slices.Contains(view.Allowed, stp.action) {
			return nil
		}
	}
	input, err := json.Marshal(stp.input(c))
	if err != nil {
		return err
	}
	_, err = sim.Act(ctx, orgID, c.number, who, complaint.Command{Action: stp.action, Input: input})
	return err
}

// byAgo orders scenarios oldest first.
func byAgo(a, b *scenario) int { return cmp.Compare(b.ago, a.ago) }

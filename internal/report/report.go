// Package report turns folded cases into what the quality officer, the
// board and the auditor read: the complaint register (klachtenregister),
// with its CSV and XLSX exports, and the yearly or management report
// (jaarverslag, managementrapportage), with its charts, PDF and XLSX.
//
// Every figure is computed from the cases' event logs, folded with
// complaint.Fold, and the regulation each case runs under: the report
// agrees with the case files by construction. The package reads no clock
// and does no I/O of its own; exports write to the io.Writer they are
// given. The caller streams the cases of a period (store.CaseHistories),
// folds each (NewCase) and hands them over one at a time.
//
// The register is internal (names of employees are in it). The yearly
// report is anonymised by construction: its types hold counts, shares and
// labels that come from the regulation or from this package, never a name
// or a free text from a case; small counts are suppressed (see Cell).
package report

import (
	"fmt"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Case is one case as the register and the reports read it.
type Case struct {
	// Number is the case number (YYYY-NNNN).
	Number string
	// State is the fold of the case's events.
	State complaint.State
	// Reglement is the regulation version the case runs under; nil means
	// the one of the register or report it is added to.
	Reglement *reglement.Reglement

	// deadlines caches State.Deadlines on deadlinesOn: FoldHistories has
	// its workers compute them, which is most of the work of adding a case
	// to a report after folding it.
	deadlines   []complaint.CaseDeadline
	deadlinesOn calendar.Date
}

// Deadlines returns the case's deadlines on the date under r (the case's
// own regulation when it has one).
func (c *Case) Deadlines(r *reglement.Reglement, on calendar.Date) []complaint.CaseDeadline {
	if c.deadlines != nil && c.deadlinesOn == on {
		return c.deadlines
	}
	return c.State.Deadlines(c.reglementOr(r), on)
}

// cacheDeadlines computes the case's deadlines on the date ahead of use.
func (c *Case) cacheDeadlines(on calendar.Date) {
	if c.Reglement == nil || on.IsZero() {
		return
	}
	c.deadlines, c.deadlinesOn = c.State.Deadlines(c.Reglement, on), on
	if c.deadlines == nil {
		c.deadlines = []complaint.CaseDeadline{}
	}
}

// NewCase folds a case's events into a Case. r is the regulation version
// the case runs under (the caller resolves Intake.ReglementRevision).
func NewCase(number string, events []complaint.Event, r *reglement.Reglement) (Case, error) {
	st, err := complaint.Fold(events)
	if err != nil {
		return Case{}, fmt.Errorf("report: case %s: %w", number, err)
	}
	st.Number = number
	return Case{Number: number, State: st, Reglement: r}, nil
}

// reglementOr returns the case's regulation, or r.
func (c *Case) reglementOr(r *reglement.Reglement) *reglement.Reglement {
	if c.Reglement != nil {
		return c.Reglement
	}
	return r
}

// inPeriod reports whether d lies in [from, to]; a zero bound is open.
func inPeriod(d, from, to calendar.Date) bool {
	return (from.IsZero() || !d.Before(from)) && (to.IsZero() || !d.After(to))
}

// endOfHandling is the date handling ended: the decision, or else the
// closing (not taken on, settled, withdrawn). ok is false while the
// complaint is still being handled.
func endOfHandling(s *complaint.State) (calendar.Date, bool) {
	switch {
	case s.Decision != nil:
		return s.Decision.On, true
	case s.ClosedOn != nil:
		return *s.ClosedOn, true
	}
	return calendar.Date{}, false
}

// handlingDays is the handling time of a complaint in working days of the
// regulation's calendar: the working days after receipt up to and
// including the end of handling (a complaint settled on the day it came
// in took 0 days).
func handlingDays(s *complaint.State, r *reglement.Reglement) (int, bool) {
	end, ok := endOfHandling(s)
	if !ok {
		return 0, false
	}
	return r.WorkCalendar().WorkingDaysBetween(s.Intake.ReceivedOn, end), true
}

// termKey identifies a term of a regulation.
type termKey struct {
	step reglement.Step
	kind reglement.Kind
}

// reportedTerm reports whether a deadline is one the register and the
// report judge: every term of the procedure, but not retention (which runs
// after the case) nor the latest date after an extension (information,
// not a term of its own).
func reportedTerm(step reglement.Step) bool {
	return step != reglement.StepRetention && step != reglement.StepDecisionExtended
}

// termKeys lists the reported terms of a regulation in procedure order.
func termKeys(r *reglement.Reglement) []termKey {
	var out []termKey
	for _, step := range reglement.Steps {
		if !reportedTerm(step) {
			continue
		}
		for _, kind := range []reglement.Kind{reglement.Aim, reglement.Limit} {
			if r.Term(step, kind) != nil {
				out = append(out, termKey{step, kind})
			}
		}
	}
	return out
}

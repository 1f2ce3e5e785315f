package complaint

import (
	"fmt"
	"maps"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Status is where a case's deadline stands.
type Status string

// The statuses of a deadline.
const (
	StatusOpen    Status = "open"     // not done, not yet due
	StatusMissed  Status = "missed"   // not done and past due
	StatusMet     Status = "met"      // done on or before the due date
	StatusMetLate Status = "met_late" // done after the due date
	StatusMoot    Status = "moot"     // no longer applies (e.g. no decision after withdrawal)
	StatusPending Status = "pending"  // counts from an event that has not happened
)

// CaseDeadline is a term of the regulation applied to one case.
type CaseDeadline struct {
	reglement.Deadline
	Status Status         `json:"status"`
	MetOn  *calendar.Date `json:"met_on,omitempty"`
}

// pausedSteps are the terms a paused clock holds back: the ones that need
// the complainant's cooperation. Acknowledgement and the admissibility
// notice run on.
var pausedSteps = map[reglement.Step]bool{
	reglement.StepHandlingStart: true, reglement.StepHearing: true,
	reglement.StepDecision: true, reglement.StepDecisionExtended: true,
}

// pausedDays is the total pause, counting a running pause up to today.
func (s *State) pausedDays(today calendar.Date) int {
	n := s.PausedDays
	if s.PausedSince != nil && today.After(*s.PausedSince) {
		n += s.PausedSince.DaysUntil(today)
	}
	return n
}

// Deadlines computes the case's deadlines from its events: acknowledgement
// stops the acknowledgement clock, a pause moves the clock, an extension
// moves the decision, the decision starts aftercare, closing starts
// retention. A remark has no complaint terms, only retention.
func (s *State) Deadlines(r *reglement.Reglement, today calendar.Date) []CaseDeadline {
	received := s.Intake.ReceivedOn
	anchors := map[reglement.Anchor]calendar.Date{reglement.AnchorReceived: received}
	if s.Decision != nil {
		anchors[reglement.AnchorDecision] = s.Decision.On
	}
	if s.ResolvedOn != nil {
		anchors[reglement.AnchorResolution] = *s.ResolvedOn
	}
	if s.ClosedOn != nil {
		anchors[reglement.AnchorClosing] = *s.ClosedOn
	}
	all := r.Deadlines(anchors)
	if pause := s.pausedDays(today); pause > 0 {
		shifted := maps.Clone(anchors)
		shifted[reglement.AnchorReceived] = received.AddDays(pause)
		for i, d := range r.Deadlines(shifted) {
			if pausedSteps[d.Step] {
				d.Explanation += fmt.Sprintf("; klok %d dagen stilgezet", pause)
				all[i] = d
			}
		}
	}
	if len(s.Extensions) > 0 {
		base := r.DecisionBase()
		ext := s.Extensions[len(s.Extensions)-1]
		for i, d := range all {
			if d.Step == reglement.StepDecision && base != nil && d.Kind == base.Kind {
				due := ext.NewDue
				all[i].Due = &due
				all[i].Explanation = fmt.Sprintf("verlengd op %s tot %s: %s; %s", ext.On.Dutch(), due.Dutch(), ext.Motivation, r.Extension.Source)
			}
		}
	}
	out := make([]CaseDeadline, 0, len(all))
	for _, d := range all {
		if s.IsRemark() && d.Step != reglement.StepRetention {
			continue
		}
		out = append(out, s.status(d, today))
	}
	return out
}

// status decides whether a deadline was met, missed, is open or moot.
func (s *State) status(d reglement.Deadline, today calendar.Date) CaseDeadline {
	cd := CaseDeadline{Deadline: d}
	met, moot := s.metOn(d.Step)
	switch {
	case d.Due == nil:
		cd.Status = StatusPending
		if moot || (s.ClosedOn != nil && d.Step != reglement.StepRetention) {
			cd.Status = StatusMoot
		}
	case met != nil:
		cd.MetOn = met
		cd.Status = StatusMet
		if met.After(*d.Due) {
			cd.Status = StatusMetLate
		}
	case moot:
		cd.Status = StatusMoot
	case s.ClosedOn != nil && d.Step != reglement.StepRetention:
		// The case ended without this step: missed if it was already due.
		cd.Status = StatusMoot
		if s.ClosedOn.After(*d.Due) {
			cd.Status = StatusMissed
		}
	case today.After(*d.Due):
		cd.Status = StatusMissed
	default:
		cd.Status = StatusOpen
	}
	return cd
}

// metOn returns when a step was done, or whether it no longer applies.
func (s *State) metOn(step reglement.Step) (met *calendar.Date, moot bool) {
	adm := s.Admissibility
	switch step {
	case reglement.StepAcknowledgement:
		return s.AcknowledgedOn, false
	case reglement.StepAdmissibilityNotice:
		if adm != nil {
			if adm.Admissible {
				return nil, true
			}
			return &adm.On, false
		}
	case reglement.StepHandlingStart:
		if adm != nil {
			if !adm.Admissible {
				return nil, true
			}
			return &adm.On, false
		}
	case reglement.StepHearing:
		if s.HearingHeldOn != nil {
			return s.HearingHeldOn, false
		}
		if s.HearingWaivedOn != nil {
			return s.HearingWaivedOn, false
		}
	case reglement.StepDecision, reglement.StepDecisionExtended:
		if s.Decision != nil {
			return &s.Decision.On, false
		}
		if s.ClosedOn != nil {
			return nil, true
		}
	case reglement.StepAftercare:
		return s.AftercareOn, false
	case reglement.StepReport:
		return s.ReportSentOn, false
	case reglement.StepClosingNotice:
		return s.ClosedOn, false
	case reglement.StepRetention:
		return s.ErasedOn, false
	}
	return nil, false
}

// NextDeadline is the earliest deadline still to be met: per step the limit,
// or the aim where the regulation sets no limit. The maximum extension date
// is information, not a deadline. For a closed case it is the end of
// retention. ok is false when nothing is due.
func (s *State) NextDeadline(r *reglement.Reglement, today calendar.Date) (CaseDeadline, bool) {
	var best CaseDeadline
	found := false
	all := s.Deadlines(r, today)
	hasLimit := map[reglement.Step]bool{}
	for _, d := range all {
		if d.Kind == reglement.Limit {
			hasLimit[d.Step] = true
		}
	}
	for _, d := range all {
		if d.Due == nil || d.Step == reglement.StepDecisionExtended {
			continue
		}
		if d.Kind == reglement.Aim && hasLimit[d.Step] {
			continue
		}
		if s.IsOpen() != (d.Step != reglement.StepRetention) {
			continue
		}
		if d.Status != StatusOpen && d.Status != StatusMissed {
			continue
		}
		if !found || d.Due.Before(*best.Due) {
			best, found = d, true
		}
	}
	return best, found
}

// decisionDue is the date the decision is due now: the last extension's
// date, or the decision term (limit, else aim) with any pause added.
func (s *State) decisionDue(r *reglement.Reglement) (calendar.Date, bool) {
	if n := len(s.Extensions); n > 0 {
		return s.Extensions[n-1].NewDue, true
	}
	base := r.DecisionBase()
	if base == nil || base.Anchor != reglement.AnchorReceived {
		return calendar.Date{}, false
	}
	due, _ := r.Due(base.Amount, base.Unit, base.Anchor, s.Intake.ReceivedOn.AddDays(s.PausedDays))
	return due, true
}

package letter

import (
	"slices"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Procedure is the regulation's way of handling a complaint as a letter
// tells it: the steps before and after the decision, who decides, and the
// terms. The templates turn it into sentences.
type Procedure struct {
	HandlerTitle string
	// Independent: the handler stands apart from what happened.
	Independent bool
	// Before are the steps up to the decision, After the ones following it,
	// each in the order a complainant meets them.
	Before, After []ProcedureStep
	// DecidedBy is the role that takes the decision.
	DecidedBy reglement.Role
	// Admissibility: the decision whether the complaint is taken on.
	AdmissibilityDecided bool
	Admissible           bool
	// AdmissibilityDue is when the complainant hears whether the complaint
	// is taken on, while that is still open.
	AdmissibilityDue *calendar.Date
	// DecisionAim and DecisionLimit are the decision terms.
	DecisionAim, DecisionLimit *reglement.Term
	// Extension: whether and how far the decision can be postponed.
	ExtensionAllowed bool
	ExtensionMax     *reglement.Period
	ExtensionConsent bool
}

// ProcedureStep is one step of the procedure.
type ProcedureStep struct {
	Kind reglement.ProcessKind
	Mode reglement.Mode
	// Report: a report of the step is sent to those involved.
	Report bool
}

// stepOrder is the order in which a complainant meets the steps.
var stepOrder = []reglement.ProcessKind{
	reglement.ProcessPreliminaryCheck, reglement.ProcessInspection, reglement.ProcessHearAccused,
	reglement.ProcessHearing, reglement.ProcessInformalSettlement, reglement.ProcessProposal,
	reglement.ProcessStatementOfView, reglement.ProcessBoardProposal,
	reglement.ProcessMeasures, reglement.ProcessAftercare, reglement.ProcessInternalDiscussion,
}

// afterDecision are the steps that follow the decision.
var afterDecision = []reglement.ProcessKind{reglement.ProcessMeasures, reglement.ProcessAftercare, reglement.ProcessInternalDiscussion}

func procedure(st complaint.State, r *reglement.Reglement, on calendar.Date) Procedure {
	p := Procedure{
		HandlerTitle:     r.Roles.HandlerTitle,
		Independent:      r.Roles.Independence.AccusedNeverHandles,
		DecidedBy:        r.Roles.Decides.Role,
		DecisionAim:      r.Term(reglement.StepDecision, reglement.Aim),
		DecisionLimit:    r.Term(reglement.StepDecision, reglement.Limit),
		ExtensionAllowed: r.Extension.Allowed,
		ExtensionMax:     r.Extension.Max,
		ExtensionConsent: r.Extension.BeyondMaxWithConsent,
	}
	if p.DecidedBy == "" {
		p.DecidedBy = reglement.RoleHandler
	}
	if a := st.Admissibility; a != nil {
		p.AdmissibilityDecided, p.Admissible = true, a.Admissible
	} else {
		for _, d := range st.Deadlines(r, on) {
			if d.Step == reglement.StepAdmissibilityNotice && d.Kind == reglement.Limit && d.Due != nil {
				due := *d.Due
				p.AdmissibilityDue = &due
			}
		}
	}
	steps := slices.Clone(r.Process.Steps)
	slices.SortStableFunc(steps, func(a, b reglement.ProcessStep) int {
		return slices.Index(stepOrder, a.Kind) - slices.Index(stepOrder, b.Kind)
	})
	for _, s := range steps {
		if s.Mode == reglement.ModeNone || s.Mode == "" {
			continue
		}
		ps := ProcedureStep{Kind: s.Kind, Mode: s.Mode, Report: s.ReportForSignature}
		if slices.Contains(afterDecision, s.Kind) {
			p.After = append(p.After, ps)
		} else {
			p.Before = append(p.Before, ps)
		}
	}
	return p
}

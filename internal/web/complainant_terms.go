package web

import (
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

// complainantTerm is a term as a complainant is told it: the step, when
// ("uiterlijk 23-03-2026", "streefdatum 16-03-2026") and why.
type complainantTerm struct {
	Step, When, Explanation string
}

// complainantTerms are the terms that run for the complainant (the public
// form's confirmation, its e-mail, the portal): the open ones with a date,
// without retention. The decision after an extension shows only once the
// decision was extended, and then instead of the first decision terms: a
// possible extension is the handler's business, not a promise.
func complainantTerms(l lang, v service.CaseView, today calendar.Date) []complainantTerm {
	extended := len(v.Case.Extensions) > 0
	var out []complainantTerm
	for _, cd := range v.Deadlines {
		switch {
		case cd.Due == nil || cd.Status != complaint.StatusOpen || cd.Step == reglement.StepRetention:
			continue
		case cd.Step == reglement.StepDecisionExtended && !extended:
			continue
		case cd.Step == reglement.StepDecision && extended:
			continue
		}
		row := newDeadlineRow(l, cd, today, today)
		when := l.t("pub.done.due", row.Due)
		if cd.Kind == reglement.Aim {
			when = l.t("pub.done.aim", row.Due)
		}
		out = append(out, complainantTerm{Step: row.Step, When: when, Explanation: row.Explanation})
	}
	return out
}

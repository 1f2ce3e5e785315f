package demo

import (
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// builder appends the steps of one scenario, never going back in time.
type builder struct {
	p   *planner
	s   *scenario
	day int
}

func (p *planner) build(s *scenario) *builder { return &builder{p: p, s: s} }

// at moves to day after receipt: never before the last step, never after
// today.
func (b *builder) at(day int) *builder {
	b.day = min(max(b.day, day), b.s.ago)
	return b
}

func (b *builder) add(who string, a complaint.Action, input func(*caseRun) any, optional bool) {
	if input == nil {
		input = func(*caseRun) any { return map[string]any{} }
	}
	b.s.steps = append(b.s.steps, step{day: b.day, who: who, action: a, input: input, optional: optional})
}

// do adds a step that must succeed.
func (b *builder) do(who string, a complaint.Action, input func(*caseRun) any) {
	b.add(who, a, input, false)
}

// maybe adds a step taken only when it is allowed then.
func (b *builder) maybe(who string, a complaint.Action, input func(*caseRun) any) {
	b.add(who, a, input, true)
}

// text is the input {"text": t}.
func text(t string) func(*caseRun) any {
	return func(*caseRun) any { return map[string]any{"text": t} }
}

func (b *builder) note(t string) { b.maybe(keyCaseHandler, complaint.ActAddNote, text(t)) }

// takeIn acknowledges receipt, appoints the handler and informs the
// parties the regulation says to inform at once.
func (b *builder) takeIn(ackDay, assignDay int) {
	r := b.p.r
	via := "email"
	if b.s.intake.Correspondence == "post" {
		via = "post"
	}
	b.at(ackDay).do(keyFor(r.Roles.Acknowledges.Role), complaint.ActAcknowledge, func(*caseRun) any {
		return map[string]any{"via": via}
	})
	assigns := r.Roles.Assigns.Role
	if assigns == "" {
		assigns = reglement.RoleBoard
	}
	who := keyFor(assigns)
	if who == keyCaseHandler {
		who = keyAdmin // an unassigned case has no handler to appoint itself
	}
	b.at(assignDay).do(who, complaint.ActAssignHandler, func(c *caseRun) any {
		h := c.staff(keyCaseHandler)
		return map[string]any{"handler": complaint.Person{Name: h.Name, Email: h.Email, Function: c.function(c.handler), UserID: h.ID}}
	})
	st := &complaint.State{Intake: b.s.intake.Intake, Accused: b.s.intake.AccusedEmployees}
	for _, inf := range r.Roles.InformAtOnce {
		if !complaint.Condition(st, r, inf.When, inf.ThresholdEUR) {
			continue
		}
		party := inf.Party
		b.maybe(keyCaseHandler, complaint.ActInformParty, func(c *caseRun) any {
			return map[string]any{"party": party, "name": c.partyName(party), "text": "Afschrift van de klacht toegezonden."}
		})
	}
}

// admit takes the complaint into handling.
func (b *builder) admit() {
	b.do(keyFor(b.p.admissibilityRole()), complaint.ActDecideAdmissibility, func(*caseRun) any {
		return map[string]any{"admissible": true, "motivation": "De klacht valt onder het reglement en wordt in behandeling genomen."}
	})
}

// planHearing plans the hearing inDays after the step.
func (b *builder) planHearing(inDays int) {
	b.maybe(keyCaseHandler, complaint.ActPlanHearing, func(c *caseRun) any {
		return map[string]any{"on": c.today().AddDays(inDays), "form": "MS Teams",
			"participants": []string{c.intake.Complainant.Name, c.staff(keyCaseHandler).Name}}
	})
}

// inspection lets the complainant see the file, where the regulation
// provides for it.
func (b *builder) inspection(day int) {
	if b.p.processStep(reglement.ProcessInspection) == nil {
		return
	}
	b.at(day).maybe(keyCaseHandler, complaint.ActGrantInspection, func(*caseRun) any {
		return map[string]any{"to": []reglement.Party{reglement.PartyComplainant}}
	})
}

// decide runs the steps the regulation requires before a decision and
// the decision itself, within the decision term where the case allows.
// withHearing holds a hearing even where the regulation leaves it to a
// request.
func (b *builder) decide(ago int, outcome reglement.OutcomeKind, withHearing bool) {
	p := b.p
	start := b.day
	last := ago - 2
	if days, ok := p.decisionDays(ago); ok && days-5 < last {
		last = days - 5
	}
	last = max(last, start+3)
	span := last - start
	if hearing := p.processStep(reglement.ProcessHearing); hearing != nil && (hearing.Mode == reglement.ModeRequired || withHearing) {
		b.at(start + span/4).planHearing(span / 4)
		b.at(start+span/2).do(keyCaseHandler, complaint.ActHoldHearing, func(c *caseRun) any {
			return map[string]any{"form": "op kantoor", "summary": "Klager en coach hebben hun kant van de zaak toegelicht (hoor en wederhoor). De afspraken zijn niet goed vastgelegd.",
				"participants": c.hearingParticipants()}
		})
		if hearing.ReportForSignature {
			b.do(keyCaseHandler, complaint.ActSendHearingReport, nil)
			b.at(start+span*2/3).maybe(keyCaseHandler, complaint.ActSignHearingReport, func(c *caseRun) any {
				return map[string]any{"by": c.intake.Complainant.Name}
			})
		}
	}
	if st := p.processStep(reglement.ProcessStatementOfView); st != nil && withHearing {
		b.at(start+span*2/3).maybe(keyCaseHandler, complaint.ActAddStatementOfView, text("Zienswijze van de betrokkene bij het rapport gevoegd."))
	}
	if st := p.processStep(reglement.ProcessBoardProposal); st != nil && st.Mode == reglement.ModeRequired {
		b.at(start+span*3/4).do(keyCaseHandler, complaint.ActProposeDecision, text("Voorstel aan de directie: de klacht "+outcomeNL(outcome)+" verklaren, met de motivering uit het dossier."))
	}
	judgment := p.judgment(outcome)
	b.at(last).do(keyFor(p.r.Roles.Decides.Role), complaint.ActDecide, func(c *caseRun) any {
		return map[string]any{
			"points": []complaint.Judgment{{Point: c.story.point, Judgment: judgment,
				Motivation: "Uit het dossier en de gesprekken blijkt dat de klacht op dit punt " + outcomeNL(judgment) + " is."}},
			"motivation": "Wij hebben beide kanten gehoord en de stukken bekeken. Ons oordeel en de redenen staan per klachtpunt hieronder.",
		}
	})
}

// judgment is outcome if the regulation knows it, else a judgment it
// does know.
func (p *planner) judgment(outcome reglement.OutcomeKind) reglement.OutcomeKind {
	for _, o := range []reglement.OutcomeKind{outcome, reglement.OutcomeUpheld, reglement.OutcomePartlyUpheld, reglement.OutcomeNotUpheld} {
		if p.has(o) {
			return o
		}
	}
	return outcome
}

func outcomeNL(o reglement.OutcomeKind) string {
	switch o {
	case reglement.OutcomeUpheld:
		return "gegrond"
	case reglement.OutcomePartlyUpheld:
		return "gedeeltelijk gegrond"
	}
	return "ongegrond"
}

// measure adds a corrective measure after the decision and, when done is
// set, carries it out.
func (b *builder) measure(ago int, done bool) {
	b.maybe(keyCaseHandler, complaint.ActAddMeasure, func(c *caseRun) any {
		return map[string]any{"description": "Afspraken met de klager voortaan schriftelijk bevestigen; de coach volgt een training gespreksvoering.",
			"kind": "corrective", "owner": c.staff(keyBoard).Name, "due": c.today().AddDays(30)}
	})
	if done {
		b.at(b.day+(ago-b.day)/3).maybe(keyCaseHandler, complaint.ActCompleteMeasure, func(*caseRun) any {
			return map[string]any{"id": 1}
		})
	}
}

// close does the aftercare and report the regulation asks and closes the
// case.
func (b *builder) close(ago int) {
	b.at(b.day+(ago-b.day)/2).maybe(keyCaseHandler, complaint.ActCompleteAftercare,
		text("Nagebeld met de klager: de afgesproken maatregelen zijn naar tevredenheid uitgevoerd."))
	b.maybe(keyCaseHandler, complaint.ActSendReport, nil)
	b.at(b.day+1).do(keyCaseHandler, complaint.ActClose, text("Dossier afgesloten."))
}

// extend moves the decision term, within the regulation's maximum.
func (b *builder) extend() {
	r := b.p.r
	b.do(keyCaseHandler, complaint.ActExtend, func(c *caseRun) any {
		base := r.DecisionBase()
		due, _ := r.Due(base.Amount, base.Unit, base.Anchor, c.received)
		newDue := due.AddDays(21)
		if most, _, ok := r.ExtendedDue(c.received); ok && most.Before(newDue) {
			newDue = most
		}
		var sentTo []reglement.Party
		for _, party := range r.Extension.NotifyParties {
			if party != reglement.PartyAccusedEmployee || len(c.intake.AccusedEmployees) > 0 {
				sentTo = append(sentTo, party)
			}
		}
		if len(sentTo) == 0 {
			sentTo = []reglement.Party{reglement.PartyComplainant}
		}
		return map[string]any{"new_due": newDue, "sent_to": sentTo,
			"motivation": "Het horen van de coach kon door ziekte niet eerder plaatsvinden; wij hebben meer tijd nodig voor een zorgvuldig oordeel."}
	})
}

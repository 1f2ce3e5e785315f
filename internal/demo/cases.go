package demo

import (
	"slices"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// scenario is one demo case: when it came in, what it is about, and the
// steps taken on it since, in days after receipt.
type scenario struct {
	// name says what the case shows, for error messages and tests.
	name string
	// ago is how many days before today the complaint came in.
	ago    int
	intake complaint.NewComplaint
	// incidentBefore is how many days before receipt the incident was;
	// the intake's incident date is set from it when the case is made.
	incidentBefore int
	// story is what the complaint is about.
	story story
	// handler is the staff key of the handler the case gets.
	handler string
	steps   []step
}

// step is one command on a case.
type step struct {
	day int
	// who is a staff key, or keyCaseHandler for the case's handler.
	who    string
	action complaint.Action
	// input builds the command's JSON input when the step runs.
	input func(c *caseRun) any
	// optional steps are skipped when the action is not allowed then.
	optional bool
}

// keyCaseHandler stands for the handler of the case in a step.
const keyCaseHandler = "case-handler"

// Scenario names: what each demo case shows.
const (
	ScenarioNew           = "nieuw, nog niet bevestigd"
	ScenarioAcknowledged  = "ontvangen en bevestigd"
	ScenarioTimeBarred    = "verjaard voorval"
	ScenarioHandling      = "in behandeling"
	ScenarioPaused        = "klok stilgezet"
	ScenarioOverdue       = "besluittermijn verstreken"
	ScenarioExtended      = "besluittermijn verlengd"
	ScenarioDecided       = "besloten, nog niet afgesloten"
	ScenarioClosed        = "afgesloten, ongegrond"
	ScenarioClosedUpheld  = "afgesloten, gegrond met maatregel"
	ScenarioInadmissible  = "niet in behandeling genomen"
	ScenarioWithdrawn     = "ingetrokken"
	ScenarioSettled       = "informeel opgelost"
	ScenarioRemark        = "opmerking"
	ScenarioSettledOnSpot = "direct opgelost door de ontvanger"
)

// minDaysForFullDecision is the least age of a case that gets the whole
// route to a decision.
const minDaysForFullDecision = 10

// planner designs an organisation's demo cases from its regulation: which
// steps a case needs depends on what the regulation asks, never on which
// organisation it is.
type planner struct {
	r      *reglement.Reglement
	today  calendar.Date
	staff  map[string]Person
	next   int // the next story
	people *names
}

func (p *planner) has(o reglement.OutcomeKind) bool {
	return slices.ContainsFunc(p.r.Outcomes, func(x reglement.Outcome) bool { return x.Outcome == o })
}

func (p *planner) processStep(kind reglement.ProcessKind) *reglement.ProcessStep {
	for i := range p.r.Process.Steps {
		if st := &p.r.Process.Steps[i]; st.Kind == kind && st.Mode != reglement.ModeNone {
			return st
		}
	}
	return nil
}

// keyFor returns who acts in a role of the regulation.
func keyFor(role reglement.Role) string {
	switch role {
	case "", reglement.RoleHandler:
		return keyCaseHandler
	case reglement.RoleReceiver:
		return keyReceiver
	case reglement.RoleBoard:
		return keyBoard
	case reglement.RoleQualityOfficer:
		return keyQuality
	}
	return keyAdmin
}

// decisionDays is the number of days from receipt on today-ago to the
// decision term (limit, else aim); ok is false when the regulation sets
// none counted from receipt.
func (p *planner) decisionDays(ago int) (int, bool) {
	base := p.r.DecisionBase()
	if base == nil || base.Anchor != reglement.AnchorReceived {
		return 0, false
	}
	received := p.today.AddDays(-ago)
	due, _ := p.r.Due(base.Amount, base.Unit, base.Anchor, received)
	return received.DaysUntil(due), true
}

// agoWithDecisionDue returns the receipt (in days ago) whose decision term
// ends first on or before today+within days.
func (p *planner) agoWithDecisionDue(within int) (int, bool) {
	for ago := 1; ago < 800; ago++ {
		days, ok := p.decisionDays(ago)
		if !ok {
			return 0, false
		}
		if days-ago <= within {
			return ago, true
		}
	}
	return 0, false
}

// scenarios returns the organisation's demo cases, those the regulation
// allows, oldest first.
func (p *planner) scenarios() []*scenario {
	var out []*scenario
	add := func(s *scenario) { out = append(out, s) }

	add(p.newCase(ScenarioNew, 0, false))

	s := p.newCase(ScenarioAcknowledged, 2, false)
	b := p.build(s)
	b.takeIn(0, 1)
	add(s)

	if p.timeBarGround() != nil {
		s = p.newCase(ScenarioTimeBarred, 4, false)
		s.incidentBefore = p.timeBarredDays()
		b = p.build(s)
		b.takeIn(1, 2)
		b.at(3).note("Voorval ligt buiten de termijn van het reglement; beslissing over behandeling volgt.")
		add(s)
	}

	s = p.newCase(ScenarioHandling, 9, true)
	b = p.build(s)
	b.takeIn(0, 1)
	b.at(3).admit()
	if p.processStep(reglement.ProcessHearing) != nil {
		b.at(9).planHearing(7)
	}
	add(s)

	s = p.newCase(ScenarioPaused, 16, false)
	b = p.build(s)
	b.takeIn(1, 1)
	b.at(4).admit()
	b.at(7).do(keyCaseHandler, complaint.ActRequestInformation, text("Verslagen van de gesprekken met de coach opgevraagd bij de klager."))
	b.at(8).do(keyCaseHandler, complaint.ActPauseClock, text("De klager is opgenomen in het ziekenhuis; in overleg staat de klok stil tot zij weer bereikbaar is."))
	add(s)

	if ago, ok := p.agoWithDecisionDue(-4); ok {
		s = p.newCase(ScenarioOverdue, ago, true)
		b = p.build(s)
		b.takeIn(2, 3)
		b.at(6).admit()
		b.at(10).do(keyCaseHandler, complaint.ActRequestInformation, text("Gespreksverslagen opgevraagd bij de coach."))
		b.at(14).do(keyCaseHandler, complaint.ActReceiveInformation, text("Gespreksverslagen ontvangen."))
		add(s)
	}

	if ago, ok := p.agoWithDecisionDue(6); ok && p.r.Extension.Allowed && ago > minDaysForFullDecision {
		s = p.newCase(ScenarioExtended, ago, true)
		b = p.build(s)
		b.takeIn(1, 2)
		b.at(5).admit()
		b.at(ago - 1).extend()
		add(s)
	}

	s = p.newCase(ScenarioDecided, 40, true)
	b = p.build(s)
	b.takeIn(0, 1)
	b.at(4).admit()
	b.decide(s.ago, reglement.OutcomeUpheld, false)
	if p.r.Closing.Condition == "measures_done" {
		b.measure(s.ago, false)
	}
	add(s)

	s = p.newCase(ScenarioClosed, 75, false)
	b = p.build(s)
	b.takeIn(1, 2)
	b.at(5).admit()
	b.decide(s.ago, reglement.OutcomeNotUpheld, false)
	b.close(s.ago)
	add(s)

	s = p.newCase(ScenarioClosedUpheld, 110, true)
	b = p.build(s)
	b.takeIn(0, 1)
	b.inspection(3)
	b.at(4).admit()
	b.decide(s.ago, reglement.OutcomeUpheld, true)
	b.measure(s.ago, true)
	b.close(s.ago)
	add(s)

	if g := p.inadmissibleGround(); g != nil {
		s = p.newCase(ScenarioInadmissible, 33, false)
		b = p.build(s)
		b.takeIn(1, 2)
		b.at(8).do(keyFor(p.admissibilityRole()), complaint.ActDecideAdmissibility, func(*caseRun) any {
			return map[string]any{"admissible": false, "ground": g.ID,
				"motivation": "De klacht gaat over een onderwerp dat het reglement uitsluit (" + g.Source + "). Wij wijzen u op de mogelijkheden in het reglement."}
		})
		add(s)
	}

	if p.has(reglement.OutcomeWithdrawn) || p.r.Closing.EarlyOnRequest.Value {
		s = p.newCase(ScenarioWithdrawn, 27, false)
		b = p.build(s)
		b.takeIn(1, 2)
		b.at(5).admit()
		b.at(12).do(keyCaseHandler, complaint.ActWithdraw, func(*caseRun) any {
			return map[string]any{"reason": "De klager heeft telefonisch laten weten de klacht in te trekken: het probleem is opgelost met de nieuwe coach."}
		})
		add(s)
	}

	if p.has(reglement.OutcomeSettledInformal) {
		s = p.newCase(ScenarioSettled, 21, false)
		b = p.build(s)
		b.takeIn(0, 1)
		b.at(6).do(keyCaseHandler, complaint.ActSettleInformally, text("In een persoonlijk gesprek is de klacht tot tevredenheid van de klager opgelost: de afspraken worden voortaan per e-mail bevestigd."))
		add(s)
	}

	if p.r.Definitions.Remark != nil {
		s = p.newCase(ScenarioRemark, 12, false)
		s.intake.RecordAsRemark = true
		s.intake.Facts = remarkText
		add(s)
	}

	if p.r.Intake.SettledByReceiver.Value {
		s = p.newCase(ScenarioSettledOnSpot, 50, false)
		s.intake.SettledOnSpot = "Aan de telefoon uitgelegd waarom de afspraak werd verzet; de klager is tevreden en de nieuwe afspraak is bevestigd."
		if p.acceptsChannel(reglement.ChannelPhone) {
			s.intake.Channel = reglement.ChannelPhone
		}
		add(s)
	}

	slices.SortStableFunc(out, byAgo)
	return out
}

// newCase starts a scenario with an intake from the next story that fills
// every field the regulation may ask for.
func (p *planner) newCase(name string, ago int, accused bool) *scenario {
	st := stories[p.next%len(stories)]
	if name == ScenarioTimeBarred {
		st = stories[len(stories)-1]
	} else {
		p.next++
	}
	first, last := p.people.next()
	handler := keyHandler1
	if p.next%2 == 0 {
		handler = keyHandler2
	}
	it := complaint.Intake{
		Channel: p.channel(),
		Complainant: complaint.Person{Name: first + " " + last, Email: emailLocal(first, last) + "@mail.example",
			Phone: "06-" + phoneDigits(first+last), Address: streets[p.next%len(streets)]},
		Correspondence:     "email",
		ClientName:         first + " " + last,
		CommissioningParty: st.commissioning,
		CommissioningKind:  st.commissioningKind,
		Service:            st.service,
		ContactPerson:      p.staff[keyReceiver].Name,
		IncidentTime:       st.time,
		IncidentPlace:      st.place,
		Facts:              st.facts,
		DesiredOutcome:     st.desiredOutcome,
		Urgency:            "Geen spoedeisend belang.",
	}
	if it.IncidentTime == "" {
		it.IncidentTime = "12:00"
	}
	if p.requires("claim_amount") {
		it.ClaimAmountEUR = 150
	}
	if n := len(p.r.Categories); n > 0 {
		it.Category = p.r.Categories[p.next%n].ID
	}
	if accused || p.requires("accused_employees") {
		a := p.staff[keyAccused]
		it.AccusedEmployees = []complaint.Person{{Name: a.Name, Email: a.Email, Function: a.Function}}
	}
	return &scenario{name: name, ago: ago, intake: complaint.NewComplaint{Intake: it}, story: st,
		incidentBefore: 5 + p.next%20, handler: handler}
}

// phoneDigits makes eight digits from a name, so that phone numbers differ.
func phoneDigits(s string) string {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	d := []byte("00000000")
	for i := range d {
		d[i] = byte('0' + h%10)
		h /= 10
	}
	return string(d)
}

func (p *planner) requires(f reglement.Field) bool {
	return slices.ContainsFunc(p.r.Intake.Fields, func(x reglement.FieldRule) bool { return x.Field == f && x.Required })
}

func (p *planner) acceptsChannel(ch reglement.Channel) bool {
	if slices.ContainsFunc(p.r.Intake.Channels, func(c reglement.ChannelRule) bool { return c.Channel == ch }) {
		return true
	}
	oral := ch == reglement.ChannelPhone || ch == reglement.ChannelInPerson
	return oral && p.r.Intake.OralWrittenDownByStaff.Value
}

// channel is e-mail where the regulation takes it, else its first channel.
func (p *planner) channel() reglement.Channel {
	if p.acceptsChannel(reglement.ChannelEmail) || len(p.r.Intake.Channels) == 0 {
		return reglement.ChannelEmail
	}
	return p.r.Intake.Channels[0].Channel
}

// timeBarGround is the regulation's incident-age ground, nil when it has
// none.
func (p *planner) timeBarGround() *reglement.Ground {
	for i := range p.r.Admissibility.Grounds {
		if g := &p.r.Admissibility.Grounds[i]; g.Check == reglement.CheckIncidentAge && g.MaxAge != nil {
			return g
		}
	}
	return nil
}

// timeBarredDays is how long before receipt an incident lies just beyond
// the regulation's maximum age.
func (p *planner) timeBarredDays() int {
	received := p.today.AddDays(-4)
	for days := 30; days < 20*365; days += 30 {
		if barred, _, _ := p.r.TimeBar(received.AddDays(-days), received); barred {
			return days + 45
		}
	}
	return 20 * 365
}

// inadmissibleGround is a ground a person judges, where there is one.
func (p *planner) inadmissibleGround() *reglement.Ground {
	gs := p.r.Admissibility.Grounds
	for i := range gs {
		if gs[i].Check == reglement.CheckJudgement {
			return &gs[i]
		}
	}
	if len(gs) > 0 {
		return &gs[0]
	}
	return nil
}

func (p *planner) admissibilityRole() reglement.Role {
	if p.r.Admissibility.DecidedBy != "" {
		return p.r.Admissibility.DecidedBy
	}
	return p.r.Roles.Handles.Role
}

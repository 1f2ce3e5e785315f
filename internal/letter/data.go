package letter

import (
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Data is what a letter can say about a case: one field or group of fields
// per key of reglement.ContentKeys, filled from the case and its
// regulation. Has tells whether a key is filled.
type Data struct {
	// case_number
	CaseNumber string
	// received_date
	ReceivedOn calendar.Date
	// acknowledgement_date: the recorded acknowledgement, or for the
	// acknowledgement itself the letter's date.
	AcknowledgedOn *calendar.Date
	// incident_date, incident_place
	IncidentDate  *calendar.Date
	IncidentTime  string
	IncidentPlace string
	// incident_circumstances
	Circumstances Circumstances
	// facts; complaint_summary is the facts with what the complainant asks.
	Facts          string
	DesiredOutcome string
	ClaimAmountEUR int

	Complainant    complaint.Person
	Representative *complaint.Person
	ClientName     string
	Accused        []complaint.Person
	ContactPerson  string

	// handler_name, handler_function, handler_contact. Function falls back
	// to the regulation's title for the handler.
	Handler      *complaint.Person
	HandlerTitle string

	// Decision holds the points (facts_as_seen: each point with its
	// motivation), the motivated_position and the judgment.
	Decision *complaint.DecidedPayload
	// Inadmissible is set when the complaint was not taken on.
	Inadmissible bool
	// outcome: the case's outcome so far ("" while it is in handling).
	Outcome reglement.OutcomeKind
	Phase   complaint.Phase
	// measures
	Measures []complaint.MeasurePayload
	// expected_term
	ExpectedTerm *ExpectedTerm
	// procedure
	Procedure Procedure
	// regulation_document
	Regulation RegulationRef
	// referral
	Referrals []Referral
	// ground
	Ground *Ground
	// motivation: of the decision, or for the inadmissibility notice of
	// the decision not to take the complaint on.
	Motivation string
	// new_due_date, extension_reason: the last extension.
	Extension *complaint.ExtendedPayload
	// proposal, complainant_response
	Proposal *complaint.ProposalPayload
	// hearing_date: the planned hearing for the invitation, else the held one.
	HearingDate *calendar.Date
	HearingHeld bool
	// hearing_report: the report document in the case file.
	HearingReport *complaint.DocumentPayload
	// closing_date
	ClosedOn *calendar.Date
	// resolution_summary: how and when the complaint was resolved.
	ResolvedOn *calendar.Date
}

// Circumstances are the particulars of the incident the intake recorded.
// The time of the incident goes with its date (incident_date).
type Circumstances struct {
	Service            string
	CommissioningParty string
	// ClientName is set when the complaint concerns another person.
	ClientName     string
	Representative string
	Urgency        string
	ClaimAmountEUR int
}

// Any reports whether any particular was recorded.
func (c Circumstances) Any() bool { return c != Circumstances{} }

// TermDate is a term of the regulation applied to the case.
type TermDate struct {
	Amount int
	Unit   reglement.Unit
	Anchor reglement.Anchor
	Due    calendar.Date
	Label  string
	Source string
}

// ExpectedTerm is when the complaint is expected to be handled: the
// decision aim and limit, and the extended date when there is one.
type ExpectedTerm struct {
	Aim, Limit *TermDate
	ExtendedTo *calendar.Date
}

// RegulationRef names the regulation a letter rests on.
type RegulationRef struct {
	Title        string
	Organisation string
	Version      string
	ValidFrom    calendar.Date
}

// Referral is a body the complainant can turn to next.
type Referral struct {
	Body   string
	Text   string
	Source string
}

// Ground is the regulation's ground for not taking a complaint on.
type Ground struct {
	ID     string
	Text   string
	Source string
}

// Has reports whether the data fills the content key.
func (d *Data) Has(key string) bool {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	switch key {
	case "case_number":
		return !blank(d.CaseNumber)
	case "received_date":
		return !d.ReceivedOn.IsZero()
	case "acknowledgement_date":
		return d.AcknowledgedOn != nil
	case "incident_date":
		return d.IncidentDate != nil
	case "incident_place":
		return !blank(d.IncidentPlace)
	case "incident_circumstances":
		// "None reported" is itself the answer when the intake holds none.
		return !d.ReceivedOn.IsZero()
	case "facts", "complaint_summary":
		return !blank(d.Facts)
	case "facts_as_seen":
		return d.Decision != nil && slices.ContainsFunc(d.Decision.Points, func(p complaint.Judgment) bool { return !blank(p.Motivation) })
	case "motivated_position":
		return d.Decision != nil && !blank(d.Decision.Motivation)
	case "judgment":
		return (d.Decision != nil && d.Decision.Outcome != "") || d.Inadmissible
	case "outcome":
		return d.Phase != ""
	case "measures":
		// A complaint found not upheld needs no measure: saying so fills it.
		return len(d.Measures) > 0 || (d.Decision != nil && d.Decision.Outcome == reglement.OutcomeNotUpheld)
	case "handler_name":
		return d.Handler != nil && !blank(d.Handler.Name)
	case "handler_function":
		return d.Handler != nil && !blank(d.Handler.Function)
	case "handler_contact":
		return d.Handler != nil && (!blank(d.Handler.Email) || !blank(d.Handler.Phone))
	case "expected_term":
		return d.ExpectedTerm != nil
	case "procedure":
		return true
	case "regulation_document":
		return !blank(d.Regulation.Title)
	case "referral":
		return len(d.Referrals) > 0
	case "ground":
		return d.Ground != nil
	case "motivation":
		return !blank(d.Motivation)
	case "new_due_date":
		return d.Extension != nil && !d.Extension.NewDue.IsZero()
	case "extension_reason":
		return d.Extension != nil && !blank(d.Extension.Motivation)
	case "proposal":
		return d.Proposal != nil && !blank(d.Proposal.Text)
	case "complainant_response":
		return d.Proposal != nil && (d.Proposal.Accepted != nil || !blank(d.Proposal.Reply))
	case "hearing_date":
		return d.HearingDate != nil
	case "hearing_report":
		return d.HearingReport != nil
	case "closing_date":
		return d.ClosedOn != nil
	case "resolution_summary":
		return d.ResolvedOn != nil
	}
	return false
}

// fill gathers the letter's data from the case and its regulation.
func fill(kind reglement.LetterKind, st complaint.State, r *reglement.Reglement, on calendar.Date) Data {
	it := st.Intake
	d := Data{
		CaseNumber:     strings.TrimSpace(st.Number),
		ReceivedOn:     it.ReceivedOn,
		AcknowledgedOn: st.AcknowledgedOn,
		IncidentDate:   it.IncidentDate,
		IncidentTime:   strings.TrimSpace(it.IncidentTime),
		IncidentPlace:  strings.TrimSpace(it.IncidentPlace),
		Facts:          strings.TrimSpace(it.Facts),
		DesiredOutcome: strings.TrimSpace(it.DesiredOutcome),
		ClaimAmountEUR: it.ClaimAmountEUR,
		Complainant:    it.Complainant,
		Representative: it.Representative,
		ClientName:     strings.TrimSpace(it.ClientName),
		Accused:        st.Accused,
		ContactPerson:  strings.TrimSpace(it.ContactPerson),
		HandlerTitle:   r.Roles.HandlerTitle,
		Decision:       st.Decision,
		Outcome:        st.Outcome,
		Phase:          st.Phase,
		Measures:       st.Measures,
		Extension:      last(st.Extensions),
		Proposal:       st.Proposal,
		ClosedOn:       st.ClosedOn,
		ResolvedOn:     st.ResolvedOn,
		Regulation: RegulationRef{Title: r.Title, Organisation: r.Organisation,
			Version: r.Version, ValidFrom: r.ValidFrom},
	}
	if kind == reglement.LetterAcknowledgement && d.AcknowledgedOn == nil {
		// The acknowledgement is itself the act it reports.
		d.AcknowledgedOn = &on
	}
	d.Circumstances = Circumstances{
		Service:            strings.TrimSpace(it.Service),
		CommissioningParty: strings.TrimSpace(it.CommissioningParty),
		Urgency:            strings.TrimSpace(it.Urgency),
		ClaimAmountEUR:     it.ClaimAmountEUR,
	}
	if d.ClientName != "" && !strings.EqualFold(d.ClientName, strings.TrimSpace(it.Complainant.Name)) {
		d.Circumstances.ClientName = d.ClientName
	}
	if it.Representative != nil {
		d.Circumstances.Representative = strings.TrimSpace(it.Representative.Name)
	}
	if st.Handler != nil {
		h := *st.Handler
		if strings.TrimSpace(h.Function) == "" {
			h.Function = r.Roles.HandlerTitle
		}
		d.Handler = &h
	}
	if a := st.Admissibility; a != nil && !a.Admissible {
		d.Inadmissible = true
		d.Ground = ground(r, a)
	}
	if kind == reglement.LetterInadmissibility {
		if a := st.Admissibility; a != nil && !a.Admissible {
			d.Motivation = strings.TrimSpace(a.Motivation)
		}
	} else if st.Decision != nil {
		d.Motivation = strings.TrimSpace(st.Decision.Motivation)
	}
	switch {
	case kind == reglement.LetterHearingInvite && st.HearingPlanned != nil:
		d.HearingDate = st.HearingPlanned
	case st.HearingHeldOn != nil:
		d.HearingDate, d.HearingHeld = st.HearingHeldOn, true
	case st.HearingPlanned != nil:
		d.HearingDate = st.HearingPlanned
	}
	d.HearingReport = hearingReport(st.Documents)
	d.ExpectedTerm = expectedTerm(st, r, on)
	d.Procedure = procedure(st, r, on)
	d.Referrals = referrals(st, r)
	return d
}

func last[T any](s []T) *T {
	if len(s) == 0 {
		return nil
	}
	v := s[len(s)-1]
	return &v
}

// ground finds the regulation's wording of the ground a complaint was not
// taken on for.
func ground(r *reglement.Reglement, a *complaint.AdmissibilityPayload) *Ground {
	if a.Ground == "" {
		return nil
	}
	g := &Ground{ID: a.Ground, Text: a.Ground, Source: a.Source}
	for _, rg := range r.Admissibility.Grounds {
		if rg.ID == a.Ground {
			g.Text = rg.Text
			if g.Source == "" {
				g.Source = rg.Source
			}
		}
	}
	return g
}

// HearingReportKind is the document kind of a hearing report in the case
// file (complaint.DocumentPayload.Kind).
const HearingReportKind = "hearing_report"

// hearingReport is the last hearing report in the case file.
func hearingReport(docs []complaint.DocumentPayload) *complaint.DocumentPayload {
	for i := len(docs) - 1; i >= 0; i-- {
		if docs[i].Kind == HearingReportKind {
			doc := docs[i]
			return &doc
		}
	}
	return nil
}

// expectedTerm reads the decision terms from the case's deadlines. An
// extension replaces the date of the term it extends in the deadlines; the
// letter shows the term as the regulation sets it and the extension apart.
func expectedTerm(st complaint.State, r *reglement.Reglement, on calendar.Date) *ExpectedTerm {
	var et ExpectedTerm
	if ext := last(st.Extensions); ext != nil {
		due := ext.NewDue
		et.ExtendedTo = &due
	}
	base := r.DecisionBase()
	for _, d := range st.Deadlines(r, on) {
		if d.Step != reglement.StepDecision || d.Due == nil {
			continue
		}
		t := r.Term(reglement.StepDecision, d.Kind)
		if t == nil {
			continue
		}
		td := &TermDate{Amount: t.Amount, Unit: t.Unit, Anchor: t.Anchor, Due: *d.Due, Label: t.Label, Source: t.Source}
		if et.ExtendedTo != nil && base != nil && d.Kind == base.Kind && t.Anchor == reglement.AnchorReceived {
			td.Due, _ = r.Due(t.Amount, t.Unit, t.Anchor, st.Intake.ReceivedOn.AddDays(st.PausedDays))
		}
		if d.Kind == reglement.Aim {
			et.Aim = td
		} else {
			et.Limit = td
		}
	}
	if et.Aim == nil && et.Limit == nil && et.ExtendedTo == nil {
		return nil
	}
	return &et
}

// referrals are the bodies the case was pointed to, or, before a decision
// recorded them, the regulation's referrals that apply to the case.
func referrals(st complaint.State, r *reglement.Reglement) []Referral {
	var out []Referral
	seen := map[string]bool{}
	add := func(body, source string) {
		body = strings.TrimSpace(body)
		if body == "" || seen[strings.ToLower(body)] {
			return
		}
		seen[strings.ToLower(body)] = true
		ref := Referral{Body: body, Source: source}
		for _, rr := range r.Referrals {
			if strings.EqualFold(rr.Body, body) {
				ref.Text = rr.Text
				if ref.Source == "" {
					ref.Source = rr.Source
				}
			}
		}
		out = append(out, ref)
	}
	for _, ref := range st.Referrals {
		add(ref.Body, ref.Source)
	}
	if len(out) > 0 {
		return out
	}
	for _, rr := range r.Referrals {
		if complaint.Condition(&st, r, rr.When, 0) {
			add(rr.Body, rr.Source)
		}
	}
	return out
}

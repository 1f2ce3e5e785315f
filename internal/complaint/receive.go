package complaint

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Caller is who issues a command, with the roles they hold in the case's
// organisation.
type Caller struct {
	Actor
	Roles []reglement.Role
}

// Has reports whether the caller holds role.
func (c Caller) Has(role reglement.Role) bool { return slices.Contains(c.Roles, role) }

// Person returns the caller as a party of a case.
func (c Caller) Person() Person { return Person{Name: c.Name, UserID: c.UserID} }

// NewComplaint is the command that opens a case.
type NewComplaint struct {
	Intake
	// RecordAsRemark records the intake as a remark (opmerking, signaal),
	// outside the complaint terms, where the regulation knows remarks.
	RecordAsRemark bool `json:"record_as_remark,omitempty"`
	// SettledOnSpot holds the receiver's note when the matter was settled at
	// once (Work 2 Work 5.1.2, SmartPLUS Punt 8).
	SettledOnSpot string `json:"settled_on_spot,omitempty"`
	// Documents came with the complaint (evidence uploaded with the web
	// form, attachments of an e-mail). They are recorded in the events that
	// open the case, so the case and its files are committed together.
	Documents []DocumentPayload `json:"documents,omitempty"`
}

// Receive validates a new complaint under the regulation in force on its
// receipt date and returns the events that open the case. A complaint about
// an incident older than the regulation allows is accepted and flagged with
// the ground: a person decides.
func Receive(r *reglement.Reglement, in NewComplaint, caller Caller, now time.Time) ([]Event, error) {
	today := calendar.FromTime(now)
	it := in.Intake
	if it.ReceivedOn.IsZero() {
		it.ReceivedOn = today
	}
	if it.ReceivedOn.After(today) {
		return nil, apperr.Field("received_on", "the date of receipt %s lies in the future", it.ReceivedOn)
	}
	if it.ReceivedOn.Before(r.ValidFrom) {
		return nil, apperr.Field("received_on", "the date of receipt %s lies before regulation version %s took effect (%s)", it.ReceivedOn, r.Version, r.ValidFrom)
	}
	it.Kind = KindComplaint
	if in.RecordAsRemark {
		if r.Definitions.Remark == nil {
			return nil, apperr.Field("record_as_remark", "this regulation knows no remarks outside the complaint procedure; record it as a complaint")
		}
		it.Kind = KindRemark
	}
	if in.SettledOnSpot != "" && !r.Intake.SettledByReceiver.Value {
		return nil, apperr.Field("settled_on_spot", "this regulation does not let the receiver settle a complaint on the spot")
	}
	if err := checkChannel(r, it.Channel); err != nil {
		return nil, err
	}
	if it.Correspondence != "" && it.Correspondence != "email" && it.Correspondence != "post" {
		return nil, apperr.Field("correspondence", "unknown choice %q; expected email or post", it.Correspondence)
	}
	if it.Representative != nil && strings.TrimSpace(it.Representative.Name) == "" {
		it.Representative = nil
	}
	if it.IncidentDate != nil && it.IncidentDate.After(it.ReceivedOn) {
		return nil, apperr.Field("incident_date", "the incident date %s lies after the date of receipt %s", it.IncidentDate, it.ReceivedOn)
	}
	if it.ClaimAmountEUR < 0 {
		return nil, apperr.Field("claim_amount_eur", "a claim cannot be negative")
	}
	if it.Kind == KindComplaint {
		if err := checkRequired(r, &it); err != nil {
			return nil, err
		}
	} else if strings.TrimSpace(it.Facts) == "" {
		return nil, apperr.Field("facts", "describe the remark")
	}
	// Derived fields are the system's to set, never the caller's.
	it.ReglementID, it.ReglementVersion = r.ID, r.Version
	it.TimeBarred, it.TimeBarGround, it.TimeBarSource = false, "", ""
	if it.IncidentDate != nil {
		if barred, g, _ := r.TimeBar(*it.IncidentDate, it.ReceivedOn); barred {
			it.TimeBarred, it.TimeBarGround, it.TimeBarSource = true, g.ID, g.Source
		}
	}
	at := now.UTC()
	events := []Event{mustEvent(EvReceived, caller.Actor, at, it)}
	for i, d := range in.Documents {
		if strings.TrimSpace(d.Name) == "" {
			return nil, apperr.Field(fmt.Sprintf("documents[%d].name", i), "name the document")
		}
		events = append(events, mustEvent(EvDocumentAdded, caller.Actor, at, d))
	}
	switch {
	case it.Kind == KindRemark:
		events = append(events, mustEvent(EvRecordedAsRemark, caller.Actor, at, Dated{On: today, Text: r.Definitions.Remark.Source}))
	case in.SettledOnSpot != "":
		events = append(events,
			mustEvent(EvSettledByReceiver, caller.Actor, at, Dated{On: today, Text: in.SettledOnSpot}),
			mustEvent(EvClosed, caller.Actor, at, ClosedPayload{On: today, Outcome: reglement.OutcomeSettledByReceipt, Reason: r.Intake.SettledByReceiver.Source}))
	}
	return number(events), nil
}

func checkChannel(r *reglement.Reglement, ch reglement.Channel) error {
	if ch == "" {
		return apperr.Field("channel", "missing; expected how the complaint came in (%s)", strings.Join(channelNames(r), ", "))
	}
	for _, c := range r.Intake.Channels {
		if c.Channel == ch {
			return nil
		}
	}
	oral := ch == reglement.ChannelPhone || ch == reglement.ChannelInPerson
	if oral && r.Intake.OralWrittenDownByStaff.Value {
		return nil
	}
	return apperr.Field("channel", "this regulation accepts complaints by %s, not by %s", strings.Join(channelNames(r), ", "), ch).WithReason("channel_not_accepted")
}

func channelNames(r *reglement.Reglement) []string {
	var out []string
	for _, c := range r.Intake.Channels {
		out = append(out, string(c.Channel))
	}
	return out
}

// fieldPresent tells whether the intake holds a value for a regulation field.
func fieldPresent(it *Intake, f reglement.Field) bool {
	blank := func(s string) bool { return strings.TrimSpace(s) == "" }
	c := it.Complainant
	switch f {
	case "complainant_name":
		return !blank(c.Name)
	case "complainant_email":
		return !blank(c.Email)
	case "complainant_phone":
		return !blank(c.Phone)
	case "complainant_address":
		return !blank(c.Address)
	case "complainant_contact":
		return !blank(c.Email) || !blank(c.Phone) || !blank(c.Address)
	case "representative":
		return it.Representative != nil
	case "client_name":
		return !blank(it.ClientName)
	case "commissioning_party":
		return !blank(it.CommissioningParty)
	case "contact_person":
		return !blank(it.ContactPerson)
	case "accused_employees":
		return len(it.AccusedEmployees) > 0
	case "incident_date":
		return it.IncidentDate != nil
	case "incident_time":
		return !blank(it.IncidentTime)
	case "incident_place":
		return !blank(it.IncidentPlace)
	case "facts":
		return !blank(it.Facts)
	case "desired_outcome":
		return !blank(it.DesiredOutcome)
	case "urgency":
		return !blank(it.Urgency)
	case "claim_amount":
		return it.ClaimAmountEUR > 0
	case "correspondence":
		return !blank(it.Correspondence)
	case "service":
		return !blank(it.Service)
	case "evidence":
		// Evidence arrives as documents with the case; the upload path
		// checks it against the evidence rule.
		return true
	}
	return true
}

// checkRequired enforces the regulation's required intake fields. Facts are
// always required: without them there is no complaint to handle.
func checkRequired(r *reglement.Reglement, it *Intake) error {
	if strings.TrimSpace(it.Facts) == "" {
		return apperr.Field("facts", "describe what the complaint is about")
	}
	st := &State{Intake: *it}
	for _, f := range r.Intake.Fields {
		required := f.Required || (f.RequiredWhen != "" && Condition(st, r, f.RequiredWhen, 0))
		if required && !fieldPresent(it, f.Field) {
			why := ""
			if f.RequiredWhen != "" && !f.Required {
				why = " when " + f.RequiredWhen
			}
			return apperr.Field(string(f.Field), "%s is required%s by the regulation of %s (%s)", f.Field, why, r.Organisation, f.Source).WithReason("required_field")
		}
	}
	return nil
}

// Condition evaluates a named regulation condition (reglement.Conditions)
// against a case.
func Condition(s *State, r *reglement.Reglement, name string, thresholdEUR int) bool {
	it := s.Intake
	switch name {
	case "always":
		return true
	case "discretion", "on_request":
		return false
	case "accused_employee_named":
		return len(s.Accused) > 0 || len(it.AccusedEmployees) > 0
	case "uwv_job_coaching":
		return isUWV(it) && strings.Contains(strings.ToLower(strings.ReplaceAll(it.Service, " ", "")), "jobcoach")
	case "uwv_commissioning":
		return isUWV(it)
	case "claim_over_threshold":
		return it.ClaimAmountEUR > thresholdEUR
	case "correspondence_by_post":
		return it.Correspondence == "post"
	case "upheld":
		return s.Decision != nil && (s.Decision.Outcome == reglement.OutcomeUpheld || s.Decision.Outcome == reglement.OutcomePartlyUpheld)
	}
	return false
}

func isUWV(it Intake) bool {
	return it.CommissioningKind == "uwv" || strings.EqualFold(strings.TrimSpace(it.CommissioningParty), "uwv")
}

// mustEvent builds an event; payloads are our own structs and always encode.
func mustEvent(t EventType, a Actor, at time.Time, payload any) Event {
	b, err := json.Marshal(payload)
	if err != nil {
		panic(fmt.Sprintf("complaint: encode %s payload: %v", t, err))
	}
	return Event{Type: t, Actor: a, At: at, Payload: b}
}

// number gives new events consecutive sequence numbers from 1; the store
// renumbers them after the case's last event.
func number(events []Event) []Event {
	for i := range events {
		events[i].Seq = i + 1
	}
	return events
}

package complaint

import (
	"encoding/json"
	"time"

	"github.com/gegrond/gegrond/internal/reglement"
)

// ActorComplainant is the actor kind of the complainant (or their
// representative) acting on their own case: through the portal, or by a
// message that reached the case.
const ActorComplainant = "complainant"

// The complainant's own requests (portal).
const (
	// ActRequestInspection asks to see the documents of the case
	// (SmartPLUS Punt 6: "in de gelegenheid gesteld de stukken in te zien").
	ActRequestInspection Action = "request_inspection"
	// ActRequestHearing asks to explain the complaint in person (SmartPLUS
	// Punt 6: "op eigen verzoek ... mondeling toelichten").
	ActRequestHearing Action = "request_hearing"
)

// The events of the complainant's requests.
const (
	EvInspectionRequested EventType = "inspection_requested"
	EvHearingRequested    EventType = "hearing_requested"
)

// ComplainantCaller is the caller for the complainant of a case: no
// staff role, actor kind complainant. Who they are is established outside
// the core (the portal's personal link binds them to one case); Decide
// only lets them take the actions the regulation gives a complainant.
// The actor carries no name: the hash chain covers an event's actor, so a
// name there could never be erased (retention, AVG art. 17); screens say
// "de klager".
func ComplainantCaller() Caller {
	return Caller{Actor: Actor{Kind: ActorComplainant}}
}

// IsComplainant reports whether the caller is the complainant: the actor
// kind, and no staff role (a staff member is never the complainant in a
// case through this path).
func (c Caller) IsComplainant() bool { return c.Kind == ActorComplainant && len(c.Roles) == 0 }

// complainant is the who-check of the actions a complainant may take.
func complainant(c *ctx) error {
	if c.caller.IsComplainant() {
		return nil
	}
	return forbidden("only the complainant may do this")
}

// ComplainantActions are the actions a complainant may ever take on their
// own case; which of them apply now comes from the regulation and the
// case (Allowed with a ComplainantCaller).
var ComplainantActions = []Action{
	ActAddDocument, ActAddStatementOfView, ActRequestInspection, ActRequestHearing, ActAnswerProposal, ActWithdraw,
}

// ComplainantOnly are the actions only a complainant takes: staff screens
// offer no form for them.
var ComplainantOnly = []Action{ActRequestInspection, ActRequestHearing}

// requestInspectionWhen: the regulation has an inspection step, and no
// request of the complainant waits for it.
func requestInspectionWhen(c *ctx) error {
	if err := hasStep(reglement.ProcessInspection, PhaseReceived, PhaseHandling, PhaseDecided)(c); err != nil {
		return err
	}
	if c.s.InspectionRequestedOn != nil {
		return conflict("done", "inspection was asked for on %s; the handler arranges it", c.s.InspectionRequestedOn)
	}
	return nil
}

// requestHearingWhen: the regulation has a hearing step, it has not been
// held or skipped, and no request waits for it.
func requestHearingWhen(c *ctx) error {
	if err := hasStep(reglement.ProcessHearing, PhaseReceived, PhaseHandling)(c); err != nil {
		return err
	}
	if c.s.HearingHeldOn != nil || c.s.HearingWaivedOn != nil {
		return conflict("done", "the hearing was already held or skipped")
	}
	if c.s.HearingPlanned != nil {
		return conflict("done", "a conversation is planned on %s", c.s.HearingPlanned)
	}
	if c.s.HearingRequestedOn != nil {
		return conflict("done", "a conversation was asked for on %s; the handler plans it", c.s.HearingRequestedOn)
	}
	return nil
}

// requestEvent is a complainant's request with an optional explanation.
func requestEvent(t EventType) func(c *ctx, in json.RawMessage) ([]Event, error) {
	return func(c *ctx, in json.RawMessage) ([]Event, error) {
		var p struct {
			Text string `json:"text"`
		}
		if err := decodeInput(in, &p); err != nil {
			return nil, err
		}
		return []Event{c.event(t, Dated{On: c.today, Text: p.Text})}, nil
	}
}

// trackComplainantInput keeps State.ComplainantInputSince: set by the
// first event of the complainant after the last staff event (not the
// complaint itself, which is new anyway), cleared by any staff event.
func trackComplainantInput(s *State, e Event) {
	switch {
	case e.Type == EvReceived:
	case e.Actor.Kind == ActorComplainant:
		if s.ComplainantInputSince == nil {
			at := e.At
			s.ComplainantInputSince = &at
		}
	case e.Actor.Kind == "user":
		s.ComplainantInputSince = nil
	}
}

// ComplainantInputAt is ComplainantInputSince as a time, zero for none.
func (s *State) ComplainantInputAt() time.Time {
	if s.ComplainantInputSince == nil {
		return time.Time{}
	}
	return *s.ComplainantInputSince
}

package complaint

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The reasons a case is erased.
const (
	// ErasureRetention: the retention period of the regulation ended.
	ErasureRetention = "retention_ended"
	// ErasureRequest: the data subject asked for erasure (AVG art. 17),
	// which may come before the retention period ends, even while the
	// case is open; the data protection officer weighs the exceptions of
	// art. 17 lid 3 (such as legal claims) before erasing.
	ErasureRequest = "erasure_request"
)

// erasureRequestSource is the article an erasure on request rests on.
const erasureRequestSource = "AVG art. 17"

// CaseErasedPayload records an erasure: when, why and under which
// article. Note is a short explanation by the person who erased; it must
// not repeat personal data (the screens say so).
type CaseErasedPayload struct {
	On     calendar.Date `json:"on"`
	Reason string        `json:"reason"`
	Source string        `json:"source"`
	// Then is what the regulation says happens after retention
	// (destroy, anonymise), empty when it says nothing.
	Then string `json:"then,omitempty"`
	// Events counts the earlier events whose payload was redacted.
	Events int    `json:"events"`
	Note   string `json:"note,omitempty"`
}

// RetentionEnd returns the date the retention period of a case ends
// under r: closing (or the regulation's anchor) plus the period. ok is
// false when r sets no period or the anchor has not happened yet (an open
// case).
func (s *State) RetentionEnd(r *reglement.Reglement, today calendar.Date) (calendar.Date, bool) {
	if r.Retention.Period == nil {
		return calendar.Date{}, false
	}
	for _, d := range s.Deadlines(r, today) {
		if d.Step == reglement.StepRetention && d.Due != nil {
			return *d.Due, true
		}
	}
	return calendar.Date{}, false
}

// Erase decides the erasure of a case: who may erase (the data protection
// officer and the administrator), and when. reason ErasureRetention needs
// a closed case whose retention period under r ended on or before today;
// ErasureRequest (AVG art. 17) may come at any time and needs a note
// saying whose request it was and when, without the person's name being
// required. r is the regulation in force today: the retention rule is the
// organisation's current privacy policy, whatever regulation the case was
// handled under.
//
// It returns the case_erased event; the caller redacts the payload of
// every earlier event (Redact) in the same transaction.
func Erase(s State, r *reglement.Reglement, reason, note string, caller Caller, now time.Time) (Event, error) {
	if !caller.Has(reglement.RoleDPO) && !caller.Has(reglement.RoleAdmin) {
		return Event{}, apperr.New(apperr.Forbidden, "only the data protection officer or an administrator may erase a case file").WithReason("erase_forbidden")
	}
	if s.ErasedOn != nil {
		return Event{}, apperr.New(apperr.Conflict, "case %s was erased on %s already", s.Number, s.ErasedOn).WithReason("already_erased")
	}
	today := calendar.FromTime(now)
	note = strings.TrimSpace(note)
	p := CaseErasedPayload{On: today, Reason: reason, Events: s.LastSeq, Note: note}
	switch reason {
	case ErasureRetention:
		end, ok := s.RetentionEnd(r, today)
		switch {
		case r.Retention.Period == nil:
			return Event{}, apperr.Field("reason", "the regulation sets no retention period (%s); erase on an erasure request (AVG art. 17) or set the period in the regulation first", r.Retention.Source).WithReason("retention_not_set")
		case s.IsOpen() || !ok:
			return Event{}, apperr.Field("reason", "case %s is still open, so its retention period has not started; only an erasure request (AVG art. 17) erases it now", s.Number).WithReason("retention_not_ended")
		case end.After(today):
			return Event{}, apperr.Field("reason", "the retention period of case %s ends on %s; before then only an erasure request (AVG art. 17) erases it", s.Number, end).WithReason("retention_not_ended")
		}
		p.Source, p.Then = r.Retention.Source, r.Retention.Then
	case ErasureRequest:
		if note == "" {
			return Event{}, apperr.Field("note", "say whose erasure request this is and when it came in (without repeating personal data), so the erasure can be accounted for").WithReason("erasure_note_required")
		}
		p.Source = erasureRequestSource
	default:
		return Event{}, apperr.Field("reason", "choose a reason: %s or %s", ErasureRetention, ErasureRequest).WithReason("erasure_reason")
	}
	if len(note) > 500 {
		return Event{}, apperr.Field("note", "the note is longer than 500 characters")
	}
	e := mustEvent(EvCaseErased, caller.Actor, now.UTC(), p)
	e.Seq = s.LastSeq + 1
	return e, nil
}

// Redact returns what of an event's payload stays after erasure: what the
// anonymised register and the yearly report need, and what Apply and the
// deadlines need to fold the case again (dates, steps, outcome and
// judgments, category, channel, counts, extensions), and nothing that
// names a person or tells the story (names, addresses, e-mail, facts,
// notes, summaries, motivations, document names, participants). A type
// this function does not know is redacted to {}: whatever it held is gone.
func Redact(e Event) (json.RawMessage, error) {
	var out any
	var err error
	switch e.Type {
	case EvReceived:
		var p Intake
		err = decode(e, &p)
		out = redactIntake(p)
	case EvRecordedAsRemark, EvSettledByReceiver, EvClockPaused, EvClockResumed, EvHearingWaived,
		EvHearingReportSent, EvAftercareDone, EvReportSent, EvSettledInformally, EvWithdrawn, EvArchived:
		var p Dated
		err = decode(e, &p)
		out = Dated{On: p.On}
	case EvAcknowledged:
		var p AcknowledgedPayload
		err = decode(e, &p)
		out = p // a date and post or e-mail
	case EvHandlerAssigned:
		// The handler is staff; the account link stays so the register
		// knows a handler was assigned, the name goes with the rest.
		var p HandlerAssignedPayload
		err = decode(e, &p)
		out = HandlerAssignedPayload{On: p.On, Handler: Person{UserID: p.Handler.UserID}}
	case EvAccusedAdded:
		out = AccusedAddedPayload{}
	case EvPartyInformed:
		var p PartyInformedPayload
		err = decode(e, &p)
		out = PartyInformedPayload{Party: p.Party, On: p.On}
	case EvAdmissibilityDecided:
		var p AdmissibilityPayload
		err = decode(e, &p)
		out = AdmissibilityPayload{Admissible: p.Admissible, Ground: p.Ground, Source: p.Source, On: p.On}
	case EvDocumentAdded:
		var p DocumentPayload
		err = decode(e, &p)
		out = DocumentPayload{Kind: p.Kind, MIME: p.MIME, Size: p.Size}
	case EvInspectionGranted:
		var p InspectionPayload
		err = decode(e, &p)
		out = p // parties (roles, not people) and a date
	case EvHearingPlanned, EvHearingHeld:
		var p HearingPayload
		err = decode(e, &p)
		out = HearingPayload{On: p.On, Form: p.Form}
	case EvHearingReportSigned:
		// Who signed is a person; Apply keeps the list, so each signature
		// stays as an anonymous entry and the count is right.
		var p SignedPayload
		err = decode(e, &p)
		out = SignedPayload{On: p.On}
	case EvExtended:
		var p ExtendedPayload
		err = decode(e, &p)
		out = ExtendedPayload{NewDue: p.NewDue, SentTo: p.SentTo, Consent: p.Consent, On: p.On}
	case EvDecisionProposed, EvProposalMade, EvProposalAnswered:
		var p ProposalPayload
		err = decode(e, &p)
		out = ProposalPayload{Via: p.Via, On: p.On, Accepted: p.Accepted}
	case EvDecided:
		var p DecidedPayload
		err = decode(e, &p)
		d := DecidedPayload{Outcome: p.Outcome, On: p.On, DecidedBy: Person{UserID: p.DecidedBy.UserID}}
		for _, j := range p.Points {
			d.Points = append(d.Points, Judgment{Judgment: j.Judgment})
		}
		out = d
	case EvReferralGiven:
		// The body is an institution (Nationale Ombudsman, UWV), which
		// the yearly report counts.
		var p ReferralPayload
		err = decode(e, &p)
		out = p
	case EvMeasureAdded, EvMeasureDone:
		var p MeasurePayload
		err = decode(e, &p)
		out = MeasurePayload{ID: p.ID, Kind: p.Kind, Due: p.Due, On: p.On}
	case EvClosed:
		var p ClosedPayload
		err = decode(e, &p)
		out = ClosedPayload{On: p.On, Outcome: p.Outcome}
	case EvMessageReceived:
		var p MessageReceivedPayload
		err = decode(e, &p)
		out = MessageReceivedPayload{ReceivedAt: p.ReceivedAt, Attachments: p.Attachments}
	case EvCategorySet:
		var p CategoryPayload
		err = decode(e, &p)
		out = CategoryPayload{Category: p.Category, Label: p.Label}
	case EvCaseErased:
		return e.Payload, nil // says nothing about a person
	default:
		// information_requested/received, statement_of_view_added,
		// note_added and any type added later: counts only.
		out = struct{}{}
	}
	if err != nil {
		return nil, fmt.Errorf("redact event %d (%s): %w", e.Seq, e.Type, err)
	}
	return json.Marshal(out)
}

// redactIntake keeps of the intake what the register, the yearly report
// and the regulation's conditions read: kind, channel, dates, category,
// the kind of commissioning party and trajectory, urgency, the claim
// amount, the regulation version and the time bar.
func redactIntake(p Intake) Intake {
	out := Intake{
		Kind: p.Kind, Channel: p.Channel, ReceivedOn: p.ReceivedOn, Correspondence: p.Correspondence,
		CommissioningKind: p.CommissioningKind, Service: p.Service,
		IncidentDate: p.IncidentDate, Urgency: p.Urgency, ClaimAmountEUR: p.ClaimAmountEUR, Category: p.Category,
		ReglementID: p.ReglementID, ReglementVersion: p.ReglementVersion, ReglementRevision: p.ReglementRevision,
		TimeBarred: p.TimeBarred, TimeBarGround: p.TimeBarGround, TimeBarSource: p.TimeBarSource,
	}
	// UWV is an institution, not a person, and the report counts UWV
	// cases also where only the party's name says so. Any other party
	// (an employer) can point to the person.
	if strings.EqualFold(strings.TrimSpace(p.CommissioningParty), "uwv") {
		out.CommissioningParty = "UWV"
	}
	return out
}

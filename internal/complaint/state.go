package complaint

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Phase is where a case stands.
type Phase string

// The phases of a case.
const (
	// PhaseReceived: registered; acknowledgement, assignment and the
	// admissibility decision are still to come.
	PhaseReceived Phase = "received"
	// PhaseHandling: taken into handling.
	PhaseHandling Phase = "handling"
	// PhaseDecided: decided; measures, aftercare and closing follow.
	PhaseDecided Phase = "decided"
	// PhaseClosed: closed; only archiving remains.
	PhaseClosed Phase = "closed"
	// PhaseArchived: archived under the retention rule.
	PhaseArchived Phase = "archived"
)

// Phases lists the phases in order.
var Phases = []Phase{PhaseReceived, PhaseHandling, PhaseDecided, PhaseClosed, PhaseArchived}

// State is the current state of a case: the fold of its events.
type State struct {
	Number string `json:"number"`
	Phase  Phase  `json:"phase"`
	Intake Intake `json:"intake"`

	Accused []Person `json:"accused,omitempty"`
	Handler *Person  `json:"handler,omitempty"`
	// HandlerSince is the date the current handler was assigned.
	HandlerSince *calendar.Date `json:"handler_since,omitempty"`

	AcknowledgedOn *calendar.Date              `json:"acknowledged_on,omitempty"`
	Informed       map[reglement.Party]calDate `json:"informed,omitempty"`
	Admissibility  *AdmissibilityPayload       `json:"admissibility,omitempty"`

	OpenInfoRequests int            `json:"open_info_requests,omitempty"`
	PausedSince      *calendar.Date `json:"paused_since,omitempty"`
	// PausedDays counts the calendar days of completed pauses.
	PausedDays int `json:"paused_days,omitempty"`

	Documents    []DocumentPayload `json:"documents,omitempty"`
	InspectionOn *calendar.Date    `json:"inspection_on,omitempty"`
	// InspectionTo are the parties given inspection of the documents.
	InspectionTo   []reglement.Party `json:"inspection_to,omitempty"`
	HearingPlanned *calendar.Date    `json:"hearing_planned,omitempty"`
	// Hearing is the last hearing held: date, participants and summary.
	Hearing           *HearingPayload `json:"hearing,omitempty"`
	HearingHeldOn     *calendar.Date  `json:"hearing_held_on,omitempty"`
	HearingWaivedOn   *calendar.Date  `json:"hearing_waived_on,omitempty"`
	HearingReportSent *calendar.Date  `json:"hearing_report_sent,omitempty"`
	HearingSignedBy   []string        `json:"hearing_signed_by,omitempty"`
	StatementsOfView  int             `json:"statements_of_view,omitempty"`

	Extensions      []ExtendedPayload `json:"extensions,omitempty"`
	BoardProposalOn *calendar.Date    `json:"board_proposal_on,omitempty"`
	Proposal        *ProposalPayload  `json:"proposal,omitempty"`
	Decision        *DecidedPayload   `json:"decision,omitempty"`
	Referrals       []ReferralPayload `json:"referrals,omitempty"`
	Measures        []MeasurePayload  `json:"measures,omitempty"`
	AftercareOn     *calendar.Date    `json:"aftercare_on,omitempty"`
	ReportSentOn    *calendar.Date    `json:"report_sent_on,omitempty"`
	// ResolvedOn is when the complaint was resolved: decision, informal
	// settlement or settlement by the receiver.
	ResolvedOn *calendar.Date `json:"resolved_on,omitempty"`
	// Resolution is the note of an informal settlement, a settlement by the
	// receiver or a withdrawal.
	Resolution string `json:"resolution,omitempty"`
	// AftercareNote records what the aftercare check found.
	AftercareNote string                `json:"aftercare_note,omitempty"`
	ClosedOn      *calendar.Date        `json:"closed_on,omitempty"`
	ArchivedOn    *calendar.Date        `json:"archived_on,omitempty"`
	Outcome       reglement.OutcomeKind `json:"outcome,omitempty"`
	Notes         int                   `json:"notes,omitempty"`
	// Messages counts the messages received for the case.
	Messages int `json:"messages,omitempty"`
	// InspectionRequestedOn is the open request of the complainant to see
	// the documents; granting inspection answers it.
	InspectionRequestedOn *calendar.Date `json:"inspection_requested_on,omitempty"`
	// HearingRequestedOn is the open request of the complainant to explain
	// the complaint in person; planning, holding or skipping the hearing
	// answers it.
	HearingRequestedOn *calendar.Date `json:"hearing_requested_on,omitempty"`
	// ComplainantInputSince is when the complainant added something that
	// no staff member has acted on since (see trackComplainantInput).
	ComplainantInputSince *time.Time `json:"complainant_input_since,omitempty"`
	// Erasure is set once the case's personal data was erased (retention
	// ended, or an erasure request); the case then takes no more actions.
	Erasure *CaseErasedPayload `json:"erasure,omitempty"`
	// ErasedOn is the date of the erasure.
	ErasedOn *calendar.Date `json:"erased_on,omitempty"`
	// LastSeq is the sequence number of the last event folded in.
	LastSeq int `json:"last_seq"`
}

// calDate is a date in a map value (JSON friendly).
type calDate = calendar.Date

// IsRemark reports whether the case was recorded as a remark.
func (s *State) IsRemark() bool { return s.Intake.Kind == KindRemark }

// IsOpen reports whether the case is neither closed nor archived.
func (s *State) IsOpen() bool {
	return s.Phase != PhaseClosed && s.Phase != PhaseArchived && s.Phase != ""
}

// HandlerIsAccused reports whether the assigned handler has become an
// accused employee: then the handler must be replaced before any further
// step (Awb 9:7; SmartPLUS Punt 6).
func (s *State) HandlerIsAccused() bool {
	return s.Handler != nil && s.IsAccused(*s.Handler)
}

// MaySeeDocuments reports whether p may read the documents of the case
// file: everyone who works on it, and an accused employee only once given
// inspection of the documents (SmartPLUS Punt 6; Awb 9:7 keeps the
// accused out of the handling, not out of the hearing of both sides).
func (s *State) MaySeeDocuments(p Person) bool {
	return !s.IsAccused(p) || slices.Contains(s.InspectionTo, reglement.PartyAccusedEmployee)
}

// IsAccused matches a person against the accused employees, by account
// when both have one and by name otherwise.
func (s *State) IsAccused(p Person) bool {
	for _, a := range s.Accused {
		if a.UserID != "" && p.UserID != "" {
			if a.UserID == p.UserID {
				return true
			}
			continue
		}
		if strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(p.Name)) && a.Name != "" {
			return true
		}
	}
	return false
}

// Fold replays events into a state.
func Fold(events []Event) (State, error) {
	var s State
	for _, e := range events {
		var err error
		if s, err = Apply(s, e); err != nil {
			return s, err
		}
	}
	return s, nil
}

// Apply folds one event into the state. It fails only on a payload that
// does not decode, which means the log is damaged.
func Apply(s State, e Event) (State, error) {
	// Copy the slices we append to so an earlier State value is never
	// changed behind its holder's back.
	s.Accused = slices.Clone(s.Accused)
	s.Measures = slices.Clone(s.Measures)
	var err error
	switch e.Type {
	case EvReceived:
		err = decode(e, &s.Intake)
		s.Phase = PhaseReceived
		s.Accused = append(s.Accused, s.Intake.AccusedEmployees...)
	case EvRecordedAsRemark:
		var p Dated
		err = decode(e, &p)
		s.Intake.Kind = KindRemark
		s.Phase, s.ClosedOn, s.Outcome = PhaseClosed, &p.On, ""
	case EvSettledByReceiver:
		var p Dated
		err = decode(e, &p)
		s.ResolvedOn, s.Resolution = &p.On, p.Text
		s.Outcome = reglement.OutcomeSettledByReceipt
	case EvAcknowledged:
		var p AcknowledgedPayload
		err = decode(e, &p)
		s.AcknowledgedOn = &p.On
	case EvHandlerAssigned:
		var p HandlerAssignedPayload
		err = decode(e, &p)
		s.Handler, s.HandlerSince = &p.Handler, &p.On
	case EvAccusedAdded:
		var p AccusedAddedPayload
		err = decode(e, &p)
		s.Accused = append(s.Accused, p.Employee)
	case EvPartyInformed:
		var p PartyInformedPayload
		err = decode(e, &p)
		if s.Informed == nil {
			s.Informed = map[reglement.Party]calDate{}
		} else {
			s.Informed = maps.Clone(s.Informed)
		}
		s.Informed[p.Party] = p.On
	case EvInformationRequested:
		s.OpenInfoRequests++
	case EvInformationReceived:
		if s.OpenInfoRequests > 0 {
			s.OpenInfoRequests--
		}
	case EvClockPaused:
		var p Dated
		err = decode(e, &p)
		s.PausedSince = &p.On
	case EvClockResumed:
		var p Dated
		err = decode(e, &p)
		if s.PausedSince != nil {
			s.PausedDays += s.PausedSince.DaysUntil(p.On)
			s.PausedSince = nil
		}
	case EvAdmissibilityDecided:
		var p AdmissibilityPayload
		err = decode(e, &p)
		s.Admissibility = &p
		if p.Admissible {
			s.Phase = PhaseHandling
		}
	case EvDocumentAdded:
		var p DocumentPayload
		err = decode(e, &p)
		s.Documents = append(slices.Clone(s.Documents), p)
	case EvInspectionRequested:
		var p Dated
		err = decode(e, &p)
		s.InspectionRequestedOn = &p.On
	case EvHearingRequested:
		var p Dated
		err = decode(e, &p)
		s.HearingRequestedOn = &p.On
	case EvInspectionGranted:
		var p InspectionPayload
		err = decode(e, &p)
		s.InspectionOn, s.InspectionRequestedOn = &p.On, nil
		for _, party := range p.To {
			if !slices.Contains(s.InspectionTo, party) {
				s.InspectionTo = append(slices.Clone(s.InspectionTo), party)
			}
		}
	case EvHearingPlanned:
		var p HearingPayload
		err = decode(e, &p)
		s.HearingPlanned, s.HearingRequestedOn = &p.On, nil
	case EvHearingHeld:
		var p HearingPayload
		err = decode(e, &p)
		s.HearingHeldOn, s.Hearing, s.HearingRequestedOn = &p.On, &p, nil
	case EvHearingWaived:
		var p Dated
		err = decode(e, &p)
		s.HearingWaivedOn, s.HearingRequestedOn = &p.On, nil
	case EvHearingReportSent:
		var p Dated
		err = decode(e, &p)
		s.HearingReportSent = &p.On
	case EvHearingReportSigned:
		var p SignedPayload
		err = decode(e, &p)
		s.HearingSignedBy = append(slices.Clone(s.HearingSignedBy), p.By)
	case EvStatementOfView:
		s.StatementsOfView++
	case EvExtended:
		var p ExtendedPayload
		err = decode(e, &p)
		s.Extensions = append(slices.Clone(s.Extensions), p)
	case EvDecisionProposed:
		var p ProposalPayload
		err = decode(e, &p)
		s.BoardProposalOn = &p.On
	case EvProposalMade:
		var p ProposalPayload
		err = decode(e, &p)
		s.Proposal = &p
	case EvProposalAnswered:
		var p ProposalPayload
		err = decode(e, &p)
		if s.Proposal != nil {
			answered := *s.Proposal
			answered.Accepted, answered.Reply = p.Accepted, p.Reply
			s.Proposal = &answered
		}
	case EvDecided:
		var p DecidedPayload
		err = decode(e, &p)
		s.Decision, s.ResolvedOn, s.Outcome = &p, &p.On, p.Outcome
		s.Phase = PhaseDecided
	case EvReferralGiven:
		var p ReferralPayload
		err = decode(e, &p)
		s.Referrals = append(slices.Clone(s.Referrals), p)
	case EvMeasureAdded:
		var p MeasurePayload
		err = decode(e, &p)
		s.Measures = append(s.Measures, p)
	case EvMeasureDone:
		var p MeasurePayload
		err = decode(e, &p)
		for i := range s.Measures {
			if s.Measures[i].ID == p.ID {
				s.Measures[i].On = p.On
			}
		}
	case EvAftercareDone:
		var p Dated
		err = decode(e, &p)
		s.AftercareOn, s.AftercareNote = &p.On, p.Text
	case EvReportSent:
		var p Dated
		err = decode(e, &p)
		s.ReportSentOn = &p.On
	case EvSettledInformally:
		var p Dated
		err = decode(e, &p)
		s.ResolvedOn, s.Outcome, s.Resolution = &p.On, reglement.OutcomeSettledInformal, p.Text
	case EvWithdrawn:
		var p Dated
		err = decode(e, &p)
		s.Outcome, s.Resolution = reglement.OutcomeWithdrawn, p.Text
	case EvClosed:
		var p ClosedPayload
		err = decode(e, &p)
		s.Phase, s.ClosedOn = PhaseClosed, &p.On
		if p.Outcome != "" {
			s.Outcome = p.Outcome
		}
	case EvArchived:
		var p Dated
		err = decode(e, &p)
		s.Phase, s.ArchivedOn = PhaseArchived, &p.On
	case EvNoteAdded:
		s.Notes++
	case EvMessageReceived:
		s.Messages++
	case EvCategorySet:
		var p CategoryPayload
		err = decode(e, &p)
		s.Intake.Category = p.Category
	case EvCaseErased:
		var p CaseErasedPayload
		err = decode(e, &p)
		s.Erasure, s.ErasedOn = &p, &p.On
	default:
		return s, fmt.Errorf("event %d: unknown type %q", e.Seq, e.Type)
	}
	if err != nil {
		return s, fmt.Errorf("event %d (%s): damaged payload: %w", e.Seq, e.Type, err)
	}
	trackComplainantInput(&s, e)
	s.LastSeq = e.Seq
	return s, nil
}

func decode(e Event, v any) error {
	if len(e.Payload) == 0 {
		return nil
	}
	return json.Unmarshal(e.Payload, v)
}

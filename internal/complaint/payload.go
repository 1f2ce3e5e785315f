package complaint

import (
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The event types of a case log.
const (
	EvReceived             EventType = "received"
	EvRecordedAsRemark     EventType = "recorded_as_remark"
	EvSettledByReceiver    EventType = "settled_by_receiver"
	EvAcknowledged         EventType = "acknowledged"
	EvHandlerAssigned      EventType = "handler_assigned"
	EvAccusedAdded         EventType = "accused_added"
	EvPartyInformed        EventType = "party_informed"
	EvInformationRequested EventType = "information_requested"
	EvInformationReceived  EventType = "information_received"
	EvClockPaused          EventType = "clock_paused"
	EvClockResumed         EventType = "clock_resumed"
	EvAdmissibilityDecided EventType = "admissibility_decided"
	EvDocumentAdded        EventType = "document_added"
	EvInspectionGranted    EventType = "inspection_granted"
	EvHearingPlanned       EventType = "hearing_planned"
	EvHearingHeld          EventType = "hearing_held"
	EvHearingWaived        EventType = "hearing_waived"
	EvHearingReportSent    EventType = "hearing_report_sent"
	EvHearingReportSigned  EventType = "hearing_report_signed"
	EvStatementOfView      EventType = "statement_of_view_added"
	EvExtended             EventType = "extended"
	EvDecisionProposed     EventType = "decision_proposed"
	EvProposalMade         EventType = "proposal_made"
	EvProposalAnswered     EventType = "proposal_answered"
	EvDecided              EventType = "decided"
	EvReferralGiven        EventType = "referral_given"
	EvMeasureAdded         EventType = "measure_added"
	EvMeasureDone          EventType = "measure_done"
	EvAftercareDone        EventType = "aftercare_done"
	EvReportSent           EventType = "report_sent"
	EvSettledInformally    EventType = "settled_informally"
	EvWithdrawn            EventType = "withdrawn"
	EvClosed               EventType = "closed"
	EvArchived             EventType = "archived"
	EvNoteAdded            EventType = "note_added"
	EvMessageReceived      EventType = "message_received"
	EvCategorySet          EventType = "category_set"
	// EvCaseErased records that the personal data of a case was erased:
	// the payloads of its earlier events were redacted (see Redact). It
	// is the last event of a case; the hash chain makes the erasure
	// itself tamper-evident.
	EvCaseErased EventType = "case_erased"
)

// Person is a party of a case.
type Person struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Address string `json:"address,omitempty"`
	// Function is a staff member's job title.
	Function string `json:"function,omitempty"`
	// UserID links a staff member to their account.
	UserID string `json:"user_id,omitempty"`
}

// Intake is what is recorded when a complaint is received: the payload of
// the received event.
type Intake struct {
	// Kind is "complaint" or "remark".
	Kind       string            `json:"kind"`
	Channel    reglement.Channel `json:"channel"`
	ReceivedOn calendar.Date     `json:"received_on"`

	Complainant    Person  `json:"complainant"`
	Representative *Person `json:"representative,omitempty"`
	// Correspondence is "email" or "post".
	Correspondence string `json:"correspondence,omitempty"`

	ClientName         string `json:"client_name,omitempty"`
	CommissioningParty string `json:"commissioning_party,omitempty"`
	// CommissioningKind is uwv, employer, municipality, insurer, private or
	// other; regulation conditions such as uwv_commissioning read it.
	CommissioningKind string `json:"commissioning_kind,omitempty"`
	// Service is the kind of trajectory, e.g. jobcoaching.
	Service          string   `json:"service,omitempty"`
	ContactPerson    string   `json:"contact_person,omitempty"`
	AccusedEmployees []Person `json:"accused_employees,omitempty"`

	IncidentDate  *calendar.Date `json:"incident_date,omitempty"`
	IncidentTime  string         `json:"incident_time,omitempty"`
	IncidentPlace string         `json:"incident_place,omitempty"`
	// Circumstances are special circumstances of the incident (Standergroep
	// Procedure 3: "bijzondere omstandigheden").
	Circumstances  string `json:"circumstances,omitempty"`
	Facts          string `json:"facts"`
	DesiredOutcome string `json:"desired_outcome,omitempty"`
	Urgency        string `json:"urgency,omitempty"`
	ClaimAmountEUR int    `json:"claim_amount_eur,omitempty"`
	Category       string `json:"category,omitempty"`

	// Set by Receive, not by the caller.
	ReglementID      string `json:"reglement_id"`
	ReglementVersion string `json:"reglement_version"`
	// ReglementRevision is the stored revision of the organisation's
	// regulation; set by the caller of Receive.
	ReglementRevision int    `json:"reglement_revision,omitempty"`
	TimeBarred        bool   `json:"time_barred,omitempty"`
	TimeBarGround     string `json:"time_bar_ground,omitempty"`
	TimeBarSource     string `json:"time_bar_source,omitempty"`
}

// The kinds of intake.
const (
	KindComplaint = "complaint"
	KindRemark    = "remark"
)

// Note is a free text with an optional date, used by many events.
type Note struct {
	Text string         `json:"text,omitempty"`
	On   *calendar.Date `json:"on,omitempty"`
}

// Dated is the payload of events that only carry the date they happened.
type Dated struct {
	On   calendar.Date `json:"on"`
	Text string        `json:"text,omitempty"`
}

// AcknowledgedPayload records the acknowledgement of receipt.
type AcknowledgedPayload struct {
	On calendar.Date `json:"on"`
	// Via is email, post or letter.
	Via string `json:"via,omitempty"`
}

// HandlerAssignedPayload records who handles the case (Standergroep
// Procedure 2: name, function and date).
type HandlerAssignedPayload struct {
	Handler Person        `json:"handler"`
	On      calendar.Date `json:"on"`
}

// AccusedAddedPayload records an employee the complaint is about.
type AccusedAddedPayload struct {
	Employee Person `json:"employee"`
}

// PartyInformedPayload records that a party was told of the complaint.
type PartyInformedPayload struct {
	Party reglement.Party `json:"party"`
	On    calendar.Date   `json:"on"`
	Name  string          `json:"name,omitempty"`
	Text  string          `json:"text,omitempty"`
}

// AdmissibilityPayload records whether the complaint is taken on.
type AdmissibilityPayload struct {
	Admissible bool          `json:"admissible"`
	Ground     string        `json:"ground,omitempty"`
	Source     string        `json:"source,omitempty"`
	Motivation string        `json:"motivation,omitempty"`
	On         calendar.Date `json:"on"`
}

// DocumentPayload records a document in the case file.
type DocumentPayload struct {
	DocumentID string `json:"document_id,omitempty"`
	Name       string `json:"name"`
	Kind       string `json:"kind,omitempty"`
	Note       string `json:"note,omitempty"`
	// MIME is the type detected from the content, Size its bytes; empty
	// for documents recorded without a file (a paper document).
	MIME string `json:"mime,omitempty"`
	Size int64  `json:"size,omitempty"`
}

// InspectionPayload records inspection of the documents (SmartPLUS Punt 6).
type InspectionPayload struct {
	To []reglement.Party `json:"to"`
	On calendar.Date     `json:"on"`
}

// HearingPayload records a planned or held hearing.
type HearingPayload struct {
	On           calendar.Date `json:"on"`
	Participants []string      `json:"participants,omitempty"`
	Summary      string        `json:"summary,omitempty"`
	Form         string        `json:"form,omitempty"`
}

// SignedPayload records who signed the hearing report.
type SignedPayload struct {
	By string        `json:"by"`
	On calendar.Date `json:"on"`
}

// ExtendedPayload records an extension of the decision term.
type ExtendedPayload struct {
	NewDue     calendar.Date     `json:"new_due"`
	Motivation string            `json:"motivation"`
	SentTo     []reglement.Party `json:"sent_to"`
	// Consent records the complainant's consent to go beyond the maximum.
	Consent bool          `json:"consent,omitempty"`
	On      calendar.Date `json:"on"`
}

// ProposalPayload records a proposed solution to the complainant, or the
// handler's proposed decision to the board.
type ProposalPayload struct {
	Text  string        `json:"text"`
	Via   string        `json:"via,omitempty"`
	On    calendar.Date `json:"on"`
	Reply string        `json:"reply,omitempty"`
	// Accepted is set on an answer.
	Accepted *bool `json:"accepted,omitempty"`
}

// Judgment is the decision on one complaint point.
type Judgment struct {
	Point      string                `json:"point"`
	Judgment   reglement.OutcomeKind `json:"judgment"`
	Motivation string                `json:"motivation"`
}

// DecidedPayload records the decision.
type DecidedPayload struct {
	Points     []Judgment            `json:"points"`
	Outcome    reglement.OutcomeKind `json:"outcome"`
	Motivation string                `json:"motivation"`
	On         calendar.Date         `json:"on"`
	DecidedBy  Person                `json:"decided_by"`
}

// ReferralPayload records the body the complainant was pointed to.
type ReferralPayload struct {
	Body   string `json:"body"`
	Source string `json:"source,omitempty"`
}

// MeasurePayload records a corrective or preventive measure.
type MeasurePayload struct {
	ID          int            `json:"id"`
	Description string         `json:"description,omitempty"`
	Kind        string         `json:"kind,omitempty"`
	Owner       string         `json:"owner,omitempty"`
	Due         *calendar.Date `json:"due,omitempty"`
	On          *calendar.Date `json:"on,omitempty"`
}

// ClosedPayload records the end of a case.
type ClosedPayload struct {
	On      calendar.Date         `json:"on"`
	Outcome reglement.OutcomeKind `json:"outcome"`
	Reason  string                `json:"reason,omitempty"`
}

// MessageReceivedPayload records a message (e-mail) that reached the case:
// a reply to one of its letters, or mail naming its number.
type MessageReceivedPayload struct {
	// InboundID identifies the stored message (raw message kept as evidence).
	InboundID  string    `json:"inbound_id"`
	MessageID  string    `json:"message_id,omitempty"`
	From       string    `json:"from"`
	Subject    string    `json:"subject,omitempty"`
	ReceivedAt time.Time `json:"received_at"`
	// Attachments counts the documents that came with it.
	Attachments int `json:"attachments,omitempty"`
}

// MessageReceived is the event for a message that arrived for a case. It
// is no one's action, so it does not go through Decide: the caller appends
// it to any case that is not archived. The actor names no one: the hash
// chain covers the actor as it is, so a sender's address there could
// never be erased; it is in the payload, which erasure redacts.
func MessageReceived(at time.Time, p MessageReceivedPayload) Event {
	return mustEvent(EvMessageReceived, Actor{Kind: "complainant"}, at, p)
}

// CategoryPayload records the subject category the handler assigned.
type CategoryPayload struct {
	Category string `json:"category"`
	Label    string `json:"label,omitempty"`
}

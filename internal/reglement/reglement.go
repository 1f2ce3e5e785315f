// Package reglement is the policy model of one complaint regulation: its YAML
// form, validation, the embedded presets and the term engine. Every rule
// carries the article of the regulation it comes from (Source). The package
// reads no clock and does no I/O beyond its embedded presets.
package reglement

import (
	"github.com/gegrond/gegrond/internal/calendar"
)

// Reglement is one version of one organisation's complaint regulation.
type Reglement struct {
	ID           string        `yaml:"id" json:"id"`
	Organisation string        `yaml:"organisation" json:"organisation"`
	Title        string        `yaml:"title" json:"title"`
	Version      string        `yaml:"version" json:"version"`
	ValidFrom    calendar.Date `yaml:"valid_from" json:"valid_from"`
	Language     string        `yaml:"language" json:"language"`
	Contact      Contact       `yaml:"contact" json:"contact"`
	Calendar     CalendarRule  `yaml:"calendar" json:"calendar"`

	Definitions   Definitions   `yaml:"definitions" json:"definitions"`
	Intake        Intake        `yaml:"intake" json:"intake"`
	Terms         []Term        `yaml:"terms" json:"terms"`
	Extension     Extension     `yaml:"extension" json:"extension"`
	Admissibility Admissibility `yaml:"admissibility" json:"admissibility"`
	Roles         Roles         `yaml:"roles" json:"roles"`
	Process       Process       `yaml:"process" json:"process"`
	Outcomes      []Outcome     `yaml:"outcomes" json:"outcomes"`
	Letters       []Letter      `yaml:"letters" json:"letters"`
	Referrals     []Referral    `yaml:"referrals" json:"referrals"`
	Closing       Closing       `yaml:"closing" json:"closing"`
	Retention     Retention     `yaml:"retention" json:"retention"`
	Reporting     []Reporting   `yaml:"reporting" json:"reporting"`
	Categories    []Category    `yaml:"categories" json:"categories"`

	// cal is the working-day calendar built by Parse.
	cal *calendar.Calendar
}

// Contact is where complaints go, as the regulation publishes it.
type Contact struct {
	Email   string `yaml:"email" json:"email,omitempty"`
	Phone   string `yaml:"phone" json:"phone,omitempty"`
	Address string `yaml:"address" json:"address,omitempty"`
	Source  string `yaml:"source" json:"source,omitempty"`
}

// CalendarRule selects the working-day calendar of the organisation.
type CalendarRule struct {
	// Profile is "nl" (default) or "nl-atw".
	Profile calendar.Profile `yaml:"profile" json:"profile"`
	// ExtraClosingDays are days the organisation is closed, in the forms
	// calendar.New accepts ("2026-12-31", "12-31", "ascension+1").
	ExtraClosingDays []string `yaml:"extra_closing_days" json:"extra_closing_days,omitempty"`
}

// Text is a passage of the regulation with the article it comes from.
type Text struct {
	Text   string `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"`
}

// Definitions says what counts as a complaint and what as a remark.
type Definitions struct {
	Complaint Text `yaml:"complaint" json:"complaint"`
	// Remark is set when the regulation knows remarks (opmerking, signaal,
	// suggestie) that are kept for quality work outside the complaint terms.
	Remark *Text `yaml:"remark" json:"remark,omitempty"`
	// WhoMayComplain describes who has the right to complain.
	WhoMayComplain Text `yaml:"who_may_complain" json:"who_may_complain"`
	// Other holds further defined terms of the regulation (klachtencoördinator,
	// CBP-klacht, ...), for display.
	Other []NamedText `yaml:"other" json:"other,omitempty"`
}

// NamedText is a defined term with its definition and source.
type NamedText struct {
	Term   string `yaml:"term" json:"term"`
	Text   string `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"`
}

// Channel is a way a complaint can reach the organisation.
type Channel string

// The channels a regulation can accept.
const (
	ChannelWeb      Channel = "web"
	ChannelEmail    Channel = "email"
	ChannelPost     Channel = "post"
	ChannelPhone    Channel = "phone"
	ChannelInPerson Channel = "in_person"
)

// Channels lists every known channel.
var Channels = []Channel{ChannelWeb, ChannelEmail, ChannelPost, ChannelPhone, ChannelInPerson}

// Intake holds the rules for receiving a complaint.
type Intake struct {
	Channels []ChannelRule `yaml:"channels" json:"channels"`
	// OralWrittenDownByStaff: an employee who receives an oral or phone
	// complaint writes it down (Work 2 Work 5.1.1, SmartPLUS Punt 3).
	OralWrittenDownByStaff Flag `yaml:"oral_written_down_by_staff" json:"oral_written_down_by_staff"`
	// SettledByReceiver: the receiver may settle a simple matter on the spot
	// (Work 2 Work 5.1.2; SmartPLUS Punt 5 toelichting and 8).
	SettledByReceiver Flag `yaml:"settled_by_receiver" json:"settled_by_receiver"`
	// RepresentativeAllowed: the complainant may be assisted or represented.
	RepresentativeAllowed Flag          `yaml:"representative_allowed" json:"representative_allowed"`
	Fields                []FieldRule   `yaml:"fields" json:"fields"`
	Evidence              *EvidenceRule `yaml:"evidence" json:"evidence,omitempty"`
}

// ChannelRule is one accepted channel with its source.
type ChannelRule struct {
	Channel Channel `yaml:"channel" json:"channel"`
	Note    string  `yaml:"note" json:"note,omitempty"`
	Source  string  `yaml:"source" json:"source"`
}

// Flag is a yes/no rule with its source.
type Flag struct {
	Value  bool   `yaml:"value" json:"value"`
	Note   string `yaml:"note" json:"note,omitempty"`
	Source string `yaml:"source" json:"source,omitempty"`
}

// FieldRule says that an intake field is asked for, and when it is required.
type FieldRule struct {
	Field Field `yaml:"field" json:"field"`
	// Required: always required.
	Required bool `yaml:"required" json:"required"`
	// RequiredWhen names a condition under which the field is required
	// (see Conditions), e.g. "correspondence_by_post".
	RequiredWhen string `yaml:"required_when" json:"required_when,omitempty"`
	Label        string `yaml:"label" json:"label,omitempty"`
	Help         string `yaml:"help" json:"help,omitempty"`
	Source       string `yaml:"source" json:"source"`
}

// EvidenceRule limits the files a complainant may add.
type EvidenceRule struct {
	// Formats are file kinds by name: pdf, docx, png, jpg, mp4, ...
	Formats       []string `yaml:"formats" json:"formats"`
	MaxFileSizeMB int      `yaml:"max_file_size_mb" json:"max_file_size_mb"`
	Note          string   `yaml:"note" json:"note,omitempty"`
	Source        string   `yaml:"source" json:"source"`
}

// Unit is the unit of a term's amount.
type Unit string

// The units a term can be counted in.
const (
	WorkingDays Unit = "working_days"
	Days        Unit = "days"
	Weeks       Unit = "weeks"
	Months      Unit = "months"
)

// Units lists every known unit.
var Units = []Unit{WorkingDays, Days, Weeks, Months}

// Kind tells whether a term is an aim or an outer limit.
type Kind string

// The kinds of term.
const (
	Aim   Kind = "aim"
	Limit Kind = "limit"
)

// Anchor is the event a term counts from.
type Anchor string

// The anchors a term can count from.
const (
	AnchorReceived   Anchor = "received"
	AnchorDecision   Anchor = "decision"
	AnchorResolution Anchor = "resolution"
	AnchorClosing    Anchor = "closing"
)

// Anchors lists every known anchor.
var Anchors = []Anchor{AnchorReceived, AnchorDecision, AnchorResolution, AnchorClosing}

// Step names the step of the procedure a term is for.
type Step string

// The steps a term can be for. The names are part of the CLI's and API's
// JSON output.
const (
	StepAcknowledgement     Step = "acknowledgement"
	StepAdmissibilityNotice Step = "admissibility_notice"
	StepHandlingStart       Step = "handling_start"
	StepHearing             Step = "hearing"
	StepDecision            Step = "decision"
	StepDecisionExtended    Step = "decision_extended"
	StepAftercare           Step = "aftercare"
	StepReport              Step = "report"
	StepClosingNotice       Step = "closing_notice"
	StepRetention           Step = "retention"
)

// Steps lists the steps in procedure order.
var Steps = []Step{StepAcknowledgement, StepAdmissibilityNotice, StepHandlingStart, StepHearing,
	StepDecision, StepDecisionExtended, StepAftercare, StepReport, StepClosingNotice, StepRetention}

// Term is one period of the regulation: amount and unit from an anchor.
type Term struct {
	Step   Step   `yaml:"step" json:"step"`
	Amount int    `yaml:"amount" json:"amount"`
	Unit   Unit   `yaml:"unit" json:"unit"`
	Anchor Anchor `yaml:"anchor" json:"anchor"`
	Kind   Kind   `yaml:"kind" json:"kind"`
	// Label is the regulation's own wording, e.g. "Binnen circa 7 werkdagen".
	Label  string `yaml:"label" json:"label,omitempty"`
	Note   string `yaml:"note" json:"note,omitempty"`
	Source string `yaml:"source" json:"source"`
}

// Period is an amount of a unit.
type Period struct {
	Amount int  `yaml:"amount" json:"amount"`
	Unit   Unit `yaml:"unit" json:"unit"`
}

// Extension (verdaging) of the decision term.
type Extension struct {
	Allowed bool `yaml:"allowed" json:"allowed"`
	// Max is the longest total extension; nil when the regulation sets none.
	Max       *Period `yaml:"max" json:"max,omitempty"`
	Written   bool    `yaml:"written" json:"written"`
	Motivated bool    `yaml:"motivated" json:"motivated"`
	// NotifyParties are told of an extension: complainant, accused_employee, ...
	NotifyParties []Party `yaml:"notify" json:"notify,omitempty"`
	// BeforeTermEnds: the notice must be given before the running term ends.
	BeforeTermEnds bool `yaml:"before_term_ends" json:"before_term_ends"`
	// BeyondMaxWithConsent: a further delay is possible only with the
	// complainant's recorded consent.
	BeyondMaxWithConsent bool   `yaml:"beyond_max_with_consent" json:"beyond_max_with_consent"`
	Note                 string `yaml:"note" json:"note,omitempty"`
	Source               string `yaml:"source" json:"source,omitempty"`
}

// Party is someone a notice or letter goes to.
type Party string

// The parties of a case.
const (
	PartyComplainant       Party = "complainant"
	PartyRepresentative    Party = "representative"
	PartyAccusedEmployee   Party = "accused_employee"
	PartyContactPerson     Party = "contact_person"
	PartyLabourExpert      Party = "labour_expert"
	PartyInsurer           Party = "insurer"
	PartyCommissioningBody Party = "commissioning_party"
	PartyBoard             Party = "board"
	PartyAllInvolved       Party = "all_involved"
)

// Parties lists every known party.
var Parties = []Party{PartyComplainant, PartyRepresentative, PartyAccusedEmployee, PartyContactPerson,
	PartyLabourExpert, PartyInsurer, PartyCommissioningBody, PartyBoard, PartyAllInvolved}

// Admissibility holds the grounds for not handling a complaint.
type Admissibility struct {
	// DecidedBy is the role that decides on admissibility.
	DecidedBy Role     `yaml:"decided_by" json:"decided_by"`
	Grounds   []Ground `yaml:"grounds" json:"grounds"`
	// NoticeWritten and NoticeMotivated: how the complainant is told; the
	// term is the admissibility_notice term.
	NoticeWritten   bool   `yaml:"notice_written" json:"notice_written"`
	NoticeMotivated bool   `yaml:"notice_motivated" json:"notice_motivated"`
	Source          string `yaml:"source" json:"source,omitempty"`
}

// Check says how a ground is established.
type Check string

// The ways a ground can be checked.
const (
	// CheckIncidentAge: the system compares the incident date with receipt.
	CheckIncidentAge Check = "incident_age"
	// CheckEarlierComplaint: the system finds an earlier handled complaint
	// about the same conduct; a person confirms.
	CheckEarlierComplaint Check = "earlier_complaint"
	// CheckJudgement: a person judges.
	CheckJudgement Check = "judgement"
)

// Ground is one reason not to handle a complaint.
type Ground struct {
	ID    string `yaml:"id" json:"id"`
	Text  string `yaml:"text" json:"text"`
	Check Check  `yaml:"check" json:"check"`
	// MaxAge is the longest time between incident and receipt, for
	// CheckIncidentAge.
	MaxAge *Period `yaml:"max_age" json:"max_age,omitempty"`
	Source string  `yaml:"source" json:"source"`
}

// Role is a function in the procedure.
type Role string

// The roles of the procedure.
const (
	RoleReceiver       Role = "receiver"
	RoleHandler        Role = "handler"
	RoleBoard          Role = "board"
	RoleQualityOfficer Role = "quality_officer"
	RoleDPO            Role = "data_protection_officer"
	RoleAdmin          Role = "administrator"
)

// Roles holds who does what.
type Roles struct {
	Acknowledges RoleRule `yaml:"acknowledges" json:"acknowledges"`
	Assigns      RoleRule `yaml:"assigns" json:"assigns"`
	Handles      RoleRule `yaml:"handles" json:"handles"`
	Decides      RoleRule `yaml:"decides" json:"decides"`
	// HandlerTitle is the regulation's name for the handler
	// (klachtbehandelaar, klachtencoördinator).
	HandlerTitle string `yaml:"handler_title" json:"handler_title"`
	// HandlerRecord lists what is recorded on assignment (name, function,
	// date: Standergroep procedure 2).
	HandlerRecord []string     `yaml:"handler_record" json:"handler_record,omitempty"`
	Independence  Independence `yaml:"independence" json:"independence"`
	InformAtOnce  []Inform     `yaml:"inform_at_once" json:"inform_at_once,omitempty"`
}

// RoleRule names a role with its source.
type RoleRule struct {
	Role   Role   `yaml:"role" json:"role"`
	Note   string `yaml:"note" json:"note,omitempty"`
	Source string `yaml:"source" json:"source"`
}

// Independence is the rule that the accused employee never handles or
// decides the case.
type Independence struct {
	AccusedNeverHandles bool `yaml:"accused_never_handles" json:"accused_never_handles"`
	AccusedNeverDecides bool `yaml:"accused_never_decides" json:"accused_never_decides"`
	// Text is the regulation's wording (SmartPLUS: "op voldoende afstand").
	Text   string `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"`
}

// Inform is a party told of the complaint at once.
type Inform struct {
	Party Party `yaml:"party" json:"party"`
	// When is always, discretion (the handler weighs it), or a condition
	// name (see Conditions).
	When string `yaml:"when" json:"when"`
	// ThresholdEUR applies to the claim_over_threshold condition.
	ThresholdEUR int `yaml:"threshold_eur" json:"threshold_eur,omitempty"`
	// How says what is sent: "afschrift van de klachtbrief".
	How    string `yaml:"how" json:"how,omitempty"`
	Source string `yaml:"source" json:"source"`
}

// Conditions are the named conditions that a rule can depend on; each is
// evaluated from a case's data.
var Conditions = []string{
	"always", "discretion", "accused_employee_named", "uwv_job_coaching",
	"uwv_commissioning", "claim_over_threshold", "correspondence_by_post",
	"upheld", "on_request",
}

// Mode is how a process step applies.
type Mode string

// The modes of a process step.
const (
	ModeNone      Mode = "none"
	ModeOptional  Mode = "optional"
	ModeOnRequest Mode = "on_request"
	ModeRequired  Mode = "required"
)

// Process holds the steps of handling.
type Process struct {
	Steps []ProcessStep `yaml:"steps" json:"steps"`
}

// ProcessStep is one named step of the procedure and how it applies.
type ProcessStep struct {
	// Kind is one of ProcessKinds.
	Kind ProcessKind `yaml:"kind" json:"kind"`
	Mode Mode        `yaml:"mode" json:"mode"`
	// Who is present or acts, in the regulation's words.
	Who  string `yaml:"who" json:"who,omitempty"`
	Text string `yaml:"text" json:"text"`
	// ReportForSignature: a report is made and sent to all involved for
	// signature (hearing).
	ReportForSignature bool   `yaml:"report_for_signature" json:"report_for_signature,omitempty"`
	Source             string `yaml:"source" json:"source"`
}

// ProcessKind names a kind of process step.
type ProcessKind string

// The kinds of process step the case engine knows.
const (
	ProcessPreliminaryCheck   ProcessKind = "preliminary_check"
	ProcessHearAccused        ProcessKind = "hear_accused"
	ProcessHearing            ProcessKind = "hearing"
	ProcessInspection         ProcessKind = "inspection"
	ProcessInformalSettlement ProcessKind = "informal_settlement"
	ProcessProposal           ProcessKind = "proposal"
	ProcessStatementOfView    ProcessKind = "statement_of_view"
	ProcessBoardProposal      ProcessKind = "board_proposal"
	ProcessInternalDiscussion ProcessKind = "internal_discussion"
	ProcessAftercare          ProcessKind = "aftercare"
	ProcessMeasures           ProcessKind = "measures"
)

// ProcessKinds lists every known process kind.
var ProcessKinds = []ProcessKind{ProcessPreliminaryCheck, ProcessHearAccused, ProcessHearing,
	ProcessInspection, ProcessInformalSettlement, ProcessProposal, ProcessStatementOfView,
	ProcessBoardProposal, ProcessInternalDiscussion, ProcessAftercare, ProcessMeasures}

// OutcomeKind is a way a case can end.
type OutcomeKind string

// The outcomes.
const (
	OutcomeUpheld           OutcomeKind = "upheld"
	OutcomePartlyUpheld     OutcomeKind = "partly_upheld"
	OutcomeNotUpheld        OutcomeKind = "not_upheld"
	OutcomeInadmissible     OutcomeKind = "inadmissible"
	OutcomeSettledInformal  OutcomeKind = "settled_informally"
	OutcomeWithdrawn        OutcomeKind = "withdrawn"
	OutcomeSettledByReceipt OutcomeKind = "settled_by_receiver"
)

// OutcomeKinds lists every known outcome.
var OutcomeKinds = []OutcomeKind{OutcomeUpheld, OutcomePartlyUpheld, OutcomeNotUpheld,
	OutcomeInadmissible, OutcomeSettledInformal, OutcomeWithdrawn, OutcomeSettledByReceipt}

// Outcome is an allowed outcome with the regulation's wording.
type Outcome struct {
	Outcome OutcomeKind `yaml:"outcome" json:"outcome"`
	Label   string      `yaml:"label" json:"label"`
	Text    string      `yaml:"text" json:"text,omitempty"`
	Source  string      `yaml:"source" json:"source"`
}

// LetterKind names a kind of letter.
type LetterKind string

// The letter kinds.
const (
	LetterAcknowledgement LetterKind = "acknowledgement"
	LetterInadmissibility LetterKind = "inadmissibility_notice"
	LetterExtension       LetterKind = "extension_notice"
	LetterAccusedNotice   LetterKind = "accused_notice"
	LetterContactCopy     LetterKind = "contact_person_copy"
	LetterLabourExpert    LetterKind = "labour_expert_notice"
	LetterHearingInvite   LetterKind = "hearing_invitation"
	LetterHearingReport   LetterKind = "hearing_report"
	LetterProposalConfirm LetterKind = "proposal_confirmation"
	LetterDecision        LetterKind = "decision"
	LetterClosing         LetterKind = "closing_confirmation"
	LetterReportToParties LetterKind = "report_to_parties"
)

// LetterKinds lists every known letter kind.
var LetterKinds = []LetterKind{LetterAcknowledgement, LetterInadmissibility, LetterExtension,
	LetterAccusedNotice, LetterContactCopy, LetterLabourExpert, LetterHearingInvite,
	LetterHearingReport, LetterProposalConfirm, LetterDecision, LetterClosing, LetterReportToParties}

// Letter is a letter the regulation requires, with its required contents.
type Letter struct {
	Kind LetterKind `yaml:"kind" json:"kind"`
	// To are the parties it goes to.
	To []Party `yaml:"to" json:"to"`
	// Written: the regulation demands it in writing.
	Written  bool          `yaml:"written" json:"written"`
	Contents []ContentItem `yaml:"contents" json:"contents"`
	Source   string        `yaml:"source" json:"source"`
}

// ContentItem is one required content of a letter. Item names a piece of
// case data (see ContentKeys); Text is the regulation's wording.
type ContentItem struct {
	Item   string `yaml:"item" json:"item"`
	Text   string `yaml:"text" json:"text"`
	Source string `yaml:"source" json:"source"`
}

// ContentKeys are the pieces of case data a letter's required contents can
// name. A content item outside this list is reported by Check as a warning:
// no data can fill it.
var ContentKeys = []string{
	"case_number", "received_date", "acknowledgement_date", "incident_date",
	"incident_place", "incident_circumstances", "facts", "complaint_summary",
	"facts_as_seen", "motivated_position", "judgment", "outcome", "measures",
	"handler_name", "handler_function", "handler_contact", "expected_term",
	"procedure", "regulation_document", "referral", "ground", "motivation",
	"new_due_date", "extension_reason", "proposal", "complainant_response",
	"hearing_date", "hearing_report", "closing_date", "resolution_summary",
}

// Referral is a body the complainant is pointed to after the decision.
type Referral struct {
	Body string `yaml:"body" json:"body"`
	// When is always or a condition name (see Conditions).
	When   string `yaml:"when" json:"when"`
	Text   string `yaml:"text" json:"text,omitempty"`
	Source string `yaml:"source" json:"source"`
}

// Closing says when a case is closed.
type Closing struct {
	// Condition is "decision" (closed once the decision is sent),
	// "measures_done" (closed when the agreed measures are carried out) or
	// "aftercare_done".
	Condition      string `yaml:"condition" json:"condition"`
	EarlyOnRequest Flag   `yaml:"early_on_request" json:"early_on_request"`
	Confirmation   bool   `yaml:"confirmation" json:"confirmation"`
	Source         string `yaml:"source" json:"source"`
}

// Retention says how long a closed case is kept and what happens then.
type Retention struct {
	// Period is nil when the regulation leaves it to another policy.
	Period *Period `yaml:"period" json:"period,omitempty"`
	Anchor Anchor  `yaml:"anchor" json:"anchor,omitempty"`
	// Then is "destroy" or "anonymise".
	Then   string `yaml:"then" json:"then,omitempty"`
	Note   string `yaml:"note" json:"note,omitempty"`
	Source string `yaml:"source" json:"source"`
}

// Reporting is a duty to report figures.
type Reporting struct {
	// Kind is yearly_report, management_report or register_review.
	Kind       string   `yaml:"kind" json:"kind"`
	To         []string `yaml:"to" json:"to,omitempty"`
	Anonymised bool     `yaml:"anonymised" json:"anonymised"`
	Text       string   `yaml:"text" json:"text,omitempty"`
	Source     string   `yaml:"source" json:"source"`
}

// Category is a subject category for the register.
type Category struct {
	ID     string `yaml:"id" json:"id"`
	Label  string `yaml:"label" json:"label"`
	Source string `yaml:"source" json:"source,omitempty"`
}

// Field names an intake field.
type Field string

// Fields lists the intake fields the case model knows.
var Fields = []Field{
	"complainant_name", "complainant_email", "complainant_phone", "complainant_address",
	"complainant_contact", "representative", "client_name", "commissioning_party",
	"contact_person", "accused_employees", "incident_date", "incident_time", "incident_place",
	"facts", "desired_outcome", "urgency", "claim_amount", "evidence", "correspondence",
	"service",
}

package complaint

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The actions on a case.
const (
	ActAcknowledge         Action = "acknowledge"
	ActAssignHandler       Action = "assign_handler"
	ActAddAccused          Action = "add_accused"
	ActInformParty         Action = "inform_party"
	ActRequestInformation  Action = "request_information"
	ActReceiveInformation  Action = "receive_information"
	ActPauseClock          Action = "pause_clock"
	ActResumeClock         Action = "resume_clock"
	ActDecideAdmissibility Action = "decide_admissibility"
	ActRecordAsRemark      Action = "record_as_remark"
	ActAddDocument         Action = "add_document"
	ActGrantInspection     Action = "grant_inspection"
	ActPlanHearing         Action = "plan_hearing"
	ActHoldHearing         Action = "hold_hearing"
	ActWaiveHearing        Action = "waive_hearing"
	ActSendHearingReport   Action = "send_hearing_report"
	ActSignHearingReport   Action = "sign_hearing_report"
	ActAddStatementOfView  Action = "add_statement_of_view"
	ActExtend              Action = "extend"
	ActProposeDecision     Action = "propose_decision"
	ActMakeProposal        Action = "make_proposal"
	ActAnswerProposal      Action = "answer_proposal"
	ActDecide              Action = "decide"
	ActGiveReferral        Action = "give_referral"
	ActAddMeasure          Action = "add_measure"
	ActCompleteMeasure     Action = "complete_measure"
	ActCompleteAftercare   Action = "complete_aftercare"
	ActSendReport          Action = "send_report"
	ActSettleInformally    Action = "settle_informally"
	ActWithdraw            Action = "withdraw"
	ActClose               Action = "close"
	ActArchive             Action = "archive"
	ActAddNote             Action = "add_note"
	ActSetCategory         Action = "set_category"
)

// ActionOrder lists every action in the order screens offer them.
var ActionOrder = []Action{
	ActAcknowledge, ActAssignHandler, ActAddAccused, ActInformParty, ActDecideAdmissibility, ActRecordAsRemark,
	ActRequestInformation, ActReceiveInformation, ActPauseClock, ActResumeClock,
	ActAddDocument, ActGrantInspection, ActPlanHearing, ActHoldHearing, ActWaiveHearing,
	ActSendHearingReport, ActSignHearingReport, ActAddStatementOfView, ActExtend,
	ActProposeDecision, ActMakeProposal, ActAnswerProposal, ActDecide, ActGiveReferral,
	ActAddMeasure, ActCompleteMeasure, ActCompleteAftercare, ActSendReport,
	ActSettleInformally, ActWithdraw, ActClose, ActArchive, ActAddNote, ActSetCategory,
	ActRequestInspection, ActRequestHearing,
}

var actions map[Action]actionSpec

func init() {
	open := inPhase(PhaseReceived, PhaseHandling, PhaseDecided)
	handling := inPhase(PhaseReceived, PhaseHandling)
	actions = map[Action]actionSpec{
		ActAcknowledge:         {when: acknowledgeWhen, who: anyOf(func(c *ctx) error { return c.asRole(c.r.Roles.Acknowledges.Role) }, caseWorker), run: acknowledge},
		ActAssignHandler:       {when: open, who: anyOf(func(c *ctx) error { return c.assignRole() }, role(reglement.RoleAdmin)), run: assignHandler},
		ActAddAccused:          {when: open, who: anyOf(caseWorker, role(reglement.RoleAdmin)), run: addAccused},
		ActInformParty:         {when: open, who: caseWorker, run: informParty},
		ActDecideAdmissibility: {when: inPhase(PhaseReceived), who: func(c *ctx) error { return c.asRoleOr(c.r.Admissibility.DecidedBy, c.r.Roles.Handles.Role) }, run: decideAdmissibility},
		ActRecordAsRemark:      {when: remarkWhen, who: anyOf(caseWorker, role(reglement.RoleReceiver)), run: recordAsRemark},
		ActRequestInformation:  {when: open, who: caseWorker, run: noteEvent(EvInformationRequested, "text", "say what information is asked for")},
		ActReceiveInformation:  {when: receiveInfoWhen, who: caseWorker, run: noteEvent(EvInformationReceived, "text", "summarise what was received")},
		ActPauseClock:          {when: handling, who: caseWorker, run: noteEvent(EvClockPaused, "text", "give the reason for pausing the clock")},
		ActResumeClock:         {when: pausedWhen, who: caseWorker, run: noteEvent(EvClockResumed, "", "")},
		ActAddDocument:         {when: open, who: anyOf(caseWorker, complainant), run: addDocument},
		ActGrantInspection:     {when: hasStep(reglement.ProcessInspection, PhaseReceived, PhaseHandling, PhaseDecided), who: caseWorker, run: grantInspection},
		ActPlanHearing:         {when: hasStep(reglement.ProcessHearing, PhaseHandling), who: caseWorker, run: planHearing},
		ActHoldHearing:         {when: hasStep(reglement.ProcessHearing, PhaseHandling), who: caseWorker, run: holdHearing},
		ActWaiveHearing:        {when: waiveWhen, who: caseWorker, run: noteEvent(EvHearingWaived, "text", "give the reason the hearing is skipped (e.g. the complainant waived it)")},
		ActSendHearingReport:   {when: hearingReportWhen, who: caseWorker, run: noteEvent(EvHearingReportSent, "", "")},
		ActSignHearingReport:   {when: signWhen, who: caseWorker, run: signHearingReport},
		ActAddStatementOfView:  {when: hasStep(reglement.ProcessStatementOfView, PhaseHandling, PhaseDecided), who: anyOf(caseWorker, complainant), run: noteEvent(EvStatementOfView, "text", "add the statement of view")},
		ActExtend:              {when: extendWhen, who: caseWorker, run: extend},
		ActProposeDecision:     {when: hasStep(reglement.ProcessBoardProposal, PhaseHandling), who: role(reglement.RoleHandler), run: proposeDecision},
		ActMakeProposal:        {when: hasStep(reglement.ProcessProposal, PhaseHandling, PhaseDecided), who: caseWorker, run: makeProposal},
		ActAnswerProposal:      {when: answerWhen, who: anyOf(caseWorker, complainant), run: answerProposal},
		ActDecide:              {when: decideWhen, who: func(c *ctx) error { return c.asRole(c.r.Roles.Decides.Role) }, run: decide},
		ActGiveReferral:        {when: inPhase(PhaseDecided), who: caseWorker, run: giveReferral},
		ActAddMeasure:          {when: inPhase(PhaseHandling, PhaseDecided), who: anyOf(caseWorker, role(reglement.RoleBoard), role(reglement.RoleQualityOfficer)), run: addMeasure},
		ActCompleteMeasure:     {when: openMeasureWhen, who: anyOf(caseWorker, role(reglement.RoleBoard), role(reglement.RoleQualityOfficer)), run: completeMeasure},
		ActCompleteAftercare:   {when: aftercareWhen, who: caseWorker, run: noteEvent(EvAftercareDone, "text", "note whether the agreed measures were carried out to satisfaction")},
		ActSendReport:          {when: reportWhen, who: caseWorker, run: noteEvent(EvReportSent, "", "")},
		ActSettleInformally:    {when: settleWhen, who: caseWorker, run: settleInformally},
		ActWithdraw:            {when: withdrawWhen, who: anyOf(caseWorker, role(reglement.RoleAdmin), complainant), run: withdraw},
		ActRequestInspection:   {when: requestInspectionWhen, who: complainant, run: requestEvent(EvInspectionRequested)},
		ActRequestHearing:      {when: requestHearingWhen, who: complainant, run: requestEvent(EvHearingRequested)},
		ActClose:               {when: closeWhen, who: caseWorker, run: closeCase},
		ActArchive:             {when: archiveWhen, who: anyOf(role(reglement.RoleAdmin), role(reglement.RoleQualityOfficer), caseWorker), run: archive},
		ActSetCategory:         {when: categoryWhen, who: anyOf(caseWorker, role(reglement.RoleQualityOfficer)), run: setCategory},
		ActAddNote:             {when: open, who: anyOf(caseWorker, role(reglement.RoleQualityOfficer), role(reglement.RoleAdmin)), run: noteEvent(EvNoteAdded, "text", "write the note")},
	}
}

// asRoleOr checks role, or fallback when the regulation names none.
func (c *ctx) asRoleOr(role, fallback reglement.Role) error {
	if role == "" {
		role = fallback
	}
	return c.asRole(role)
}

// assignRole: who appoints the handler (Standergroep Procedure 2; Work 2
// Work 5.1.6: the board). Anyone holding that role, except an accused
// employee.
func (c *ctx) assignRole() error {
	r := c.r.Roles.Assigns.Role
	if r == "" {
		r = reglement.RoleBoard
	}
	if c.s.IsAccused(c.caller.Person()) {
		return apperr.New(apperr.Forbidden, "you are an accused employee in this case (%s)", independenceSource(c.r)).WithReason("accused")
	}
	if c.caller.Has(r) || (r == reglement.RoleReceiver && len(c.caller.Roles) > 0) {
		return nil
	}
	return forbidden("only the %s appoints the handler (%s)", reglement.RoleNL(r), c.r.Roles.Assigns.Source)
}

// noteEvent is an action whose input is {"text": ..., "on": ...}.
func noteEvent(t EventType, field, need string) func(c *ctx, in json.RawMessage) ([]Event, error) {
	return func(c *ctx, in json.RawMessage) ([]Event, error) {
		var p struct {
			Text string         `json:"text"`
			On   *calendar.Date `json:"on"`
		}
		if err := decodeInput(in, &p); err != nil {
			return nil, err
		}
		if field != "" {
			if err := required(field, p.Text, need); err != nil {
				return nil, err
			}
		}
		on, err := c.dateOr(p.On, "on")
		if err != nil {
			return nil, err
		}
		if t == EvClockResumed && c.s.PausedSince != nil && on.Before(*c.s.PausedSince) {
			return nil, apperr.Field("on", "the clock cannot resume (%s) before it was paused (%s)", on, c.s.PausedSince)
		}
		return []Event{c.event(t, Dated{On: on, Text: p.Text})}, nil
	}
}

func acknowledgeWhen(c *ctx) error {
	if err := inPhase(PhaseReceived, PhaseHandling, PhaseDecided)(c); err != nil {
		return err
	}
	if c.s.AcknowledgedOn != nil {
		return conflict("done", "receipt was already acknowledged on %s", c.s.AcknowledgedOn)
	}
	return nil
}

func acknowledge(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		On  *calendar.Date `json:"on"`
		Via string         `json:"via"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	switch p.Via {
	case "", "email", "post", "letter", "phone":
	default:
		return nil, apperr.Field("via", "unknown way %q; expected email, post, letter or phone", p.Via)
	}
	return []Event{c.event(EvAcknowledged, AcknowledgedPayload{On: on, Via: p.Via})}, nil
}

func assignHandler(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Handler Person         `json:"handler"`
		On      *calendar.Date `json:"on"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("handler.name", p.Handler.Name, "name the handler"); err != nil {
		return nil, err
	}
	for _, f := range c.r.Roles.HandlerRecord {
		if f == "function" && strings.TrimSpace(p.Handler.Function) == "" {
			return nil, apperr.Field("handler.function", "the regulation asks to record the handler's function (%s)", c.r.Roles.Handles.Source)
		}
	}
	if c.s.IsAccused(p.Handler) {
		return nil, apperr.New(apperr.Conflict, "%s is an accused employee in this case and can never handle it (%s)", p.Handler.Name, independenceSource(c.r)).WithReason("accused_handler")
	}
	if c.s.Handler != nil && c.s.Handler.UserID == p.Handler.UserID && c.s.Handler.Name == p.Handler.Name {
		return nil, conflict("done", "%s already handles this case", p.Handler.Name)
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvHandlerAssigned, HandlerAssignedPayload{Handler: p.Handler, On: on})}, nil
}

func addAccused(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Employee Person `json:"employee"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("employee.name", p.Employee.Name, "name the employee the complaint is about"); err != nil {
		return nil, err
	}
	if c.s.IsAccused(p.Employee) {
		return nil, conflict("done", "%s is already an accused employee in this case", p.Employee.Name)
	}
	return []Event{c.event(EvAccusedAdded, AccusedAddedPayload{Employee: p.Employee})}, nil
}

func informParty(c *ctx, in json.RawMessage) ([]Event, error) {
	var raw struct {
		Party reglement.Party `json:"party"`
		Name  string          `json:"name"`
		Text  string          `json:"text"`
		On    *calendar.Date  `json:"on"`
	}
	if err := decodeInput(in, &raw); err != nil {
		return nil, err
	}
	known := slices.ContainsFunc(c.r.Roles.InformAtOnce, func(i reglement.Inform) bool { return i.Party == raw.Party })
	if !known && raw.Party != reglement.PartyContactPerson && raw.Party != reglement.PartyAccusedEmployee {
		return nil, apperr.Field("party", "the regulation names no duty to inform %q", raw.Party)
	}
	if raw.Party == reglement.PartyAccusedEmployee && len(c.s.Accused) == 0 {
		return nil, apperr.Field("party", "no accused employee is recorded in this case")
	}
	on, err := c.dateOr(raw.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvPartyInformed, PartyInformedPayload{Party: raw.Party, Name: raw.Name, Text: raw.Text, On: on})}, nil
}

// remarkWhen: a complaint still being triaged may turn out to be a remark
// (opmerking, signaal), where the regulation knows remarks (Standergroep
// Definities; Work 2 Work 5.1.2).
func remarkWhen(c *ctx) error {
	if err := inPhase(PhaseReceived)(c); err != nil {
		return err
	}
	if c.r.Definitions.Remark == nil {
		return conflict("not_in_regulation", "%s's regulation knows no remarks outside the complaint procedure", c.r.Organisation)
	}
	if c.s.AcknowledgedOn != nil {
		return conflict("phase", "receipt was acknowledged as a complaint on %s", c.s.AcknowledgedOn)
	}
	return nil
}

func recordAsRemark(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Text string `json:"text"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("text", p.Text, "say why this is a remark and not a complaint"); err != nil {
		return nil, err
	}
	return []Event{c.event(EvRecordedAsRemark, Dated{On: c.today, Text: p.Text})}, nil
}

func receiveInfoWhen(c *ctx) error {
	if err := isOpen(c); err != nil {
		return err
	}
	if c.s.OpenInfoRequests == 0 {
		return conflict("phase", "no information request is open")
	}
	return nil
}

func pausedWhen(c *ctx) error {
	if c.s.PausedSince == nil {
		return conflict("phase", "the clock is not paused")
	}
	return nil
}

func decideAdmissibility(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Admissible *bool          `json:"admissible"`
		Ground     string         `json:"ground"`
		Motivation string         `json:"motivation"`
		On         *calendar.Date `json:"on"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if p.Admissible == nil {
		return nil, apperr.Field("admissible", "missing; say whether the complaint is taken on (true) or not (false)")
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	if *p.Admissible {
		if p.Ground != "" {
			return nil, apperr.Field("ground", "a ground is only given when the complaint is not taken on")
		}
		return []Event{c.event(EvAdmissibilityDecided, AdmissibilityPayload{Admissible: true, Motivation: p.Motivation, On: on})}, nil
	}
	var ground *reglement.Ground
	var ids []string
	for i := range c.r.Admissibility.Grounds {
		g := &c.r.Admissibility.Grounds[i]
		ids = append(ids, g.ID)
		if g.ID == p.Ground {
			ground = g
		}
	}
	if ground == nil {
		return nil, apperr.Field("ground", "unknown ground %q; the regulation's grounds are %s", p.Ground, strings.Join(ids, ", ")).WithReason("unknown_ground")
	}
	// Standergroep Procedure 4: "schriftelijk en gemotiveerd"; the
	// regulation says whether the notice must be motivated.
	if c.r.Admissibility.NoticeMotivated {
		if err := required("motivation", p.Motivation, "the regulation asks to tell the complainant why the complaint is not taken on ("+c.r.Admissibility.Source+")"); err != nil {
			return nil, err
		}
	}
	return []Event{
		c.event(EvAdmissibilityDecided, AdmissibilityPayload{Admissible: false, Ground: ground.ID, Source: ground.Source, Motivation: p.Motivation, On: on}),
		c.event(EvClosed, ClosedPayload{On: on, Outcome: reglement.OutcomeInadmissible, Reason: ground.Source}),
	}, nil
}

func addDocument(c *ctx, in json.RawMessage) ([]Event, error) {
	var p DocumentPayload
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("name", p.Name, "name the document"); err != nil {
		return nil, err
	}
	return []Event{c.event(EvDocumentAdded, p)}, nil
}

func grantInspection(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		To []reglement.Party `json:"to"`
		On *calendar.Date    `json:"on"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if len(p.To) == 0 {
		p.To = []reglement.Party{reglement.PartyComplainant}
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvInspectionGranted, InspectionPayload{To: p.To, On: on})}, nil
}

func planHearing(c *ctx, in json.RawMessage) ([]Event, error) {
	var p HearingPayload
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if p.On.IsZero() {
		return nil, apperr.Field("on", "missing; give the date of the hearing")
	}
	if p.On.Before(c.s.Intake.ReceivedOn) {
		return nil, apperr.Field("on", "the hearing cannot be before the complaint was received")
	}
	return []Event{c.event(EvHearingPlanned, p)}, nil
}

func holdHearing(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		On           *calendar.Date `json:"on"`
		Participants []string       `json:"participants"`
		Summary      string         `json:"summary"`
		Form         string         `json:"form"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("summary", p.Summary, "summarise what both sides said (hoor en wederhoor)"); err != nil {
		return nil, err
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvHearingHeld, HearingPayload{On: on, Participants: p.Participants, Summary: p.Summary, Form: p.Form})}, nil
}

func waiveWhen(c *ctx) error {
	if err := hasStep(reglement.ProcessHearing, PhaseHandling)(c); err != nil {
		return err
	}
	if c.s.HearingHeldOn != nil || c.s.HearingWaivedOn != nil {
		return conflict("done", "the hearing was already held or waived")
	}
	return nil
}

func hearingReportWhen(c *ctx) error {
	st := c.processStep(reglement.ProcessHearing)
	if st == nil || !st.ReportForSignature {
		return conflict("not_in_regulation", "the regulation asks no hearing report for signature")
	}
	if err := isOpen(c); err != nil {
		return err
	}
	if c.s.HearingHeldOn == nil {
		return conflict("phase", "no hearing has been held")
	}
	if c.s.HearingReportSent != nil {
		return conflict("done", "the hearing report was sent on %s", c.s.HearingReportSent)
	}
	return nil
}

func signWhen(c *ctx) error {
	if err := isOpen(c); err != nil {
		return err
	}
	if c.s.HearingReportSent == nil {
		return conflict("phase", "the hearing report has not been sent")
	}
	return nil
}

func signHearingReport(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		By string         `json:"by"`
		On *calendar.Date `json:"on"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("by", p.By, "name who signed"); err != nil {
		return nil, err
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvHearingReportSigned, SignedPayload{By: p.By, On: on})}, nil
}

func extendWhen(c *ctx) error {
	if err := inPhase(PhaseReceived, PhaseHandling)(c); err != nil {
		return err
	}
	if !c.r.Extension.Allowed {
		return conflict("not_in_regulation", "%s's regulation does not provide for extending the decision term", c.r.Organisation)
	}
	return nil
}

// extend enforces the regulation's extension rule: written, motivated,
// sent to the parties it names, before the running term ends, and within
// the maximum unless the complainant consented where that is allowed.
func extend(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		NewDue     calendar.Date     `json:"new_due"`
		Motivation string            `json:"motivation"`
		SentTo     []reglement.Party `json:"sent_to"`
		Consent    bool              `json:"consent"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	e := c.r.Extension
	if p.NewDue.IsZero() {
		return nil, apperr.Field("new_due", "missing; give the new date for the decision")
	}
	if e.Motivated {
		if err := required("motivation", p.Motivation, "the regulation asks for a motivated extension ("+e.Source+")"); err != nil {
			return nil, err
		}
	}
	current, ok := c.s.decisionDue(c.r)
	if !ok {
		return nil, conflict("phase", "the case has no decision term to extend")
	}
	if !p.NewDue.After(current) {
		return nil, apperr.Field("new_due", "the new date %s must be after the current decision date %s", p.NewDue, current)
	}
	if e.BeforeTermEnds && c.today.After(current) {
		return nil, conflict("term_passed", "the decision term ended on %s; the regulation asks to extend before it ends (%s)", current, e.Source)
	}
	for _, party := range e.NotifyParties {
		if party == reglement.PartyAccusedEmployee && len(c.s.Accused) == 0 {
			continue
		}
		if !slices.Contains(p.SentTo, party) {
			return nil, apperr.Field("sent_to", "the extension notice must also go to the %s (%s)", party, e.Source).WithReason("notify_party")
		}
	}
	if e.Max != nil {
		max, _, _ := c.r.ExtendedDue(c.s.Intake.ReceivedOn.AddDays(c.s.PausedDays))
		if p.NewDue.After(max) {
			if !e.BeyondMaxWithConsent {
				return nil, apperr.New(apperr.Conflict, "the new date %s lies beyond the maximum extension of %d %s (latest %s, %s)", p.NewDue, e.Max.Amount, e.Max.Unit, max, e.Source).WithReason("extension_beyond_maximum")
			}
			if !p.Consent {
				return nil, apperr.New(apperr.Conflict, "the new date %s lies beyond the maximum extension (latest %s); record the complainant's written consent to go further (%s)", p.NewDue, max, e.Source).WithReason("consent_required")
			}
		}
	}
	return []Event{c.event(EvExtended, ExtendedPayload{NewDue: p.NewDue, Motivation: p.Motivation, SentTo: p.SentTo, Consent: p.Consent, On: c.today})}, nil
}

func proposeDecision(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Text string `json:"text"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("text", p.Text, "write the motivated proposal for the board"); err != nil {
		return nil, err
	}
	return []Event{c.event(EvDecisionProposed, ProposalPayload{Text: p.Text, On: c.today})}, nil
}

func makeProposal(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Text string `json:"text"`
		Via  string `json:"via"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("text", p.Text, "describe the proposed solution"); err != nil {
		return nil, err
	}
	return []Event{c.event(EvProposalMade, ProposalPayload{Text: p.Text, Via: p.Via, On: c.today})}, nil
}

func answerWhen(c *ctx) error {
	if err := isOpen(c); err != nil {
		return err
	}
	if c.s.Proposal == nil || c.s.Proposal.Accepted != nil {
		return conflict("phase", "no proposal awaits an answer")
	}
	return nil
}

func answerProposal(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Accepted *bool  `json:"accepted"`
		Reply    string `json:"reply"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if p.Accepted == nil {
		return nil, apperr.Field("accepted", "missing; did the complainant accept the proposal (true or false)?")
	}
	return []Event{c.event(EvProposalAnswered, ProposalPayload{Accepted: p.Accepted, Reply: p.Reply, On: c.today})}, nil
}

// decideWhen: the decision comes after the steps the regulation requires.
func decideWhen(c *ctx) error {
	if err := inPhase(PhaseHandling)(c); err != nil {
		if c.s.Phase == PhaseReceived {
			return conflict("admissibility_first", "take the complaint into handling (decide_admissibility) before deciding on it")
		}
		return err
	}
	if st := c.processStep(reglement.ProcessHearing); st != nil && st.Mode == reglement.ModeRequired && c.s.HearingHeldOn == nil && c.s.HearingWaivedOn == nil {
		return conflict("hearing_required", "the regulation requires a hearing before the decision (%s); hold or waive it", st.Source)
	}
	if st := c.processStep(reglement.ProcessHearing); st != nil && st.ReportForSignature && c.s.HearingHeldOn != nil && c.s.HearingReportSent == nil {
		return conflict("hearing_report_required", "send the hearing report for signature before the decision (%s)", st.Source)
	}
	if st := c.processStep(reglement.ProcessBoardProposal); st != nil && st.Mode == reglement.ModeRequired && c.s.BoardProposalOn == nil {
		return conflict("board_proposal_required", "the handler first puts a motivated proposal to the board (%s)", st.Source)
	}
	return nil
}

func decide(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Points     []Judgment `json:"points"`
		Motivation string     `json:"motivation"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if len(p.Points) == 0 {
		return nil, apperr.Field("points", "give a judgment for at least one complaint point")
	}
	counts := map[reglement.OutcomeKind]int{}
	for i, pt := range p.Points {
		field := fmt.Sprintf("points[%d]", i)
		switch pt.Judgment {
		case reglement.OutcomeUpheld, reglement.OutcomePartlyUpheld, reglement.OutcomeNotUpheld:
		default:
			return nil, apperr.Field(field+".judgment", "unknown judgment %q; expected upheld, partly_upheld or not_upheld", pt.Judgment)
		}
		if c.allowsOutcome(pt.Judgment) == nil {
			return nil, apperr.Field(field+".judgment", "%s's regulation does not know the judgment %q", c.r.Organisation, pt.Judgment).WithReason("outcome_not_in_regulation")
		}
		if err := required(field+".point", pt.Point, "describe the complaint point"); err != nil {
			return nil, err
		}
		if err := required(field+".motivation", pt.Motivation, "motivate the judgment"); err != nil {
			return nil, err
		}
		counts[pt.Judgment]++
	}
	if err := required("motivation", p.Motivation, "write the motivated position on the complaint"); err != nil {
		return nil, err
	}
	outcome := reglement.OutcomePartlyUpheld
	switch len(p.Points) {
	case counts[reglement.OutcomeUpheld]:
		outcome = reglement.OutcomeUpheld
	case counts[reglement.OutcomeNotUpheld]:
		outcome = reglement.OutcomeNotUpheld
	}
	if c.allowsOutcome(outcome) == nil {
		// SmartPLUS Punt 8: the judgment is upheld or not upheld; a mixed
		// judgment is not one of the regulation's outcomes.
		return nil, apperr.Field("points", "the points together give %q, which %s's regulation does not know; judge the complaint as a whole as one of its outcomes", outcome, c.r.Organisation).WithReason("outcome_not_in_regulation")
	}
	d := DecidedPayload{Points: p.Points, Outcome: outcome, Motivation: p.Motivation, On: c.today, DecidedBy: c.caller.Person()}
	events := []Event{c.event(EvDecided, d)}
	// Every regulation names where the complainant can go next; the
	// decision letter points there (SmartPLUS Punt 8, Standergroep 4).
	after := *c.s
	after.Decision = &d
	for _, ref := range c.r.Referrals {
		if Condition(&after, c.r, ref.When, 0) {
			events = append(events, c.event(EvReferralGiven, ReferralPayload{Body: ref.Body, Source: ref.Source}))
		}
	}
	return events, nil
}

func giveReferral(c *ctx, in json.RawMessage) ([]Event, error) {
	var p ReferralPayload
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("body", p.Body, "name the body the complainant can turn to"); err != nil {
		return nil, err
	}
	return []Event{c.event(EvReferralGiven, p)}, nil
}

func addMeasure(c *ctx, in json.RawMessage) ([]Event, error) {
	var p MeasurePayload
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("description", p.Description, "describe the measure"); err != nil {
		return nil, err
	}
	if p.Kind != "corrective" && p.Kind != "preventive" {
		return nil, apperr.Field("kind", "unknown kind %q; expected corrective or preventive", p.Kind)
	}
	p.ID = len(c.s.Measures) + 1
	p.On = nil
	return []Event{c.event(EvMeasureAdded, p)}, nil
}

func openMeasureWhen(c *ctx) error {
	if err := inPhase(PhaseHandling, PhaseDecided)(c); err != nil {
		return err
	}
	for _, m := range c.s.Measures {
		if m.On == nil {
			return nil
		}
	}
	return conflict("phase", "no open measure")
}

func completeMeasure(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		ID int            `json:"id"`
		On *calendar.Date `json:"on"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(c.s.Measures, func(m MeasurePayload) bool { return m.ID == p.ID })
	if i < 0 {
		return nil, apperr.Field("id", "no measure %d in this case", p.ID)
	}
	if c.s.Measures[i].On != nil {
		return nil, conflict("done", "measure %d was done on %s", p.ID, c.s.Measures[i].On)
	}
	on, err := c.dateOr(p.On, "on")
	if err != nil {
		return nil, err
	}
	return []Event{c.event(EvMeasureDone, MeasurePayload{ID: p.ID, On: &on})}, nil
}

func aftercareWhen(c *ctx) error {
	if err := inPhase(PhaseDecided)(c); err != nil {
		return err
	}
	if c.r.Term(reglement.StepAftercare, reglement.Aim) == nil && c.r.Term(reglement.StepAftercare, reglement.Limit) == nil && c.processStep(reglement.ProcessAftercare) == nil {
		return conflict("not_in_regulation", "the regulation has no aftercare step")
	}
	if c.s.AftercareOn != nil {
		return conflict("done", "aftercare was done on %s", c.s.AftercareOn)
	}
	return nil
}

func reportWhen(c *ctx) error {
	if err := isOpen(c); err != nil {
		return err
	}
	if c.r.Term(reglement.StepReport, reglement.Limit) == nil && c.r.Term(reglement.StepReport, reglement.Aim) == nil {
		return conflict("not_in_regulation", "the regulation asks no report to the parties")
	}
	if c.s.ResolvedOn == nil {
		return conflict("phase", "the complaint is not resolved yet")
	}
	if c.s.ReportSentOn != nil {
		return conflict("done", "the report was sent on %s", c.s.ReportSentOn)
	}
	return nil
}

func settleWhen(c *ctx) error {
	if err := inPhase(PhaseReceived, PhaseHandling)(c); err != nil {
		return err
	}
	if c.allowsOutcome(reglement.OutcomeSettledInformal) == nil {
		return conflict("not_in_regulation", "%s's regulation does not provide for informal settlement", c.r.Organisation)
	}
	return nil
}

func settleInformally(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Text string `json:"text"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("text", p.Text, "note how the complaint was resolved to the complainant's satisfaction and what was agreed"); err != nil {
		return nil, err
	}
	o := c.allowsOutcome(reglement.OutcomeSettledInformal)
	return []Event{
		c.event(EvSettledInformally, Dated{On: c.today, Text: p.Text}),
		c.event(EvClosed, ClosedPayload{On: c.today, Outcome: reglement.OutcomeSettledInformal, Reason: o.Source}),
	}, nil
}

func withdrawWhen(c *ctx) error {
	if err := inPhase(PhaseReceived, PhaseHandling, PhaseDecided)(c); err != nil {
		return err
	}
	if c.allowsOutcome(reglement.OutcomeWithdrawn) == nil && !c.r.Closing.EarlyOnRequest.Value {
		return conflict("not_in_regulation", "%s's regulation does not provide for withdrawal", c.r.Organisation)
	}
	return nil
}

func withdraw(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Reason string `json:"reason"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	if err := required("reason", p.Reason, "record the complainant's request to end the procedure"); err != nil {
		return nil, err
	}
	src := c.r.Closing.EarlyOnRequest.Source
	return []Event{
		c.event(EvWithdrawn, Dated{On: c.today, Text: p.Reason}),
		c.event(EvClosed, ClosedPayload{On: c.today, Outcome: reglement.OutcomeWithdrawn, Reason: src}),
	}, nil
}

// closeWhen applies the regulation's closing condition (NextBest Art. 10:
// when the agreed measures are carried out).
func closeWhen(c *ctx) error {
	if err := inPhase(PhaseDecided)(c); err != nil {
		return err
	}
	switch c.r.Closing.Condition {
	case "measures_done":
		for _, m := range c.s.Measures {
			if m.On == nil {
				return conflict("measures_open", "measure %d (%s) is not done; the case closes when the measures are carried out (%s)", m.ID, m.Description, c.r.Closing.Source)
			}
		}
	case "aftercare_done":
		if c.s.AftercareOn == nil {
			return conflict("aftercare_open", "aftercare is not done; the case closes after it (%s)", c.r.Closing.Source)
		}
	}
	return nil
}

func closeCase(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Text string `json:"text"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	return []Event{c.event(EvClosed, ClosedPayload{On: c.today, Reason: p.Text})}, nil
}

func archiveWhen(c *ctx) error {
	if c.s.Phase != PhaseClosed {
		return conflict("phase", "only a closed case can be archived")
	}
	return nil
}

func archive(c *ctx, in json.RawMessage) ([]Event, error) {
	if err := decodeInput(in, &struct{}{}); err != nil {
		return nil, err
	}
	return []Event{c.event(EvArchived, Dated{On: c.today})}, nil
}

// categoryWhen: the subject categories of the register are the
// organisation's own (SmartPLUS Punt 2); the handler assigns one.
func categoryWhen(c *ctx) error {
	if err := inPhase(PhaseReceived, PhaseHandling, PhaseDecided)(c); err != nil {
		return err
	}
	if len(c.r.Categories) == 0 {
		return conflict("not_in_regulation", "%s's regulation names no subject categories", c.r.Organisation)
	}
	return nil
}

func setCategory(c *ctx, in json.RawMessage) ([]Event, error) {
	var p struct {
		Category string `json:"category"`
	}
	if err := decodeInput(in, &p); err != nil {
		return nil, err
	}
	var ids []string
	for _, cat := range c.r.Categories {
		if cat.ID == p.Category {
			if cat.ID == c.s.Intake.Category {
				return nil, conflict("done", "the case already has category %q", cat.Label)
			}
			return []Event{c.event(EvCategorySet, CategoryPayload{Category: cat.ID, Label: cat.Label})}, nil
		}
		ids = append(ids, cat.ID)
	}
	return nil, apperr.Field("category", "unknown category %q; the regulation's categories are %s", p.Category, strings.Join(ids, ", "))
}

package web

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// actionSpecs declares the form of every action, in complaint.ActionOrder.
// Field names are the JSON paths of each action's input (see
// complaint/actions.go); TestEveryActionFormMapsToValidInput checks each
// against the core.
var actionSpecs = []actionSpec{
	{action: complaint.ActAcknowledge, fields: []actionField{
		dateOn("fld.ack.on"),
		{name: "via", kind: fkSelect, label: "fld.ack.via", options: viaOptions},
	}},
	{action: complaint.ActAssignHandler, reasons: map[string]string{"accused_handler": "handler.user_id"}, fields: []actionField{
		{name: "handler.user_id", kind: fkStaff, label: "fld.handler", hint: "fld.handler.hint", required: true,
			options: handlerOptions, aliases: []string{"handler.name"}},
		{name: "handler.function", kind: fkText, label: "fld.handler.function", hintFn: handlerFunctionHint,
			requiredFn: func(e *actionEnv) bool { return slices.Contains(e.reg().Roles.HandlerRecord, "function") },
			initial:    func(e *actionEnv) string { return e.reg().Roles.HandlerTitle }},
		dateOn("fld.handler.on"),
	}},
	{action: complaint.ActAddAccused, fields: []actionField{
		{name: "employee.user_id", kind: fkStaff, label: "fld.employee", hint: "fld.employee.hint", options: staffOptions},
		{name: "employee.name", kind: fkText, label: "fld.employee.name", hint: "fld.employee.name.hint"},
	}},
	{action: complaint.ActInformParty, fields: []actionField{
		{name: "party", kind: fkSelect, label: "fld.party", required: true, options: informOptions},
		{name: "name", kind: fkText, label: "fld.party.name"},
		{name: "text", kind: fkTextarea, label: "fld.party.text"},
		dateOn("fld.party.on"),
	}},
	{action: complaint.ActDecideAdmissibility, fields: []actionField{
		{name: "admissible", kind: fkYesNo, label: "fld.admissible", required: true},
		{name: "ground", kind: fkSelect, label: "fld.ground", hint: "fld.ground.hint", options: groundOptions},
		{name: "motivation", kind: fkTextarea, label: "fld.admissible.motivation", hint: "fld.admissible.motivation.hint"},
		dateOn("fld.on"),
	}},
	{action: complaint.ActRecordAsRemark, fields: []actionField{
		{name: "text", kind: fkTextarea, label: "fld.remark.text", hintFn: remarkHint, required: true},
	}},
	{action: complaint.ActRequestInformation, fields: noteFields("fld.request.text")},
	{action: complaint.ActReceiveInformation, fields: noteFields("fld.receive.text")},
	{action: complaint.ActPauseClock, fields: noteFields("fld.pause.text")},
	{action: complaint.ActResumeClock, fields: []actionField{dateOn("fld.resume.on")}},
	{action: complaint.ActAddDocument, fields: []actionField{
		{name: "name", kind: fkText, label: "fld.doc.name", required: true},
		{name: "kind", kind: fkText, label: "fld.doc.kind", hint: "fld.doc.kind.hint"},
		{name: "note", kind: fkTextarea, label: "fld.doc.note"},
	}},
	{action: complaint.ActGrantInspection, fields: []actionField{
		{name: "to", kind: fkParties, label: "fld.inspection.to", hint: "fld.inspection.to.hint", options: inspectionOptions,
			initialList: func(*actionEnv) []string { return []string{string(reglement.PartyComplainant)} }},
		dateOn("fld.on"),
	}},
	{action: complaint.ActPlanHearing, fields: []actionField{
		{name: "on", kind: fkDate, label: "fld.hearing.planned_on", required: true},
		{name: "form", kind: fkText, label: "fld.hearing.form", hint: "fld.hearing.form.hint"},
		{name: "participants", kind: fkLines, label: "fld.hearing.participants", hint: "fld.lines.hint", initial: hearingParticipants},
	}},
	{action: complaint.ActHoldHearing, fields: []actionField{
		dateOn("fld.hearing.held_on"),
		{name: "form", kind: fkText, label: "fld.hearing.form", hint: "fld.hearing.form.hint"},
		{name: "participants", kind: fkLines, label: "fld.hearing.participants", hint: "fld.lines.hint", initial: hearingParticipants},
		{name: "summary", kind: fkTextarea, label: "fld.hearing.summary", hint: "fld.hearing.summary.hint", required: true},
	}},
	{action: complaint.ActWaiveHearing, fields: noteFields("fld.waive.text")},
	{action: complaint.ActSendHearingReport, fields: []actionField{dateOn("fld.hearing_report.on")}},
	{action: complaint.ActSignHearingReport, fields: []actionField{
		{name: "by", kind: fkText, label: "fld.signed.by", required: true},
		dateOn("fld.signed.on"),
	}},
	{action: complaint.ActAddStatementOfView, fields: noteFields("fld.statement.text")},
	{action: complaint.ActExtend, reasons: map[string]string{"extension_beyond_maximum": "new_due", "consent_required": "consent", "term_passed": ""}, fields: []actionField{
		{name: "new_due", kind: fkDate, label: "fld.extend.new_due", hintFn: extendHint, required: true},
		{name: "motivation", kind: fkTextarea, label: "fld.extend.motivation", hint: "fld.extend.motivation.hint",
			requiredFn: func(e *actionEnv) bool { return e.reg().Extension.Motivated }},
		{name: "sent_to", kind: fkParties, label: "fld.extend.sent_to", hintFn: extendSentToHint, options: extendPartyOptions,
			initialList: extendNotify},
		{name: "consent", kind: fkCheck, label: "fld.extend.consent", hint: "fld.extend.consent.hint",
			show: func(e *actionEnv) bool { return e.reg().Extension.BeyondMaxWithConsent }},
	}},
	{action: complaint.ActProposeDecision, fields: []actionField{
		{name: "text", kind: fkTextarea, label: "fld.propose.text", hint: "fld.propose.text.hint", required: true},
	}},
	{action: complaint.ActMakeProposal, fields: []actionField{
		{name: "text", kind: fkTextarea, label: "fld.proposal.text", required: true},
		{name: "via", kind: fkText, label: "fld.proposal.via", hint: "fld.proposal.via.hint"},
	}},
	{action: complaint.ActAnswerProposal, fields: []actionField{
		{name: "accepted", kind: fkYesNo, label: "fld.answer.accepted", required: true},
		{name: "reply", kind: fkTextarea, label: "fld.answer.reply"},
	}},
	{action: complaint.ActDecide, fields: append(judgmentRows(), actionField{
		name: "motivation", kind: fkTextarea, label: "fld.decide.motivation", hint: "fld.decide.motivation.hint", required: true,
	})},
	{action: complaint.ActGiveReferral, fields: []actionField{
		{name: "body", kind: fkText, label: "fld.referral.body", hint: "fld.referral.body.hint", required: true},
		{name: "source", kind: fkText, label: "fld.referral.source"},
	}},
	{action: complaint.ActAddMeasure, fields: []actionField{
		{name: "description", kind: fkTextarea, label: "fld.measure.description", required: true},
		{name: "kind", kind: fkSelect, label: "fld.measure.kind", required: true, options: measureKindOptions},
		{name: "owner", kind: fkText, label: "fld.measure.owner"},
		{name: "due", kind: fkDate, label: "fld.measure.due"},
	}},
	{action: complaint.ActCompleteMeasure, fields: []actionField{
		{name: "id", kind: fkNumber, label: "fld.measure.which", required: true, options: openMeasureOptions},
		dateOn("fld.measure.done_on"),
	}},
	{action: complaint.ActCompleteAftercare, fields: noteFields("fld.aftercare.text")},
	{action: complaint.ActSendReport, fields: []actionField{dateOn("fld.report.on")}},
	{action: complaint.ActSettleInformally, fields: []actionField{
		{name: "text", kind: fkTextarea, label: "fld.settle.text", hint: "fld.settle.text.hint", required: true},
	}},
	{action: complaint.ActWithdraw, danger: true, fields: []actionField{
		{name: "reason", kind: fkTextarea, label: "fld.withdraw.reason", required: true},
	}},
	{action: complaint.ActClose, danger: true, fields: []actionField{
		{name: "text", kind: fkTextarea, label: "fld.close.text"},
	}},
	{action: complaint.ActArchive, danger: true},
	{action: complaint.ActAddNote, fields: noteFields("fld.note.text")},
	{action: complaint.ActSetCategory, fields: []actionField{
		{name: "category", kind: fkSelect, label: "fld.category", required: true, options: categoryOptions},
	}},
}

// dateOn is the optional date of a step, today when left as it is.
func dateOn(label string) actionField {
	return actionField{name: "on", kind: fkDate, label: label, hint: "fld.on.hint",
		initial: func(e *actionEnv) string { return e.today.String() }}
}

// noteFields are the fields of the actions that record a text and a date.
func noteFields(label string) []actionField {
	return []actionField{
		{name: "text", kind: fkTextarea, label: label, required: true},
		dateOn("fld.on"),
	}
}

// judgmentRows are the rows of complaint points of a decision.
func judgmentRows() []actionField {
	var out []actionField
	for i := range maxRows {
		p := "points[" + strconv.Itoa(i) + "]."
		out = append(out,
			actionField{name: p + "point", kind: fkText, label: "fld.point." + strconv.Itoa(i+1), required: i == 0},
			actionField{name: p + "judgment", kind: fkSelect, label: "fld.point.judgment", required: i == 0, options: judgmentOptions},
			actionField{name: p + "motivation", kind: fkTextarea, label: "fld.point.motivation", required: i == 0})
	}
	if len(out) > 0 {
		out[0].aliases = []string{"points"}
	}
	return out
}

// remarkHint quotes what the regulation counts as a remark.
func remarkHint(e *actionEnv) string {
	if rm := e.reg().Definitions.Remark; rm != nil {
		return e.l.t("fld.remark.text.hint", rm.Text, rm.Source)
	}
	return ""
}

func viaOptions(e *actionEnv) []option {
	return []option{{Value: "", Label: e.l.t("fld.none")},
		{Value: "email", Label: e.l.t("via.email")}, {Value: "post", Label: e.l.t("via.post")}, {Value: "phone", Label: e.l.t("via.phone")}}
}

// handlerOptions are the members holding the handler role. An accused
// employee is listed with a warning rather than left out: the core
// refuses them, and says why next to the field.
func handlerOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.choose")}}
	for _, m := range e.members {
		if !slices.Contains(m.Roles, string(reglement.RoleHandler)) {
			continue
		}
		label := m.Name
		if isAccusedIn(e.state(), m.ID, m.Name) {
			label += " — " + e.l.t("case.accused.mark")
		}
		opts = append(opts, option{Value: m.ID, Label: label})
	}
	return opts
}

func handlerFunctionHint(e *actionEnv) string {
	r := e.reg()
	if slices.Contains(r.Roles.HandlerRecord, "function") {
		return e.l.t("fld.handler.function.required", r.Roles.Handles.Source)
	}
	return e.l.t("fld.handler.function.hint")
}

// staffOptions are all members of the organisation.
func staffOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.employee.none")}}
	for _, m := range e.members {
		opts = append(opts, option{Value: m.ID, Label: m.Name})
	}
	return opts
}

// informOptions are the parties the regulation says to inform, the
// contact person, and the accused employee when there is one.
func informOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.choose")}}
	var parties []reglement.Party
	for _, in := range e.reg().Roles.InformAtOnce {
		parties = append(parties, in.Party)
	}
	parties = append(parties, reglement.PartyContactPerson)
	if len(e.state().Accused) > 0 {
		parties = append(parties, reglement.PartyAccusedEmployee)
	}
	for _, p := range uniqueParties(parties) {
		opts = append(opts, option{Value: string(p), Label: partyName(e.l, p)})
	}
	return opts
}

func categoryOptions(e *actionEnv) []option {
	var opts []option
	for _, c := range e.reg().Categories {
		opts = append(opts, option{Value: c.ID, Label: c.Label})
	}
	return opts
}

func groundOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.ground.none")}}
	for _, g := range e.reg().Admissibility.Grounds {
		opts = append(opts, option{Value: g.ID, Label: shorten(g.Text, 90) + " (" + g.Source + ")"})
	}
	return opts
}

func inspectionOptions(e *actionEnv) []option {
	parties := []reglement.Party{reglement.PartyComplainant}
	if e.state().Intake.Representative != nil {
		parties = append(parties, reglement.PartyRepresentative)
	}
	if len(e.state().Accused) > 0 {
		parties = append(parties, reglement.PartyAccusedEmployee)
	}
	return partyOptions(e.l, parties)
}

// hearingParticipants starts the list with the complainant, the accused
// employees and the handler.
func hearingParticipants(e *actionEnv) string {
	s := e.state()
	names := []string{s.Intake.Complainant.Name}
	for _, a := range s.Accused {
		names = append(names, a.Name)
	}
	if s.Handler != nil {
		names = append(names, s.Handler.Name)
	}
	out := ""
	for _, n := range names {
		if n != "" {
			out += n + "\n"
		}
	}
	return out
}

// extendHint says until when the decision is due now, and how far the
// regulation lets it be extended.
func extendHint(e *actionEnv) string {
	r, s := e.reg(), e.state()
	current := ""
	for _, d := range e.view.Deadlines {
		if d.Step == reglement.StepDecision && d.Due != nil {
			if base := r.DecisionBase(); base != nil && d.Kind == base.Kind {
				current = formatDate(*d.Due)
			}
		}
	}
	hint := e.l.t("fld.extend.new_due.hint", current)
	if max, _, ok := r.ExtendedDue(s.Intake.ReceivedOn.AddDays(s.PausedDays)); ok {
		hint += " " + e.l.t("fld.extend.max", formatDate(max), r.Extension.Source)
	}
	return hint
}

func extendSentToHint(e *actionEnv) string {
	ps := extendNotifyParties(e)
	if len(ps) == 0 {
		return ""
	}
	return e.l.t("fld.extend.sent_to.hint", partyList(e.l, ps), e.reg().Extension.Source)
}

// extendNotifyParties are the parties the regulation says to tell of an
// extension, without the accused employee when none is recorded (as the
// core reads it).
func extendNotifyParties(e *actionEnv) []reglement.Party {
	var out []reglement.Party
	for _, p := range e.reg().Extension.NotifyParties {
		if p == reglement.PartyAccusedEmployee && len(e.state().Accused) == 0 {
			continue
		}
		out = append(out, p)
	}
	return out
}

func extendNotify(e *actionEnv) []string {
	var out []string
	for _, p := range extendNotifyParties(e) {
		out = append(out, string(p))
	}
	return out
}

func extendPartyOptions(e *actionEnv) []option {
	parties := []reglement.Party{reglement.PartyComplainant}
	if e.state().Intake.Representative != nil {
		parties = append(parties, reglement.PartyRepresentative)
	}
	if len(e.state().Accused) > 0 {
		parties = append(parties, reglement.PartyAccusedEmployee)
	}
	parties = append(parties, e.reg().Extension.NotifyParties...)
	return partyOptions(e.l, uniqueParties(parties))
}

// judgmentOptions are the judgments the regulation knows.
func judgmentOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.choose")}}
	for _, o := range []reglement.OutcomeKind{reglement.OutcomeUpheld, reglement.OutcomePartlyUpheld, reglement.OutcomeNotUpheld} {
		if slices.ContainsFunc(e.reg().Outcomes, func(out reglement.Outcome) bool { return out.Outcome == o }) {
			opts = append(opts, option{Value: string(o), Label: outcomeName(e.l, e.reg(), o)})
		}
	}
	return opts
}

func measureKindOptions(e *actionEnv) []option {
	return []option{{Value: "", Label: e.l.t("fld.choose")},
		{Value: "corrective", Label: e.l.t("measure.corrective")}, {Value: "preventive", Label: e.l.t("measure.preventive")}}
}

func openMeasureOptions(e *actionEnv) []option {
	opts := []option{{Value: "", Label: e.l.t("fld.choose")}}
	for _, m := range e.state().Measures {
		if m.On == nil {
			opts = append(opts, option{Value: strconv.Itoa(m.ID), Label: fmt.Sprintf("%d. %s", m.ID, shorten(m.Description, 80))})
		}
	}
	return opts
}

func partyOptions(l lang, parties []reglement.Party) []option {
	var opts []option
	for _, p := range parties {
		opts = append(opts, option{Value: string(p), Label: partyName(l, p)})
	}
	return opts
}

func uniqueParties(ps []reglement.Party) []reglement.Party {
	var out []reglement.Party
	for _, p := range ps {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// shorten cuts a text to at most n characters, with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

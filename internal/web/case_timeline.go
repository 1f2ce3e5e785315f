package web

import (
	"encoding/json"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// timelineEntry is one event of the case as a person reads it: who, when,
// what, and the text that came with it.
type timelineEntry struct {
	Seq   int
	At    string
	Who   string
	Title string
	Text  string
}

// timeline renders the events of a case, newest first. limited keeps
// only what the accused employee may see.
func timeline(l lang, r *reglement.Reglement, events []complaint.Event, limited bool) []timelineEntry {
	var out []timelineEntry
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if limited && !accusedSees(r, e) {
			continue
		}
		entry := eventEntry(l, r, e)
		if limited && e.Type == complaint.EvHearingHeld {
			entry.Text = "" // the summary reaches them with the report
		}
		out = append(out, entry)
	}
	return out
}

// accusedSees reports whether the accused employee sees an event: the
// complaint, what is sent to them, the hearing they are part of, and the
// end of the case.
func accusedSees(r *reglement.Reglement, e complaint.Event) bool {
	switch e.Type {
	case complaint.EvReceived, complaint.EvHandlerAssigned, complaint.EvHearingPlanned, complaint.EvHearingHeld,
		complaint.EvHearingReportSent, complaint.EvHearingReportSigned, complaint.EvClosed, complaint.EvArchived,
		complaint.EvRecordedAsRemark, complaint.EvAccusedAdded:
		return true
	case complaint.EvPartyInformed:
		var p complaint.PartyInformedPayload
		return json.Unmarshal(e.Payload, &p) == nil && p.Party == reglement.PartyAccusedEmployee
	case complaint.EvExtended:
		var p complaint.ExtendedPayload
		return json.Unmarshal(e.Payload, &p) == nil &&
			(slices.Contains(p.SentTo, reglement.PartyAccusedEmployee) || slices.Contains(p.SentTo, reglement.PartyAllInvolved))
	case complaint.EvInspectionGranted:
		var p complaint.InspectionPayload
		return json.Unmarshal(e.Payload, &p) == nil && slices.Contains(p.To, reglement.PartyAccusedEmployee)
	case complaint.EvDecided, complaint.EvReferralGiven:
		return decisionGoesToAccused(r)
	}
	return false
}

// eventEntry renders one event. A payload that does not decode (the log
// would be damaged, and Fold would have failed first) shows the bare
// event type.
func eventEntry(l lang, r *reglement.Reglement, e complaint.Event) timelineEntry {
	entry := timelineEntry{Seq: e.Seq, At: formatDateTime(e.At), Who: actorName(l, e.Actor)}
	title, text := eventText(l, r, e)
	if title == "" {
		title = string(e.Type)
	}
	entry.Title, entry.Text = capitalise(title), text
	return entry
}

func actorName(l lang, a complaint.Actor) string {
	switch {
	case a.Name != "":
		return a.Name
	case a.Kind == "complainant":
		return l.t("ev.actor.complainant")
	}
	return l.t("ev.actor.system")
}

// eventText writes an event's title and text in l.
func eventText(l lang, r *reglement.Reglement, e complaint.Event) (string, string) {
	dec := func(v any) bool { return len(e.Payload) == 0 || json.Unmarshal(e.Payload, v) == nil }
	switch e.Type {
	case complaint.EvReceived:
		var p complaint.Intake
		if !dec(&p) {
			return "", ""
		}
		key := "ev.received"
		if p.Kind == complaint.KindRemark {
			key = "ev.received.remark"
		}
		return l.t(key, channelName(l, p.Channel), formatDate(p.ReceivedOn)), p.Facts
	case complaint.EvRecordedAsRemark:
		var p complaint.Dated
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.recorded_as_remark"), p.Text
	case complaint.EvSettledByReceiver:
		var p complaint.Dated
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.settled_by_receiver"), p.Text
	case complaint.EvAcknowledged:
		var p complaint.AcknowledgedPayload
		if !dec(&p) {
			return "", ""
		}
		if p.Via != "" {
			return l.t("ev.acknowledged.via", formatDate(p.On), msgOr(l, "via."+p.Via, p.Via)), ""
		}
		return l.t("ev.acknowledged", formatDate(p.On)), ""
	case complaint.EvHandlerAssigned:
		var p complaint.HandlerAssignedPayload
		if !dec(&p) {
			return "", ""
		}
		name := orErased(l, p.Handler.Name)
		if p.Handler.Function != "" {
			name += " (" + p.Handler.Function + ")"
		}
		return l.t("ev.handler_assigned", name, formatDate(p.On)), ""
	case complaint.EvAccusedAdded:
		var p complaint.AccusedAddedPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.accused_added", orErased(l, p.Employee.Name)), ""
	case complaint.EvPartyInformed:
		var p complaint.PartyInformedPayload
		if !dec(&p) {
			return "", ""
		}
		who := partyName(l, p.Party)
		if p.Name != "" {
			who += " (" + p.Name + ")"
		}
		return l.t("ev.party_informed", who, formatDate(p.On)), p.Text
	case complaint.EvInformationRequested, complaint.EvInformationReceived, complaint.EvClockPaused,
		complaint.EvClockResumed, complaint.EvHearingWaived, complaint.EvHearingReportSent,
		complaint.EvStatementOfView, complaint.EvAftercareDone, complaint.EvReportSent,
		complaint.EvSettledInformally, complaint.EvWithdrawn, complaint.EvArchived, complaint.EvNoteAdded,
		complaint.EvInspectionRequested, complaint.EvHearingRequested:
		var p complaint.Dated
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev."+string(e.Type), formatDate(p.On)), p.Text
	case complaint.EvAdmissibilityDecided:
		var p complaint.AdmissibilityPayload
		if !dec(&p) {
			return "", ""
		}
		if p.Admissible {
			return l.t("ev.admissible", formatDate(p.On)), p.Motivation
		}
		return l.t("ev.inadmissible", formatDate(p.On), groundText(r, p.Ground), p.Source), p.Motivation
	case complaint.EvDocumentAdded:
		var p complaint.DocumentPayload
		if !dec(&p) {
			return "", ""
		}
		name := orErased(l, p.Name)
		if p.Kind != "" {
			name += " (" + p.Kind + ")"
		}
		return l.t("ev.document_added", name), p.Note
	case complaint.EvInspectionGranted:
		var p complaint.InspectionPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.inspection_granted", partyList(l, p.To), formatDate(p.On)), ""
	case complaint.EvHearingPlanned:
		var p complaint.HearingPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.hearing_planned", formatDate(p.On)), joinNonEmpty("\n", p.Form, strings.Join(p.Participants, ", "))
	case complaint.EvHearingHeld:
		var p complaint.HearingPayload
		if !dec(&p) {
			return "", ""
		}
		title := l.t("ev.hearing_held", formatDate(p.On))
		if len(p.Participants) > 0 {
			title = l.t("ev.hearing_held.with", formatDate(p.On), strings.Join(p.Participants, ", "))
		}
		return title, p.Summary
	case complaint.EvHearingReportSigned:
		var p complaint.SignedPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.hearing_report_signed", orErased(l, p.By), formatDate(p.On)), ""
	case complaint.EvExtended:
		var p complaint.ExtendedPayload
		if !dec(&p) {
			return "", ""
		}
		text := p.Motivation
		if p.Consent {
			text = joinNonEmpty("\n", text, l.t("ev.extended.consent"))
		}
		return l.t("ev.extended", formatDate(p.NewDue), partyList(l, p.SentTo)), text
	case complaint.EvDecisionProposed:
		var p complaint.ProposalPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.decision_proposed"), p.Text
	case complaint.EvProposalMade:
		var p complaint.ProposalPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.proposal_made"), joinNonEmpty("\n", p.Text, p.Via)
	case complaint.EvProposalAnswered:
		var p complaint.ProposalPayload
		if !dec(&p) {
			return "", ""
		}
		if p.Accepted != nil && *p.Accepted {
			return l.t("ev.proposal_accepted"), p.Reply
		}
		return l.t("ev.proposal_rejected"), p.Reply
	case complaint.EvDecided:
		var p complaint.DecidedPayload
		if !dec(&p) {
			return "", ""
		}
		lines := []string{p.Motivation}
		for _, pt := range p.Points {
			lines = append(lines, "• "+pt.Point+": "+outcomeName(l, r, pt.Judgment)+". "+pt.Motivation)
		}
		return l.t("ev.decided", outcomeName(l, r, p.Outcome)), strings.Join(lines, "\n")
	case complaint.EvReferralGiven:
		var p complaint.ReferralPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.referral_given", p.Body), p.Source
	case complaint.EvMeasureAdded:
		var p complaint.MeasurePayload
		if !dec(&p) {
			return "", ""
		}
		text := p.Description
		if p.Owner != "" {
			text = joinNonEmpty("\n", text, l.t("ev.measure.owner", p.Owner))
		}
		if p.Due != nil {
			text = joinNonEmpty("\n", text, l.t("ev.measure.due", formatDate(*p.Due)))
		}
		return l.t("ev.measure_added", p.ID, msgOr(l, "measure."+p.Kind, p.Kind)), text
	case complaint.EvMeasureDone:
		var p complaint.MeasurePayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.measure_done", p.ID, formatDate(p.On)), ""
	case complaint.EvCategorySet:
		var p complaint.CategoryPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.category_set", p.Label), ""
	case complaint.EvMessageReceived:
		var p complaint.MessageReceivedPayload
		if !dec(&p) {
			return "", ""
		}
		text := p.Subject
		if p.Attachments > 0 {
			text = joinNonEmpty("\n", text, l.t("ev.message_received.attachments", p.Attachments))
		}
		return l.t("ev.message_received", orErased(l, p.From)), text
	case complaint.EvCaseErased:
		var p complaint.CaseErasedPayload
		if !dec(&p) {
			return "", ""
		}
		return l.t("ev.case_erased", formatDate(p.On), erasureReason(l, p.Reason, p.Source)), p.Note
	case complaint.EvClosed:
		var p complaint.ClosedPayload
		if !dec(&p) {
			return "", ""
		}
		if p.Outcome != "" {
			return l.t("ev.closed.outcome", formatDate(p.On), outcomeName(l, r, p.Outcome)), p.Reason
		}
		return l.t("ev.closed", formatDate(p.On)), p.Reason
	}
	return "", ""
}

// groundText is the regulation's wording of an inadmissibility ground.
func groundText(r *reglement.Reglement, id string) string {
	for _, g := range r.Admissibility.Grounds {
		if g.ID == id {
			return g.Text
		}
	}
	return id
}

// joinNonEmpty joins the non-empty strings with sep.
func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return strings.TrimSpace(s) == "" }), sep)
}

// capitalise starts s with a capital: "betrokken medewerker geïnformeerd".
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// orErased is a name, or "(gewist)" where erasure removed it.
func orErased(l lang, name string) string {
	if name == "" {
		return l.t("ev.erased_name")
	}
	return name
}

// erasureReason names why a case was erased, with the article.
func erasureReason(l lang, reason, source string) string {
	text := msgOr(l, "erasure.reason."+reason, reason)
	if source != "" {
		text += " (" + source + ")"
	}
	return text
}

package web

import (
	"context"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

var viewCase = view("case")

// caseData is the case file.
//
// Who sees what: every member of the organisation sees the case file
// (the Termijnen dashboard already lists every open case to them, and
// several regulations give the receiver, any employee, the
// acknowledgement). An accused employee sees a limited file whatever
// other roles they hold: the complaint itself, the handler, the terms,
// and of the timeline only what the regulation sends them (their own
// notices, the hearing they take part in, an extension or decision
// addressed to them); not the complainant's contact details, internal
// notes, information requests, proposals to the board or documents they
// were not given inspection of. They get no action forms: no regulation
// gives the accused employee a step of their own (their side is heard in
// the hearing, which the handler records), and the case's handling is
// for someone at a distance (Awb 9:7). caseAct refuses their posts too.
type caseData struct {
	Number string
	// State is the phase ("handling") or "remark"; StateText says in a
	// sentence where the case stands.
	State, StateText string
	// Limited is the accused employee's view.
	Limited bool
	// Warnings are things the reader must know first (a paused clock, a
	// handler who became accused, a time-barred incident).
	Warnings []string
	Summary  []summaryRow
	// Complaint holds the intake: facts, incident, desired outcome.
	Complaint []summaryRow
	Next      *deadlineRow
	Deadlines []deadlineRow
	Hearing   []summaryRow
	Decision  *decisionView
	Measures  []measureRow
	Documents []documentRow
	Timeline  []timelineEntry
	Actions   []actionFormView
	// ActionsNote explains an empty list of actions.
	ActionsNote string
	// Erased says when and why the case file was erased; empty while it
	// is not.
	Erased string
}

// summaryRow is one line of a data list: a label and its value; Long
// values keep their line breaks.
type summaryRow struct {
	Label, Value string
	Long         bool
}

// deadlineRow is one term of the case.
type deadlineRow struct {
	Step, Kind, Due string
	// Status is overdue, soon, ok, met, met_late, moot or pending: the
	// case_status partial draws it with an icon and a word.
	Status      string
	StatusText  string
	Explanation string
}

// decisionView is the decision with its points.
type decisionView struct {
	Outcome, On, By, Motivation string
	Points                      []summaryRow
	Referrals                   []string
}

// measureRow is one measure of the case.
type measureRow struct {
	ID                            int
	Description, Kind, Owner, Due string
	Done                          string
	Open                          bool
}

// documentRow is one document of the case file.
type documentRow struct{ Name, Kind, Note, URL, OpenURL string }

// caseEnv loads what the case file needs: the case as the signed-in
// person may see it, and the organisation's people.
func (a *app) caseEnv(ctx context.Context, id *auth.Identity, l lang, number string) (*actionEnv, error) {
	v, err := a.svc.Case(ctx, id.OrgID(), number, id.Caller())
	if err != nil {
		return nil, err
	}
	members, err := a.st.Members(ctx, id.OrgID())
	if err != nil {
		return nil, err
	}
	return &actionEnv{l: l, view: &v, members: members, today: a.svc.Today()}, nil
}

// isAccusedIn reports whether the person (account id and name) is an
// accused employee of the case, as the core matches them.
func isAccusedIn(s *complaint.State, userID, name string) bool {
	return s.IsAccused(complaint.Person{UserID: userID, Name: name})
}

// limitedFor reports whether the signed-in person sees the accused
// employee's view of the case.
func limitedFor(env *actionEnv, id *auth.Identity) bool {
	return isAccusedIn(env.state(), id.User.ID, id.User.Name)
}

// newCaseData builds the case file. posted is the action form that was
// sent and refused, shown again open with its errors; nil for a plain
// view.
func newCaseData(env *actionEnv, limited bool, postedAction complaint.Action, posted *form) caseData {
	l, v, s, r := env.l, env.view, env.state(), env.reg()
	d := caseData{Number: v.Number, State: v.State, Limited: limited}
	d.StateText = stateText(l, s)
	if e := s.Erasure; e != nil {
		d.Erased = l.t("case.erased", formatDate(e.On), erasureReason(l, e.Reason, e.Source))
	}
	d.Warnings = caseWarnings(l, s, r)
	d.Summary = caseSummary(l, v, limited)
	d.Complaint = complaintRows(l, s, r)
	soon, _ := r.WorkCalendar().AddWorkingDays(env.today, soonWorkingDays)
	for _, cd := range v.Deadlines {
		d.Deadlines = append(d.Deadlines, newDeadlineRow(l, cd, env.today, soon))
	}
	if v.NextDeadline != nil {
		row := newDeadlineRow(l, *v.NextDeadline, env.today, soon)
		d.Next = &row
	}
	d.Hearing = hearingRows(l, s, limited)
	if s.Decision != nil && (!limited || decisionGoesToAccused(r)) {
		d.Decision = newDecisionView(l, s, r)
	}
	if !limited {
		d.Measures = measureRows(l, s)
	}
	if s.MaySeeDocuments(v.Caller.Person()) {
		for _, doc := range s.Documents {
			row := documentRow{Name: doc.Name, Kind: doc.Kind, Note: doc.Note}
			if doc.DocumentID != "" {
				row.URL = caseDocumentPath(v.Number, doc.DocumentID)
				if service.IsArchiveCandidate(doc.Name, doc.MIME) {
					row.OpenURL = caseArchiveOpenPath(v.Number, doc.DocumentID)
				}
			}
			d.Documents = append(d.Documents, row)
		}
	}
	d.Timeline = timeline(l, r, v.Events, limited)
	if limited {
		d.ActionsNote = l.t("case.limited.actions", independenceSource(r))
		return d
	}
	for _, spec := range actionSpecs {
		allowed := slices.Contains(v.Allowed, spec.action)
		if spec.action == postedAction && posted != nil {
			fv := spec.view(env, posted)
			fv.Allowed = allowed
			d.Actions = append(d.Actions, fv)
			continue
		}
		if allowed {
			fv := spec.view(env, nil)
			fv.Allowed = true
			d.Actions = append(d.Actions, fv)
		}
	}
	if len(d.Actions) == 0 {
		d.ActionsNote = l.t("case.actions.none")
	}
	return d
}

// independenceSource is the article that keeps the accused employee out
// of the handling.
func independenceSource(r *reglement.Reglement) string {
	if r.Roles.Independence.Source != "" {
		return r.Roles.Independence.Source
	}
	return "Awb 9:7"
}

// stateText says where the case stands in a sentence.
func stateText(l lang, s *complaint.State) string {
	switch {
	case s.IsRemark():
		return l.t("case.state.remark")
	case s.Phase == complaint.PhaseClosed && s.ClosedOn != nil:
		return l.t("case.state.closed", formatDate(*s.ClosedOn))
	case s.Phase == complaint.PhaseArchived && s.ArchivedOn != nil:
		return l.t("case.state.archived", formatDate(*s.ArchivedOn))
	}
	return msgOr(l, "case.state."+string(s.Phase), string(s.Phase))
}

// caseWarnings are what must be seen before anything else.
func caseWarnings(l lang, s *complaint.State, r *reglement.Reglement) []string {
	var out []string
	if s.HandlerIsAccused() {
		out = append(out, l.t("case.warn.handler_accused", s.Handler.Name, independenceSource(r)))
	}
	if s.PausedSince != nil {
		out = append(out, l.t("case.warn.paused", formatDate(*s.PausedSince)))
	}
	if s.Intake.TimeBarred && s.IsOpen() && s.Admissibility == nil {
		out = append(out, l.t("case.warn.time_barred", s.Intake.TimeBarSource))
	}
	// The complainant's requests from the portal wait for an answer.
	if s.InspectionRequestedOn != nil && s.IsOpen() {
		out = append(out, l.t("case.warn.inspection_requested", formatDate(*s.InspectionRequestedOn)))
	}
	if s.HearingRequestedOn != nil && s.IsOpen() {
		out = append(out, l.t("case.warn.hearing_requested", formatDate(*s.HearingRequestedOn)))
	}
	if s.ComplainantInputSince != nil && s.IsOpen() {
		out = append(out, l.t("case.warn.complainant_input", formatDateTime(*s.ComplainantInputSince)))
	}
	return out
}

// caseSummary are the parties and facts of the file's heading.
func caseSummary(l lang, v *service.CaseView, limited bool) []summaryRow {
	s, r := &v.Case, v.Policy
	in := s.Intake
	rows := []summaryRow{{Label: l.t("case.received"), Value: l.t("case.received.value", formatDate(in.ReceivedOn), channelName(l, in.Channel))}}
	if limited {
		rows = append(rows, summaryRow{Label: l.t("case.complainant"), Value: in.Complainant.Name})
	} else {
		rows = append(rows, summaryRow{Label: l.t("case.complainant"), Value: personText(in.Complainant), Long: true})
		if in.Representative != nil {
			rows = append(rows, summaryRow{Label: l.t("case.representative"), Value: personText(*in.Representative), Long: true})
		}
		if in.Correspondence != "" {
			rows = append(rows, summaryRow{Label: l.t("case.correspondence"), Value: msgOr(l, "via."+in.Correspondence, in.Correspondence)})
		}
	}
	for _, kv := range [][2]string{{"case.client", in.ClientName}, {"case.commissioning", in.CommissioningParty},
		{"case.service", in.Service}, {"case.contact_person", in.ContactPerson}} {
		if kv[1] != "" {
			rows = append(rows, summaryRow{Label: l.t(kv[0]), Value: kv[1]})
		}
	}
	accused := l.t("case.accused.none")
	if len(s.Accused) > 0 {
		names := make([]string, len(s.Accused))
		for i, a := range s.Accused {
			names[i] = a.Name
		}
		accused = strings.Join(names, ", ")
	}
	rows = append(rows, summaryRow{Label: l.t("case.accused"), Value: accused})
	handler := l.t("case.handler.none")
	if s.Handler != nil {
		handler = s.Handler.Name
		if s.Handler.Function != "" {
			handler += " (" + s.Handler.Function + ")"
		}
		if s.HandlerSince != nil {
			handler = l.t("case.handler.since", handler, formatDate(*s.HandlerSince))
		}
	}
	rows = append(rows, summaryRow{Label: l.t("case.handler"), Value: handler})
	if in.Category != "" {
		rows = append(rows, summaryRow{Label: l.t("case.category"), Value: categoryLabel(r, in.Category)})
	}
	if s.Outcome != "" {
		rows = append(rows, summaryRow{Label: l.t("case.outcome"), Value: outcomeName(l, r, s.Outcome)})
	}
	title := r.Title
	if title == "" {
		title = r.Organisation
	}
	rows = append(rows, summaryRow{Label: l.t("case.reglement"), Value: l.t("case.reglement.value", title, r.Version, v.Reglement.Revision)})
	return rows
}

// personText writes a person with their contact details, a line each.
func personText(p complaint.Person) string {
	lines := []string{p.Name}
	for _, s := range []string{p.Email, p.Phone, p.Address} {
		if s != "" {
			lines = append(lines, s)
		}
	}
	return strings.Join(lines, "\n")
}

func categoryLabel(r *reglement.Reglement, id string) string {
	for _, c := range r.Categories {
		if c.ID == id {
			return c.Label
		}
	}
	return id
}

// complaintRows are the complaint itself: what happened, when and where,
// and what the complainant wants.
func complaintRows(l lang, s *complaint.State, r *reglement.Reglement) []summaryRow {
	in := s.Intake
	var rows []summaryRow
	add := func(key, v string, long bool) {
		if strings.TrimSpace(v) != "" {
			rows = append(rows, summaryRow{Label: l.t(key), Value: v, Long: long})
		}
	}
	add("case.facts", in.Facts, true)
	if in.IncidentDate != nil {
		add("case.incident_date", formatDate(*in.IncidentDate), false)
	}
	add("case.incident_time", in.IncidentTime, false)
	add("case.incident_place", in.IncidentPlace, false)
	add("case.circumstances", in.Circumstances, true)
	add("case.desired", in.DesiredOutcome, true)
	add("case.urgency", in.Urgency, true)
	if in.ClaimAmountEUR > 0 {
		add("case.claim", formatEUR(in.ClaimAmountEUR), false)
	}
	if s.Resolution != "" {
		add("case.resolution", s.Resolution, true)
	}
	return rows
}

// newDeadlineRow shows one term: its date, where it stands and why.
func newDeadlineRow(l lang, cd complaint.CaseDeadline, today, soon calendar.Date) deadlineRow {
	row := deadlineRow{Step: stepName(l, string(cd.Step)), Kind: msgOr(l, "kind."+string(cd.Kind), string(cd.Kind)), Explanation: cd.Explanation}
	if cd.Due != nil {
		row.Due = formatDate(*cd.Due)
	}
	switch cd.Status {
	case complaint.StatusOpen:
		row.Status = "ok"
		if cd.Due != nil && !cd.Due.After(soon) {
			row.Status = "soon"
		}
		row.StatusText = l.t("case.status." + row.Status)
	case complaint.StatusMissed:
		row.Status, row.StatusText = "overdue", l.t("case.status.overdue")
	case complaint.StatusMet, complaint.StatusMetLate:
		row.Status = string(cd.Status)
		row.StatusText = l.t("case.status."+row.Status, formatDate(cd.MetOn))
	case complaint.StatusMoot:
		row.Status, row.StatusText = "moot", l.t("case.status.moot")
	default:
		row.Status, row.StatusText = "pending", l.t("case.status.pending", anchorText(l, cd.Anchor))
	}
	if cd.Step == reglement.StepRetention && cd.Status == complaint.StatusOpen {
		// Keeping a file until a date is no task that can be late.
		row.Status, row.StatusText = "pending", l.t("case.status.kept")
	}
	return row
}

// hearingRows tell of the hearing: planned, held, reported, signed.
func hearingRows(l lang, s *complaint.State, limited bool) []summaryRow {
	var rows []summaryRow
	if s.HearingPlanned != nil {
		rows = append(rows, summaryRow{Label: l.t("case.hearing.planned"), Value: formatDate(*s.HearingPlanned)})
	}
	if h := s.Hearing; h != nil {
		rows = append(rows, summaryRow{Label: l.t("case.hearing.held"), Value: formatDate(h.On)})
		if h.Form != "" {
			rows = append(rows, summaryRow{Label: l.t("case.hearing.form"), Value: h.Form})
		}
		if len(h.Participants) > 0 {
			rows = append(rows, summaryRow{Label: l.t("case.hearing.participants"), Value: strings.Join(h.Participants, ", ")})
		}
		if !limited || s.HearingReportSent != nil {
			rows = append(rows, summaryRow{Label: l.t("case.hearing.summary"), Value: h.Summary, Long: true})
		}
	}
	if s.HearingWaivedOn != nil {
		rows = append(rows, summaryRow{Label: l.t("case.hearing.waived"), Value: formatDate(*s.HearingWaivedOn)})
	}
	if s.HearingReportSent != nil {
		rows = append(rows, summaryRow{Label: l.t("case.hearing.report_sent"), Value: formatDate(*s.HearingReportSent)})
	}
	if len(s.HearingSignedBy) > 0 {
		rows = append(rows, summaryRow{Label: l.t("case.hearing.signed_by"), Value: strings.Join(s.HearingSignedBy, ", ")})
	}
	return rows
}

func newDecisionView(l lang, s *complaint.State, r *reglement.Reglement) *decisionView {
	dec := s.Decision
	dv := &decisionView{Outcome: outcomeName(l, r, dec.Outcome), On: formatDate(dec.On), By: dec.DecidedBy.Name, Motivation: dec.Motivation}
	for _, p := range dec.Points {
		dv.Points = append(dv.Points, summaryRow{Label: p.Point, Value: outcomeName(l, r, p.Judgment) + ": " + p.Motivation, Long: true})
	}
	for _, ref := range s.Referrals {
		dv.Referrals = append(dv.Referrals, ref.Body)
	}
	return dv
}

func measureRows(l lang, s *complaint.State) []measureRow {
	var rows []measureRow
	for _, m := range s.Measures {
		row := measureRow{ID: m.ID, Description: m.Description, Kind: msgOr(l, "measure."+m.Kind, m.Kind), Owner: m.Owner, Open: m.On == nil}
		if m.Due != nil {
			row.Due = formatDate(*m.Due)
		}
		if m.On != nil {
			row.Done = formatDate(*m.On)
		}
		rows = append(rows, row)
	}
	return rows
}

// decisionGoesToAccused reports whether the regulation sends the decision
// to the accused employee (SmartPLUS Punt 8; Best Match: all involved).
func decisionGoesToAccused(r *reglement.Reglement) bool {
	return letterGoesTo(r, reglement.LetterDecision, reglement.PartyAccusedEmployee)
}

// letterGoesTo reports whether the regulation's letter of kind goes to
// the party (or to everyone involved).
func letterGoesTo(r *reglement.Reglement, kind reglement.LetterKind, p reglement.Party) bool {
	for _, lt := range r.Letters {
		if lt.Kind == kind && (slices.Contains(lt.To, p) || slices.Contains(lt.To, reglement.PartyAllInvolved)) {
			return true
		}
	}
	return false
}

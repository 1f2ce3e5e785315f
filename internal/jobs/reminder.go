package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// system is the caller the jobs read cases as.
var system = complaint.Caller{Actor: complaint.Actor{Name: "Gegrond", Kind: "system"}}

// noticePayload is the payload of a reminder or overdue job: the deadline
// it is about.
type noticePayload struct {
	Number string         `json:"number"`
	Step   reglement.Step `json:"step"`
	Kind   reglement.Kind `json:"kind"`
	Due    calendar.Date  `json:"due"`
}

// scan derives the reminder and overdue jobs of an organisation's open
// cases (or of those changed lately) from their deadlines, and, in the
// day's full scan, today's digests. Each job has a unique key made of the
// case, the step, the kind of term, the due date and the kind of notice:
// scanning again enqueues nothing new; a deadline that moves (an
// extension, a pause) has a new due date and so new jobs, while the jobs of
// the old date find at their time that it no longer holds and end without
// a word.
func (r *Runner) scan(ctx context.Context, j store.Job) error {
	org, err := r.svc.LetterSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	days := r.cfg.ReminderDays
	if n := org.Settings.ReminderDays; n > 0 {
		days = n
	}
	var p scanPayload
	if err := decode(j, &p); err != nil {
		return err
	}
	cases, err := r.openCases(ctx, j.OrgID, p.ChangedSince)
	if err != nil {
		return err
	}
	var jobs []store.Job
	for _, rec := range cases {
		view, err := r.svc.Case(ctx, j.OrgID, rec.Number, system)
		if err != nil {
			// One damaged case must not keep the others' reminders back.
			r.log.Error("reminder scan: read case", "org", j.OrgID, "case", rec.Number, "err", err)
			continue
		}
		jobs = append(jobs, r.deadlineJobs(rec.ID, view, days)...)
	}
	if p.ChangedSince.IsZero() {
		digests, err := r.digestJobs(ctx, j.OrgID)
		if err != nil {
			return err
		}
		jobs = append(jobs, digests...)
	}
	_, err = r.st.Enqueue(ctx, j.OrgID, jobs...)
	return err
}

// scanPayload is the payload of a reminder scan.
type scanPayload struct {
	// ChangedSince limits the scan to the cases changed since; zero scans
	// every open case.
	ChangedSince time.Time `json:"changed_since,omitzero"`
}

// openCases are the open cases a scan reads.
func (r *Runner) openCases(ctx context.Context, orgID string, since time.Time) ([]store.CaseRecord, error) {
	if !since.IsZero() {
		return r.st.OpenCasesChangedSince(ctx, orgID, since)
	}
	var all []store.CaseRecord
	for {
		page, err := r.st.FindCases(ctx, orgID, store.CaseFilter{OpenOnly: true, Limit: store.MaxLimit, Offset: len(all)})
		if err != nil {
			return nil, err
		}
		all = append(all, page...)
		if len(page) < store.MaxLimit {
			return all, nil
		}
	}
}

// Tracked reports whether a deadline of a case is one people are reminded
// of: a limit, or an aim where the step has no limit; never the latest
// date an extension could reach, nor retention.
func Tracked(d complaint.CaseDeadline, all []complaint.CaseDeadline) bool {
	if d.Due == nil || d.Step == reglement.StepDecisionExtended || d.Step == reglement.StepRetention {
		return false
	}
	if d.Kind == reglement.Aim {
		return !slices.ContainsFunc(all, func(o complaint.CaseDeadline) bool {
			return o.Step == d.Step && o.Kind == reglement.Limit && o.Due != nil
		})
	}
	return true
}

// ReminderDay is the day the handler is reminded of a term due on due:
// days working days before it in the calendar.
func ReminderDay(cal *calendar.Calendar, due calendar.Date, days int) calendar.Date {
	d := due
	for days > 0 {
		d = d.AddDays(-1)
		if cal.IsWorkingDay(d) {
			days--
		}
	}
	return d
}

// OverdueDay is the day the handler and the board are told that a limit
// due on due passed: the first working day after it.
func OverdueDay(cal *calendar.Calendar, due calendar.Date) calendar.Date {
	d, _ := cal.NextWorkingDay(due.AddDays(1))
	return d
}

// HeldByPause reports whether a running pause of the case's clock holds
// the deadline back: its date moves on with every day the clock stands
// still, so nobody is reminded of it until the clock runs again.
func HeldByPause(view service.CaseView, d complaint.CaseDeadline, today calendar.Date) bool {
	if view.Case.PausedSince == nil || d.Due == nil {
		return false
	}
	for _, t := range view.Case.Deadlines(view.Policy, today.AddDays(1)) {
		if t.Step == d.Step && t.Kind == d.Kind {
			return t.Due == nil || *t.Due != *d.Due
		}
	}
	return false
}

// deadlineJobs are the reminder and overdue jobs of one case's deadlines.
func (r *Runner) deadlineJobs(caseID string, view service.CaseView, days int) []store.Job {
	cal := view.Policy.WorkCalendar()
	today := calendar.FromTime(r.now())
	var jobs []store.Job
	for _, d := range view.Deadlines {
		if !Tracked(d, view.Deadlines) || HeldByPause(view, d, today) {
			continue
		}
		due := *d.Due
		p := mustJSON(noticePayload{Number: view.Number, Step: d.Step, Kind: d.Kind, Due: due})
		key := fmt.Sprintf("deadline:%s:%s:%s:%s:", caseID, d.Step, d.Kind, due)
		if d.Status == complaint.StatusOpen {
			jobs = append(jobs, store.Job{Kind: KindReminder, CaseID: caseID, Payload: p, UniqueKey: key + "reminder",
				RunAt: r.at(ReminderDay(cal, due, days), r.cfg.MorningHour), MaxAttempts: 5})
		}
		if d.Kind == reglement.Limit && (d.Status == complaint.StatusOpen || d.Status == complaint.StatusMissed) {
			jobs = append(jobs, store.Job{Kind: KindOverdue, CaseID: caseID, Payload: p, UniqueKey: key + "overdue",
				RunAt: r.at(OverdueDay(cal, due), r.cfg.MorningHour), MaxAttempts: 5})
		}
	}
	return jobs
}

// remind sends a reminder (before a term) or an overdue notice (after a
// limit), when the deadline still holds: the case is open, the term still
// falls on the same date, and it is still open (reminder) or missed
// (overdue). Otherwise the job ends without a word: the step was taken,
// the term moved, or the case closed.
func (r *Runner) remind(ctx context.Context, j store.Job) error {
	var p noticePayload
	if err := decode(j, &p); err != nil {
		return err
	}
	view, err := r.svc.Case(ctx, j.OrgID, p.Number, system)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	overdue := j.Kind == KindOverdue
	want := complaint.StatusOpen
	if overdue {
		want = complaint.StatusMissed
	}
	i := slices.IndexFunc(view.Deadlines, func(d complaint.CaseDeadline) bool {
		return d.Step == p.Step && d.Kind == p.Kind && d.Due != nil && *d.Due == p.Due
	})
	today := calendar.FromTime(r.now())
	if !view.Case.IsOpen() || i < 0 || view.Deadlines[i].Status != want || HeldByPause(view, view.Deadlines[i], today) {
		return nil
	}
	d := view.Deadlines[i]
	org, err := r.svc.LetterSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	to, err := r.noticeRecipients(ctx, j.OrgID, view.Case.Handler, overdue)
	if err != nil {
		return err
	}
	if len(to) == 0 {
		r.log.Warn("no one to remind: the case has no handler with an e-mail address and the organisation no board member with one",
			"org", j.OrgID, "case", p.Number, "step", p.Step)
		return nil
	}
	cal := view.Policy.WorkCalendar()
	m := r.notice(org, j, to)
	m.Headers = map[string]string{
		"X-Gegrond-Org":      j.OrgID,
		"X-Gegrond-Case":     p.Number,
		"X-Gegrond-Notice":   j.Kind,
		"X-Gegrond-Deadline": fmt.Sprintf("%s %s %s", p.Step, p.Kind, p.Due),
	}
	m.Subject, m.Text = noticeText(view, d, today, cal, overdue)
	return r.send(ctx, m)
}

// noticeRecipients are who a notice goes to: the handler, and the board
// when the handler is unknown or when a limit passed.
func (r *Runner) noticeRecipients(ctx context.Context, orgID string, handler *complaint.Person, board bool) ([]mail.Address, error) {
	var to []mail.Address
	add := func(name, email string) {
		email = strings.TrimSpace(email)
		if email == "" || slices.ContainsFunc(to, func(a mail.Address) bool { return strings.EqualFold(a.Email, email) }) {
			return
		}
		to = append(to, mail.Address{Name: name, Email: email})
	}
	if handler != nil {
		name, email := handler.Name, handler.Email
		if handler.UserID != "" {
			u, err := r.st.GetUser(ctx, handler.UserID)
			switch {
			case err == nil:
				name, email = u.Name, u.Email
			case apperr.CodeOf(err) != apperr.NotFound:
				return nil, err
			}
		}
		add(name, email)
	}
	if board || len(to) == 0 {
		members, err := r.st.Members(ctx, orgID)
		if err != nil {
			return nil, err
		}
		for _, m := range members {
			if slices.Contains(m.Roles, string(reglement.RoleBoard)) {
				add(m.Name, m.Email)
			}
		}
	}
	return to, nil
}

// notice is a reminder or digest e-mail of the organisation: from the
// configured notice sender (else the organisation's complaint address),
// with a Message-ID fixed by the job, so that a job run twice sends the
// same message.
func (r *Runner) notice(org service.OrgLetters, j store.Job, to []mail.Address) mail.Message {
	from := r.cfg.NoticeFrom
	if from.Email == "" {
		from = complaintAddress(org)
		if from.Email != "" {
			from.Name = "Gegrond · " + org.Org.Name
		}
	}
	domain := mail.Domain(from.Email)
	if domain == "" {
		domain = fallbackDomain
	}
	return mail.Message{From: from, To: to, MessageID: fmt.Sprintf("%s.%s@%s", j.Kind, j.ID, domain), Date: r.now()}
}

// send hands a notice to the mail server; a permanent refusal fails the
// job at once.
func (r *Runner) send(ctx context.Context, m mail.Message) error {
	if err := r.mailer.Send(ctx, m); err != nil {
		if !mail.IsTemporary(err) {
			return Permanent(err)
		}
		return err
	}
	return nil
}

// noticeText is the subject and text of a reminder or overdue notice, in
// Dutch: the staff's language.
func noticeText(view service.CaseView, d complaint.CaseDeadline, today calendar.Date, cal *calendar.Calendar, overdue bool) (string, string) {
	step := reglement.StepNL(d.Step)
	kind := "uiterste termijn"
	if d.Kind == reglement.Aim {
		kind = "streeftermijn"
	}
	who := view.Case.Intake.Complainant.Name
	var b strings.Builder
	var subject string
	if overdue {
		subject = fmt.Sprintf("Termijn verstreken: %s, zaak %s (uiterlijk %s)", step, view.Number, d.Due.Dutch())
		fmt.Fprintf(&b, "De %s voor %s in zaak %s (%s) is verstreken: die liep tot en met %s.\n\n", kind, strings.ToLower(step), view.Number, who, d.Due.Dutch())
		b.WriteString("De zaak staat als te laat in Gegrond. Zet de stap zo snel mogelijk en leg vast waarom het later werd.\n")
	} else {
		subject = fmt.Sprintf("Herinnering: %s, zaak %s, uiterlijk %s", step, view.Number, d.Due.Dutch())
		fmt.Fprintf(&b, "De %s voor %s in zaak %s (%s) loopt af op %s (%s).\n", kind, strings.ToLower(step), view.Number, who, d.Due.Dutch(), untilNL(cal, today, *d.Due))
	}
	if d.Explanation != "" {
		fmt.Fprintf(&b, "\nTermijn: %s\n", d.Explanation)
	}
	if d.Source != "" {
		fmt.Fprintf(&b, "Bron: %s\n", d.Source)
	}
	if view.Case.Handler != nil {
		fmt.Fprintf(&b, "Behandelaar: %s\n", view.Case.Handler.Name)
	} else {
		b.WriteString("Behandelaar: nog niet aangewezen\n")
	}
	b.WriteString("\nDit bericht komt van Gegrond. U krijgt het één keer per termijn.\n")
	return subject, b.String()
}

// untilNL says in Dutch how far a date lies ahead in working days.
func untilNL(cal *calendar.Calendar, today, due calendar.Date) string {
	switch n := cal.WorkingDaysBetween(today, due); {
	case due == today:
		return "vandaag"
	case n < 0 || due.Before(today):
		return "verlopen"
	case n <= 1:
		return "over 1 werkdag"
	default:
		return fmt.Sprintf("over %d werkdagen", n)
	}
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// workCalendar is the working-day calendar of the organisation's
// regulation in force on the date.
func (r *Runner) workCalendar(ctx context.Context, orgID string, on calendar.Date) (*calendar.Calendar, error) {
	reg, _, err := r.svc.Regulation(ctx, orgID, on)
	if err != nil {
		return nil, err
	}
	return reg.WorkCalendar(), nil
}

package jobs

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// digestPayload is the payload of a digest job.
type digestPayload struct {
	UserID string        `json:"user_id"`
	Date   calendar.Date `json:"date"`
}

// digestJobs are today's digests of the organisation's handlers and board
// members, on a working day of its calendar, one per person and day.
func (r *Runner) digestJobs(ctx context.Context, orgID string) ([]store.Job, error) {
	today := calendar.FromTime(r.now())
	cal, err := r.workCalendar(ctx, orgID, today)
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil, nil // no regulation in force: no cases either
	}
	if err != nil {
		return nil, err
	}
	if !cal.IsWorkingDay(today) {
		return nil, nil
	}
	members, err := r.st.Members(ctx, orgID)
	if err != nil {
		return nil, err
	}
	var jobs []store.Job
	for _, m := range members {
		if !slices.Contains(m.Roles, string(reglement.RoleHandler)) && !slices.Contains(m.Roles, string(reglement.RoleBoard)) {
			continue
		}
		jobs = append(jobs, store.Job{
			Kind: KindDigest, Payload: mustJSON(digestPayload{UserID: m.ID, Date: today}),
			UniqueKey: fmt.Sprintf("digest:%s:%s", m.ID, today), RunAt: r.at(today, r.cfg.MorningHour), MaxAttempts: 3,
		})
	}
	return jobs, nil
}

// digest sends one person the day's digest: for a handler the open cases
// they handle whose next term falls within DigestDays working days or has
// passed; for a board member every case whose term passed and every case
// without a handler. Nothing due, no mail; a digest of another day (the
// runner was down) is not sent late.
func (r *Runner) digest(ctx context.Context, j store.Job) error {
	var p digestPayload
	if err := decode(j, &p); err != nil {
		return err
	}
	today := calendar.FromTime(r.now())
	if p.Date != today {
		return nil
	}
	u, err := r.st.GetUser(ctx, p.UserID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	roles, err := r.st.RolesOf(ctx, j.OrgID, u.ID)
	if err != nil {
		return err
	}
	cal, err := r.workCalendar(ctx, j.OrgID, today)
	if err != nil {
		return err
	}
	var sections []digestSection
	if slices.Contains(roles, string(reglement.RoleHandler)) {
		cases, err := r.st.FindCases(ctx, j.OrgID, store.CaseFilter{HandlerID: u.ID, OpenOnly: true,
			DueBy: addWorkingDays(cal, today, r.cfg.DigestDays), Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		sections = append(sections, digestSection{"Uw zaken met een termijn", cases})
	}
	if slices.Contains(roles, string(reglement.RoleBoard)) {
		late, err := r.st.FindCases(ctx, j.OrgID, store.CaseFilter{OpenOnly: true, OverdueOn: today, Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		unassigned, err := r.st.FindCases(ctx, j.OrgID, store.CaseFilter{OpenOnly: true, Unassigned: true, Limit: store.MaxLimit})
		if err != nil {
			return err
		}
		sections = append(sections, digestSection{"Zaken over de termijn", late}, digestSection{"Zaken zonder behandelaar", unassigned})
	}
	n := 0
	for _, s := range sections {
		n += len(s.cases)
	}
	if n == 0 || strings.TrimSpace(u.Email) == "" {
		return nil
	}
	org, err := r.svc.LetterSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	m := r.notice(org, j, []mail.Address{{Name: u.Name, Email: u.Email}})
	m.Headers = map[string]string{"X-Gegrond-Org": j.OrgID, "X-Gegrond-Notice": KindDigest}
	m.Subject = fmt.Sprintf("Gegrond: wat er speelt op %s (%s)", today.Dutch(), org.Org.Name)
	m.Text = digestText(u.Name, today, cal, sections)
	return r.send(ctx, m)
}

type digestSection struct {
	title string
	cases []store.CaseRecord
}

func digestText(name string, today calendar.Date, cal *calendar.Calendar, sections []digestSection) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Beste %s,\n\nDit speelt er op %s.\n", name, today.Dutch())
	for _, s := range sections {
		if len(s.cases) == 0 {
			continue
		}
		fmt.Fprintf(&b, "\n%s\n", s.title)
		for _, c := range s.cases {
			line := fmt.Sprintf("- %s · %s", c.Number, c.ComplainantName)
			if !c.NextDeadline.IsZero() {
				line += fmt.Sprintf(" · %s: %s (%s)", reglement.StepNL(reglement.Step(c.NextDeadlineStep)), c.NextDeadline.Dutch(), untilNL(cal, today, c.NextDeadline))
			}
			b.WriteString(line + "\n")
		}
	}
	b.WriteString("\nDit overzicht komt van Gegrond, elke werkdag waarop er iets speelt.\n")
	return b.String()
}

// addWorkingDays is the date n working days after d.
func addWorkingDays(cal *calendar.Calendar, d calendar.Date, n int) calendar.Date {
	out, _ := cal.AddWorkingDays(d, n)
	return out
}

package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

var viewDashboard = view("dashboard")

// dashboardPageSize is the number of cases on one page of Termijnen.
const dashboardPageSize = 50

// soonWorkingDays: a deadline within this many working days is "due
// soon".
const soonWorkingDays = 2

// dashboardStates are the states the state filter offers: those of open
// cases.
var dashboardStates = []string{"received", "handling", "decided", "remark"}

// dashboardFilter is the filter form of Termijnen, read from the query.
type dashboardFilter struct {
	Mine       bool
	Unassigned bool
	Overdue    bool
	// NewInput keeps the cases with complainant input no staff member
	// has acted on ("Nieuw van klager").
	NewInput bool
	State    string
	Page     int
}

// Query returns the filter as a query string for page, "" for the plain
// first page.
func (f dashboardFilter) Query(page int) string {
	q := url.Values{}
	if f.Mine {
		q.Set("mijn", "1")
	}
	if f.Unassigned {
		q.Set("vrij", "1")
	}
	if f.Overdue {
		q.Set("te-laat", "1")
	}
	if f.NewInput {
		q.Set("nieuw", "1")
	}
	if f.State != "" {
		q.Set("status", f.State)
	}
	if page > 1 {
		q.Set("pagina", strconv.Itoa(page))
	}
	if len(q) == 0 {
		return "/"
	}
	return "/?" + q.Encode()
}

// sign is where a case's next deadline stands: overdue, due soon (within
// two working days), on time, or none.
type sign string

const (
	signOverdue sign = "overdue"
	signSoon    sign = "soon"
	signOK      sign = "ok"
	signNone    sign = "none"
)

// caseRow is one case on Termijnen.
type caseRow struct {
	Number      string
	Complainant string
	State       string
	Handler     string
	Step        string
	Due         calendar.Date
	Sign        sign
	// NewInput is when the complainant added something (portal, mail)
	// that no staff member acted on since; zero when nothing waits.
	NewInput time.Time
}

// count is a number at the top of Termijnen.
type count struct {
	Number int
}

// dashboardData is the Termijnen page.
type dashboardData struct {
	Filter dashboardFilter
	States []string
	Today  calendar.Date
	// Open, Overdue, Soon and Unassigned count the organisation's open
	// cases, whatever the filter.
	Open, Overdue, Soon, Unassigned count
	// NewInput counts the open cases with complainant input waiting.
	NewInput         count
	Rows             []caseRow
	PrevURL, NextURL string
	// FilterError explains a filter that cannot be applied.
	FilterError string
	// Failed lists the organisation's letters and notices that could not
	// be sent for good (shown to handlers, board and administrators).
	Failed []failedJob
	// LateMeasures are the corrective and preventive measures past their
	// due date: all of them for the quality officer, board and
	// administrators, one's own for anybody else.
	LateMeasures []store.Measure
	// MeasuresLink is set when the person may open the measures screen.
	MeasuresLink bool
}

// failedJob is a letter or notice the job queue gave up on.
type failedJob struct {
	Label, Error string
	At           time.Time
}

// maxFailedShown bounds the failed jobs listed on the dashboard.
const maxFailedShown = 5

// dashboard shows Termijnen: the organisation's open cases by next
// deadline, with their sign, filters, counts and pages.
func (a *app) dashboard(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	orgID := id.OrgID()
	l := requestLang(r)
	q := r.URL.Query()
	f := dashboardFilter{Mine: q.Get("mijn") == "1", Unassigned: q.Get("vrij") == "1", Overdue: q.Get("te-laat") == "1", NewInput: q.Get("nieuw") == "1", Page: 1}
	if s := q.Get("status"); slices.Contains(dashboardStates, s) {
		f.State = s
	}
	if p, err := strconv.Atoi(q.Get("pagina")); err == nil && p > 1 && p <= 10000 {
		f.Page = p
	}
	today := a.svc.Today()
	soon := a.soonLimit(ctx, orgID, today)
	data := dashboardData{Filter: f, States: dashboardStates, Today: today}

	var err error
	if data.Open, err = a.countCases(ctx, orgID, store.CaseFilter{OpenOnly: true}); err != nil {
		return err
	}
	if data.Overdue, err = a.countCases(ctx, orgID, store.CaseFilter{OverdueOn: today}); err != nil {
		return err
	}
	dueBySoon, err := a.countCases(ctx, orgID, store.CaseFilter{OpenOnly: true, DueBy: soon})
	if err != nil {
		return err
	}
	data.Soon = count{Number: dueBySoon.Number - data.Overdue.Number}
	if data.Unassigned, err = a.countCases(ctx, orgID, store.CaseFilter{OpenOnly: true, Unassigned: true}); err != nil {
		return err
	}
	if data.NewInput, err = a.countCases(ctx, orgID, store.CaseFilter{OpenOnly: true, ComplainantInput: true}); err != nil {
		return err
	}
	if id.Has(reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin) {
		failed, err := a.st.FailedJobs(ctx, orgID)
		if err != nil {
			return err
		}
		for i, j := range failed {
			if i == maxFailedShown {
				break
			}
			label := j.Kind
			if hasMessage("job." + j.Kind) {
				label = l.t("job." + j.Kind)
			}
			data.Failed = append(data.Failed, failedJob{Label: label, Error: j.LastError, At: j.DoneAt})
		}
	}

	mf := store.MeasureFilter{OverdueOn: today}
	data.MeasuresLink = id.Has(reglement.RoleQualityOfficer, reglement.RoleBoard, reglement.RoleAdmin)
	if !data.MeasuresLink {
		mf.OwnerUserID = id.User.ID
	}
	if data.LateMeasures, err = a.st.ListMeasures(ctx, orgID, mf); err != nil {
		return err
	}

	if f.Mine && f.Unassigned {
		data.FilterError = l.t("dashboard.filter.conflict")
		return a.render(w, r, http.StatusOK, viewDashboard, "deadlines", data)
	}
	cf := store.CaseFilter{OpenOnly: true, State: f.State, Unassigned: f.Unassigned, ComplainantInput: f.NewInput,
		Limit: dashboardPageSize + 1, Offset: (f.Page - 1) * dashboardPageSize}
	if f.Mine {
		cf.HandlerID = id.User.ID
	}
	if f.Overdue {
		cf.OverdueOn = today
	}
	recs, err := a.svc.Cases(ctx, orgID, cf)
	if err != nil {
		return err
	}
	if len(recs) > dashboardPageSize {
		recs = recs[:dashboardPageSize]
		data.NextURL = f.Query(f.Page + 1)
	}
	if f.Page > 1 {
		data.PrevURL = f.Query(f.Page - 1)
	}
	for _, rec := range recs {
		data.Rows = append(data.Rows, newCaseRow(rec, today, soon))
	}
	return a.render(w, r, http.StatusOK, viewDashboard, "deadlines", data)
}

// newCaseRow makes the row of a case.
func newCaseRow(rec store.CaseRecord, today, soon calendar.Date) caseRow {
	var sum struct {
		HandlerName string `json:"handler_name"`
	}
	_ = json.Unmarshal(rec.Summary, &sum) // a summary without a name shows none
	row := caseRow{Number: rec.Number, Complainant: rec.ComplainantName, State: rec.State,
		Handler: sum.HandlerName, Step: rec.NextDeadlineStep, Due: rec.NextDeadline, NewInput: rec.ComplainantInputAt}
	switch {
	case rec.NextDeadline.IsZero():
		row.Sign = signNone
	case rec.NextDeadline.Before(today):
		row.Sign = signOverdue
	case !rec.NextDeadline.After(soon):
		row.Sign = signSoon
	default:
		row.Sign = signOK
	}
	return row
}

// soonLimit is the last date that counts as due soon: two working days
// after today on the organisation's own calendar (its regulation's), or
// the common Dutch calendar when it has no regulation in force.
func (a *app) soonLimit(ctx context.Context, orgID string, today calendar.Date) calendar.Date {
	cal := calendar.MustNew(calendar.ProfileNL)
	if reg, _, err := a.svc.Regulation(ctx, orgID, today); err == nil {
		cal = reg.WorkCalendar()
	} else {
		a.log.Warn("web: no regulation calendar; using the Dutch default", "org", orgID, "err", err)
	}
	limit, _ := cal.AddWorkingDays(today, soonWorkingDays)
	return limit
}

// countCases counts the organisation's cases that pass the filter, in one
// query.
func (a *app) countCases(ctx context.Context, orgID string, f store.CaseFilter) (count, error) {
	n, err := a.st.CountCases(ctx, orgID, f)
	return count{Number: n}, err
}

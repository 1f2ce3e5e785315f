package api

import (
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
)

// caseSummary is a case in a list: its projection, without folding events.
type caseSummary struct {
	Number           string         `json:"number"`
	State            string         `json:"state"`
	ReceivedOn       calendar.Date  `json:"received_on"`
	NextDeadline     *calendar.Date `json:"next_deadline,omitempty"`
	NextDeadlineStep string         `json:"next_deadline_step,omitempty"`
	// Overdue: open, and the next deadline lies before today.
	Overdue         bool            `json:"overdue"`
	HandlerID       string          `json:"handler_id,omitempty"`
	ComplainantName string          `json:"complainant_name"`
	Closed          bool            `json:"closed"`
	Summary         json.RawMessage `json:"summary"`
}

// caseList is the answer of GET /cases.
type caseList struct {
	Cases []caseSummary `json:"cases"`
}

// listCases answers the organisation's cases that pass the query's
// filters, by next deadline.
func (a *API) listCases(w http.ResponseWriter, r *http.Request, who *principal) error {
	today := a.svc.Today()
	f, err := caseFilter(r.URL.Query(), who, today)
	if err != nil {
		return err
	}
	recs, err := a.svc.Cases(r.Context(), who.orgID, f)
	if err != nil {
		return err
	}
	out := caseList{Cases: make([]caseSummary, 0, len(recs))}
	for _, rec := range recs {
		c := caseSummary{
			Number: rec.Number, State: rec.State, ReceivedOn: rec.ReceivedOn,
			NextDeadlineStep: rec.NextDeadlineStep, HandlerID: rec.HandlerID,
			ComplainantName: rec.ComplainantName, Closed: rec.Closed, Summary: rec.Summary,
		}
		if !rec.NextDeadline.IsZero() {
			due := rec.NextDeadline
			c.NextDeadline = &due
			c.Overdue = !rec.Closed && due.Before(today)
		}
		out.Cases = append(out.Cases, c)
	}
	return writeJSON(w, http.StatusOK, out)
}

// listParams are the query parameters of GET /cases; any other is refused,
// so that a misspelt filter does not silently list everything.
var listParams = []string{"state", "handler", "unassigned", "open", "overdue", "due_before", "q", "limit", "offset"}

// caseStates are the values of the state filter: the phases, and "remark".
func caseStates() []string {
	out := []string{"remark"}
	for _, p := range complaint.Phases {
		out = append(out, string(p))
	}
	return out
}

// caseFilter reads the query of GET /cases. Every error names the
// parameter at fault.
func caseFilter(q url.Values, who *principal, today calendar.Date) (store.CaseFilter, error) {
	var f store.CaseFilter
	for _, name := range slices.Sorted(maps.Keys(q)) {
		values := q[name]
		if !slices.Contains(listParams, name) {
			return f, apperr.Field(name, "unknown query parameter; the filters are %s", strings.Join(listParams, ", ")).WithReason("bad_query")
		}
		if len(values) > 1 {
			return f, apperr.Field(name, "given %d times; give it once", len(values)).WithReason("bad_query")
		}
	}
	if s := q.Get("state"); s != "" {
		if !slices.Contains(caseStates(), s) {
			return f, apperr.Field("state", "unknown state %q; expected one of %s", s, strings.Join(caseStates(), ", ")).WithReason("bad_query")
		}
		f.State = s
	}
	switch h := q.Get("handler"); h {
	case "":
	case "me":
		f.HandlerID = who.user.ID
	default:
		f.HandlerID = h
	}
	var err error
	if f.Unassigned, err = boolParam(q, "unassigned"); err != nil {
		return f, err
	}
	if f.Unassigned && f.HandlerID != "" {
		return f, apperr.Field("unassigned", "cannot be combined with handler").WithReason("bad_query")
	}
	if f.OpenOnly, err = boolParam(q, "open"); err != nil {
		return f, err
	}
	overdue, err := boolParam(q, "overdue")
	if err != nil {
		return f, err
	}
	if overdue {
		f.OverdueOn = today
	}
	if s := q.Get("due_before"); s != "" {
		d, err := calendar.ParseDate(s)
		if err != nil {
			return f, apperr.Field("due_before", "%q is not a date; expected YYYY-MM-DD", s).WithReason("bad_query")
		}
		// The store keeps deadlines on or before DueBy: before d is on or
		// before the day before.
		f.DueBy = d.AddDays(-1)
	}
	f.Text = strings.TrimSpace(q.Get("q"))
	if f.Limit, err = intParam(q, "limit", 1, store.MaxLimit); err != nil {
		return f, err
	}
	if f.Offset, err = intParam(q, "offset", 0, 1<<31-1); err != nil {
		return f, err
	}
	return f, nil
}

// boolParam reads a true/false parameter; absent is false.
func boolParam(q url.Values, name string) (bool, error) {
	s := q.Get(name)
	if s == "" {
		return false, nil
	}
	switch strings.ToLower(s) {
	case "true", "1":
		return true, nil
	case "false", "0":
		return false, nil
	}
	return false, apperr.Field(name, "%q is not true or false", s).WithReason("bad_query")
}

// intParam reads a whole number in [lo, hi]; absent is 0 (the store's
// default).
func intParam(q url.Values, name string, lo, hi int) (int, error) {
	s := q.Get(name)
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, apperr.Field(name, "%q is not a whole number from %d to %d", s, lo, hi).WithReason("bad_query")
	}
	return n, nil
}

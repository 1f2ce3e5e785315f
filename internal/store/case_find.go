package store

import (
	"context"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
)

// DefaultLimit is the number of cases FindCases returns when the filter
// sets no Limit; MaxLimit is the most it returns.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// CaseFilter selects cases for a screen. Zero fields select everything.
type CaseFilter struct {
	// State keeps the cases in this state.
	State string
	// HandlerID keeps the cases this user handles.
	HandlerID string
	// Unassigned keeps the cases nobody handles.
	Unassigned bool
	// OpenOnly keeps the cases that are not closed.
	OpenOnly bool
	// DueBy keeps the cases whose next deadline is on or before this date.
	DueBy calendar.Date
	// OverdueOn keeps the open cases whose next deadline is before this
	// date. The caller passes today: the store reads no clock.
	OverdueOn calendar.Date
	// ComplainantInput keeps the cases with complainant input no staff
	// member has acted on yet (Projection.ComplainantInputAt).
	ComplainantInput bool
	// Text keeps the cases whose search text contains it, ignoring case and
	// diacritics ("client" finds "cliënt").
	Text string
	// Limit and Offset page through the result; Limit 0 is DefaultLimit.
	Limit  int
	Offset int
}

// FindCases returns the organisation's cases that pass the filter, by next
// deadline (cases without one last), then by number. It is one query on an
// index that starts with (org_id, closed, next_deadline).
func (s *Store) FindCases(ctx context.Context, orgID string, f CaseFilter) ([]CaseRecord, error) {
	if f.HandlerID != "" && f.Unassigned {
		return nil, apperr.New(apperr.Invalid, "a filter cannot ask for a handler and for unassigned cases at once")
	}
	if f.Limit < 0 || f.Offset < 0 {
		return nil, apperr.New(apperr.Invalid, "limit and offset cannot be negative")
	}
	q, args := findCasesQuery(s.d, orgID, f)

	// One statement needs no transaction of its own: it reads one snapshot.
	rows, err := s.rdb.QueryContext(ctx, s.d.rebind(q), args...)
	if err != nil {
		return nil, wrap("find cases", err)
	}
	cases, err := collect(rows, scanCase)
	if err != nil {
		return nil, wrap("find cases", err)
	}
	return cases, nil
}

// findCasesQuery builds the one query of FindCases.
func findCasesQuery(d *dialect, orgID string, f CaseFilter) (string, []any) {
	limit := f.Limit
	switch {
	case limit <= 0:
		limit = DefaultLimit
	case limit > MaxLimit:
		limit = MaxLimit
	}
	where, args, datesOnly := caseWhere(orgID, f)
	q := `SELECT ` + caseColumns + ` FROM cases WHERE ` + where +
		` ORDER BY ` + d.deadlineOrder(!datesOnly) + ` LIMIT ? OFFSET ?`
	return q, append(args, limit, f.Offset)
}

// caseWhere is the condition of a case filter. datesOnly tells that the
// filter keeps only cases with a next deadline.
func caseWhere(orgID string, f CaseFilter) (where string, args []any, datesOnly bool) {
	var q strings.Builder
	q.WriteString(`org_id = ?`)
	args = []any{orgID}
	if f.OpenOnly || !f.OverdueOn.IsZero() {
		q.WriteString(` AND closed = FALSE`)
	}
	if f.State != "" {
		q.WriteString(` AND state = ?`)
		args = append(args, f.State)
	}
	if f.HandlerID != "" {
		q.WriteString(` AND handler_id = ?`)
		args = append(args, f.HandlerID)
	}
	if f.Unassigned {
		q.WriteString(` AND handler_id IS NULL`)
	}
	if f.ComplainantInput {
		q.WriteString(` AND complainant_input_at IS NOT NULL`)
	}
	datesOnly = !f.DueBy.IsZero() || !f.OverdueOn.IsZero()
	if datesOnly {
		// Implied by the comparisons below, but SQLite's index has the
		// expression "next_deadline IS NULL" before the date: naming it
		// lets the search seek to the date range.
		q.WriteString(` AND (next_deadline IS NULL) = FALSE`)
	}
	if !f.DueBy.IsZero() {
		q.WriteString(` AND next_deadline <= ?`)
		args = append(args, dateArg(f.DueBy))
	}
	if !f.OverdueOn.IsZero() {
		q.WriteString(` AND next_deadline < ?`)
		args = append(args, dateArg(f.OverdueOn))
	}
	if text := FoldText(f.Text); text != "" {
		q.WriteString(` AND search_text LIKE ? ESCAPE '\'`)
		args = append(args, "%"+escapeLike(text)+"%")
	}
	return q.String(), args, datesOnly
}

// CountCases counts the organisation's cases that pass the filter (its
// Limit and Offset aside), in one query on the same indexes as FindCases:
// the counts at the top of the Termijnen screen.
func (s *Store) CountCases(ctx context.Context, orgID string, f CaseFilter) (int, error) {
	if f.HandlerID != "" && f.Unassigned {
		return 0, apperr.New(apperr.Invalid, "a filter cannot ask for a handler and for unassigned cases at once")
	}
	where, args, _ := caseWhere(orgID, f)
	var n int
	if err := s.rdb.QueryRowContext(ctx, s.d.rebind(`SELECT COUNT(*) FROM cases WHERE `+where), args...).Scan(&n); err != nil {
		return 0, wrap("count cases", err)
	}
	return n, nil
}

// likeEscaper escapes the wildcards of LIKE, and its escape character,
// with a backslash.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string { return likeEscaper.Replace(s) }

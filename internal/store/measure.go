package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
)

// MeasureKind says whether a measure remedies (corrective) or prevents
// recurrence (preventive).
type MeasureKind string

// The kinds of measure.
const (
	MeasureCorrective MeasureKind = "corrective"
	MeasurePreventive MeasureKind = "preventive"
)

// MeasureState is where a measure stands. A measure is proposed (from the
// internal discussion of a complaint), then decided or rejected by the
// board (Work 2 Work 5.2.5), and a decided measure is done once carried out.
type MeasureState string

// The states of a measure.
const (
	MeasureProposed MeasureState = "proposed"
	MeasureDecided  MeasureState = "decided"
	MeasureRejected MeasureState = "rejected"
	MeasureDone     MeasureState = "done"
)

// Who is a person recorded on a measure: a user of the organisation, or
// only a name.
type Who struct {
	// UserID is the user's account, "" for a name only.
	UserID string
	// Name is shown; it is required.
	Name string
}

// Measure is a corrective or preventive measure of an organisation, with
// the complaints that led to it and its yearly reviews.
type Measure struct {
	// ID identifies the measure; it never changes.
	ID    string
	OrgID string
	// Number counts the organisation's measures from 1, for people.
	Number      int
	Description string
	Kind        MeasureKind
	// Owner carries the measure out.
	Owner Who
	// DueOn is the date it should be done; zero when none was set.
	DueOn calendar.Date
	State MeasureState

	ProposedBy Who
	ProposedOn calendar.Date
	// DecidedBy, DecidedOn and DecisionNote record the board's decision
	// (to carry the measure out, or to reject it); zero while proposed.
	DecidedBy    Who
	DecidedOn    calendar.Date
	DecisionNote string
	// DoneOn and DoneNote record that the measure was carried out.
	DoneOn   calendar.Date
	DoneNote string

	// Cases are the numbers of the complaints that led to the measure,
	// sorted.
	Cases []string
	// Reviews are the yearly reviews, by year.
	Reviews []MeasureReview

	// CreatedAt is when the measure was recorded, by the store's clock.
	CreatedAt time.Time
}

// Open reports whether the measure still needs a decision or to be done.
func (m Measure) Open() bool { return m.State == MeasureProposed || m.State == MeasureDecided }

// OverdueOn reports whether the open measure's due date lies before the date.
func (m Measure) OverdueOn(d calendar.Date) bool {
	return m.Open() && !m.DueOn.IsZero() && m.DueOn.Before(d)
}

// MeasureReview is the yearly judgement of a measure's effectiveness (Work
// 2 Work 5.3.2: the measures taken are judged on soundness, effectiveness
// and efficiency, and adjusted where needed).
type MeasureReview struct {
	// Year is the year under review.
	Year      int
	Effective bool
	// Motivation says why the measure was (not) effective.
	Motivation string
	// Adjustment says what is changed; required when not effective.
	Adjustment string
	ReviewedBy Who
	ReviewedOn calendar.Date
}

// NewMeasure is a measure to record; it starts as proposed.
type NewMeasure struct {
	Description string
	Kind        MeasureKind
	Owner       Who
	// DueOn is optional.
	DueOn      calendar.Date
	ProposedBy Who
	// ProposedOn is the date of the proposal (the caller's today).
	ProposedOn calendar.Date
	// Cases are the numbers of the complaints that led to it; each must be
	// a case of the organisation.
	Cases []string
}

// MeasureDecision is the board's decision on a proposed measure.
type MeasureDecision struct {
	// Approved: the measure is to be carried out; otherwise it is rejected.
	Approved bool
	By       Who
	On       calendar.Date
	// Note is the motivation, required for a rejection.
	Note string
}

// MeasureFilter selects measures. Zero fields select everything.
type MeasureFilter struct {
	State MeasureState
	// OwnerUserID keeps the measures this user owns.
	OwnerUserID string
	// OverdueOn keeps the open measures (proposed or decided) whose due
	// date lies before this date. The caller passes today.
	OverdueOn calendar.Date
	// Year keeps the measures alive in that year: proposed on or before
	// its last day, and not finished (done, or rejected) before its first.
	Year int
	// CaseNumber keeps the measures linked to this case.
	CaseNumber string
}

// measureColumns are the columns scanMeasure reads, in its order.
const measureColumns = `id, org_id, number, description, kind, COALESCE(owner_user_id, ''), owner_name, due_on, state,
	COALESCE(proposed_by_id, ''), proposed_by, proposed_on, COALESCE(decided_by_id, ''), decided_by, decided_on,
	decision_note, done_on, done_note, created_at`

func scanMeasure(row scanner) (Measure, error) {
	var m Measure
	err := row.Scan(&m.ID, &m.OrgID, &m.Number, &m.Description, &m.Kind, &m.Owner.UserID, &m.Owner.Name,
		dateColumn{&m.DueOn}, &m.State, &m.ProposedBy.UserID, &m.ProposedBy.Name, dateColumn{&m.ProposedOn},
		&m.DecidedBy.UserID, &m.DecidedBy.Name, dateColumn{&m.DecidedOn}, &m.DecisionNote,
		dateColumn{&m.DoneOn}, &m.DoneNote, timeColumn{&m.CreatedAt})
	return m, err
}

// measureAttempts bounds the retries of CreateMeasure when two writers
// take the same number.
const measureAttempts = 5

// CreateMeasure records a proposed measure of the organisation with its
// links to complaints, and gives it the organisation's next number.
func (s *Store) CreateMeasure(ctx context.Context, orgID string, in NewMeasure) (Measure, error) {
	in.Description = strings.TrimSpace(in.Description)
	switch {
	case in.Description == "":
		return Measure{}, apperr.Field("description", "describe the measure")
	case in.Kind != MeasureCorrective && in.Kind != MeasurePreventive:
		return Measure{}, apperr.Field("kind", "unknown kind %q; expected corrective or preventive", in.Kind)
	case in.ProposedOn.IsZero():
		return Measure{}, apperr.Field("proposed_on", "missing; give the date of the proposal")
	case !in.DueOn.IsZero() && in.DueOn.Before(in.ProposedOn):
		return Measure{}, apperr.Field("due_on", "the due date %s lies before the proposal (%s)", in.DueOn, in.ProposedOn)
	}
	if err := checkWho("owner", in.Owner); err != nil {
		return Measure{}, err
	}
	if err := checkWho("proposed_by", in.ProposedBy); err != nil {
		return Measure{}, err
	}
	cases := slices.Clone(in.Cases)
	for i, c := range cases {
		cases[i] = strings.TrimSpace(c)
	}
	slices.Sort(cases)
	cases = slices.Compact(cases)
	for attempt := 1; ; attempt++ {
		var m Measure
		err := s.write(ctx, func(t *tx) error {
			var err error
			m, err = createMeasure(ctx, t, orgID, in, cases)
			return err
		})
		if isUniqueViolation(err) && attempt < measureAttempts {
			continue
		}
		if isUniqueViolation(err) {
			return Measure{}, apperr.New(apperr.Conflict, "could not number the measure after %d attempts; try again", attempt)
		}
		if err != nil {
			return Measure{}, wrap("create measure", err)
		}
		return m, nil
	}
}

func createMeasure(ctx context.Context, t *tx, orgID string, in NewMeasure, cases []string) (Measure, error) {
	if err := orgExists(ctx, t, orgID); err != nil {
		return Measure{}, err
	}
	if err := checkMember(ctx, t, orgID, "owner.user_id", in.Owner); err != nil {
		return Measure{}, err
	}
	if err := checkMember(ctx, t, orgID, "proposed_by.user_id", in.ProposedBy); err != nil {
		return Measure{}, err
	}
	for _, number := range cases {
		var one int
		err := t.queryRow(ctx, `SELECT 1 FROM cases WHERE org_id = ? AND number = ?`, orgID, number).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return Measure{}, apperr.Field("cases", "case %s does not exist", number)
		}
		if err != nil {
			return Measure{}, err
		}
	}
	m := Measure{
		ID: newID(), OrgID: orgID, Description: in.Description, Kind: in.Kind, Owner: in.Owner, DueOn: in.DueOn,
		State: MeasureProposed, ProposedBy: in.ProposedBy, ProposedOn: in.ProposedOn, Cases: cases, CreatedAt: t.now,
	}
	if m.Cases == nil {
		m.Cases = []string{}
	}
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(number), 0) + 1 FROM measures WHERE org_id = ?`, orgID).
		Scan(&m.Number); err != nil {
		return Measure{}, err
	}
	_, err := t.exec(ctx, `INSERT INTO measures (id, org_id, number, description, kind, owner_user_id, owner_name, due_on,
		state, proposed_by_id, proposed_by, proposed_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		m.ID, orgID, m.Number, m.Description, string(m.Kind), nullString(m.Owner.UserID), m.Owner.Name, dateArg(m.DueOn),
		string(m.State), nullString(m.ProposedBy.UserID), m.ProposedBy.Name, dateArg(m.ProposedOn), t.d.timeArg(m.CreatedAt))
	if err != nil {
		return Measure{}, err
	}
	for _, number := range cases {
		if _, err := t.exec(ctx, `INSERT INTO measure_cases (measure_id, org_id, case_number) VALUES (?, ?, ?)`,
			m.ID, orgID, number); err != nil {
			return Measure{}, err
		}
	}
	return m, nil
}

// DecideMeasure records the board's decision on a proposed measure: to
// carry it out (decided) or not (rejected). Only a proposal can be decided.
func (s *Store) DecideMeasure(ctx context.Context, orgID, id string, d MeasureDecision) (Measure, error) {
	if err := checkWho("by", d.By); err != nil {
		return Measure{}, err
	}
	if d.On.IsZero() {
		return Measure{}, apperr.Field("on", "missing; give the date of the decision")
	}
	d.Note = strings.TrimSpace(d.Note)
	if !d.Approved && d.Note == "" {
		return Measure{}, apperr.Field("note", "say why the measure is rejected")
	}
	return s.changeMeasure(ctx, orgID, id, "decide measure", func(t *tx, m *Measure) error {
		if m.State != MeasureProposed {
			return apperr.New(apperr.Conflict, "measure %d was decided already (%s on %s)", m.Number, m.State, m.DecidedOn).
				WithReason("measure_decided")
		}
		if d.On.Before(m.ProposedOn) {
			return apperr.Field("on", "the decision (%s) cannot precede the proposal (%s)", d.On, m.ProposedOn)
		}
		if err := checkMember(ctx, t, orgID, "by.user_id", d.By); err != nil {
			return err
		}
		m.State = MeasureRejected
		if d.Approved {
			m.State = MeasureDecided
		}
		m.DecidedBy, m.DecidedOn, m.DecisionNote = d.By, d.On, d.Note
		_, err := t.exec(ctx, `UPDATE measures SET state = ?, decided_by_id = ?, decided_by = ?, decided_on = ?,
			decision_note = ? WHERE id = ?`,
			string(m.State), nullString(d.By.UserID), d.By.Name, dateArg(d.On), d.Note, m.ID)
		return err
	})
}

// CompleteMeasure records that a decided measure was carried out on the
// date.
func (s *Store) CompleteMeasure(ctx context.Context, orgID, id string, on calendar.Date, note string) (Measure, error) {
	if on.IsZero() {
		return Measure{}, apperr.Field("on", "missing; give the date the measure was carried out")
	}
	note = strings.TrimSpace(note)
	return s.changeMeasure(ctx, orgID, id, "complete measure", func(t *tx, m *Measure) error {
		switch m.State {
		case MeasureProposed:
			return apperr.New(apperr.Conflict, "measure %d awaits the board's decision; it cannot be done yet", m.Number).
				WithReason("measure_not_decided")
		case MeasureRejected:
			return apperr.New(apperr.Conflict, "measure %d was rejected on %s", m.Number, m.DecidedOn).WithReason("measure_rejected")
		case MeasureDone:
			return apperr.New(apperr.Conflict, "measure %d was done on %s", m.Number, m.DoneOn).WithReason("measure_done")
		}
		if on.Before(m.DecidedOn) {
			return apperr.Field("on", "the measure cannot be done (%s) before it was decided (%s)", on, m.DecidedOn)
		}
		m.State, m.DoneOn, m.DoneNote = MeasureDone, on, note
		_, err := t.exec(ctx, `UPDATE measures SET state = ?, done_on = ?, done_note = ? WHERE id = ?`,
			string(m.State), dateArg(on), note, m.ID)
		return err
	})
}

// ReviewMeasure records the yearly review of a decided or done measure
// (Work 2 Work 5.3.2). A measure is reviewed once per year.
func (s *Store) ReviewMeasure(ctx context.Context, orgID, id string, r MeasureReview) (Measure, error) {
	r.Motivation, r.Adjustment = strings.TrimSpace(r.Motivation), strings.TrimSpace(r.Adjustment)
	switch {
	case r.ReviewedOn.IsZero():
		return Measure{}, apperr.Field("reviewed_on", "missing; give the date of the review")
	case r.Year < 2000 || r.Year > r.ReviewedOn.Year:
		return Measure{}, apperr.Field("year", "review year %d must be a past or the current year of the review (%d)", r.Year, r.ReviewedOn.Year)
	case r.Motivation == "":
		return Measure{}, apperr.Field("motivation", "say why the measure was or was not effective")
	case !r.Effective && r.Adjustment == "":
		return Measure{}, apperr.Field("adjustment", "say what is adjusted, since the measure was not effective")
	}
	if err := checkWho("reviewed_by", r.ReviewedBy); err != nil {
		return Measure{}, err
	}
	return s.changeMeasure(ctx, orgID, id, "review measure", func(t *tx, m *Measure) error {
		if m.State != MeasureDecided && m.State != MeasureDone {
			return apperr.New(apperr.Conflict, "measure %d is %s; only a decided or done measure is reviewed", m.Number, m.State).
				WithReason("measure_not_decided")
		}
		if r.Year < m.ProposedOn.Year {
			return apperr.Field("year", "measure %d was proposed in %d, after the review year %d", m.Number, m.ProposedOn.Year, r.Year)
		}
		if r.ReviewedOn.Before(m.DecidedOn) {
			return apperr.Field("reviewed_on", "the review (%s) cannot precede the decision (%s)", r.ReviewedOn, m.DecidedOn)
		}
		for _, old := range m.Reviews {
			if old.Year == r.Year {
				return apperr.New(apperr.Conflict, "measure %d was reviewed for %d already, on %s by %s", m.Number, r.Year,
					old.ReviewedOn, old.ReviewedBy.Name).WithReason("measure_reviewed")
			}
		}
		if err := checkMember(ctx, t, orgID, "reviewed_by.user_id", r.ReviewedBy); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO measure_reviews (measure_id, year, effective, motivation, adjustment,
			reviewed_by_id, reviewed_by, reviewed_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, r.Year, r.Effective, r.Motivation, r.Adjustment, nullString(r.ReviewedBy.UserID), r.ReviewedBy.Name,
			dateArg(r.ReviewedOn))
		if err != nil {
			return err
		}
		m.Reviews = append(m.Reviews, r)
		slices.SortFunc(m.Reviews, func(a, b MeasureReview) int { return a.Year - b.Year })
		return nil
	})
}

// changeMeasure loads and locks a measure of the organisation with its
// links and reviews, lets fn change it in the same transaction, and
// returns it as fn left it.
func (s *Store) changeMeasure(ctx context.Context, orgID, id, op string, fn func(*tx, *Measure) error) (Measure, error) {
	var m Measure
	err := s.write(ctx, func(t *tx) error {
		var err error
		m, err = scanMeasure(t.queryRow(ctx, `SELECT `+measureColumns+` FROM measures WHERE org_id = ? AND id = ?`+
			t.d.forUpdate(), orgID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "measure %s does not exist", id)
		}
		if err != nil {
			return err
		}
		if err := loadMeasureDetails(ctx, t, `m.org_id = ? AND m.id = ?`, []any{orgID, id}, []*Measure{&m}); err != nil {
			return err
		}
		return fn(t, &m)
	})
	if err != nil {
		return Measure{}, wrap(op, err)
	}
	return m, nil
}

// GetMeasure returns a measure of the organisation.
func (s *Store) GetMeasure(ctx context.Context, orgID, id string) (Measure, error) {
	var m Measure
	err := s.read(ctx, func(t *tx) error {
		var err error
		m, err = scanMeasure(t.queryRow(ctx, `SELECT `+measureColumns+` FROM measures WHERE org_id = ? AND id = ?`, orgID, id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "measure %s does not exist", id)
		}
		if err != nil {
			return err
		}
		return loadMeasureDetails(ctx, t, `m.org_id = ? AND m.id = ?`, []any{orgID, id}, []*Measure{&m})
	})
	if err != nil {
		return Measure{}, wrap("get measure", err)
	}
	return m, nil
}

// ListMeasures returns the organisation's measures that pass the filter,
// by due date (those without one last), then by number.
func (s *Store) ListMeasures(ctx context.Context, orgID string, f MeasureFilter) ([]Measure, error) {
	switch f.State {
	case "", MeasureProposed, MeasureDecided, MeasureRejected, MeasureDone:
	default:
		return nil, apperr.Field("state", "unknown state %q; expected proposed, decided, rejected or done", f.State)
	}
	if f.Year != 0 && (f.Year < 1 || f.Year > 9999) {
		return nil, apperr.Field("year", "%d is not a year", f.Year)
	}
	where, args := measureWhere(orgID, f)
	var out []Measure
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+measureColumns+` FROM measures m WHERE `+where+
			` ORDER BY due_on IS NULL, due_on, number`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			m, err := scanMeasure(rows)
			if err != nil {
				rows.Close()
				return err
			}
			out = append(out, m)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		ptrs := make([]*Measure, len(out))
		for i := range out {
			ptrs[i] = &out[i]
		}
		return loadMeasureDetails(ctx, t, where, args, ptrs)
	})
	if err != nil {
		return nil, wrap("list measures", err)
	}
	return out, nil
}

// measureWhere is the condition of ListMeasures on measures m.
func measureWhere(orgID string, f MeasureFilter) (string, []any) {
	var q strings.Builder
	q.WriteString(`m.org_id = ?`)
	args := []any{orgID}
	if f.State != "" {
		q.WriteString(` AND m.state = ?`)
		args = append(args, string(f.State))
	}
	if f.OwnerUserID != "" {
		q.WriteString(` AND m.owner_user_id = ?`)
		args = append(args, f.OwnerUserID)
	}
	if !f.OverdueOn.IsZero() {
		q.WriteString(` AND m.state IN ('proposed', 'decided') AND m.due_on < ?`)
		args = append(args, dateArg(f.OverdueOn))
	}
	if f.Year != 0 {
		first, last := calendar.D(f.Year, 1, 1), calendar.D(f.Year, 12, 31)
		q.WriteString(` AND m.proposed_on <= ? AND (m.done_on IS NULL OR m.done_on >= ?)
			AND (m.state <> 'rejected' OR m.decided_on >= ?)`)
		args = append(args, dateArg(last), dateArg(first), dateArg(first))
	}
	if f.CaseNumber != "" {
		q.WriteString(` AND EXISTS (SELECT 1 FROM measure_cases x WHERE x.measure_id = m.id AND x.case_number = ?)`)
		args = append(args, strings.TrimSpace(f.CaseNumber))
	}
	return q.String(), args
}

// loadMeasureDetails fills in the links and reviews of the measures that
// the condition where (on measures m) selects.
func loadMeasureDetails(ctx context.Context, t *tx, where string, args []any, ms []*Measure) error {
	byID := make(map[string]*Measure, len(ms))
	for _, m := range ms {
		m.Cases, m.Reviews = []string{}, nil
		byID[m.ID] = m
	}
	if len(ms) == 0 {
		return nil
	}
	rows, err := t.query(ctx, `SELECT mc.measure_id, mc.case_number FROM measure_cases mc
		JOIN measures m ON m.id = mc.measure_id WHERE `+where, args...)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id, number string
		if err := rows.Scan(&id, &number); err != nil {
			rows.Close()
			return err
		}
		if m := byID[id]; m != nil {
			m.Cases = append(m.Cases, number)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = t.query(ctx, `SELECT r.measure_id, r.year, r.effective, r.motivation, r.adjustment,
		COALESCE(r.reviewed_by_id, ''), r.reviewed_by, r.reviewed_on
		FROM measure_reviews r JOIN measures m ON m.id = r.measure_id WHERE `+where, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id string
			r  MeasureReview
		)
		if err := rows.Scan(&id, &r.Year, &r.Effective, &r.Motivation, &r.Adjustment, &r.ReviewedBy.UserID,
			&r.ReviewedBy.Name, dateColumn{&r.ReviewedOn}); err != nil {
			return err
		}
		if m := byID[id]; m != nil {
			m.Reviews = append(m.Reviews, r)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	// Sorted here, not by ORDER BY: the engines collate text differently.
	for _, m := range ms {
		slices.Sort(m.Cases)
		slices.SortFunc(m.Reviews, func(a, b MeasureReview) int { return a.Year - b.Year })
	}
	return nil
}

// checkWho validates a person recorded on a measure.
func checkWho(field string, w Who) error {
	if strings.TrimSpace(w.Name) == "" {
		return apperr.Field(field+".name", "missing; name the person")
	}
	return nil
}

// checkMember refuses a user account that is not a member of the
// organisation: a measure names only the organisation's own people by
// account (anyone else by name only).
func checkMember(ctx context.Context, t *tx, orgID, field string, w Who) error {
	if w.UserID == "" {
		return nil
	}
	roles, err := rolesOf(ctx, t, orgID, w.UserID)
	if err != nil {
		return err
	}
	if len(roles) == 0 {
		return apperr.Field(field, "user %q is not a member of the organisation", w.UserID)
	}
	return nil
}

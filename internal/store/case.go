package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
)

// Projection is what the screens need of a case without folding its events.
// The caller computes it from the events (complaint.Apply) and hands it to
// CreateCase and UpdateCase, which store it with the events.
type Projection struct {
	// State is the case's state, as complaint names it.
	State string
	// HandlerID is the user handling the case, "" when unassigned.
	HandlerID string
	// ReceivedOn is the date the complaint was received.
	ReceivedOn calendar.Date
	// NextDeadline is the earliest open deadline; the zero date means none.
	NextDeadline calendar.Date
	// NextDeadlineStep names the step NextDeadline is for.
	NextDeadlineStep string
	// Closed reports that the case is finished.
	Closed bool
	// ComplainantName is shown in lists.
	ComplainantName string
	// SearchText is what FindCases searches; the store folds it (FoldText).
	SearchText string
	// Summary is any further JSON the screens want; empty is {}. It comes
	// back equal in meaning, not byte for byte: PostgreSQL keeps it as
	// jsonb.
	Summary json.RawMessage
	// ComplainantInputAt is when the complainant added something (through
	// the portal, by mail) that no staff member has acted on since; zero
	// when nothing waits. The Termijnen screen marks and filters on it.
	ComplainantInputAt time.Time
}

// NewCase is a case to create.
type NewCase struct {
	// Year is the year of the case number, usually that of ReceivedOn.
	Year int
	// IdempotencyKey, when not empty, makes CreateCase safe to repeat: a
	// second call with the same key in the organisation returns the case
	// the first one created.
	IdempotencyKey string
	// Projection is the case's projection after Events.
	Projection Projection
	// Events are the case's first events, at least one. Seq may be left 0
	// and is then numbered from 1.
	Events []complaint.Event
	// Jobs are enqueued with the case, in its transaction (see Enqueue);
	// their CaseID is set to the new case's. A replayed idempotency key
	// enqueues nothing.
	Jobs []Job
}

// CaseRecord is a case as stored: its identity and its projection.
type CaseRecord struct {
	// ID identifies the case across organisations; it never changes.
	ID string
	// OrgID is the organisation the case belongs to.
	OrgID string
	// Number is the case's number in its organisation: YYYY-NNNN.
	Number string
	// Year and SeqInYear are the two parts of Number.
	Year      int
	SeqInYear int
	Projection
	// CreatedAt is the time of the case's first event, UpdatedAt that of
	// its latest: case times follow the events' clock.
	CreatedAt time.Time
	UpdatedAt time.Time
	// Replayed reports that CreateCase found its idempotency key used
	// already and returned the case created then, writing nothing.
	Replayed bool
}

// createAttempts bounds the retries of CreateCase after a unique violation
// (two writers taking the same number, which the chain head lock makes
// all but impossible).
const createAttempts = 5

// CreateCase creates a case in the organisation: it takes the next number
// of in.Year (YYYY-NNNN, per organisation and year), and writes the case,
// its events and its idempotency key together. A repeated idempotency key
// returns the existing case with Replayed set and writes nothing.
func (s *Store) CreateCase(ctx context.Context, orgID string, in NewCase) (CaseRecord, error) {
	if in.Year < 1 || in.Year > 9999 {
		return CaseRecord{}, apperr.New(apperr.Invalid, "year %d is not a year of a case number", in.Year)
	}
	if len(in.Events) == 0 {
		return CaseRecord{}, wrap("create case", errors.New("a case starts with at least one event"))
	}
	evs, err := checkEvents(in.Events, 0)
	if err != nil {
		return CaseRecord{}, wrap("create case", err)
	}
	p, err := checkProjection(in.Projection)
	if err != nil {
		return CaseRecord{}, wrap("create case", err)
	}
	for attempt := 1; ; attempt++ {
		var rec CaseRecord
		err := s.write(ctx, func(t *tx) error {
			var err error
			rec, err = createCase(ctx, t, orgID, in.Year, in.IdempotencyKey, p, evs)
			if err != nil || rec.Replayed {
				return err
			}
			for _, j := range in.Jobs {
				j.CaseID = rec.ID
				if _, err := enqueue(ctx, t, orgID, j); err != nil {
					return err
				}
			}
			return nil
		})
		if isUniqueViolation(err) {
			if attempt < createAttempts {
				continue
			}
			return CaseRecord{}, apperr.New(apperr.Conflict, "could not number the case after %d attempts; try again", attempt)
		}
		if err != nil {
			return CaseRecord{}, wrap("create case", err)
		}
		return rec, nil
	}
}

func createCase(ctx context.Context, t *tx, orgID string, year int, key string, p Projection, evs []complaint.Event) (CaseRecord, error) {
	// The head lock comes first: it orders this transaction after any
	// other of the organisation, so the key lookup and MAX below see what
	// those committed.
	head, err := lockHead(ctx, t, orgID)
	if err != nil {
		return CaseRecord{}, err
	}
	if key != "" {
		var caseID string
		err := t.queryRow(ctx, `SELECT case_id FROM idempotency_keys WHERE org_id = ? AND key = ?`, orgID, key).Scan(&caseID)
		switch {
		case err == nil:
			rec, err := caseByID(ctx, t, orgID, caseID)
			rec.Replayed = true
			return rec, err
		case !errors.Is(err, sql.ErrNoRows):
			return CaseRecord{}, err
		}
	}
	rec := CaseRecord{
		ID:         newID(),
		OrgID:      orgID,
		Year:       year,
		Projection: p,
		CreatedAt:  evs[0].At,
		UpdatedAt:  evs[len(evs)-1].At,
	}
	if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq_in_year), 0) + 1 FROM cases WHERE org_id = ? AND year = ?`,
		orgID, year).Scan(&rec.SeqInYear); err != nil {
		return CaseRecord{}, err
	}
	rec.Number = fmt.Sprintf("%04d-%04d", year, rec.SeqInYear)
	_, err = t.exec(ctx, `INSERT INTO cases
		(id, org_id, number, year, seq_in_year, state, handler_id, received_on, next_deadline, next_deadline_step,
		 closed, complainant_name, search_text, summary, created_at, updated_at, complainant_input_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		rec.ID, orgID, rec.Number, rec.Year, rec.SeqInYear, p.State, nullString(p.HandlerID), dateArg(p.ReceivedOn),
		dateArg(p.NextDeadline), p.NextDeadlineStep, p.Closed, p.ComplainantName, p.SearchText, string(p.Summary),
		t.d.timeArg(rec.CreatedAt), t.d.timeArg(rec.UpdatedAt), t.d.nullTimeArg(p.ComplainantInputAt))
	if err != nil {
		return CaseRecord{}, err
	}
	if err := appendEvents(ctx, t, &head, rec.ID, evs); err != nil {
		return CaseRecord{}, err
	}
	if key != "" {
		if _, err := t.exec(ctx, `INSERT INTO idempotency_keys (org_id, key, case_id, created_at) VALUES (?, ?, ?, ?)`,
			orgID, key, rec.ID, t.d.timeArg(rec.CreatedAt)); err != nil {
			return CaseRecord{}, err
		}
	}
	return rec, saveHead(ctx, t, head)
}

// GetCase returns a case of the organisation with its events.
func (s *Store) GetCase(ctx context.Context, orgID, number string) (CaseRecord, []complaint.Event, error) {
	var (
		rec CaseRecord
		evs []complaint.Event
	)
	err := s.read(ctx, func(t *tx) error {
		var err error
		if rec, err = caseByNumber(ctx, t, orgID, number, false); err != nil {
			return err
		}
		evs, err = caseEvents(ctx, t, rec.ID)
		return err
	})
	if err != nil {
		return CaseRecord{}, nil, wrap("get case "+number, err)
	}
	return rec, evs, nil
}

// checkProjection validates p and returns it as stored: search text
// folded, an empty summary as {}. Like events, a projection is made by the
// calling code, so its faults are internal errors.
func checkProjection(p Projection) (Projection, error) {
	if p.State == "" {
		return p, errors.New("the case projection has no state")
	}
	if p.ReceivedOn.IsZero() {
		return p, errors.New("the case projection has no date of receipt")
	}
	if len(p.Summary) == 0 {
		p.Summary = json.RawMessage(`{}`)
	}
	if !json.Valid(p.Summary) {
		return p, errors.New("the case summary is not valid JSON")
	}
	p.SearchText = FoldText(p.SearchText)
	return p, nil
}

// caseColumns are the columns scanCase reads, in its order.
const caseColumns = `id, org_id, number, year, seq_in_year, state, COALESCE(handler_id, ''), received_on, next_deadline,
	next_deadline_step, closed, complainant_name, search_text, summary, created_at, updated_at, complainant_input_at`

// scanCase reads a row of caseColumns.
func scanCase(row scanner) (CaseRecord, error) {
	var (
		r       CaseRecord
		summary []byte
	)
	err := row.Scan(&r.ID, &r.OrgID, &r.Number, &r.Year, &r.SeqInYear, &r.State, &r.HandlerID,
		dateColumn{&r.ReceivedOn}, dateColumn{&r.NextDeadline}, &r.NextDeadlineStep, &r.Closed, &r.ComplainantName,
		&r.SearchText, &summary, timeColumn{&r.CreatedAt}, timeColumn{&r.UpdatedAt}, timeColumn{&r.ComplainantInputAt})
	r.Summary = json.RawMessage(summary)
	return r, err
}

// caseByNumber returns the case numbered number in the organisation,
// locking it for the transaction when lock is set.
func caseByNumber(ctx context.Context, t *tx, orgID, number string, lock bool) (CaseRecord, error) {
	q := `SELECT ` + caseColumns + ` FROM cases WHERE org_id = ? AND number = ?`
	if lock {
		q += t.d.forUpdate()
	}
	rec, err := scanCase(t.queryRow(ctx, q, orgID, number))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, apperr.New(apperr.NotFound, "case %s does not exist", number)
	}
	return rec, err
}

// caseByID returns the case with the id in the organisation.
func caseByID(ctx context.Context, t *tx, orgID, id string) (CaseRecord, error) {
	rec, err := scanCase(t.queryRow(ctx, `SELECT `+caseColumns+` FROM cases WHERE org_id = ? AND id = ?`, orgID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return rec, apperr.New(apperr.NotFound, "case %s does not exist", id)
	}
	return rec, err
}

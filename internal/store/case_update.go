package store

import (
	"context"
	"errors"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// UpdateCase changes a case in one transaction: it locks the case, loads
// its events, calls fn with them, appends the events fn returns (their Seq
// continuing the case's, or 0 to have them numbered) and stores the
// projection fn returns. An error of fn rolls everything back and is
// returned unchanged.
func (s *Store) UpdateCase(ctx context.Context, orgID, number string,
	fn func(history []complaint.Event) ([]complaint.Event, Projection, error)) (CaseRecord, error) {
	return s.UpdateCaseWithJobs(ctx, orgID, number, func(history []complaint.Event) ([]complaint.Event, Projection, []Job, error) {
		added, p, err := fn(history)
		return added, p, nil, err
	})
}

// UpdateCaseWithJobs is UpdateCase whose fn also returns jobs: they are
// enqueued (see Enqueue) in the same transaction as the events, so a job
// exists exactly when the change that causes it was committed. A job's
// CaseID is set to the case's.
func (s *Store) UpdateCaseWithJobs(ctx context.Context, orgID, number string,
	fn func(history []complaint.Event) ([]complaint.Event, Projection, []Job, error)) (CaseRecord, error) {
	return s.changeCase(ctx, orgID, number, func(_ *tx, _ CaseRecord, history []complaint.Event) (caseChange, error) {
		added, p, jobs, err := fn(history)
		return caseChange{events: added, projection: &p, jobs: jobs}, err
	})
}

// caseChange is what a change of a case writes.
type caseChange struct {
	events []complaint.Event
	// projection is the case's projection after events; nil keeps the
	// stored one, which only a change without events may do.
	projection *Projection
	jobs       []Job
}

// errNoProjection: a change that appends events must store the projection
// after them.
var errNoProjection = errors.New("a change of a case that appends events must give the projection after them")

// changeCase is the transaction of UpdateCaseWithJobs, for the store's own
// methods that write rows of their own (letters) beside the case's events:
// fn gets the transaction and the locked case.
func (s *Store) changeCase(ctx context.Context, orgID, number string,
	fn func(t *tx, rec CaseRecord, history []complaint.Event) (caseChange, error)) (CaseRecord, error) {
	var rec CaseRecord
	var fnErr error
	err := s.write(ctx, func(t *tx) error {
		var err error
		rec, err = caseByNumber(ctx, t, orgID, number, true)
		if err != nil {
			return err
		}
		history, err := caseEvents(ctx, t, rec.ID)
		if err != nil {
			return err
		}
		ch, err := fn(t, rec, history)
		if err != nil {
			fnErr = err
			return err
		}
		if n := len(history); n > 0 && history[n-1].Type == complaint.EvCaseErased && len(ch.events) > 0 {
			// case_erased is a case's last event: what an erasure
			// removed must not come back in a new one.
			return apperr.New(apperr.Conflict, "case %s was erased; it takes no more events", number).WithReason("erased")
		}
		added, err := checkEvents(ch.events, len(history))
		if err != nil {
			return err
		}
		if ch.projection == nil {
			if len(added) > 0 {
				return errNoProjection
			}
		} else if rec.Projection, err = checkProjection(*ch.projection); err != nil {
			return err
		}
		if len(added) > 0 {
			head, err := lockHead(ctx, t, orgID)
			if err != nil {
				return err
			}
			if err := appendEvents(ctx, t, &head, rec.ID, added); err != nil {
				return err
			}
			if err := saveHead(ctx, t, head); err != nil {
				return err
			}
			rec.UpdatedAt = added[len(added)-1].At
		}
		for _, j := range ch.jobs {
			if j.CaseID == "" {
				j.CaseID = rec.ID
			}
			if _, err := enqueue(ctx, t, orgID, j); err != nil {
				return err
			}
		}
		if ch.projection == nil {
			return nil
		}
		_, err = t.exec(ctx, `UPDATE cases SET state = ?, handler_id = ?, received_on = ?, next_deadline = ?,
			next_deadline_step = ?, closed = ?, complainant_name = ?, search_text = ?, summary = ?, updated_at = ?,
			complainant_input_at = ?
			WHERE id = ?`,
			rec.State, nullString(rec.HandlerID), dateArg(rec.ReceivedOn), dateArg(rec.NextDeadline), rec.NextDeadlineStep,
			rec.Closed, rec.ComplainantName, rec.SearchText, string(rec.Summary), t.d.timeArg(rec.UpdatedAt),
			t.d.nullTimeArg(rec.ComplainantInputAt), rec.ID)
		if err != nil {
			return err
		}
		if rec.State == StateArchived {
			// An archived case is out of the complainant's reach: its
			// portal links end in the archiving transaction.
			return revokePortalLinks(ctx, t, orgID, rec.ID)
		}
		return nil
	})
	switch {
	case fnErr != nil:
		return CaseRecord{}, fnErr
	case err != nil:
		return CaseRecord{}, wrap("update case "+number, err)
	}
	return rec, nil
}

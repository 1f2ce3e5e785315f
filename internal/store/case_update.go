package store

import (
	"context"

	"github.com/gegrond/gegrond/internal/complaint"
)

// UpdateCase changes a case in one transaction: it locks the case, loads
// its events, calls fn with them, appends the events fn returns (their Seq
// continuing the case's, or 0 to have them numbered) and stores the
// projection fn returns. An error of fn rolls everything back and is
// returned unchanged.
func (s *Store) UpdateCase(ctx context.Context, orgID, number string,
	fn func(history []complaint.Event) ([]complaint.Event, Projection, error)) (CaseRecord, error) {
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
		added, p, err := fn(history)
		if err != nil {
			fnErr = err
			return err
		}
		if added, err = checkEvents(added, len(history)); err != nil {
			return err
		}
		if rec.Projection, err = checkProjection(p); err != nil {
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
		_, err = t.exec(ctx, `UPDATE cases SET state = ?, handler_id = ?, received_on = ?, next_deadline = ?,
			next_deadline_step = ?, closed = ?, complainant_name = ?, search_text = ?, summary = ?, updated_at = ?
			WHERE id = ?`,
			rec.State, nullString(rec.HandlerID), dateArg(rec.ReceivedOn), dateArg(rec.NextDeadline), rec.NextDeadlineStep,
			rec.Closed, rec.ComplainantName, rec.SearchText, string(rec.Summary), t.d.timeArg(rec.UpdatedAt), rec.ID)
		return err
	})
	switch {
	case fnErr != nil:
		return CaseRecord{}, fnErr
	case err != nil:
		return CaseRecord{}, wrap("update case "+number, err)
	}
	return rec, nil
}

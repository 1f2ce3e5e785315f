package store

import (
	"context"
	"encoding/json"

	"github.com/gegrond/gegrond/internal/apperr"
)

// EraseEventPayload replaces the payload of event seq of a case with
// redacted and marks it erased, for retention or a request to erase
// personal data. The event keeps its digest and hash, so the chain still
// verifies; the original payload cannot be recovered, nor confirmed by
// guessing (the digest is salted).
func (s *Store) EraseEventPayload(ctx context.Context, orgID, caseID string, seq int, redacted json.RawMessage) error {
	if len(redacted) == 0 {
		redacted = json.RawMessage(`{}`)
	}
	if !json.Valid(redacted) {
		return apperr.New(apperr.Invalid, "the redacted payload is not valid JSON")
	}
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE events SET payload = ?, erased = TRUE WHERE org_id = ? AND case_id = ? AND seq = ?`,
			string(redacted), orgID, caseID, seq)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "case %s has no event %d", caseID, seq)
		}
		return err
	})
	return wrap("erase event payload", err)
}

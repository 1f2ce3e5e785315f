package store

import (
	"context"
	"database/sql"
	"errors"
)

// BlobReferenced reports whether any row refers to the evidence file id:
// an e-mail attachment kept in the document store, or an event of a case
// that was not erased (a document added: the web form's and the portal's
// uploads, an opened archive) whose payload names it. The document store's
// sweep asks it before removing a file, which so also removes what an
// erasure could not delete after its commit. A file id is 32 random hex
// digits (no LIKE wildcard), so a match in a payload's text is the file.
func (s *Store) BlobReferenced(ctx context.Context, id string) (bool, error) {
	var one int
	err := s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT 1 FROM inbound_attachments WHERE blob_id = ?
			UNION ALL SELECT 1 FROM events WHERE NOT erased AND CAST(payload AS TEXT) LIKE ?
			LIMIT 1`, id, "%"+id+"%").Scan(&one)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, wrap("find references to an evidence file", err)
	}
	return true, nil
}

package store

import (
	"context"
	"encoding/json"
)

// ReferencedBlobs returns the ids of the evidence files some row still
// refers to: an e-mail attachment kept in the document store, or a
// document of a case (document_added: the web form's and the portal's
// uploads, an opened archive) whose event was not erased. The document
// store's sweep removes the old files outside this set: what a crash
// between writing a file and committing its row left, and what an erasure
// could not delete after its commit. One read for the whole sweep, not a
// search of every event per file.
func (s *Store) ReferencedBlobs(ctx context.Context) (map[string]bool, error) {
	ids := map[string]bool{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT blob_id FROM inbound_attachments WHERE blob_id IS NOT NULL`)
		if err != nil {
			return err
		}
		blobs, err := collect(rows, func(r scanner) (string, error) {
			var id string
			return id, r.Scan(&id)
		})
		if err != nil {
			return err
		}
		for _, id := range blobs {
			ids[id] = true
		}
		rows, err = t.query(ctx, `SELECT payload FROM events WHERE type = 'document_added' AND NOT erased`)
		if err != nil {
			return err
		}
		payloads, err := collect(rows, func(r scanner) ([]byte, error) {
			var p []byte
			return p, r.Scan(&p)
		})
		if err != nil {
			return err
		}
		for _, p := range payloads {
			var d struct {
				DocumentID string `json:"document_id"`
			}
			if json.Unmarshal(p, &d) == nil && d.DocumentID != "" {
				ids[d.DocumentID] = true
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("find the referenced evidence files", err)
	}
	return ids, nil
}

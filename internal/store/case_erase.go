package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/gegrond/gegrond/internal/complaint"
)

// Erasure is what EraseCase writes, decided by its caller from the case's
// history.
type Erasure struct {
	// Redacted holds the new payload of every event of the history, in
	// order (complaint.Redact).
	Redacted []json.RawMessage
	// Event is the case_erased event appended after them.
	Event complaint.Event
	// Projection is the case's projection after the erasure, computed
	// from the redacted history: no name, no search text.
	Projection Projection
	// InboundIDs are inbound messages the case refers to (a message it
	// was made from, replies); those attached to the case (case_id) are
	// erased whether listed or not.
	InboundIDs []string
}

// ErasedCase is the outcome of EraseCase.
type ErasedCase struct {
	Record CaseRecord
	// Blobs are the encrypted files of the case's e-mail attachments that
	// the erasure no longer references: the caller deletes them from the
	// document store after the commit (a crash in between leaves orphans
	// that Sweep, asked with ReferencedBlobs, removes).
	Blobs []string
}

// EraseCase erases the personal data of a case in one transaction: the
// payload of every event is replaced by its redaction and marked erased
// (the only change the append-only triggers allow; digests and hashes
// stay, so the chain verifies), the case_erased event is appended to the
// chain, the projection loses name and search text, the case's letters
// lose their content (text, HTML, PDF, recipient, subject, letterhead),
// its inbound messages their raw bytes, body, sender and subject, their
// attachments name and file, and queued jobs of the case (reminders,
// letters still to send) are removed. fn decides the erasure from the
// locked case and its history; its error rolls everything back and is
// returned unchanged. Either all of it happens or nothing does.
func (s *Store) EraseCase(ctx context.Context, orgID, number string,
	fn func(rec CaseRecord, history []complaint.Event) (Erasure, error)) (ErasedCase, error) {
	var out ErasedCase
	rec, err := s.changeCase(ctx, orgID, number, func(t *tx, rec CaseRecord, history []complaint.Event) (caseChange, error) {
		er, err := fn(rec, history)
		if err != nil {
			return caseChange{}, err
		}
		if len(er.Redacted) != len(history) {
			return caseChange{}, fmt.Errorf("erase case %s: %d redacted payloads for %d events", number, len(er.Redacted), len(history))
		}
		if er.Event.Type != complaint.EvCaseErased {
			return caseChange{}, fmt.Errorf("erase case %s: the erasure is recorded by a %s event, got %q", number, complaint.EvCaseErased, er.Event.Type)
		}
		for i, e := range history {
			p := er.Redacted[i]
			if !json.Valid(p) {
				return caseChange{}, fmt.Errorf("erase case %s: the redacted payload of event %d is not valid JSON", number, e.Seq)
			}
			if _, err := t.exec(ctx, `UPDATE events SET payload = ?, erased = TRUE WHERE org_id = ? AND case_id = ? AND seq = ?`,
				string(p), orgID, rec.ID, e.Seq); err != nil {
				return caseChange{}, fmt.Errorf("erase event %d: %w", e.Seq, err)
			}
		}
		if _, err := t.exec(ctx, `UPDATE letters SET recipient = '{}', subject = '', text = '', html = '', pdf = ?,
			letterhead = '{}', error = '' WHERE org_id = ? AND case_id = ?`, []byte{}, orgID, rec.ID); err != nil {
			return caseChange{}, fmt.Errorf("erase letters: %w", err)
		}
		if out.Blobs, err = eraseInbound(ctx, t, orgID, rec.ID, er.InboundIDs); err != nil {
			return caseChange{}, err
		}
		if _, err := t.exec(ctx, `DELETE FROM jobs WHERE org_id = ? AND case_id = ? AND state = 'queued'`, orgID, rec.ID); err != nil {
			return caseChange{}, fmt.Errorf("erase queued jobs: %w", err)
		}
		return caseChange{events: []complaint.Event{er.Event}, projection: &er.Projection}, nil
	})
	if err != nil {
		return ErasedCase{}, err
	}
	out.Record = rec
	return out, nil
}

// eraseInbound empties the case's inbound messages and their attachments
// and returns the blob ids of the attachments that were stored encrypted.
// The Message-ID stays: it keeps a mailbox that still holds the message
// from bringing it in again.
func eraseInbound(ctx context.Context, t *tx, orgID, caseID string, ids []string) ([]string, error) {
	where := `org_id = ? AND (case_id = ?`
	args := []any{orgID, caseID}
	for _, id := range ids {
		where += ` OR id = ?`
		args = append(args, id)
	}
	where += `)`
	rows, err := t.query(ctx, `SELECT a.blob_id FROM inbound_attachments a WHERE a.blob_id IS NOT NULL
		AND a.inbound_id IN (SELECT id FROM inbound_messages WHERE `+where+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("erase inbound attachments: %w", err)
	}
	var blobs []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, err
		}
		blobs = append(blobs, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if _, err := t.exec(ctx, `UPDATE inbound_attachments SET name = '', blob_id = NULL, quarantine_reason = ''
		WHERE inbound_id IN (SELECT id FROM inbound_messages WHERE `+where+`)`, args...); err != nil {
		return nil, fmt.Errorf("erase inbound attachments: %w", err)
	}
	if _, err := t.exec(ctx, `UPDATE inbound_messages SET raw = ?, text = '', html = '', subject = '', from_name = '',
		from_addr = '', triage_reason = '', parse_problem = '' WHERE `+where, append([]any{[]byte{}}, args...)...); err != nil {
		return nil, fmt.Errorf("erase inbound messages: %w", err)
	}
	return blobs, nil
}

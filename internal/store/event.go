package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// chainHead is an organisation's last event: where the next one links on.
type chainHead struct {
	orgID  string
	orgSeq int64
	hash   string
}

// lockHead reads and, on PostgreSQL, locks the organisation's chain head
// for the rest of the transaction. Every transaction that appends events
// takes this lock, so an organisation's events are appended one
// transaction at a time; it also serialises case numbering.
func lockHead(ctx context.Context, t *tx, orgID string) (chainHead, error) {
	h := chainHead{orgID: orgID}
	err := t.queryRow(ctx, `SELECT last_event_seq, last_hash FROM organisations WHERE id = ?`+t.d.forUpdate(), orgID).
		Scan(&h.orgSeq, &h.hash)
	if errors.Is(err, sql.ErrNoRows) {
		return h, apperr.New(apperr.NotFound, "organisation %q does not exist", orgID)
	}
	return h, err
}

// saveHead stores the head after appending.
func saveHead(ctx context.Context, t *tx, h chainHead) error {
	_, err := t.exec(ctx, `UPDATE organisations SET last_event_seq = ?, last_hash = ? WHERE id = ?`, h.orgSeq, h.hash, h.orgID)
	return err
}

// checkEvents validates events to be appended after the case's event
// number last and fills in what the store decides: Seq (when 0), the time
// truncated to microseconds (PostgreSQL keeps no more, and the hash must
// survive the round trip) and an empty payload as {}.
//
// Events are made by the calling code, not typed by a person: a malformed
// one is a bug there, so the errors are internal (logged, "Internal
// error." to the person), not Invalid.
func checkEvents(evs []complaint.Event, last int) ([]complaint.Event, error) {
	out := make([]complaint.Event, len(evs))
	for i, e := range evs {
		want := last + i + 1
		switch {
		case e.Seq != 0 && e.Seq != want:
			return nil, fmt.Errorf("event %q carries sequence number %d, but it is event %d of the case", e.Type, e.Seq, want)
		case e.Type == "":
			return nil, fmt.Errorf("event %d of the case has no type", want)
		case e.At.IsZero():
			return nil, fmt.Errorf("event %d of the case (%s) has no time", want, e.Type)
		}
		e.Seq = want
		e.At = e.At.UTC().Truncate(time.Microsecond)
		if len(e.Payload) == 0 {
			e.Payload = json.RawMessage(`{}`)
		}
		if !json.Valid(e.Payload) {
			return nil, fmt.Errorf("event %d of the case (%s) has a payload that is not valid JSON", want, e.Type)
		}
		out[i] = e
	}
	return out, nil
}

// appendEvents writes checked events of a case, chained on h, and moves h
// to the last one. The caller saves h.
func appendEvents(ctx context.Context, t *tx, h *chainHead, caseID string, evs []complaint.Event) error {
	for _, e := range evs {
		actor, err := json.Marshal(e.Actor)
		if err != nil {
			return err
		}
		salt := newSalt()
		l := link{
			orgID:         h.orgID,
			caseID:        caseID,
			seq:           e.Seq,
			orgSeq:        h.orgSeq + 1,
			typ:           string(e.Type),
			actor:         actor,
			at:            e.At,
			payloadDigest: payloadDigest(salt, e.Payload),
			prevHash:      h.hash,
		}
		sum := l.hash()
		_, err = t.exec(ctx, `INSERT INTO events
			(org_id, case_id, seq, org_seq, type, payload, payload_salt, payload_digest, erased, actor, at, prev_hash, hash)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?)`,
			l.orgID, l.caseID, l.seq, l.orgSeq, l.typ, string(e.Payload), hex.EncodeToString(salt), l.payloadDigest,
			string(actor), t.d.timeArg(l.at), l.prevHash, sum)
		if err != nil {
			return fmt.Errorf("append event %d of case %s: %w", e.Seq, caseID, err)
		}
		h.orgSeq, h.hash = l.orgSeq, sum
	}
	return nil
}

// caseEvents returns the events of a case in order.
func caseEvents(ctx context.Context, t *tx, caseID string) ([]complaint.Event, error) {
	rows, err := t.query(ctx, `SELECT seq, type, actor, at, payload FROM events WHERE case_id = ? ORDER BY seq`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var evs []complaint.Event
	for rows.Next() {
		var (
			e       complaint.Event
			actor   []byte
			payload []byte
		)
		if err := rows.Scan(&e.Seq, &e.Type, &actor, timeColumn{&e.At}, &payload); err != nil {
			return nil, err
		}
		if err := json.Unmarshal(actor, &e.Actor); err != nil {
			return nil, fmt.Errorf("event %d of case %s: actor: %w", e.Seq, caseID, err)
		}
		e.Payload = json.RawMessage(payload)
		evs = append(evs, e)
	}
	return evs, rows.Err()
}

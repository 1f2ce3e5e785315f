package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
)

// historyCaseColumns are the case columns CaseHistories reads after the
// case's id, in the order it scans them.
var historyCaseColumns = []string{"c.org_id", "c.number", "c.year", "c.seq_in_year", "c.state", "c.handler_id",
	"c.received_on", "c.next_deadline", "c.next_deadline_step", "c.closed", "c.complainant_name", "c.search_text",
	"c.summary", "c.created_at", "c.updated_at"}

// historyQuery is the one query of CaseHistories: one row per event (one
// with NULL events for a case without any, which CreateCase never makes),
// the cases in order of receipt and then of number, each case's events in
// order. Every row carries the case's id; the other case columns come on
// its first row only and are NULL after it, so that a case of ten events
// is not read, sent and scanned ten times over.
//
// SQLite runs it as a nested loop over the cases_received index and the
// events' primary key, in order, without a sort. PostgreSQL chooses by the
// size of the period: for a year of 100,000 cases a (parallel) nested loop
// over the same indexes with a sort of each case's few events; for a
// small period a hash join and one sort.
func historyQuery() string {
	var q strings.Builder
	q.WriteString(`SELECT c.id`)
	for _, col := range historyCaseColumns {
		q.WriteString(`, CASE WHEN e.seq IS NULL OR e.seq = 1 THEN ` + col + ` END`)
	}
	q.WriteString(`, e.seq, e.type, e.actor, e.at, e.payload FROM cases c LEFT JOIN events e ON e.case_id = c.id
		WHERE c.org_id = ? AND c.received_on >= ? AND c.received_on <= ?
		ORDER BY c.received_on, c.year, c.seq_in_year, e.seq`)
	return q.String()
}

// CaseHistories calls fn for every case of the organisation received in
// [from, to] (both included), in order of receipt and then of number, with
// the case's events in order. It is one query on one snapshot, read as a
// stream: one case is in memory at a time, however long the period. An
// error of fn stops the stream and is returned unchanged.
//
// fn runs inside the read: it must not call the Store (on an in-memory
// SQLite database the reader is the writer's only connection). It may keep
// the record and the events: each call gets its own.
//
// The register and the yearly report fold these histories themselves
// (complaint.Fold), so their figures agree with the case files.
func (s *Store) CaseHistories(ctx context.Context, orgID string, from, to calendar.Date,
	fn func(rec CaseRecord, events []complaint.Event) error) error {
	if from.IsZero() || to.IsZero() {
		return apperr.New(apperr.Invalid, "a period needs a first and a last date")
	}
	if to.Before(from) {
		return apperr.New(apperr.Invalid, "the period ends (%s) before it begins (%s)", to, from)
	}
	var fnErr error
	err := s.read(ctx, func(t *tx) error {
		if t.d.engine == enginePostgres {
			// The estimated cost of a year makes PostgreSQL compile the
			// query (JIT), which took a second longer than it saved for
			// 20,000 cases. The setting ends with this transaction.
			if _, err := t.exec(ctx, `SET LOCAL jit = off`); err != nil {
				return err
			}
		}
		rows, err := t.query(ctx, historyQuery(), orgID, dateArg(from), dateArg(to))
		if err != nil {
			return err
		}
		defer rows.Close()
		h := historyReader{actors: map[string]complaint.Actor{}, types: map[string]complaint.EventType{}}
		for rows.Next() {
			newCase, err := h.scan(rows)
			if err != nil {
				return err
			}
			if newCase && h.have {
				if err := fn(h.prev, h.prevEvents); err != nil {
					fnErr = err
					return err
				}
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
		if h.cur.ID != "" {
			if err := fn(h.cur, h.events); err != nil {
				fnErr = err
				return err
			}
		}
		return nil
	})
	if fnErr != nil {
		return fnErr
	}
	return wrap("case histories", err)
}

// historyReader scans the rows of historyQuery into cases.
type historyReader struct {
	cur    CaseRecord
	events []complaint.Event
	// prev is the case finished by the row just scanned, when have.
	prev       CaseRecord
	prevEvents []complaint.Event
	have       bool
	// actors and types intern the few distinct actors and event types of
	// a period: decoding the actor JSON of every event would cost more
	// than reading the row.
	actors map[string]complaint.Actor
	types  map[string]complaint.EventType
}

// scan reads one row. newCase reports that the row starts a case; the
// case before it, if any, is then in prev (have).
func (h *historyReader) scan(rows *sql.Rows) (newCase bool, err error) {
	var (
		id                                              sql.RawBytes
		org, number, state, handler, step, name, search sql.NullString
		year, seqInYear, seq                            sql.NullInt64
		closed                                          sql.NullBool
		rec                                             CaseRecord
		summary                                         []byte
		typ, actor                                      sql.RawBytes
		at                                              time.Time
		payload                                         []byte
	)
	if err := rows.Scan(&id, &org, &number, &year, &seqInYear, &state, &handler, dateColumn{&rec.ReceivedOn},
		dateColumn{&rec.NextDeadline}, &step, &closed, &name, &search, &summary, timeColumn{&rec.CreatedAt},
		timeColumn{&rec.UpdatedAt}, &seq, &typ, &actor, timeColumn{&at}, &payload); err != nil {
		return false, err
	}
	h.have = false
	if string(id) != h.cur.ID {
		if !number.Valid {
			return false, fmt.Errorf("case %s: its first row is not its first event", id)
		}
		if h.cur.ID != "" {
			h.prev, h.prevEvents, h.have = h.cur, h.events, true
		}
		rec.ID, rec.OrgID, rec.Number = string(id), org.String, number.String
		rec.Year, rec.SeqInYear = int(year.Int64), int(seqInYear.Int64)
		rec.State, rec.HandlerID, rec.NextDeadlineStep = state.String, handler.String, step.String
		rec.Closed, rec.ComplainantName, rec.SearchText = closed.Bool, name.String, search.String
		rec.Summary = json.RawMessage(summary)
		h.cur, h.events, newCase = rec, nil, true
	}
	if !seq.Valid {
		return newCase, nil
	}
	e := complaint.Event{Seq: int(seq.Int64), At: at, Payload: json.RawMessage(payload)}
	var ok bool
	if e.Type, ok = h.types[string(typ)]; !ok {
		e.Type = complaint.EventType(typ)
		h.types[string(typ)] = e.Type
	}
	if e.Actor, ok = h.actors[string(actor)]; !ok {
		if err := json.Unmarshal(actor, &e.Actor); err != nil {
			return false, fmt.Errorf("event %d of case %s: actor: %w", e.Seq, h.cur.Number, err)
		}
		h.actors[string(actor)] = e.Actor
	}
	h.events = append(h.events, e)
	return newCase, nil
}

package store

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// BulkInsertHistories inserts whole cases, their events chained as
// appendEvents chains them, in one transaction and many rows per
// statement: the report benchmark needs a year of 100,000 complaints in
// seconds, where CreateCase would take minutes. Cases are numbered per
// year after the organisation's last number.
func (s *Store) BulkInsertHistories(ctx context.Context, orgID string, cases []NewCase) error {
	const (
		caseBatch  = 500  // 16 parameters a row
		eventBatch = 1000 // 13 parameters a row: within SQLite's 32,766 and PostgreSQL's 65,535
	)
	err := s.write(ctx, func(t *tx) error {
		head, err := lockHead(ctx, t, orgID)
		if err != nil {
			return err
		}
		next := map[int]int{}
		var (
			caseRows  strings.Builder
			caseArgs  []any
			nCases    int
			eventRows strings.Builder
			eventArgs []any
			nEvents   int
		)
		flushCases := func() error {
			if nCases == 0 {
				return nil
			}
			_, err := t.exec(ctx, `INSERT INTO cases (id, org_id, number, year, seq_in_year, state, handler_id, received_on,
				next_deadline, next_deadline_step, closed, complainant_name, search_text, summary, created_at, updated_at) VALUES `+
				caseRows.String(), caseArgs...)
			caseRows.Reset()
			caseArgs, nCases = caseArgs[:0], 0
			return err
		}
		flushEvents := func() error {
			if nEvents == 0 {
				return nil
			}
			_, err := t.exec(ctx, `INSERT INTO events (org_id, case_id, seq, org_seq, type, payload, payload_salt,
				payload_digest, erased, actor, at, prev_hash, hash) VALUES `+eventRows.String(), eventArgs...)
			eventRows.Reset()
			eventArgs, nEvents = eventArgs[:0], 0
			return err
		}
		for _, in := range cases {
			p, err := checkProjection(in.Projection)
			if err != nil {
				return err
			}
			evs, err := checkEvents(in.Events, 0)
			if err != nil {
				return err
			}
			seq, ok := next[in.Year]
			if !ok {
				if err := t.queryRow(ctx, `SELECT COALESCE(MAX(seq_in_year), 0) FROM cases WHERE org_id = ? AND year = ?`,
					orgID, in.Year).Scan(&seq); err != nil {
					return err
				}
			}
			seq++
			next[in.Year] = seq
			id := newID()
			if nCases > 0 {
				caseRows.WriteString(", ")
			}
			caseRows.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
			caseArgs = append(caseArgs, id, orgID, fmt.Sprintf("%04d-%04d", in.Year, seq), in.Year, seq, p.State,
				nullString(p.HandlerID), dateArg(p.ReceivedOn), dateArg(p.NextDeadline), p.NextDeadlineStep, p.Closed,
				p.ComplainantName, p.SearchText, string(p.Summary), t.d.timeArg(evs[0].At), t.d.timeArg(evs[len(evs)-1].At))
			if nCases++; nCases == caseBatch {
				if err := flushCases(); err != nil {
					return err
				}
			}
			for _, e := range evs {
				actor, err := json.Marshal(e.Actor)
				if err != nil {
					return err
				}
				salt := newSalt()
				l := link{orgID: orgID, caseID: id, seq: e.Seq, orgSeq: head.orgSeq + 1, typ: string(e.Type), actor: actor,
					at: e.At, payloadDigest: payloadDigest(salt, e.Payload), prevHash: head.hash}
				sum := l.hash()
				if nEvents > 0 {
					eventRows.WriteString(", ")
				}
				eventRows.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, FALSE, ?, ?, ?, ?)")
				eventArgs = append(eventArgs, orgID, id, e.Seq, l.orgSeq, l.typ, string(e.Payload), hex.EncodeToString(salt),
					l.payloadDigest, string(actor), t.d.timeArg(e.At), l.prevHash, sum)
				head.orgSeq, head.hash = l.orgSeq, sum
				if nEvents++; nEvents == eventBatch {
					// The events reference their case: its batch goes first.
					if err := flushCases(); err != nil {
						return err
					}
					if err := flushEvents(); err != nil {
						return err
					}
				}
			}
		}
		if err := flushCases(); err != nil {
			return err
		}
		if err := flushEvents(); err != nil {
			return err
		}
		return saveHead(ctx, t, head)
	})
	if err != nil {
		return err
	}
	return s.ExecRaw(ctx, `ANALYZE`)
}

// ExplainCaseHistories returns the engine's plan of the CaseHistories
// query.
func (s *Store) ExplainCaseHistories(ctx context.Context, orgID, from, to string) (string, error) {
	explain := `EXPLAIN QUERY PLAN `
	if s.d.engine == enginePostgres {
		explain = `EXPLAIN `
	}
	rows, err := s.rdb.QueryContext(ctx, s.d.rebind(explain+historyQuery()), orgID, from, to)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var plan strings.Builder
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return "", err
		}
		fmt.Fprintln(&plan, vals...)
	}
	return plan.String(), rows.Err()
}

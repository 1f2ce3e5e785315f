package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// ExecRaw runs a statement (with ? placeholders) outside the store's
// methods: the tests tamper with the log through it.
func (s *Store) ExecRaw(ctx context.Context, q string, args ...any) error {
	_, err := s.db.ExecContext(ctx, s.d.rebind(q), args...)
	return err
}

// DropAppendOnlyTriggers removes the triggers that keep the log
// append-only, as someone with full rights on the database could.
func (s *Store) DropAppendOnlyTriggers(ctx context.Context) error {
	stmts := []string{`DROP TRIGGER events_no_delete`, `DROP TRIGGER events_erase_only`}
	if s.d.engine == enginePostgres {
		stmts = []string{`DROP TRIGGER events_append_only ON events`}
	}
	for _, q := range stmts {
		if err := s.ExecRaw(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// BulkInsertCases inserts case rows (no events) numbered year-0001 onwards
// in one transaction, many rows per statement, and refreshes the planner's
// statistics: the benchmarks need 100,000 cases in seconds.
func (s *Store) BulkInsertCases(ctx context.Context, orgID string, year int, ps []Projection) error {
	const batch = 500 // 16 parameters a row stays far below PostgreSQL's 65,535
	at := s.d.timeArg(time.Date(year, 1, 1, 9, 0, 0, 0, time.UTC))
	err := s.write(ctx, func(t *tx) error {
		for start := 0; start < len(ps); start += batch {
			end := min(start+batch, len(ps))
			var q strings.Builder
			q.WriteString(`INSERT INTO cases (id, org_id, number, year, seq_in_year, state, handler_id, received_on,
				next_deadline, next_deadline_step, closed, complainant_name, search_text, summary, created_at, updated_at) VALUES `)
			var args []any
			for i := start; i < end; i++ {
				if i > start {
					q.WriteString(", ")
				}
				q.WriteString("(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
				p, err := checkProjection(ps[i])
				if err != nil {
					return err
				}
				args = append(args, newID(), orgID, fmt.Sprintf("%04d-%04d", year, i+1), year, i+1, p.State,
					nullString(p.HandlerID), dateArg(p.ReceivedOn), dateArg(p.NextDeadline), p.NextDeadlineStep, p.Closed,
					p.ComplainantName, p.SearchText, string(p.Summary), at, at)
			}
			if _, err := t.exec(ctx, q.String(), args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return s.ExecRaw(ctx, `ANALYZE`)
}

// ExplainFindCases returns the engine's query plan of FindCases. On
// PostgreSQL it forbids sequential scans first: a table of a few rows is
// read whole, and the test wants to see whether the index can serve.
func (s *Store) ExplainFindCases(ctx context.Context, orgID string, f CaseFilter) (string, error) {
	q, args := findCasesQuery(s.d, orgID, f)
	var plan strings.Builder
	err := s.write(ctx, func(t *tx) error {
		explain := `EXPLAIN QUERY PLAN `
		if s.d.engine == enginePostgres {
			explain = `EXPLAIN `
			if _, err := t.exec(ctx, `SET LOCAL enable_seqscan = off`); err != nil {
				return err
			}
		}
		rows, err := t.query(ctx, explain+q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				return err
			}
			fmt.Fprintln(&plan, vals...)
		}
		return rows.Err()
	})
	return plan.String(), err
}

// SQLitePragma returns the value of a pragma on the writer and on a reader
// connection.
func (s *Store) SQLitePragma(ctx context.Context, name string) ([2]string, error) {
	var got [2]string
	for i, db := range []*sql.DB{s.db, s.rdb} {
		if err := db.QueryRowContext(ctx, `PRAGMA `+name).Scan(&got[i]); err != nil {
			return got, err
		}
	}
	return got, nil
}

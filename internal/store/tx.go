package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// tx is a transaction of one public method. Its helpers rebind ? for the
// engine; now is the store's clock, read once when the transaction began.
type tx struct {
	tx  *sql.Tx
	d   *dialect
	now time.Time
}

func (t *tx) exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, t.d.rebind(q), args...)
}

func (t *tx) queryRow(ctx context.Context, q string, args ...any) *sql.Row {
	return t.tx.QueryRowContext(ctx, t.d.rebind(q), args...)
}

// write runs fn in a read-write transaction and commits it when fn returns
// nil. An error of fn is returned unchanged.
func (s *Store) write(ctx context.Context, fn func(*tx) error) error {
	return s.run(ctx, s.db, nil, fn)
}

// read runs fn in a read-only transaction on one snapshot.
func (s *Store) read(ctx context.Context, fn func(*tx) error) error {
	return s.run(ctx, s.rdb, s.d.readOptions(), fn)
}

func (s *Store) run(ctx context.Context, db *sql.DB, opts *sql.TxOptions, fn func(*tx) error) error {
	sqlTx, err := db.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	t := &tx{tx: sqlTx, d: s.d, now: s.Now().UTC().Truncate(time.Microsecond)}
	if err := fn(t); err != nil {
		_ = sqlTx.Rollback()
		return err
	}
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// scanner is a row being read: *sql.Row or *sql.Rows.
type scanner interface{ Scan(...any) error }

// collect reads every row with scan and closes rows. It returns rows'
// error, or the first error of scan.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// Package store keeps Gegrond's data in SQLite (embedded, the default) or
// PostgreSQL, through one code path: database/sql with a small dialect.
//
// A case is a log of events plus a projection of that log for fast screens;
// both are written in the same transaction. Every event is chained by hash to
// the one before it in its organisation, so that a changed, removed or
// reordered event can be found (VerifyChain). Every method that touches
// organisation data takes the organisation's id: tenancy is enforced here,
// and a case of another organisation is simply not found.
//
// Each public method runs in one transaction (FindCases is one statement;
// UserByToken records a token's use in a second, short one). Errors carry
// an apperr code and a message a person can act on; database failures and
// malformed input from the calling code are plain errors, which apperr
// counts as Internal.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"runtime"
	"strings"
	"time"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
	// Registers the "sqlite" database/sql driver.
	_ "modernc.org/sqlite"
)

// DefaultPath is the SQLite database used when Open is given no DSN.
const DefaultPath = "./gegrond.db"

// Store is a handle on the database. It is safe for concurrent use.
type Store struct {
	// Now is the clock for the few times the store records on its own (a
	// user's or token's creation, a token's last use). Case and event times
	// come from the events the caller passes. Open sets it to time.Now;
	// main may inject another clock before the first call.
	Now func() time.Time

	// db takes the writes. On SQLite it has one connection: SQLite allows
	// one writer at a time, and queueing writers in database/sql is cheaper
	// than letting them fight over the file lock.
	db *sql.DB
	// rdb takes the reads. On SQLite it is a pool of read-only connections
	// that WAL lets run beside the writer; on PostgreSQL it is db.
	rdb *sql.DB
	d   *dialect
}

// Open connects to the database named by dsn and brings its schema up to
// date. An empty dsn is DefaultPath. A dsn starting with postgres:// or
// postgresql:// is a PostgreSQL connection string; anything else is an
// SQLite file path or file: URI.
func Open(ctx context.Context, dsn string) (*Store, error) {
	var (
		s   *Store
		err error
	)
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		s, err = openPostgres(ctx, dsn)
	case dsn == "":
		s, err = openSQLite(ctx, DefaultPath)
	default:
		s, err = openSQLite(ctx, dsn)
	}
	if err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// sqliteParams are the connection settings of every SQLite connection.
// synchronous=FULL: an acknowledged complaint must survive a power loss.
// cache_size: up to 64 MiB of pages per connection, used as the file
// grows; the default 2 MiB makes a screen over 100,000 cases read from
// the file again and again (see BenchmarkFindCasesByDeadline).
const sqliteParams = "_pragma=busy_timeout(10000)&_pragma=cache_size(-65536)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"

func openSQLite(ctx context.Context, dsn string) (*Store, error) {
	sep := "?"
	if strings.Contains(dsn, "?") {
		sep = "&"
	}
	// The writer begins its transactions IMMEDIATE: it takes the write lock
	// at BEGIN, so two processes on one file queue under busy_timeout
	// instead of failing when a reader tries to become a writer.
	db, err := sql.Open("sqlite", dsn+sep+sqliteParams+"&_pragma=journal_mode(WAL)&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", dsn, err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", dsn, err)
	}
	s := &Store{Now: time.Now, db: db, rdb: db, d: &dialect{engine: engineSQLite}}
	if strings.Contains(dsn, ":memory:") || strings.Contains(dsn, "mode=memory") {
		// Each connection would get its own empty in-memory database.
		return s, nil
	}
	rdb, err := sql.Open("sqlite", dsn+sep+sqliteParams+"&_pragma=query_only(1)")
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open %s: %w", dsn, err)
	}
	rdb.SetMaxOpenConns(max(4, runtime.GOMAXPROCS(0)))
	rdb.SetMaxIdleConns(max(4, runtime.GOMAXPROCS(0)))
	s.rdb = rdb
	return s, nil
}

func openPostgres(ctx context.Context, dsn string) (*Store, error) {
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	// Bounded so that a few processes behind a load balancer stay within
	// PostgreSQL's default max_connections (100).
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("store: open PostgreSQL: %w", err)
	}
	return &Store{Now: time.Now, db: db, rdb: db, d: &dialect{engine: enginePostgres}}, nil
}

// Close closes the database.
func (s *Store) Close() error {
	err := s.db.Close()
	if s.rdb != s.db {
		if rerr := s.rdb.Close(); err == nil {
			err = rerr
		}
	}
	return err
}

// Engine returns "sqlite" or "postgres".
func (s *Store) Engine() string { return string(s.d.engine) }

// newID returns a random identifier: 26 characters of base32, 130 bits.
func newID() string { return strings.ToLower(rand.Text()) }

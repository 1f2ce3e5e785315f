package store

import (
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gegrond/gegrond/internal/calendar"
)

// engine names the database behind a Store.
type engine string

const (
	engineSQLite   engine = "sqlite"
	enginePostgres engine = "postgres"
)

// dialect holds what differs between the engines: placeholders, row locks,
// the deadline order, read isolation, how instants are stored and how a
// unique violation looks. The queries themselves are written once, with ?
// placeholders, in SQL both engines read alike; upserts (ON CONFLICT) and
// RETURNING are spelled the same in both and need nothing here.
type dialect struct {
	engine engine
	// rebound caches the $n form of each query for PostgreSQL.
	rebound sync.Map
}

// rebind rewrites ? placeholders as $1, $2, ... for PostgreSQL. A ? inside a
// quoted string or identifier is left alone.
func (d *dialect) rebind(q string) string {
	if d.engine != enginePostgres {
		return q
	}
	if v, ok := d.rebound.Load(q); ok {
		return v.(string)
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	s := b.String()
	d.rebound.Store(q, s)
	return s
}

// forUpdate is the row-lock suffix of a SELECT. SQLite needs none: its
// writer transactions begin IMMEDIATE and so run one at a time.
//
// On PostgreSQL it is FOR NO KEY UPDATE, not FOR UPDATE: we never change a
// locked row's key, and FOR UPDATE also blocks the KEY SHARE lock that a
// foreign-key check takes on the row it refers to. A case change holds its
// case and then waits for the organisation's chain head; an insert that
// refers to both (a job, a portal link) holds KEY SHARE on the
// organisation and waits for the case: with FOR UPDATE the two deadlock
// (TestCaseChangesRaceWithJobsAndLinks).
func (d *dialect) forUpdate() string {
	if d.engine == enginePostgres {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// deadlineOrder is the ORDER BY of the screens: next deadline first, cases
// without one last, then by number. Each form matches its engine's index
// (see the migrations) so that the rows come out of the index in order.
// When the query leaves out the cases without a deadline (nullsPossible
// false), the plain order does, and lets SQLite seek to a date range and
// still read in order.
func (d *dialect) deadlineOrder(nullsPossible bool) string {
	switch {
	case !nullsPossible:
		return "next_deadline, number"
	case d.engine == enginePostgres:
		return "next_deadline NULLS LAST, number"
	default:
		return "next_deadline IS NULL, next_deadline, number"
	}
}

// readOptions are the options of a read-only transaction: PostgreSQL needs
// REPEATABLE READ for a case and its events to come from one snapshot;
// SQLite's read transactions always see one snapshot.
func (d *dialect) readOptions() *sql.TxOptions {
	if d.engine == enginePostgres {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return &sql.TxOptions{ReadOnly: true}
}

// timeLayout is how SQLite stores instants: UTC with a fixed number of
// fraction digits, so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000Z"

// timeArg returns t as a query argument of the engine's timestamp column.
func (d *dialect) timeArg(t time.Time) any {
	t = t.UTC()
	if d.engine == enginePostgres {
		return t
	}
	return t.Format(timeLayout)
}

// nullTimeArg is timeArg, with the zero time as NULL.
func (d *dialect) nullTimeArg(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return d.timeArg(t)
}

// dateArg returns d as a query argument: YYYY-MM-DD, which SQLite stores as
// text and PostgreSQL reads into a date, or NULL for the zero date.
func dateArg(d calendar.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// nullString returns NULL for "".
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isUniqueViolation reports whether err is a unique or primary key
// constraint violation on either engine.
func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

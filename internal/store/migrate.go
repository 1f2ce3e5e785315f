package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// migrationFiles holds the numbered migrations of each engine:
// migrations/<engine>/NNNN_name.sql, applied in number order.
//
//go:embed migrations
var migrationFiles embed.FS

// migrationLock is the PostgreSQL advisory lock key that makes processes
// starting at once apply the migrations one after the other.
const migrationLock int64 = 0x6765_6772_6f6e_64 // "gegrond"

// migration is one numbered SQL file.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the migrations of engine e in version order. Versions
// must run 1, 2, 3, ... without a gap.
func migrations(e engine) ([]migration, error) {
	dir := path.Join("migrations", string(e))
	entries, err := fs.ReadDir(migrationFiles, dir)
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, ent := range entries {
		name := ent.Name()
		num, _, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("store: migration %s/%s: want NNNN_name.sql", dir, name)
		}
		b, err := fs.ReadFile(migrationFiles, path.Join(dir, name))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("store: migration %s/%s: expected version %d", dir, m.name, i+1)
		}
	}
	return ms, nil
}

// migrate applies the migrations the database lacks, all in one
// transaction: a failing migration leaves the schema as it was.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations(s.d.engine)
	if err != nil {
		return err
	}
	err = s.write(ctx, func(t *tx) error {
		if s.d.engine == enginePostgres {
			// Held until the transaction ends. A second process waits here
			// and then finds the migrations applied.
			if _, err := t.exec(ctx, `SELECT pg_advisory_xact_lock(?)`, migrationLock); err != nil {
				return err
			}
		}
		// SQLite: the writer's BEGIN IMMEDIATE already excludes other
		// processes.
		if _, err := t.exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER NOT NULL PRIMARY KEY,
			name    TEXT    NOT NULL,
			applied_at TEXT NOT NULL
		)`); err != nil {
			return err
		}
		applied := map[int]bool{}
		rows, err := t.query(ctx, `SELECT version FROM schema_migrations`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				rows.Close()
				return err
			}
			applied[v] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for v := range applied {
			if v > len(ms) {
				return fmt.Errorf("database schema version %d is newer than this program knows (%d): run a newer gegrond", v, len(ms))
			}
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			// Executed as is, without rebinding: a migration has no
			// parameters and may contain ? or $ of its own.
			if _, err := t.tx.ExecContext(ctx, m.sql); err != nil {
				return fmt.Errorf("%s: %w", m.name, err)
			}
			if _, err := t.exec(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.version, m.name, t.now.Format(timeLayout)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}

package main

import (
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/demo"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// TestAuditVerify fills a database with the demo, checks that every chain
// verifies, then changes one event and removes another with raw SQL
// behind the store's back, and sees audit verify name both.
func TestAuditVerify(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		now := time.Now()
		if _, err := demo.Seed(ctx, service.New(st, func() time.Time { return now }, amsterdam), st, now); err != nil {
			t.Fatal(err)
		}
		orgs, err := st.ListOrganisations(ctx)
		if err != nil || len(orgs) < 2 {
			t.Fatalf("demo organisations %v, %v", orgs, err)
		}

		code, out, errOut := runInProcess(t, map[string]string{"GEGROND_DATABASE": dsn}, "audit", "verify")
		if code != exitOK || strings.Count(out, "chain intact") != len(orgs) {
			t.Fatalf("audit verify of the demo = %d\n%s%s", code, out, errOut)
		}

		changed, removed := orgs[0].ID, orgs[1].ID
		db := rawDB(t, dsn)
		tamper(t, db, dsn, `UPDATE events SET actor = '{"name":"Iemand Anders","kind":"user"}' WHERE org_id = ? AND org_seq = 3`, changed)
		tamper(t, db, dsn, `DELETE FROM events WHERE org_id = ? AND org_seq = 5`, removed)

		code, out, _ = runInProcess(t, nil, "audit", "verify", "--database", dsn)
		if code != exitFailed {
			t.Errorf("audit verify after tampering = %d; want 1", code)
		}
		for _, want := range []string{
			"org " + changed + ": chain broken (changed): event 3 of the organisation (case ",
			"was changed: its content no longer matches its hash",
			"org " + removed + ": chain broken (removed): event 5 of the organisation is missing",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("audit verify output lacks %q:\n%s", want, out)
			}
		}
		if n := strings.Count(out, "chain intact"); n != len(orgs)-2 {
			t.Errorf("%d organisations intact; want %d:\n%s", n, len(orgs)-2, out)
		}

		for _, tc := range []struct {
			org  string
			code int
			want string
		}{
			{orgs[2].ID, exitOK, "org " + orgs[2].ID + ": "},
			{changed, exitFailed, "chain broken"},
			{"nope", exitUsage, `organisation "nope" does not exist`},
		} {
			code, out, errOut := runInProcess(t, nil, "audit", "verify", "--org", tc.org, "--database", dsn)
			if code != tc.code || !strings.Contains(out+errOut, tc.want) || strings.Count(out, "\n") > 1 {
				t.Errorf("audit verify --org %s = %d\n%s%s\nwant exit %d and %q", tc.org, code, out, errOut, tc.code, tc.want)
			}
		}
	})
}

func TestAuditUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"audit"}, {"audit", "fix"}, {"audit", "verify", "extra"}} {
		if code, _, errOut := runInProcess(t, nil, args...); code != exitUsage || !strings.Contains(errOut, "usage: gegrond audit verify") {
			t.Errorf("%v: exit %d %q; want 2 with the usage", args, code, errOut)
		}
	}
}

// rawDB opens the database with database/sql, past the store.
func rawDB(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// tamper runs a statement on the events with the append-only triggers
// out of the way, as someone with full access to the database could.
func tamper(t *testing.T, db *sql.DB, dsn, stmt, orgID string) {
	t.Helper()
	var before []string
	if strings.HasPrefix(dsn, "postgres") {
		before = []string{`ALTER TABLE events DISABLE TRIGGER USER`}
		stmt = strings.Replace(stmt, "?", "$1", 1)
	} else {
		before = []string{`DROP TRIGGER IF EXISTS events_no_delete`, `DROP TRIGGER IF EXISTS events_erase_only`}
	}
	for _, s := range before {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	res, err := db.Exec(stmt, orgID)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		t.Fatalf("%s touched %d rows; want 1", stmt, n)
	}
}

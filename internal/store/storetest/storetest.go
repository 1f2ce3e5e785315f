// Package storetest gives tests a fresh, empty database on each engine the
// store runs on, so that one conformance suite runs on SQLite and on
// PostgreSQL alike.
//
// SQLite is a file in the test's temporary directory. PostgreSQL is a
// database created for the test on the server named by GEGROND_TEST_POSTGRES
// (a postgres:// URL of a user allowed to create databases) or, when that is
// not set, on a throwaway server that the first test needing it starts from
// the system's binaries (/usr/lib/postgresql/*/bin). That server lives in a
// temporary directory, listens on a unix socket there only, and stops when
// the test binary ends: through Main, or, when the binary is killed, because
// the kernel signals it when its parent dies.
//
// Without PostgreSQL binaries the PostgreSQL tests fail, unless
// GEGROND_TEST_SKIP_POSTGRES=1 says to skip them.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	// Registers the "pgx" database/sql driver.
	_ "github.com/jackc/pgx/v5/stdlib"
)

// Engine is a database engine the store runs on.
type Engine struct {
	// Name is "sqlite" or "postgres", used as the subtest's name.
	Name string
	// NewDSN returns the DSN of a fresh, empty database that is dropped
	// when the test ends.
	NewDSN func(tb testing.TB) string
}

// Engines returns the engines, SQLite first.
func Engines() []Engine {
	return []Engine{{Name: "sqlite", NewDSN: SQLite}, {Name: "postgres", NewDSN: Postgres}}
}

// Each runs fn once per engine, as parallel subtests named after the
// engine, each with the DSN of a fresh database.
func Each(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Helper()
	for _, e := range Engines() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			fn(t, e.NewDSN(t))
		})
	}
}

// SQLite returns the path of a new SQLite database file in the test's
// temporary directory.
func SQLite(tb testing.TB) string {
	return tb.TempDir() + "/gegrond.db"
}

// Postgres returns the URL of a new PostgreSQL database, dropped when the
// test ends.
func Postgres(tb testing.TB) string {
	tb.Helper()
	if os.Getenv("GEGROND_TEST_SKIP_POSTGRES") == "1" {
		tb.Skip("PostgreSQL tests skipped: GEGROND_TEST_SKIP_POSTGRES=1")
	}
	srv, err := postgresServer()
	if err != nil {
		tb.Fatalf("PostgreSQL for the tests: %v\n"+
			"Install PostgreSQL (apt-get install -y postgresql), point GEGROND_TEST_POSTGRES at a server, "+
			"or set GEGROND_TEST_SKIP_POSTGRES=1 to skip these tests knowingly.", err)
	}
	name := "gegrond_test_" + strings.ToLower(rand.Text())
	if _, err := srv.admin.Exec(`CREATE DATABASE ` + name); err != nil {
		tb.Fatalf("create test database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := srv.admin.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`); err != nil {
			tb.Errorf("drop test database %s: %v", name, err)
		}
	})
	return srv.dsn(name)
}

// Main runs the tests of a package, then each of after (for other shared
// test servers, such as clamdtest.Stop), then stops the throwaway
// PostgreSQL server, if a test started one. Call it from TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
func Main(m *testing.M, after ...func()) {
	code := m.Run()
	for _, f := range after {
		f()
	}
	if err := stop(); err != nil {
		fmt.Fprintln(os.Stderr, "storetest:", err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// server is a PostgreSQL server the tests create databases on.
type server struct {
	// base is the URL of the server; dsn swaps in a database name.
	base  *url.URL
	admin *sql.DB
	// local is the throwaway server this binary started, if any.
	local *localServer
}

// dsn returns the URL of database name on the server.
func (s *server) dsn(name string) string {
	u := *s.base
	u.Path = "/" + name
	return u.String()
}

var (
	serverOnce sync.Once
	srv        *server
	srvErr     error
)

// postgresServer returns the server of this test binary, starting it the
// first time.
func postgresServer() (*server, error) {
	serverOnce.Do(func() {
		srv, srvErr = connect()
	})
	return srv, srvErr
}

func connect() (*server, error) {
	s := &server{}
	if env := os.Getenv("GEGROND_TEST_POSTGRES"); env != "" {
		u, err := url.Parse(env)
		if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
			return nil, fmt.Errorf("GEGROND_TEST_POSTGRES must be a postgres:// URL")
		}
		s.base = u
	} else {
		local, err := startLocal()
		if err != nil {
			return nil, err
		}
		s.local = local
		s.base = local.url()
	}
	admin, err := sql.Open("pgx", s.dsn("postgres"))
	if err == nil {
		err = admin.Ping()
	}
	if err != nil {
		if s.local != nil {
			s.local.stop()
		}
		return nil, fmt.Errorf("connect to %s: %w", s.dsn("postgres"), err)
	}
	admin.SetMaxIdleConns(2)
	s.admin = admin
	return s, nil
}

// stop closes the admin connection and stops the throwaway server.
func stop() error {
	if srv == nil {
		return nil
	}
	srv.admin.Close()
	if srv.local != nil {
		return srv.local.stop()
	}
	return nil
}

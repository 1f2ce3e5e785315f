package store_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/gegrond/gegrond/internal/store"
)

func TestOpenSQLiteDSNs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct{ name, dsn, file string }{
		{"a plain path", filepath.Join(dir, "plain.db"), "plain.db"},
		{"a file: URI with its own parameters", "file:" + filepath.Join(dir, "uri.db") + "?cache=private", "uri.db"},
		{"an in-memory database", ":memory:", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tt.dsn)
			if b.st.Engine() != "sqlite" {
				t.Fatalf("engine = %s", b.st.Engine())
			}
			if _, err := b.st.GetOrganisation(b.ctx, b.orgA); err != nil {
				t.Fatal(err)
			}
			if tt.file != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
					t.Fatalf("database file: %v", err)
				}
			}
		})
	}
}

// Not parallel: it changes the working directory of the test binary.
func TestOpenWithoutDSNUsesGegrondDBInTheWorkingDirectory(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	st, err := store.Open(t.Context(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := os.Stat(filepath.Join(dir, "gegrond.db")); err != nil {
		t.Fatalf("default database: %v", err)
	}
	// synchronous 2 is FULL; both the writer and the readers run so.
	for pragma, want := range map[string]string{"journal_mode": "wal", "synchronous": "2", "foreign_keys": "1", "busy_timeout": "10000"} {
		got, err := st.SQLitePragma(t.Context(), pragma)
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != want || got[1] != want {
			t.Errorf("PRAGMA %s = %v (writer, reader), want %s", pragma, got, want)
		}
	}
}

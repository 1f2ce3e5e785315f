package main

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// TestDemoSeedSurvivesAKill kills the server while it seeds the demo into
// a new SQLite file: no database is left behind, and the next start makes
// the whole demo.
func TestDemoSeedSurvivesAKill(t *testing.T) {
	t.Parallel()
	dsn := filepath.Join(t.TempDir(), "gegrond.db")
	cmd := exec.Command(binary, "serve", "--addr", "127.0.0.1:0", "--database", dsn)
	cmd.Env = filterEnv(os.Environ(), "GEGROND_")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	// Kill it as soon as the side file holds part of the demo.
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if fi, err := os.Stat(dsn + ".seeding-wal"); err == nil && fi.Size() > 0 {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("the server ended before it was killed (%v): seeding was too quick to catch", err)
		default:
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no demo seeding seen within two minutes")
		}
		time.Sleep(2 * time.Millisecond)
	}
	cmd.Process.Kill()
	<-done
	if _, err := os.Stat(dsn); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a half-seeded database is in place: %v", err)
	}

	presets, err := reglement.Presets()
	if err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, dsn)
	if srv.login == "" || len(srv.tokens) != len(presets) {
		t.Fatalf("the second start did not make the whole demo: login %q, tokens %v\n%s", srv.login, srv.tokens, srv.stderr)
	}
	if code := srv.stop(); code != exitOK {
		t.Fatalf("exit %d\n%s", code, srv.stderr)
	}
	st, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	for _, p := range presets {
		n, err := st.CountCases(context.Background(), p.ID, store.CaseFilter{})
		if err != nil || n == 0 {
			t.Errorf("demo organisation %s has %d cases (%v)", p.ID, n, err)
		}
	}
	if _, err := os.Stat(dsn + ".seeding"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the side file stayed: %v", err)
	}
}

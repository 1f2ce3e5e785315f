package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
)

const auditUsage = "usage: gegrond audit verify [--org ID] [--database FILE|postgres://...]\n"

// runAudit checks the tamper-evident event log: every organisation's
// events against their hash chain. Exit 1 when any chain is broken.
func runAudit(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprint(e.stderr, auditUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var orgID, database string
	fs.StringVar(&orgID, "org", "", "check only this organisation (default: all)")
	databaseFlag(fs, &database, e)
	if err := fs.Parse(args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stderr, auditUsage)
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprint(e.stderr, auditUsage)
		return exitUsage
	}
	st, err := openExisting(ctx, database)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond audit verify: %v\n", err)
		return exitCodeOf(err)
	}
	defer st.Close()

	var orgs []string
	if orgID != "" {
		if _, err := st.GetOrganisation(ctx, orgID); err != nil {
			fmt.Fprintf(e.stderr, "gegrond audit verify: %v\n", err)
			return exitCodeOf(err)
		}
		orgs = []string{orgID}
	} else {
		all, err := st.ListOrganisations(ctx)
		if err != nil {
			fmt.Fprintf(e.stderr, "gegrond audit verify: %v\n", err)
			return exitFailed
		}
		for _, o := range all {
			orgs = append(orgs, o.ID)
		}
		if len(orgs) == 0 {
			fmt.Fprintln(e.stdout, "no organisations: nothing to verify")
		}
	}
	code := exitOK
	for _, id := range orgs {
		rep, err := st.VerifyChain(ctx, id)
		if err != nil {
			fmt.Fprintf(e.stderr, "org %s: could not verify: %v\n", id, err)
			code = exitFailed
			continue
		}
		if rep.Intact {
			fmt.Fprintf(e.stdout, "org %s: %d events, chain intact\n", id, rep.Checked)
			continue
		}
		fmt.Fprintf(e.stdout, "org %s: chain broken (%s): %s\n", id, rep.Kind, rep.Message)
		code = exitFailed
	}
	return code
}

// openExisting opens a database that must exist already: a command that
// only reads or adds to one should not leave an empty new file behind
// after a typing error in its name.
func openExisting(ctx context.Context, dsn string) (*store.Store, error) {
	if path, ok := sqlitePath(dsn); ok {
		if _, err := os.Stat(path); err != nil {
			return nil, apperr.New(apperr.Invalid, "no database at %s (give --database or GEGROND_DATABASE)", path)
		}
	}
	return store.Open(ctx, dsn)
}

// sqlitePath returns the file of an SQLite DSN; ok is false for
// PostgreSQL and in-memory databases.
func sqlitePath(dsn string) (path string, ok bool) {
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"),
		strings.Contains(dsn, ":memory:"), strings.Contains(dsn, "mode=memory"):
		return "", false
	case dsn == "":
		return store.DefaultPath, true
	}
	path = strings.TrimPrefix(dsn, "file:")
	path, _, _ = strings.Cut(path, "?")
	return path, path != ""
}

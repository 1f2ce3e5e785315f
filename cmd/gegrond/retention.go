package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/service"
)

const retentionUsage = `usage: gegrond retention list --org ID --user EMAIL [--database ...]
       gegrond retention erase --org ID --case NUMBER --user EMAIL --reason retention_ended|erasure_request [--note TEXT]
                               [--blob-dir DIR] [--master-key KEY] [--database ...]
`

// runRetention lists the closed cases whose retention period ended, or
// erases one, as the data protection officer or an administrator named
// by --user (the erasure is recorded in their name).
func runRetention(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || (args[0] != "list" && args[0] != "erase") {
		fmt.Fprint(e.stderr, retentionUsage)
		return exitUsage
	}
	sub := args[0]
	fs := flag.NewFlagSet("retention "+sub, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var orgID, email, number, reason, note, database, blobDir, masterKey string
	fs.StringVar(&orgID, "org", "", "organisation id")
	fs.StringVar(&email, "user", "", "e-mail address of the data protection officer or administrator")
	databaseFlag(fs, &database, e)
	if sub == "erase" {
		fs.StringVar(&number, "case", "", "case number, YYYY-NNNN")
		fs.StringVar(&reason, "reason", "", "retention_ended, or erasure_request (AVG art. 17, with --note)")
		fs.StringVar(&note, "note", "", "for an erasure request: when it came in and how it was weighed, without names")
		fs.StringVar(&blobDir, "blob-dir", envOr(e, "GEGROND_BLOB_DIR", ""), "directory of the encrypted evidence files (env GEGROND_BLOB_DIR)")
		fs.StringVar(&masterKey, "master-key", envOr(e, "GEGROND_MASTER_KEY", ""), "base64 master key of the evidence files (env GEGROND_MASTER_KEY)")
	}
	if err := fs.Parse(args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stderr, retentionUsage)
		}
		return exitUsage
	}
	if orgID == "" || email == "" || fs.NArg() > 0 || (sub == "erase" && (number == "" || reason == "")) {
		fmt.Fprintf(e.stderr, "gegrond retention %s: --org and --user are required (erase: also --case and --reason)\n%s", sub, retentionUsage)
		return exitUsage
	}
	fail := func(err error) int {
		fmt.Fprintf(e.stderr, "gegrond retention %s: %v\n", sub, err)
		return exitCodeOf(err)
	}
	st, err := openExisting(ctx, database)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	st.Now = e.now
	loc, err := time.LoadLocation(zone)
	if err != nil {
		return fail(err)
	}
	svc := service.New(st, e.now, loc)
	u, err := st.FindUserByEmail(ctx, email)
	if err != nil {
		return fail(err)
	}
	caller, err := svc.Caller(ctx, orgID, u.ID)
	if err != nil {
		return fail(err)
	}
	if sub == "list" {
		ov, err := svc.Retention(ctx, orgID, caller)
		if err != nil {
			return fail(err)
		}
		printRetention(e.stdout, ov)
		return exitOK
	}

	// The evidence files: with a master key (or the demo's key file
	// beside the database) they are deleted with the case; without, they
	// stay until a sweep finds them unreferenced.
	if masterKey == "" {
		if path, ok := sqlitePath(database); ok {
			if b, err := os.ReadFile(filepath.Join(filepath.Dir(path), "gegrond-master.key")); err == nil {
				masterKey = strings.TrimSpace(string(b))
			}
		}
	}
	if masterKey != "" {
		docs, _, err := documentStore(serveConfig{database: database, noDemo: true, blobDir: blobDir, masterKey: masterKey},
			slog.New(slog.NewTextHandler(io.Discard, nil)))
		if err != nil {
			return fail(err)
		}
		svc.SetDocuments(docs, nil)
	} else {
		fmt.Fprintln(e.stderr, "gegrond retention erase: no --master-key: the case's evidence files stay until a sweep removes them")
	}
	v, err := svc.EraseCase(ctx, orgID, number, caller, reason, note)
	if err != nil {
		return fail(err)
	}
	fmt.Fprintf(e.stdout, "case %s erased on %s (%s, %s)\n", v.Number, v.Case.Erasure.On, v.Case.Erasure.Reason, v.Case.Erasure.Source)
	return exitOK
}

// printRetention writes the retention overview as text.
func printRetention(w io.Writer, ov service.RetentionOverview) {
	if p := ov.Retention.Period; p != nil {
		fmt.Fprintf(w, "retention: %d %s after %s [%s]\n", p.Amount, p.Unit, ov.Retention.Anchor, ov.Retention.Source)
	} else {
		fmt.Fprintf(w, "retention: not set by the regulation [%s]\n", ov.Retention.Source)
	}
	date := func(d *calendar.Date) string {
		if d == nil {
			return "-"
		}
		return d.String()
	}
	for _, c := range ov.Due {
		fmt.Fprintf(w, "due\t%s\tclosed %s\tretention ended %s\n", c.Number, date(c.ClosedOn), date(c.Ends))
	}
	for _, c := range ov.Undetermined {
		fmt.Fprintf(w, "not set\t%s\tclosed %s\n", c.Number, date(c.ClosedOn))
	}
	fmt.Fprintf(w, "%d due, %d without a period, %d still kept, %d erased\n", len(ov.Due), len(ov.Undetermined), ov.Running, ov.Erased)
}

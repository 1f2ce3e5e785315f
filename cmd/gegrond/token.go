package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

const tokenUsage = "usage: gegrond token create --org ID --user EMAIL [--name NAME] [--database FILE|postgres://...]\n"

// runToken makes an API token for a member of an organisation and prints
// it on stdout, alone on its line, so that scripts can take it. The token
// is shown only this once: the store keeps its hash.
func runToken(ctx context.Context, args []string, e env) int {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(e.stderr, tokenUsage)
		return exitUsage
	}
	fs := flag.NewFlagSet("token create", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var orgID, email, name, database string
	fs.StringVar(&orgID, "org", "", "organisation id")
	fs.StringVar(&email, "user", "", "e-mail address of the user")
	fs.StringVar(&name, "name", "", "what the token is for (default: created with gegrond token create on today's date)")
	databaseFlag(fs, &database, e)
	if err := fs.Parse(args[1:]); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stderr, tokenUsage)
		}
		return exitUsage
	}
	if orgID == "" || email == "" || fs.NArg() > 0 {
		fmt.Fprint(e.stderr, "gegrond token create: --org and --user are required\n"+tokenUsage)
		return exitUsage
	}
	if strings.TrimSpace(name) == "" {
		name = "gegrond token create " + e.now().Format(time.DateOnly)
	}
	st, err := openExisting(ctx, database)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond token create: %v\n", err)
		return exitCodeOf(err)
	}
	defer st.Close()
	st.Now = e.now
	if _, err := st.GetOrganisation(ctx, orgID); err != nil {
		fmt.Fprintf(e.stderr, "gegrond token create: %v\n", err)
		return exitCodeOf(err)
	}
	u, err := st.FindUserByEmail(ctx, email)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond token create: %v\n", err)
		return exitCodeOf(err)
	}
	token, err := st.CreateToken(ctx, orgID, u.ID, name)
	if apperr.CodeOf(err) == apperr.Forbidden {
		fmt.Fprintf(e.stderr, "gegrond token create: %s is no member of organisation %s; give them a role there first\n", u.Email, orgID)
		return exitUsage
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond token create: %v\n", err)
		return exitCodeOf(err)
	}
	fmt.Fprintln(e.stdout, token)
	return exitOK
}

// exitCodeOf is the exit code for an error: 2 for input the user can
// correct (unknown organisation or user, bad value), 1 for anything else.
func exitCodeOf(err error) int {
	switch apperr.CodeOf(err) {
	case apperr.NotFound, apperr.Invalid, apperr.Forbidden:
		return exitUsage
	}
	return exitFailed
}

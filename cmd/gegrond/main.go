// Command gegrond runs the Gegrond complaint-handling server and its tools.
//
//	gegrond serve                 run the web application and API
//	gegrond reglement list|show|check
//	gegrond deadlines             compute the terms of a complaint
//	gegrond audit verify          check the tamper-evident event log
//	gegrond token create          make an API token for a user
//	gegrond retention list|erase  closed cases past retention; erase one
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], env{stdout: os.Stdout, stderr: os.Stderr, now: time.Now, getenv: os.Getenv}))
}

// env is what a command may touch of the outside world; tests pass their own.
type env struct {
	stdout, stderr io.Writer
	now            func() time.Time
	getenv         func(string) string
}

// Exit codes: 0 success, 1 a check failed (invalid file, broken chain),
// 2 bad usage or input.
const (
	exitOK      = 0
	exitFailed  = 1
	exitUsage   = 2
	usageHeader = `gegrond: complaint handling run by the organisation's regulation

usage:
  gegrond serve [--addr :8080] [--database FILE|postgres://...] [--no-demo] [--log-format text|json]
                [--smtp-host H --smtp-port P --smtp-user U --smtp-password X --smtp-from ADDR --smtp-tls starttls|tls|none]
  gegrond reglement list
  gegrond reglement show ID|FILE
  gegrond reglement check FILE
  gegrond deadlines --reglement ID|FILE --received YYYY-MM-DD [--incident YYYY-MM-DD] [--format json|text]
  gegrond audit verify [--org ID] [--database ...]
  gegrond token create --org ID --user EMAIL [--name NAME] [--database ...]
  gegrond retention list --org ID --user EMAIL [--database ...]
  gegrond retention erase --org ID --case NUMBER --user EMAIL --reason retention_ended|erasure_request [--note TEXT] [--database ...]
`
)

func run(ctx context.Context, args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, usageHeader)
		return exitUsage
	}
	switch args[0] {
	case "reglement":
		return runReglement(args[1:], e)
	case "deadlines":
		return runDeadlines(args[1:], e)
	case "serve":
		return runServe(ctx, args[1:], e)
	case "audit":
		return runAudit(ctx, args[1:], e)
	case "token":
		return runToken(ctx, args[1:], e)
	case "retention":
		return runRetention(ctx, args[1:], e)
	case "help", "-h", "--help":
		fmt.Fprint(e.stdout, usageHeader)
		return exitOK
	}
	fmt.Fprintf(e.stderr, "gegrond: unknown command %q\n\n%s", args[0], usageHeader)
	return exitUsage
}

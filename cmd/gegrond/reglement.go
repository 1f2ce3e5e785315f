package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

func runReglement(args []string, e env) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, "usage: gegrond reglement list | show ID|FILE | check FILE\n")
		return exitUsage
	}
	switch args[0] {
	case "list":
		ps, err := reglement.Presets()
		if err != nil {
			fmt.Fprintf(e.stderr, "gegrond: %v\n", err)
			return exitFailed
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tORGANISATION\tVERSION\tVALID FROM")
		for _, p := range ps {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", p.ID, p.Organisation, p.Version, p.ValidFrom)
		}
		tw.Flush()
		return exitOK
	case "show":
		if len(args) != 2 {
			fmt.Fprint(e.stderr, "usage: gegrond reglement show ID|FILE\n")
			return exitUsage
		}
		r, code := resolveReglement(args[1], e)
		if r == nil {
			return code
		}
		if err := r.WriteSummary(e.stdout); err != nil {
			return exitFailed
		}
		return exitOK
	case "check":
		if len(args) != 2 {
			fmt.Fprint(e.stderr, "usage: gegrond reglement check FILE\n")
			return exitUsage
		}
		return checkReglement(args[1], e)
	}
	fmt.Fprintf(e.stderr, "gegrond reglement: unknown subcommand %q; expected list, show or check\n", args[0])
	return exitUsage
}

// checkReglement validates a file and prints each problem with its line.
func checkReglement(name string, e env) int {
	data, err := readPolicyFile(name)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond: %v\n", err)
		return exitUsage
	}
	_, problems := reglement.Parse(data)
	errs := 0
	for _, p := range problems {
		fmt.Fprintf(e.stdout, "%s: %s: %s\n", name, p.Severity, p)
		if p.Severity == reglement.SeverityError {
			errs++
		}
	}
	if errs > 0 {
		fmt.Fprintf(e.stdout, "%s: %d error(s); the regulation cannot be used\n", name, errs)
		return exitFailed
	}
	fmt.Fprintf(e.stdout, "%s: valid (%d warning(s))\n", name, len(problems))
	return exitOK
}

func readPolicyFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, errors.Unwrap(err))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, reglement.MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("cannot read %s: %w", name, err)
	}
	return data, nil
}

// resolveReglement takes a preset id or a file name. On failure it prints
// why and returns the exit code.
func resolveReglement(idOrFile string, e env) (*reglement.Reglement, int) {
	if !strings.ContainsAny(idOrFile, "./\\") {
		r, err := reglement.Preset(idOrFile)
		if err != nil {
			fmt.Fprintf(e.stderr, "gegrond: %v\n", err)
			return nil, exitUsage
		}
		return r, exitOK
	}
	data, err := readPolicyFile(idOrFile)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond: %v\n", err)
		return nil, exitUsage
	}
	r, _, err := reglement.Load(data)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond: %s: %v\n", idOrFile, err)
		return nil, exitUsage
	}
	return r, exitOK
}

// deadlinesOutput is the JSON form of `gegrond deadlines`.
type deadlinesOutput struct {
	Reglement  string               `json:"reglement"`
	Version    string               `json:"version"`
	Received   calendar.Date        `json:"received"`
	Incident   *calendar.Date       `json:"incident,omitempty"`
	Deadlines  []reglement.Deadline `json:"deadlines"`
	TimeBarred *bool                `json:"time_barred"`
	TimeBar    string               `json:"time_bar_ground,omitempty"`
}

func runDeadlines(args []string, e env) int {
	fs := flag.NewFlagSet("deadlines", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	regFlag := fs.String("reglement", "", "preset id or regulation file")
	receivedFlag := fs.String("received", "", "date of receipt, YYYY-MM-DD")
	incidentFlag := fs.String("incident", "", "date of the incident, YYYY-MM-DD (optional)")
	format := fs.String("format", "text", "output format: json or text")
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if *regFlag == "" || *receivedFlag == "" {
		fmt.Fprint(e.stderr, "gegrond deadlines: --reglement and --received are required\n")
		return exitUsage
	}
	if *format != "json" && *format != "text" {
		fmt.Fprintf(e.stderr, "gegrond deadlines: unknown format %q; expected json or text\n", *format)
		return exitUsage
	}
	received, err := calendar.ParseDate(*receivedFlag)
	if err != nil {
		fmt.Fprintf(e.stderr, "gegrond deadlines: --received: %v\n", err)
		return exitUsage
	}
	r, code := resolveReglement(*regFlag, e)
	if r == nil {
		return code
	}
	out := deadlinesOutput{Reglement: r.ID, Version: r.Version, Received: received,
		Deadlines: r.Deadlines(map[reglement.Anchor]calendar.Date{reglement.AnchorReceived: received})}
	if *incidentFlag != "" {
		incident, err := calendar.ParseDate(*incidentFlag)
		if err != nil {
			fmt.Fprintf(e.stderr, "gegrond deadlines: --incident: %v\n", err)
			return exitUsage
		}
		if incident.After(received) {
			fmt.Fprintf(e.stderr, "gegrond deadlines: --incident %s is after --received %s\n", incident, received)
			return exitUsage
		}
		out.Incident = &incident
		if barred, g, applies := r.TimeBar(incident, received); applies {
			out.TimeBarred = &barred
			if barred {
				out.TimeBar = g.ID + " (" + g.Source + ")"
			}
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return exitFailed
		}
		return exitOK
	}
	fmt.Fprintf(e.stdout, "%s (%s, versie %s), ontvangen %s\n", r.Organisation, r.ID, r.Version, received.Dutch())
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	for _, d := range out.Deadlines {
		due := "na " + reglement.AnchorNL(d.Anchor)
		if d.Due != nil {
			due = d.Due.Dutch()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", reglement.StepNL(d.Step), d.Kind, due, d.Explanation)
	}
	tw.Flush()
	if out.TimeBarred != nil {
		if *out.TimeBarred {
			fmt.Fprintf(e.stdout, "Let op: het voorval is te lang geleden (%s).\n", out.TimeBar)
		} else {
			fmt.Fprintln(e.stdout, "Het voorval valt binnen de termijn van het reglement.")
		}
	}
	return exitOK
}

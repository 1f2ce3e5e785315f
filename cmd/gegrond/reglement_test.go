package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs the command in-process and returns its exit code and output.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, env{stdout: &out, stderr: &errOut, now: time.Now, getenv: func(string) string { return "" }})
	return code, out.String(), errOut.String()
}

func TestReglementList(t *testing.T) {
	t.Parallel()
	code, out, _ := runCLI(t, "reglement", "list")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, id := range []string{"bestmatch", "nextbest", "work2work", "smartplus", "standergroep"} {
		if !strings.Contains(out, id) {
			t.Errorf("list lacks %s:\n%s", id, out)
		}
	}
}

func TestReglementShowIsDutch(t *testing.T) {
	t.Parallel()
	code, out, _ := runCLI(t, "reglement", "show", "standergroep")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"Termijnen", "Ontvangstbevestiging: 5 werkdagen na ontvangst", "Niet in behandeling nemen", "Uitkomsten"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q", want)
		}
	}
}

func TestReglementCheck(t *testing.T) {
	t.Parallel()
	for _, id := range []string{"bestmatch", "nextbest", "work2work", "smartplus", "standergroep"} {
		code, out, _ := runCLI(t, "reglement", "check", filepath.Join("..", "..", "internal", "reglement", "presets", id+".yaml"))
		if code != exitOK || !strings.Contains(out, "valid") {
			t.Errorf("%s: exit %d\n%s", id, code, out)
		}
	}
	src, err := os.ReadFile(filepath.Join("..", "..", "internal", "reglement", "presets", "nextbest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(src), "unit: weeks", "unit: weken", 1)
	line := strings.Count(broken[:strings.Index(broken, "unit: weken")], "\n") + 1
	file := filepath.Join(t.TempDir(), "broken.yaml")
	if err := os.WriteFile(file, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, _ := runCLI(t, "reglement", "check", file)
	if code != exitFailed {
		t.Fatalf("broken file: exit %d, want %d", code, exitFailed)
	}
	want := `unknown unit "weken"; expected working_days, days, weeks or months`
	if !strings.Contains(out, want) || !strings.Contains(out, fmt.Sprintf("line %d: terms.", line)) {
		t.Fatalf("check output should name line %d and the field:\n%s", line, out)
	}
	if code, _, errOut := runCLI(t, "reglement", "check", "/does/not/exist.yaml"); code != exitUsage || errOut == "" {
		t.Fatalf("missing file: exit %d %q", code, errOut)
	}
}

func TestDeadlinesJSON(t *testing.T) {
	t.Parallel()
	code, out, errOut := runCLI(t, "deadlines", "--reglement", "nextbest", "--received", "2026-12-22", "--incident", "2026-12-01", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	dec := json.NewDecoder(strings.NewReader(out))
	var got struct {
		Reglement  string `json:"reglement"`
		Version    string `json:"version"`
		Received   string `json:"received"`
		TimeBarred *bool  `json:"time_barred"`
		Deadlines  []struct {
			Step        string  `json:"step"`
			Due         *string `json:"due"`
			Kind        string  `json:"kind"`
			Source      string  `json:"source"`
			Explanation string  `json:"explanation"`
			Anchor      string  `json:"anchor"`
		} `json:"deadlines"`
	}
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if dec.More() {
		t.Fatal("output holds more than one JSON object")
	}
	if got.Reglement != "nextbest" || got.Received != "2026-12-22" || got.TimeBarred == nil || *got.TimeBarred {
		t.Fatalf("header: %+v", got)
	}
	if len(got.Deadlines) == 0 || got.Deadlines[0].Step != "acknowledgement" || got.Deadlines[0].Due == nil || *got.Deadlines[0].Due != "2026-12-24" || got.Deadlines[0].Kind != "limit" || got.Deadlines[0].Source != "Art. 5" || got.Deadlines[0].Explanation == "" {
		t.Fatalf("first deadline: %+v", got.Deadlines)
	}
}

func TestDeadlinesLaterAnchorsAreNull(t *testing.T) {
	t.Parallel()
	code, out, _ := runCLI(t, "deadlines", "--reglement", "bestmatch", "--received", "2026-12-22", "--format", "json")
	if code != exitOK {
		t.Fatalf("exit %d", code)
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if got["time_barred"] != nil {
		t.Fatalf("time_barred without --incident must be null, got %v", got["time_barred"])
	}
	seen := 0
	for _, d := range got["deadlines"].([]any) {
		m := d.(map[string]any)
		if m["step"] == "aftercare" || m["step"] == "retention" {
			seen++
			if due, ok := m["due"]; !ok || due != nil || m["anchor"] == "" {
				t.Fatalf("%v: due must be null with its anchor", m)
			}
		}
	}
	if seen != 2 {
		t.Fatalf("aftercare and retention listed: %d", seen)
	}
}

func TestDeadlinesBadInput(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"deadlines", "--reglement", "nosuch", "--received", "2026-12-22"},
		{"deadlines", "--reglement", "nextbest", "--received", "22-12-2026"},
		{"deadlines", "--reglement", "nextbest"},
		{"deadlines", "--reglement", "nextbest", "--received", "2026-12-22", "--incident", "2027-01-01"},
		{"deadlines", "--reglement", "nextbest", "--received", "2026-12-22", "--format", "xml"},
	} {
		code, out, errOut := runCLI(t, args...)
		if code != exitUsage || errOut == "" || out != "" {
			t.Errorf("%v: exit %d stdout %q stderr %q", args, code, out, errOut)
		}
	}
}

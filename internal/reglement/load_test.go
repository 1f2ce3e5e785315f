package reglement

import (
	"strings"
	"testing"
)

func TestPresetsLoadWithoutErrors(t *testing.T) {
	t.Parallel()
	ps, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"bestmatch", "nextbest", "smartplus", "standergroep", "work2work"}
	if len(ps) != len(want) {
		t.Fatalf("presets: got %d, want %v", len(ps), want)
	}
	for i, p := range ps {
		if p.ID != want[i] {
			t.Fatalf("preset %d is %s, want %s", i, p.ID, want[i])
		}
		src, err := PresetSource(p.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, problems := Parse(src)
		for _, pr := range problems {
			if pr.Severity == SeverityError || strings.Contains(pr.Message, "without source") {
				t.Errorf("%s: %s", p.ID, pr)
			}
		}
	}
}

// brokenTerm is a small regulation with one mistake per case below.
const small = `id: test
organisation: Test B.V.
version: "1"
valid_from: 2026-01-01
language: nl
definitions:
  complaint: {text: "Een uiting van ongenoegen.", source: "Art. 1"}
intake:
  channels:
    - {channel: email, source: "Art. 2"}
terms:
  - step: acknowledgement
    amount: 5
    unit: working_days
    anchor: received
    kind: limit
    source: "Art. 3"
  - step: decision
    amount: 6
    unit: weeks
    anchor: received
    kind: limit
    source: "Art. 4"
roles:
  handles: {role: handler, source: "Art. 5"}
  decides: {role: handler, source: "Art. 5"}
  independence: {accused_never_handles: true, accused_never_decides: true, source: "Art. 5"}
outcomes:
  - outcome: upheld
    label: Gegrond
    source: "Art. 6"
  - outcome: not_upheld
    label: Ongegrond
    source: "Art. 6"
retention:
  period: {amount: 24, unit: months}
  anchor: closing
  then: destroy
  source: "Art. 7"
`

func TestLoadSmall(t *testing.T) {
	t.Parallel()
	r, problems, err := Load([]byte(small))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if len(problems) != 0 {
		t.Fatalf("unexpected problems: %v", problems)
	}
	if r.ID != "test" || len(r.Terms) != 2 {
		t.Fatalf("decoded %+v", r)
	}
}

func TestCheckNamesLineAndField(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		from, to string
		line     int
		want     string
		severity Severity
	}{
		{"unknown unit names the line, the field and the choices", "unit: weeks", "unit: weken", 20,
			`terms.decision.unit: unknown unit "weken"; expected working_days, days, weeks or months`, SeverityError},
		{"unknown field", "    kind: limit\n    source: \"Art. 3\"", "    kind: limit\n    bron: \"Art. 3\"", 17, `unknown field "bron"`, SeverityError},
		{"unknown anchor", "anchor: received\n    kind: limit\n    source: \"Art. 4\"", "anchor: ontvangst\n    kind: limit\n    source: \"Art. 4\"", 21, `terms.decision.anchor: unknown anchor "ontvangst"`, SeverityError},
		{"rule without source", "    label: Ongegrond\n    source: \"Art. 6\"", "    label: Ongegrond", 32, "outcomes: a rule without source", SeverityWarning},
		{"bad date", "valid_from: 2026-01-01", "valid_from: 2026-13-01", 4, `invalid date "2026-13-01"`, SeverityError},
		{"unknown role", "decides: {role: handler", "decides: {role: directeur", 0, `roles.decides.role: unknown role "directeur"`, SeverityError},
		{"syntax error", "organisation: Test B.V.", "organisation: [Test B.V.", 0, "", SeverityError},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			src := strings.Replace(small, tt.from, tt.to, 1)
			if src == small {
				t.Fatalf("test input did not change the file")
			}
			_, problems := Parse([]byte(src))
			if len(problems) == 0 {
				t.Fatal("no problem reported")
			}
			if tt.severity == "" {
				return // only that something is reported
			}
			for _, p := range problems {
				if p.Severity == tt.severity && strings.Contains(p.String(), tt.want) && (tt.line == 0 || p.Line == tt.line) {
					return
				}
			}
			t.Fatalf("want %s at line %d containing %q, got %v", tt.severity, tt.line, tt.want, problems)
		})
	}
}

func TestAimLaterThanLimitWarns(t *testing.T) {
	t.Parallel()
	src := strings.Replace(small, "  - step: decision\n", "  - step: decision\n    amount: 10\n    unit: weeks\n    anchor: received\n    kind: aim\n    source: \"Art. 4\"\n  - step: decision\n", 1)
	_, problems := Parse([]byte(src))
	for _, p := range problems {
		if p.Severity == SeverityWarning && strings.Contains(p.Message, "later than the limit") {
			return
		}
	}
	t.Fatalf("no warning for an aim later than its limit: %v", problems)
}

func TestLetterContentNoDataCanFillWarns(t *testing.T) {
	t.Parallel()
	src := small + "letters:\n  - kind: acknowledgement\n    to: [complainant]\n    source: \"Art. 3\"\n    contents:\n      - {item: favourite_colour, text: x, source: \"Art. 3\"}\n"
	_, problems := Parse([]byte(src))
	for _, p := range problems {
		if p.Severity == SeverityWarning && strings.Contains(p.Message, "no case data can fill") && p.Line > 0 {
			return
		}
	}
	t.Fatalf("no warning: %v", problems)
}

func TestLoadRejectsOddInput(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"empty":          "",
		"list":           "- a\n- b\n",
		"two documents":  small + "---\n" + small,
		"scalar":         "hello",
		"wrong type":     strings.Replace(small, "amount: 5", "amount: vijf", 1),
		"duplicate key":  strings.Replace(small, "language: nl", "language: nl\nlanguage: en", 1),
		"too large":      small + "# " + strings.Repeat("x", MaxSize),
		"missing decide": strings.Replace(small, "  decides: {role: handler, source: \"Art. 5\"}\n", "", 1),
	} {
		_, _, err := Load([]byte(src))
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if strings.TrimSpace(err.Error()) == "invalid regulation:" || err.Error() == "" {
			t.Errorf("%s: error without a message", name)
		}
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte(small))
	for _, id := range []string{"bestmatch", "standergroep"} {
		if src, err := PresetSource(id); err == nil {
			f.Add(src)
		}
	}
	f.Add([]byte("id: [\n"))
	f.Add([]byte("terms: {step: 1}"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, problems, err := Load(data)
		if err != nil {
			if len(problems) == 0 {
				t.Fatalf("rejection without a problem: %v", err)
			}
			for _, p := range problems {
				if p.Message == "" {
					t.Fatalf("problem without message: %+v", p)
				}
			}
			return
		}
		if r == nil {
			t.Fatal("nil regulation without error")
		}
		_ = r.Deadlines(map[Anchor]calendarDate{AnchorReceived: fuzzDay})
	})
}

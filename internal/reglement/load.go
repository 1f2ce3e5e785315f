package reglement

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"

	"github.com/gegrond/gegrond/internal/calendar"
)

// MaxSize is the largest regulation file Load accepts.
const MaxSize = 1 << 20

// Severity tells an error from a warning.
type Severity string

// The severities of a problem.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Problem is one finding about a regulation file: where (line, field) and
// what was expected.
type Problem struct {
	Severity Severity `json:"severity"`
	Line     int      `json:"line,omitempty"`
	Field    string   `json:"field,omitempty"`
	Message  string   `json:"message"`
}

// String formats the problem as "line 14: terms.decision.unit: message".
func (p Problem) String() string {
	var b strings.Builder
	if p.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", p.Line)
	}
	if p.Field != "" {
		b.WriteString(p.Field + ": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// InvalidError is returned by Load when a file has errors. Problems holds
// every error and warning found, in file order.
type InvalidError struct {
	Problems []Problem
}

// Error lists the errors, one per line.
func (e *InvalidError) Error() string {
	var lines []string
	for _, p := range e.Problems {
		if p.Severity == SeverityError {
			lines = append(lines, p.String())
		}
	}
	return "invalid regulation:\n" + strings.Join(lines, "\n")
}

// Load parses and validates a regulation. It fails with an *InvalidError
// when the file has errors; warnings alone do not fail it and are returned.
func Load(data []byte) (*Reglement, []Problem, error) {
	r, problems := Parse(data)
	for _, p := range problems {
		if p.Severity == SeverityError {
			return nil, problems, &InvalidError{Problems: problems}
		}
	}
	return r, problems, nil
}

// Parse decodes and checks a regulation, returning it (possibly partly
// filled when there are errors) with every problem found.
func Parse(data []byte) (*Reglement, []Problem) {
	if len(data) > MaxSize {
		return nil, []Problem{{Severity: SeverityError, Message: fmt.Sprintf("file is %d bytes; a regulation may be at most %d bytes", len(data), MaxSize)}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, []Problem{{Severity: SeverityError, Message: "file is empty; expected a regulation in YAML"}}
	}
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, []Problem{yamlProblem(err)}
	}
	if len(file.Docs) != 1 {
		return nil, []Problem{{Severity: SeverityError, Message: fmt.Sprintf("file holds %d YAML documents; expected exactly one regulation", len(file.Docs))}}
	}
	if _, ok := file.Docs[0].Body.(*ast.MappingNode); !ok {
		return nil, []Problem{{Severity: SeverityError, Line: 1, Message: "expected a mapping with the regulation's fields (id, organisation, version, ...)"}}
	}
	var r Reglement
	if err := yaml.UnmarshalWithOptions(data, &r, yaml.Strict()); err != nil {
		p := yamlProblem(err)
		if p.Line == 0 {
			p.Line = lineOfQuoted(data, p.Message)
		}
		return nil, []Problem{p}
	}
	v := validator{file: file}
	v.validate(&r)
	if !v.hasErrors() {
		cal, err := calendar.New(r.Calendar.Profile, r.Calendar.ExtraClosingDays...)
		if err != nil {
			v.errorf("$.calendar", "calendar", "%v", err)
		}
		r.cal = cal
	}
	v.sort()
	return &r, v.problems
}

// lineOfQuoted finds the line of the first quoted value of msg in data:
// errors from our own value types (a date) carry no position.
func lineOfQuoted(data []byte, msg string) int {
	start := strings.IndexByte(msg, '"')
	if start < 0 {
		return 0
	}
	end := strings.IndexByte(msg[start+1:], '"')
	if end <= 0 {
		return 0
	}
	needle := msg[start+1 : start+1+end]
	for i, line := range strings.Split(string(data), "\n") {
		if strings.Contains(line, needle) {
			return i + 1
		}
	}
	return 0
}

var yamlLine = regexp.MustCompile(`^\[(\d+):(\d+)\]\s*`)

// yamlProblem turns a decoder error into a Problem with its line.
func yamlProblem(err error) Problem {
	p := Problem{Severity: SeverityError}
	var ye yaml.Error
	if errors.As(err, &ye) {
		p.Message = ye.GetMessage()
		if tk := ye.GetToken(); tk != nil && tk.Position != nil {
			p.Line = tk.Position.Line
		}
	} else {
		p.Message = err.Error()
	}
	if m := yamlLine.FindStringSubmatch(p.Message); m != nil {
		if p.Line == 0 {
			p.Line, _ = strconv.Atoi(m[1])
		}
		p.Message = p.Message[len(m[0]):]
	}
	if i := strings.Index(p.Message, "\n"); i > 0 {
		p.Message = p.Message[:i]
	}
	p.Message = friendlyYAML(p.Message)
	return p
}

// friendlyYAML rewrites the decoder's terse messages in words a policy
// author can act on.
func friendlyYAML(msg string) string {
	switch {
	case strings.HasPrefix(msg, "unknown field"):
		return msg + "; see docs/reglement.md for the fields of each section"
	case strings.Contains(msg, "cannot unmarshal"):
		return msg + "; check the value's type (a number, text, yes/no or a list)"
	}
	return msg
}

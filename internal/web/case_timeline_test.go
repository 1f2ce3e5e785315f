package web

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/complaint"
)

// eventTypes reads the event types the core declares (the constants of
// type EventType in complaint/payload.go), so that a new one fails this
// test until the timeline can say it.
func eventTypes(t *testing.T) []complaint.EventType {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "../complaint/payload.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []complaint.EventType
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || vs.Type == nil {
			return true
		}
		if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "EventType" {
			return true
		}
		for _, v := range vs.Values {
			if lit, ok := v.(*ast.BasicLit); ok {
				s, _ := strconv.Unquote(lit.Value)
				out = append(out, complaint.EventType(s))
			}
		}
		return true
	})
	if len(out) < 30 {
		t.Fatalf("found only %d event types in complaint/payload.go", len(out))
	}
	return out
}

func TestTimelineSaysEveryEventInBothLanguages(t *testing.T) {
	t.Parallel()
	r := everyStepRegulation(t)
	for _, typ := range eventTypes(t) {
		e := complaint.Event{Seq: 1, Type: typ, Actor: complaint.Actor{Name: "Cora", Kind: "user"}, At: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC), Payload: []byte(`{}`)}
		for _, l := range langs {
			entry := eventEntry(l, r, e)
			if strings.EqualFold(entry.Title, string(typ)) || entry.Title == "" || strings.Contains(entry.Title+entry.Text, "%!") {
				t.Errorf("%s in %s: %q / %q", typ, l, entry.Title, entry.Text)
			}
			if entry.At != "10-03-2026 10:00" || entry.Who != "Cora" {
				t.Errorf("%s: at %q by %q", typ, entry.At, entry.Who)
			}
		}
	}
}

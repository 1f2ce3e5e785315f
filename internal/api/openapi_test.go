package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
)

// openAPIDoc is the part of the document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                `json:"openapi"`
	Servers    []struct{ URL string }                `json:"servers"`
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas map[string]struct {
			Enum       []string `json:"enum"`
			Properties map[string]struct {
				Enum []string `json:"enum"`
			} `json:"properties"`
		} `json:"schemas"`
	} `json:"components"`
}

// serveOpenAPI fetches the document through the handler; the route is
// public and touches no store.
func serveOpenAPI(t *testing.T) (openAPIDoc, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	New(nil, nil).ServeHTTP(rec, httptest.NewRequest("GET", Prefix+"/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("GET openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc openAPIDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("openapi.json: %v", err)
	}
	return doc, rec.Body.Bytes()
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	t.Parallel()
	doc, _ := serveOpenAPI(t)
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || len(doc.Servers) != 1 || doc.Servers[0].URL != Prefix {
		t.Fatalf("openapi %q servers %+v, want 3.1 on %s", doc.OpenAPI, doc.Servers, Prefix)
	}
	var table []string
	for _, rt := range (&API{}).routes() {
		method, path, ok := strings.Cut(rt.pattern, " ")
		if !ok || !strings.HasPrefix(path, Prefix+"/") {
			t.Errorf("route %q: want \"METHOD %s/...\"", rt.pattern, Prefix)
			continue
		}
		table = append(table, method+" "+strings.TrimPrefix(path, Prefix))
	}
	var described []string
	for path, ops := range doc.Paths {
		for method := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			described = append(described, strings.ToUpper(method)+" "+path)
		}
	}
	for _, r := range table {
		if !slices.Contains(described, r) {
			t.Errorf("route %s is not in openapi.json", r)
		}
	}
	for _, d := range described {
		if !slices.Contains(table, d) {
			t.Errorf("openapi.json describes %s, which is no route", d)
		}
	}
}

func TestOpenAPIRefsResolve(t *testing.T) {
	t.Parallel()
	_, raw := serveOpenAPI(t)
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				node := tree
				for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
					m, ok := node.(map[string]any)
					if !ok || m[part] == nil {
						t.Errorf("$ref %s does not resolve", ref)
						return
					}
					node = m[part]
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(tree)
}

// TestOpenAPIFollowsTheCore keeps the enums of the document with the code
// they describe: the actions, their inputs, and the problem codes.
func TestOpenAPIFollowsTheCore(t *testing.T) {
	t.Parallel()
	doc, _ := serveOpenAPI(t)
	s := doc.Components.Schemas
	var actions []string
	for _, a := range complaint.ActionOrder {
		actions = append(actions, string(a))
		if _, ok := s[string(a)+"_input"]; !ok {
			t.Errorf("action %s has no %s_input schema", a, a)
		}
	}
	if !slices.Equal(s["Action"].Enum, actions) {
		t.Errorf("Action enum %v, want %v", s["Action"].Enum, actions)
	}
	codes := s["Problem"].Properties["code"].Enum
	for code := range problems {
		if !slices.Contains(codes, string(code)) {
			t.Errorf("problem code %q is not in the Problem schema", code)
		}
	}
	if len(codes) != len(problems) {
		t.Errorf("Problem codes %v; the table has %d", codes, len(problems))
	}
	states := caseStates()
	var listOp struct {
		Parameters []struct {
			Name   string `json:"name"`
			Schema struct {
				Enum []string `json:"enum"`
			} `json:"schema"`
		} `json:"parameters"`
	}
	if err := json.Unmarshal(doc.Paths["/cases"]["get"], &listOp); err != nil {
		t.Fatal(err)
	}
	var params []string
	for _, p := range listOp.Parameters {
		params = append(params, p.Name)
		if p.Name == "state" && !slices.Equal(p.Schema.Enum, states) {
			t.Errorf("state enum %v, want %v", p.Schema.Enum, states)
		}
	}
	if !slices.Equal(params, listParams) {
		t.Errorf("list parameters %v, want %v", params, listParams)
	}
}

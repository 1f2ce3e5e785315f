package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
)

// expectProblem checks that res is a problem with status, not to be
// cached, and returns it.
func expectProblem(t *testing.T, res response, status int) problem {
	t.Helper()
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	return checkProblem(t, res, status)
}

// checkProblem checks that res is a problem with status and returns it.
func checkProblem(t *testing.T, res response, status int) problem {
	t.Helper()
	if res.status != status {
		t.Fatalf("status %d, want %d; body: %s", res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	var p problem
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem %s: %v", res.body, err)
	}
	if p.Status != status || p.Type != problemTypeBase+string(p.Code) || p.Title == "" || p.Detail == "" {
		t.Errorf("problem %+v: want status %d, type %s<code>, a title and a detail", p, status, problemTypeBase)
	}
	if want, ok := problems[p.Code]; !ok || want.status != status {
		t.Errorf("code %q answered with %d; the table says %d", p.Code, status, want.status)
	}
	return p
}

func TestProblems(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		sp := b.createCase(t, "smartplus/receiver", smartplusComplaint()).Number
		bm := b.createCase(t, "bestmatch/receiver", bestmatchComplaint(b.userID("bestmatch/coach"))).Number
		// Case numbers count per organisation: both have 2026-0001. These
		// two exist in one organisation only, which tenancy must hide.
		old := smartplusComplaint()
		old["received_on"], old["incident_date"] = "2025-12-01", "2025-11-20"
		spOnly := b.createCase(t, "smartplus/receiver", old).Number
		bmOnly := b.createCase(t, "bestmatch/receiver", bestmatchComplaint(b.userID("bestmatch/coach"))).Number
		if spOnly != "2025-0001" || bmOnly != "2026-0002" {
			t.Fatalf("numbers %s and %s; the tenancy cases below assume 2025-0001 and 2026-0002", spOnly, bmOnly)
		}
		// A former employee: the token outlived the last role.
		ctx := t.Context()
		former, err := b.store.CreateUser(ctx, store.User{Email: "former@smartplus.test", Name: "Frits Vertrokken"})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.store.AddMembership(ctx, "smartplus", former.ID, "handler"); err != nil {
			t.Fatal(err)
		}
		if b.tokens["smartplus/former"], err = b.store.CreateToken(ctx, "smartplus", former.ID, "old laptop"); err != nil {
			t.Fatal(err)
		}
		if err := b.store.RemoveMembership(ctx, "smartplus", former.ID, "handler"); err != nil {
			t.Fatal(err)
		}
		without := func(field string) map[string]any {
			in := smartplusComplaint()
			delete(in, field)
			return in
		}
		tests := []struct {
			name   string
			req    request
			status int
			code   apperr.Code
			reason string
			field  string
			// detail, when set, must appear in the problem's detail.
			detail string
			// header, when set, is a response header and its value.
			header [2]string
		}{
			{name: "no token is unauthorized",
				req:    request{method: "GET", path: "/cases"},
				status: 401, code: codeUnauthorized, header: [2]string{"WWW-Authenticate", `Bearer realm="gegrond"`}},
			{name: "an unknown token is unauthorized",
				req:    request{method: "GET", path: "/me", header: map[string]string{"Authorization": "Bearer ggr_unknown"}},
				status: 401, code: codeUnauthorized},
			{name: "a token in another scheme is unauthorized",
				req:    request{method: "GET", path: "/me", header: map[string]string{"Authorization": "Basic " + b.tokens["smartplus/handler"]}},
				status: 401, code: codeUnauthorized},
			{name: "a token whose user lost every role is forbidden",
				req:    request{method: "GET", path: "/cases", who: "smartplus/former"},
				status: 403, code: apperr.Forbidden},
			{name: "no token is unauthorized even for a case that exists",
				req:    request{method: "GET", path: "/cases/" + sp},
				status: 401, code: codeUnauthorized},

			{name: "tenancy: another organisation's case is not found",
				req:    request{method: "GET", path: "/cases/" + spOnly, who: "bestmatch/handler"},
				status: 404, code: apperr.NotFound},
			{name: "tenancy: another organisation's case cannot be acted on",
				req:    request{method: "POST", path: "/cases/" + bmOnly + "/actions/acknowledge", who: "smartplus/receiver"},
				status: 404, code: apperr.NotFound},
			{name: "an unknown case is not found",
				req:    request{method: "GET", path: "/cases/2026-9999", who: "smartplus/handler"},
				status: 404, code: apperr.NotFound},
			{name: "an unknown action is not found",
				req:    request{method: "POST", path: "/cases/" + sp + "/actions/fly", who: "smartplus/handler"},
				status: 404, code: apperr.NotFound, reason: "unknown_action"},

			{name: "an action that does not apply now is a conflict with its reason",
				req:    request{method: "POST", path: "/cases/" + sp + "/actions/close", who: "smartplus/handler"},
				status: 409, code: apperr.Conflict, reason: "phase"},
			{name: "a role the regulation does not name is forbidden",
				req: request{method: "POST", path: "/cases/" + sp + "/actions/assign_handler", who: "smartplus/receiver",
					body: map[string]any{"handler": map[string]any{"name": "Hans Handler", "user_id": b.userID("smartplus/handler")}}},
				status: 403, code: apperr.Forbidden, reason: "role"},
			{name: "an accused employee never handles",
				req: request{method: "POST", path: "/cases/" + bm + "/actions/assign_handler", who: "bestmatch/board",
					body: map[string]any{"handler": map[string]any{"name": "Coen Coach", "user_id": b.userID("bestmatch/coach")}}},
				status: 409, code: apperr.Conflict, reason: "accused_handler"},

			{name: "malformed JSON is invalid and says where",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: "{\n  \"facts\": \"x\",\n}"},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "line 3, column 1"},
			{name: "a body cut short is invalid",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"facts": "x"`},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "ends before"},
			{name: "an unknown field is invalid and named with its place",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"complainant": {"name": "A", "nmae": "B"}}`},
				status: 400, code: apperr.Invalid, reason: "bad_json", field: "complainant.nmae", detail: "line 1, column 31"},
			{name: "a value of the wrong type is invalid and named with its place",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"accused_employees": [{"name": 7}]}`},
				status: 400, code: apperr.Invalid, reason: "bad_json", field: "accused_employees[0].name", detail: "must be a string, not number, at line 1, column 33"},
			{name: "a body that is not an object is invalid",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `[1]`},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "must be an object, not array"},
			{name: "data after the JSON object is invalid",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{} {}`},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "column 4"},
			{name: "an empty body is invalid",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: ""},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "empty"},
			{name: "a date that is no date is invalid",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"incident_date": "20-02-2026"}`},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: `"20-02-2026"`},
			{name: "a field Gegrond derives is refused, not silently kept",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"facts": "x", "time_barred": true}`},
				status: 400, code: apperr.Invalid, reason: "derived_field", field: "time_barred"},
			{name: "a field the regulation requires is named (SmartPLUS Punt 5: incident date)",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: without("incident_date")},
				status: 400, code: apperr.Invalid, reason: "required_field", field: "incident_date"},
			{name: "a channel the regulation does not accept is refused (Best Match: e-mail and post)",
				req:    request{method: "POST", path: "/cases", who: "bestmatch/receiver", body: map[string]any{"channel": "phone", "facts": "x"}},
				status: 400, code: apperr.Invalid, reason: "channel_not_accepted", field: "channel"},
			{name: "a body over 1 MiB is too large",
				req:    request{method: "POST", path: "/cases", who: "smartplus/receiver", body: `{"facts": "` + strings.Repeat("x", maxBody) + `"}`},
				status: 413, code: codeTooLarge},
			{name: "an Idempotency-Key over 200 bytes is invalid",
				req: request{method: "POST", path: "/cases", who: "smartplus/receiver", body: smartplusComplaint(),
					header: map[string]string{"Idempotency-Key": strings.Repeat("k", 201)}},
				status: 400, code: apperr.Invalid, reason: "idempotency_key", field: "Idempotency-Key"},
			{name: "an action's malformed input is invalid and says where",
				req:    request{method: "POST", path: "/cases/" + sp + "/actions/acknowledge", who: "smartplus/receiver", body: `{"via": }`},
				status: 400, code: apperr.Invalid, reason: "bad_json", detail: "column 9"},
			{name: "an action's input that is not an object is invalid",
				req:    request{method: "POST", path: "/cases/" + sp + "/actions/acknowledge", who: "smartplus/receiver", body: `"email"`},
				status: 400, code: apperr.Invalid, reason: "bad_json"},
			{name: "an action's unknown input field is invalid",
				req:    request{method: "POST", path: "/cases/" + sp + "/actions/acknowledge", who: "smartplus/receiver", body: `{"by": "fax"}`},
				status: 400, code: apperr.Invalid, reason: "bad_input", detail: `unknown field "by"`},

			{name: "list: an unknown state names the parameter",
				req:    request{method: "GET", path: "/cases?state=lost", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "state"},
			{name: "list: a boolean that is not true or false names the parameter",
				req:    request{method: "GET", path: "/cases?overdue=maybe", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "overdue"},
			{name: "list: a Dutch date names the parameter",
				req:    request{method: "GET", path: "/cases?due_before=10-03-2026", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "due_before"},
			{name: "list: a limit out of range names the parameter",
				req:    request{method: "GET", path: "/cases?limit=0", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "limit"},
			{name: "list: a negative offset names the parameter",
				req:    request{method: "GET", path: "/cases?offset=-1", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "offset"},
			{name: "list: a misspelt filter is refused, not ignored",
				req:    request{method: "GET", path: "/cases?hanlder=me", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "hanlder"},
			{name: "list: a handler and unassigned exclude each other",
				req:    request{method: "GET", path: "/cases?handler=me&unassigned=true", who: "smartplus/handler"},
				status: 400, code: apperr.Invalid, reason: "bad_query", field: "unassigned"},

			{name: "an unknown route is a not-found problem",
				req:    request{method: "GET", path: "/complaints", who: "smartplus/handler"},
				status: 404, code: apperr.NotFound, reason: "no_route"},
			{name: "a wrong method is a method-not-allowed problem with Allow",
				req:    request{method: "DELETE", path: "/cases", who: "smartplus/handler"},
				status: 405, code: codeMethodNotAllowed, header: [2]string{"Allow", "GET, POST, HEAD"}},
			{name: "a case cannot be replaced",
				req:    request{method: "PUT", path: "/cases/" + sp, who: "smartplus/handler", body: `{}`},
				status: 405, code: codeMethodNotAllowed, header: [2]string{"Allow", "GET, HEAD"}},
			{name: "actions are posted, not read",
				req:    request{method: "GET", path: "/cases/" + sp + "/actions/close", who: "smartplus/handler"},
				status: 405, code: codeMethodNotAllowed, header: [2]string{"Allow", "POST"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				res := b.do(t, tc.req)
				p := expectProblem(t, res, tc.status)
				if p.Code != tc.code || p.Reason != tc.reason || p.Field != tc.field {
					t.Errorf("code/reason/field = %q/%q/%q, want %q/%q/%q; detail: %s",
						p.Code, p.Reason, p.Field, tc.code, tc.reason, tc.field, p.Detail)
				}
				if !strings.Contains(p.Detail, tc.detail) {
					t.Errorf("detail %q does not say %q", p.Detail, tc.detail)
				}
				if tc.header[0] != "" && res.header.Get(tc.header[0]) != tc.header[1] {
					t.Errorf("%s: %q, want %q", tc.header[0], res.header.Get(tc.header[0]), tc.header[1])
				}
			})
		}
	})
}

// TestStatusTable protects the one table from codes to statuses, and that
// an internal error shows nothing of itself but is logged.
func TestStatusTable(t *testing.T) {
	t.Parallel()
	secret := errors.New("pq: connection to 10.0.0.7 refused")
	tests := []struct {
		name       string
		err        error
		status     int
		code       apperr.Code
		detail     string
		wantLogged bool
	}{
		{"invalid input is 400", apperr.Field("facts", "describe the complaint"), 400, apperr.Invalid, "describe the complaint", false},
		{"a missing token is 401", &apperr.Error{Code: codeUnauthorized, Message: "send a token"}, 401, codeUnauthorized, "send a token", false},
		{"a refused role is 403", apperr.New(apperr.Forbidden, "only the board"), 403, apperr.Forbidden, "only the board", false},
		{"a missing case is 404", apperr.New(apperr.NotFound, "case 2026-0001 does not exist"), 404, apperr.NotFound, "case 2026-0001 does not exist", false},
		{"a wrong method is 405", &apperr.Error{Code: codeMethodNotAllowed, Message: "no"}, 405, codeMethodNotAllowed, "no", false},
		{"a conflict with the case's state is 409", apperr.New(apperr.Conflict, "closed"), 409, apperr.Conflict, "closed", false},
		{"a large body is 413", &apperr.Error{Code: codeTooLarge, Message: "too big"}, 413, codeTooLarge, "too big", false},
		{"an error without a code is internal and hidden", fmt.Errorf("store: get case: %w", secret), 500, apperr.Internal, "Internal error.", true},
		{"an internal apperr hides its message", apperr.New(apperr.Internal, "regulation revision 3 of x is missing"), 500, apperr.Internal, "Internal error.", true},
		{"a code missing from the table is internal", &apperr.Error{Code: "bogus", Message: "??"}, 500, apperr.Internal, "Internal error.", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var logs bytes.Buffer
			a := &API{log: slog.New(slog.NewTextHandler(&logs, nil))}
			rec := httptest.NewRecorder()
			a.writeError(rec, httptest.NewRequest("GET", Prefix+"/cases", nil), tc.err)
			p := checkProblem(t, response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, tc.status)
			if p.Code != tc.code || p.Detail != tc.detail {
				t.Errorf("code %q detail %q, want %q %q", p.Code, p.Detail, tc.code, tc.detail)
			}
			if strings.Contains(rec.Body.String(), "10.0.0.7") {
				t.Errorf("the problem shows the internal error: %s", rec.Body)
			}
			if logged := logs.Len() > 0; logged != tc.wantLogged {
				t.Errorf("logged = %v, want %v: %s", logged, tc.wantLogged, logs.String())
			}
		})
	}
	t.Run("a panic in a handler is an internal problem and logged", func(t *testing.T) {
		t.Parallel()
		var logs bytes.Buffer
		a := &API{log: slog.New(slog.NewTextHandler(&logs, nil))}
		h := a.serve(route{public: true, handle: func(http.ResponseWriter, *http.Request, *principal) error { panic("nil map") }})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", Prefix+"/cases", nil))
		p := expectProblem(t, response{status: rec.Code, header: rec.Header(), body: rec.Body.Bytes()}, 500)
		if p.Detail != "Internal error." || !strings.Contains(logs.String(), "nil map") {
			t.Errorf("detail %q, log %q", p.Detail, logs.String())
		}
	})
	t.Run("every code in the table has a distinct status", func(t *testing.T) {
		t.Parallel()
		seen := map[int]apperr.Code{}
		for code, k := range problems {
			if other, ok := seen[k.status]; ok {
				t.Errorf("codes %q and %q share status %d", code, other, k.status)
			}
			seen[k.status] = code
		}
		for _, c := range []apperr.Code{apperr.Invalid, apperr.NotFound, apperr.Conflict, apperr.Forbidden, apperr.Internal} {
			if _, ok := problems[c]; !ok {
				t.Errorf("apperr code %q has no status", c)
			}
		}
	})
}

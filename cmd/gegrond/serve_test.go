package main

import (
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/demo"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// caseView is the part of the API's case the tests read.
type caseView struct {
	Number  string             `json:"number"`
	State   string             `json:"state"`
	Allowed []complaint.Action `json:"allowed_actions"`
	Case    struct {
		Phase   string `json:"phase"`
		Outcome string `json:"outcome"`
	} `json:"case"`
	Events []struct {
		Seq     int            `json:"seq"`
		Type    string         `json:"type"`
		Payload map[string]any `json:"payload"`
	} `json:"events"`
}

func (v caseView) eventTypes() []string {
	var out []string
	for _, e := range v.Events {
		out = append(out, e.Type)
	}
	return out
}

type meView struct {
	User struct {
		ID string `json:"id"`
	} `json:"user"`
	Roles []string `json:"roles"`
}

// TestServeWalksComplaint starts the real program on a fresh database of
// each engine, takes one SmartPLUS complaint from receipt to closing
// through the JSON API with the printed demo token and a token made by
// `gegrond token create`, and stops the server with SIGTERM.
func TestServeWalksComplaint(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		srv := startServer(t, dsn)

		if code, body := srv.get("/healthz"); code != http.StatusOK || strings.TrimSpace(body) != "ok" {
			t.Errorf("/healthz = %d %q; want 200 ok", code, body)
		}
		if code, body := srv.get("/readyz"); code != http.StatusOK {
			t.Errorf("/readyz = %d %q; want 200", code, body)
		}
		if !strings.Contains(srv.login, demo.AdminEmail) {
			t.Errorf("demo login line %q does not name the demo admin", srv.login)
		}
		// The demo prints a complainant's personal link: it opens the portal.
		if !strings.HasPrefix(srv.portal, "/portaal/") {
			t.Errorf("no demo portal link printed")
		} else if code, body := srv.get(srv.portal); code != http.StatusOK || !strings.Contains(body, "Wat is er gebeurd?") {
			t.Errorf("demo portal %d", code)
		}
		if strings.Contains(srv.stderr.String(), strings.TrimPrefix(srv.portal, "/portaal/")) {
			t.Error("the portal token is in the server log")
		}
		adminToken := srv.tokens["smartplus"]
		if !strings.HasPrefix(adminToken, "ggr_") {
			t.Fatalf("no demo token for smartplus printed (tokens %v)\n%s", srv.tokens, srv.stderr)
		}
		if code := srv.client("").do("GET", "/api/v1/cases", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("GET /api/v1/cases without a token = %d; want 401", code)
		}

		// The demo handler gets a token of their own from the CLI, beside
		// the running server.
		preset, err := reglement.Preset("smartplus")
		if err != nil {
			t.Fatal(err)
		}
		handler := staffMember(t, preset, "handler1")
		code, out, errOut := runGegrond(t, "token", "create", "--org", "smartplus", "--user", handler.Email, "--name", "e2e", "--database", dsn)
		if code != exitOK {
			t.Fatalf("token create = %d: %s", code, errOut)
		}
		admin, worker := srv.client(adminToken), srv.client(strings.TrimSpace(out))
		var me meView
		if code := worker.do("GET", "/api/v1/me", nil, &me); code != http.StatusOK || !slices.Contains(me.Roles, "handler") {
			t.Fatalf("GET /me with the handler's token = %d %+v", code, me)
		}

		// Receipt, twice with one idempotency key: one case.
		intake := map[string]any{
			"channel":       "email",
			"complainant":   map[string]any{"name": "Mirjam Vos-Testbeeld", "email": "mirjam@mail.example"},
			"incident_date": time.Now().In(amsterdam).AddDate(0, 0, -7).Format(time.DateOnly),
			"facts":         "De coach kwam niet opdagen bij het gesprek met mijn werkgever.",
		}
		var created, replayed caseView
		if code := worker.do("POST", "/api/v1/cases", intake, &created, "Idempotency-Key", "e2e-1"); code != http.StatusCreated {
			t.Fatalf("create = %d; want 201", code)
		}
		if code := worker.do("POST", "/api/v1/cases", intake, &replayed, "Idempotency-Key", "e2e-1"); code != http.StatusOK || replayed.Number != created.Number {
			t.Fatalf("repeated create = %d, case %s; want 200 and case %s", code, replayed.Number, created.Number)
		}
		if created.Case.Phase != "received" {
			t.Errorf("new case in phase %q", created.Case.Phase)
		}
		path := "/api/v1/cases/" + created.Number

		// Punt 5 to Punt 8 of the SmartPLUS regulation.
		steps := []struct {
			c      *client
			action complaint.Action
			input  any
			phase  string
		}{
			{worker, complaint.ActAcknowledge, map[string]any{"via": "email"}, "received"},
			{admin, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"name": handler.Name, "user_id": me.User.ID}}, "received"},
			{worker, complaint.ActDecideAdmissibility, map[string]any{"admissible": true, "motivation": "Valt onder het reglement."}, "handling"},
			{worker, complaint.ActHoldHearing, map[string]any{"summary": "Klager en coach gehoord.", "form": "telefonisch"}, "handling"},
			{worker, complaint.ActSendHearingReport, nil, "handling"},
			{worker, complaint.ActDecide, map[string]any{
				"points":     []map[string]any{{"point": "Afspraak gemist", "judgment": "upheld", "motivation": "De coach erkent het."}},
				"motivation": "De klacht is gegrond.",
			}, "decided"},
			{worker, complaint.ActClose, map[string]any{"text": "Afgerond."}, "closed"},
		}
		for _, s := range steps {
			var v caseView
			if code := s.c.do("POST", path+"/actions/"+string(s.action), s.input, &v); code != http.StatusOK {
				t.Fatalf("%s = %d; want 200", s.action, code)
			}
			if v.Case.Phase != s.phase {
				t.Errorf("after %s the case is %q; want %q", s.action, v.Case.Phase, s.phase)
			}
		}
		// A closed case accepts nothing but archiving.
		if code := worker.do("POST", path+"/actions/add_note", map[string]any{"text": "te laat"}, nil); code != http.StatusConflict {
			t.Errorf("add_note on a closed case = %d; want 409", code)
		}

		var final caseView
		if code := worker.do("GET", path, nil, &final); code != http.StatusOK {
			t.Fatalf("GET case = %d", code)
		}
		want := []string{"received", "acknowledged", "handler_assigned", "admissibility_decided", "hearing_held",
			"hearing_report_sent", "decided", "referral_given", "closed"}
		if got := final.eventTypes(); !slices.Equal(got, want) {
			t.Errorf("events %v; want %v", got, want)
		}
		if final.Case.Outcome != "upheld" || final.State != "closed" {
			t.Errorf("final case: state %q outcome %q; want closed, upheld", final.State, final.Case.Outcome)
		}

		// The open list holds demo cases, not the closed one.
		var list struct {
			Cases []struct {
				Number string `json:"number"`
				Closed bool   `json:"closed"`
			} `json:"cases"`
		}
		if code := admin.do("GET", "/api/v1/cases?open=true", nil, &list); code != http.StatusOK || len(list.Cases) == 0 {
			t.Fatalf("open cases = %d, %d cases", code, len(list.Cases))
		}
		for _, c := range list.Cases {
			if c.Closed || c.Number == created.Number {
				t.Errorf("open list holds closed case %s", c.Number)
			}
		}

		if code := srv.stop(); code != exitOK {
			t.Errorf("exit code after SIGTERM = %d; want 0\n%s", code, srv.stderr)
		}
		logs := srv.stderr.String()
		for _, want := range []string{"msg=stopped", "msg=request method=POST path=/api/v1/cases status=201"} {
			if !strings.Contains(logs, want) {
				t.Errorf("log lacks %q:\n%s", want, logs)
			}
		}
		if strings.Contains(logs, "Mirjam") || strings.Contains(logs, adminToken) {
			t.Errorf("the log holds personal data or a token:\n%s", logs)
		}

		// The demo is made once: a second start prints no credentials.
		again := startServer(t, dsn)
		if again.login != "" || len(again.tokens) > 0 {
			t.Errorf("second start printed demo credentials again: %q %v", again.login, again.tokens)
		}
		if code := again.stop(); code != exitOK {
			t.Errorf("second server: exit code %d\n%s", code, again.stderr)
		}

		code, out, errOut = runGegrond(t, "audit", "verify", "--database", dsn)
		if code != exitOK || !strings.Contains(out, "org smartplus: ") || !strings.Contains(out, "chain intact") {
			t.Errorf("audit verify = %d\n%s%s", code, out, errOut)
		}
	})
}

func staffMember(t testing.TB, r *reglement.Reglement, key string) demo.Person {
	t.Helper()
	for _, p := range demo.Staff(r) {
		if p.Key == key {
			return p
		}
	}
	t.Fatalf("no demo staff member %q", key)
	return demo.Person{}
}

func TestServeFlagsAndEnvironment(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		args []string
		vars map[string]string
		want serveConfig
		err  string
	}{
		{name: "defaults", want: serveConfig{addr: ":8080", database: "./gegrond.db", logFormat: "text"}},
		{name: "environment",
			vars: map[string]string{"GEGROND_ADDR": ":9000", "GEGROND_DATABASE": "postgres://db/g", "GEGROND_NO_DEMO": "true", "GEGROND_LOG_FORMAT": "json"},
			want: serveConfig{addr: ":9000", database: "postgres://db/g", noDemo: true, logFormat: "json"}},
		{name: "flags win over the environment",
			args: []string{"--addr", "127.0.0.1:0", "--database", "x.db", "--no-demo=false"},
			vars: map[string]string{"GEGROND_ADDR": ":9000", "GEGROND_DATABASE": "y.db", "GEGROND_NO_DEMO": "1"},
			want: serveConfig{addr: "127.0.0.1:0", database: "x.db", noDemo: false, logFormat: "text"}},
		{name: "bad GEGROND_NO_DEMO", vars: map[string]string{"GEGROND_NO_DEMO": "perhaps"}, err: "GEGROND_NO_DEMO"},
		{name: "bad log format", args: []string{"--log-format", "xml"}, err: "log format"},
		{name: "stray argument", args: []string{"now"}, err: "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := env{stderr: &strings.Builder{}, getenv: func(k string) string { return tc.vars[k] }}
			got, err := parseServe(tc.args, e)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("error %v; want one about %q", err, tc.err)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Errorf("parseServe = %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	code, _, stderr := runInProcess(t, map[string]string{"GEGROND_NO_DEMO": "perhaps"}, "serve")
	if code != exitUsage || !strings.Contains(stderr, "GEGROND_NO_DEMO") {
		t.Errorf("serve with a bad GEGROND_NO_DEMO = %d %q; want exit 2 naming the variable", code, stderr)
	}
}

// TestServeNoDemo: --no-demo leaves a new database empty, and /readyz
// answers 503 once the database is gone.
func TestServeNoDemo(t *testing.T) {
	t.Parallel()
	dsn := storetest.SQLite(t)
	srv := startServer(t, dsn, "--no-demo", "--log-format", "json")
	if srv.login != "" || len(srv.tokens) > 0 {
		t.Errorf("--no-demo printed demo credentials: %q %v", srv.login, srv.tokens)
	}
	if code, _ := srv.get("/readyz"); code != http.StatusOK {
		t.Errorf("/readyz = %d; want 200", code)
	}
	if code := srv.stop(); code != exitOK {
		t.Errorf("exit %d\n%s", code, srv.stderr)
	}
	if !strings.Contains(srv.stderr.String(), `"msg":"stopped"`) {
		t.Errorf("--log-format json did not log JSON:\n%s", srv.stderr)
	}
	code, out, _ := runGegrond(t, "audit", "verify", "--database", dsn)
	if code != exitOK || !strings.Contains(out, "no organisations") {
		t.Errorf("audit verify of an empty database = %d %q", code, out)
	}
}

func TestDisplayAddr(t *testing.T) {
	t.Parallel()
	for addr, want := range map[string]string{":0": "127.0.0.1:", "127.0.0.1:0": "127.0.0.1:"} {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		got := displayAddr(ln.Addr())
		ln.Close()
		if !strings.HasPrefix(got, want) {
			t.Errorf("displayAddr(%s) = %q; want %s...", addr, got, want)
		}
	}
}

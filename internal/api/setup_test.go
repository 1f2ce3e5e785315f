package api

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database.

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
	"github.com/gegrond/gegrond/internal/syncbuf"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// amsterdam is the zone whose date is "today".
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fixedNow is the clock of every test: Tuesday 10 March 2026, 10:00.
var fixedNow = time.Date(2026, 3, 10, 10, 0, 0, 0, amsterdam)

// seedUsers are the people of each organisation, by role key: the key is
// also their only role, except where roles says otherwise.
var seedUsers = map[string][]seedUser{
	"smartplus": {
		{key: "receiver", name: "Rita Receptie", roles: []string{"receiver"}},
		{key: "handler", name: "Hans Handler", roles: []string{"handler"}},
		{key: "board", name: "Bea Bestuur", roles: []string{"board"}},
	},
	"bestmatch": {
		{key: "receiver", name: "Bram Backoffice", roles: []string{"receiver"}},
		{key: "handler", name: "Cora Coördinator", roles: []string{"handler"}},
		{key: "board", name: "Dirk Directie", roles: []string{"board"}},
		// Coen coaches; complaints name him, so he never handles them.
		{key: "coach", name: "Coen Coach", roles: []string{"handler"}},
	},
}

type seedUser struct {
	key   string
	name  string
	roles []string
}

// testBundle is a running API on a fresh, seeded database.
type testBundle struct {
	t     *testing.T
	url   string
	store *store.Store
	svc   *service.Service
	// users and tokens are keyed "org/key", e.g. "smartplus/handler".
	users  map[string]store.User
	tokens map[string]string
}

// eachEngine runs fn on a fresh bundle on SQLite and on PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, b *testBundle)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, dsn string) { fn(t, setup(t, dsn)) })
}

// setup opens the store on dsn, seeds an organisation per preset with its
// people and their tokens, and serves the API on the fixed clock.
func setup(t *testing.T, dsn string) *testBundle {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	b := &testBundle{t: t, store: st, users: map[string]store.User{}, tokens: map[string]string{}}
	for _, orgID := range []string{"smartplus", "bestmatch"} {
		preset, err := reglement.Preset(orgID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: orgID, Name: preset.Organisation, ReglementID: orgID}); err != nil {
			t.Fatalf("create organisation: %v", err)
		}
		yaml, err := reglement.PresetSource(orgID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SaveRegulation(ctx, orgID, store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(yaml)}); err != nil {
			t.Fatalf("save regulation: %v", err)
		}
		for _, su := range seedUsers[orgID] {
			u, err := st.CreateUser(ctx, store.User{Email: su.key + "@" + orgID + ".test", Name: su.name})
			if err != nil {
				t.Fatalf("create user: %v", err)
			}
			for _, role := range su.roles {
				if err := st.AddMembership(ctx, orgID, u.ID, role); err != nil {
					t.Fatalf("add membership: %v", err)
				}
			}
			tok, err := st.CreateToken(ctx, orgID, u.ID, "api tests")
			if err != nil {
				t.Fatalf("create token: %v", err)
			}
			b.users[orgID+"/"+su.key], b.tokens[orgID+"/"+su.key] = u, tok
		}
	}
	b.svc = service.New(st, func() time.Time { return fixedNow }, amsterdam)
	logs := &syncbuf.Buffer{}
	srv := httptest.NewServer(New(b.svc, slog.New(slog.NewTextHandler(logs, nil))))
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", logs.String())
		}
	})
	b.url = srv.URL
	return b
}

// response is an answer of the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

// request is one call to the API.
type request struct {
	method string
	path   string // after Prefix
	// who is "org/key" of a seeded user; "" sends no token.
	who string
	// body is sent as it is when a string, as JSON otherwise; nil sends none.
	body   any
	header map[string]string
}

// do sends req and returns the answer.
func (b *testBundle) do(t *testing.T, req request) response {
	t.Helper()
	var body io.Reader
	switch v := req.body.(type) {
	case nil:
	case string:
		body = strings.NewReader(v)
	case []byte:
		body = bytes.NewReader(v)
	default:
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		body = bytes.NewReader(data)
	}
	r, err := http.NewRequest(req.method, b.url+Prefix+req.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if req.body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if req.who != "" {
		tok, ok := b.tokens[req.who]
		if !ok {
			t.Fatalf("no seeded user %q", req.who)
		}
		r.Header.Set("Authorization", "Bearer "+tok)
	}
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: data}
}

// ok sends req, checks the status and decodes the JSON answer into v.
func (b *testBundle) ok(t *testing.T, req request, status int, v any) response {
	t.Helper()
	res := b.do(t, req)
	if res.status != status {
		t.Fatalf("%s %s as %s: status %d, want %d; body: %s", req.method, req.path, req.who, res.status, status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q, want application/json", req.method, req.path, ct)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("%s %s: Cache-Control %q, want no-store", req.method, req.path, cc)
	}
	if v != nil {
		if err := json.Unmarshal(res.body, v); err != nil {
			t.Fatalf("%s %s: decode %s: %v", req.method, req.path, res.body, err)
		}
	}
	return res
}

// createCase registers in as who and returns the case.
func (b *testBundle) createCase(t *testing.T, who string, in any) service.CaseView {
	t.Helper()
	var v service.CaseView
	b.ok(t, request{method: "POST", path: "/cases", who: who, body: in}, http.StatusCreated, &v)
	return v
}

// getCase returns the case as who sees it.
func (b *testBundle) getCase(t *testing.T, who, number string) service.CaseView {
	t.Helper()
	var v service.CaseView
	b.ok(t, request{method: "GET", path: "/cases/" + number, who: who}, http.StatusOK, &v)
	return v
}

// userID returns the id of a seeded user.
func (b *testBundle) userID(who string) string {
	u, ok := b.users[who]
	if !ok {
		b.t.Fatalf("no seeded user %q", who)
	}
	return u.ID
}

// smartplusComplaint is an intake the SmartPLUS regulation accepts.
func smartplusComplaint() map[string]any {
	return map[string]any{
		"channel":       "email",
		"complainant":   map[string]any{"name": "Petra de Vries", "email": "petra@example.nl"},
		"incident_date": "2026-02-20",
		"facts":         "De jobcoach kwam twee afspraken niet na en belde niet af.",
		"service":       "jobcoaching",
	}
}

// bestmatchComplaint is an intake the Best Match regulation accepts, about
// the coach.
func bestmatchComplaint(coachID string) map[string]any {
	return map[string]any{
		"channel":           "email",
		"complainant":       map[string]any{"name": "Sanne Jansen", "email": "sanne@example.nl"},
		"incident_date":     "2026-02-16",
		"incident_time":     "10:00",
		"incident_place":    "Utrecht, kantoor Best Match",
		"accused_employees": []map[string]any{{"name": "Coen Coach", "user_id": coachID}},
		"facts":             "De coach beschreef in de rapportage een gesprek dat anders is verlopen.",
		"desired_outcome":   "Correctie van het dossier en excuses.",
	}
}

// hasAction reports whether the view offers the action.
func hasAction(v service.CaseView, action string) bool {
	return slices.ContainsFunc(v.Allowed, func(a complaint.Action) bool { return string(a) == action })
}

package web

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database.

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
	"github.com/gegrond/gegrond/internal/syncbuf"
)

// The virus-scan tests of the public form share one clamd: stop it too.
func TestMain(m *testing.M) { storetest.Main(m, clamdtest.Stop) }

// fixedNow is the clock of every test: Tuesday 10 March 2026, 10:00.
var fixedNow = time.Date(2026, 3, 10, 10, 0, 0, 0, amsterdam)

// testPassword is every test user's password.
const testPassword = "een lang en geheim wachtwoord"

// cheap are argon2id parameters that make sign-ins in tests take
// milliseconds. Production uses password.Default.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

var testHash = sync.OnceValue(func() string {
	h, err := password.HashWith(testPassword, cheap)
	if err != nil {
		panic(err)
	}
	return h
})

// seedUser is a person of a test organisation.
type seedUser struct {
	key   string
	name  string
	roles []string
}

// seedUsers are the people of each organisation. In smartplus each role
// has a person of its own (the route-permission test signs in as each);
// "target" is the person the administrator's actions act on.
var seedUsers = map[string][]seedUser{
	"smartplus": {
		{"receiver", "Rita Receptie", []string{"receiver"}},
		{"handler", "Hans Handler", []string{"handler"}},
		{"handler2", "Henk Tweede", []string{"handler"}},
		{"board", "Bea Bestuur", []string{"board"}},
		{"quality_officer", "Quinten Kwaliteit", []string{"quality_officer"}},
		{"data_protection_officer", "Fleur Gegevens", []string{"data_protection_officer"}},
		{"administrator", "Anton Beheer", []string{"administrator"}},
		{"target", "Tom Doelwit", []string{"receiver"}},
	},
	"bestmatch": {
		{"administrator", "Bert Beheer", []string{"administrator"}},
		{"handler", "Cora Coördinator", []string{"handler"}},
	},
}

// testBundle is a running web application on a fresh, seeded database.
type testBundle struct {
	t     *testing.T
	url   string
	app   *app
	store *store.Store
	svc   *service.Service
	logs  *syncbuf.Buffer
	// users are keyed "org/key", e.g. "smartplus/handler".
	users map[string]store.User
	// cases are the seeded case numbers by name: "overdue", "soon",
	// "ontime", "assigned" (smartplus) and "other" (bestmatch).
	cases map[string]string
}

// setup starts the application on a fresh SQLite database.
func setup(t *testing.T) *testBundle { return setupOn(t, storetest.SQLite(t)) }

// eachEngine runs fn on a fresh bundle on SQLite and on PostgreSQL.
func eachEngine(t *testing.T, fn func(t *testing.T, b *testBundle)) {
	t.Helper()
	storetest.Each(t, func(t *testing.T, dsn string) { fn(t, setupOn(t, dsn)) })
}

// setupOn opens the store on dsn, seeds two organisations with their
// people and a few cases (overdue, due soon, on time, assigned), and
// serves the application on the fixed clock.
func setupOn(t *testing.T, dsn string) *testBundle {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return fixedNow }
	b := &testBundle{t: t, store: st, users: map[string]store.User{}, cases: map[string]string{}, logs: &syncbuf.Buffer{}}
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
			u, err := st.CreateUser(ctx, store.User{Email: su.key + "@" + orgID + ".test", Name: su.name, PasswordHash: testHash()})
			if err != nil {
				t.Fatalf("create user: %v", err)
			}
			for _, role := range su.roles {
				if err := st.AddMembership(ctx, orgID, u.ID, role); err != nil {
					t.Fatalf("add membership: %v", err)
				}
			}
			b.users[orgID+"/"+su.key] = u
		}
	}
	// Henk works in both organisations: the switcher's test person.
	if err := st.AddMembership(ctx, "bestmatch", b.users["smartplus/handler2"].ID, "receiver"); err != nil {
		t.Fatal(err)
	}
	b.svc = service.New(st, func() time.Time { return fixedNow }, amsterdam)
	b.seedCases(t)

	b.app, err = newApp(Config{
		Service: b.svc, Store: st, Logger: slog.New(slog.NewTextHandler(b.logs, nil)),
		Now: func() time.Time { return fixedNow }, BaseURL: "https://klachten.example",
		LoginDelay: -1, PasswordParams: &cheap,
	})
	if err != nil {
		t.Fatalf("web.New: %v", err)
	}
	srv := httptest.NewServer(b.app.handler())
	t.Cleanup(srv.Close)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("server log:\n%s", b.logs.String())
		}
	})
	b.url = srv.URL
	return b
}

// seedCases opens the test cases: received on dates that make their next
// deadline overdue, due soon or on time on 10 March 2026.
func (b *testBundle) seedCases(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	create := func(org, who, name, received, complainant string) string {
		u := b.users[org+"/"+who]
		caller, err := b.svc.Caller(ctx, org, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		in := map[string]any{
			"channel":       "email",
			"received_on":   received,
			"complainant":   map[string]any{"name": complainant, "email": "klager@example.nl"},
			"incident_date": received,
			"facts":         "De jobcoach kwam twee afspraken niet na en belde niet af.",
			"service":       "jobcoaching",
		}
		if org == "bestmatch" {
			in["incident_time"] = "10:00"
			in["incident_place"] = "Utrecht"
			in["desired_outcome"] = "Excuses."
			in["accused_employees"] = []map[string]any{{"name": "Coen Coach"}}
		}
		data, _ := json.Marshal(in)
		var nc complaint.NewComplaint
		if err := json.Unmarshal(data, &nc); err != nil {
			t.Fatal(err)
		}
		v, _, err := b.svc.CreateCase(ctx, org, caller, nc, "")
		if err != nil {
			t.Fatalf("create case %s: %v", name, err)
		}
		b.cases[name] = v.Number
		return v.Number
	}
	create("smartplus", "receiver", "overdue", "2026-02-02", "Petra de Vries")
	create("smartplus", "receiver", "soon", "2026-03-05", "Karel Klaasen")
	create("smartplus", "receiver", "ontime", "2026-03-10", "Cliënt Özdemir")
	assigned := create("smartplus", "receiver", "assigned", "2026-03-09", "Sanne Jansen")
	create("bestmatch", "handler", "other", "2026-03-02", "Bestmatch Klager")

	admin, err := b.svc.Caller(ctx, "smartplus", b.users["smartplus/administrator"].ID)
	if err != nil {
		t.Fatal(err)
	}
	handler := b.users["smartplus/handler"]
	input, _ := json.Marshal(map[string]any{"handler": map[string]any{"user_id": handler.ID, "name": handler.Name, "function": "klachtbehandelaar"}})
	if _, err := b.svc.Act(ctx, "smartplus", assigned, admin, complaint.Command{Action: complaint.ActAssignHandler, Input: input}); err != nil {
		t.Fatalf("assign handler: %v", err)
	}
}

// client is a browser without JavaScript: it keeps cookies and does not
// follow redirects, so that tests see them.
type client struct {
	t    *testing.T
	b    *testBundle
	http *http.Client
}

// response is an answer of the application.
type response struct {
	status int
	header http.Header
	body   string
}

// location is the path a redirect goes to.
func (r response) location() string { return r.header.Get("Location") }

// client returns a client with no session.
func (b *testBundle) client(t *testing.T) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, b: b, http: &http.Client{
		Jar:           jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// signedIn returns a client signed in as who ("org/key"), in who's first
// organisation.
func (b *testBundle) signedIn(t *testing.T, who string) *client {
	t.Helper()
	c := b.client(t)
	res := c.post("/aanmelden", url.Values{"email": {b.users[who].Email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, body:\n%s", who, res.status, res.body)
	}
	return c
}

// do sends a request.
func (c *client) do(req *http.Request) response {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: string(body)}
}

// get requests path.
func (c *client) get(path string) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.b.url+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post posts a form to path.
func (c *client) post(path string, form url.Values) response {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodPost, c.b.url+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// ok gets path and checks for 200.
func (c *client) ok(path string) response {
	c.t.Helper()
	res := c.get(path)
	if res.status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d (Location %q), body:\n%s", path, res.status, res.location(), res.body)
	}
	return res
}

// newRecorder serves one request through a's handler without a network.
func newRecorder(a *app, method, path string, form url.Values) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	rec := httptest.NewRecorder()
	a.handler().ServeHTTP(rec, req)
	return rec
}

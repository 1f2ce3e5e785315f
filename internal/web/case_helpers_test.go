package web

import (
	"context"
	"encoding/json"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
)

// The case screens' routes in the route-permission walk
// (TestEveryRouteRefusesWhoIsNotAllowed): every member may use them, the
// upload of a regulation only administrators. Which action a person may
// take on a case is the core's to say; the case tests check that.
func init() {
	for pattern, who := range map[string]string{
		"GET /zaken/{number}":                  allMembers,
		"POST /zaken/{number}/acties/{action}": allMembers,
		"GET /zaken/nieuw":                     allMembers,
		"GET /klachten/nieuw":                  allMembers,
		"POST /klachten/nieuw":                 allMembers,
		"GET /zoeken":                          allMembers,
		"GET /reglement":                       allMembers,
		"GET /reglement/nieuw":                 adminsOnly,
		"POST /reglement/nieuw":                adminsOnly,
	} {
		entry := routeAccess[pattern]
		entry.who = who
		routeAccess[pattern] = entry
	}
}

// addPerson adds a person with roles to an organisation of the bundle,
// known afterwards as b.users[org+"/"+key].
func (b *testBundle) addPerson(t *testing.T, org, key, name string, roles ...string) store.User {
	t.Helper()
	ctx := context.Background()
	u, err := b.store.CreateUser(ctx, store.User{Email: key + "@" + org + ".test", Name: name, PasswordHash: testHash()})
	if err != nil {
		t.Fatalf("create user: %v", err)
	}
	for _, r := range roles {
		if err := b.store.AddMembership(ctx, org, u.ID, r); err != nil {
			t.Fatalf("add membership: %v", err)
		}
	}
	b.users[org+"/"+key] = u
	return u
}

// openCase registers a complaint in org as who ("org/key"), received on
// the date, with a complete intake for either regulation; change edits
// the intake first.
func (b *testBundle) openCase(t *testing.T, who, received string, change func(in map[string]any)) string {
	t.Helper()
	org, _, _ := strings.Cut(who, "/")
	in := map[string]any{
		"channel":         "email",
		"received_on":     received,
		"complainant":     map[string]any{"name": "Petra de Vries", "email": "petra@example.nl"},
		"client_name":     "Cliënt Jansen",
		"incident_date":   received,
		"incident_time":   "10:00",
		"incident_place":  "Utrecht",
		"facts":           "De coach kwam twee afspraken niet na en belde niet af.",
		"desired_outcome": "Excuses en een nieuwe coach.",
		"service":         "jobcoaching",
	}
	if change != nil {
		change(in)
	}
	data, _ := json.Marshal(in)
	var nc complaint.NewComplaint
	if err := json.Unmarshal(data, &nc); err != nil {
		t.Fatal(err)
	}
	caller, err := b.svc.Caller(context.Background(), org, b.users[who].ID)
	if err != nil {
		t.Fatal(err)
	}
	v, _, err := b.svc.CreateCase(context.Background(), org, caller, nc, "")
	if err != nil {
		t.Fatalf("create case: %v", err)
	}
	return v.Number
}

// accused names a staff member as the accused employee of a new case.
func accused(users ...store.User) func(in map[string]any) {
	return func(in map[string]any) {
		var list []map[string]any
		for _, u := range users {
			list = append(list, map[string]any{"name": u.Name, "user_id": u.ID})
		}
		in["accused_employees"] = list
	}
}

// act takes an action on a case through the service, as who.
func (b *testBundle) act(t *testing.T, who, number string, a complaint.Action, input map[string]any) {
	t.Helper()
	org, _, _ := strings.Cut(who, "/")
	caller, err := b.svc.Caller(context.Background(), org, b.users[who].ID)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(input)
	if _, err := b.svc.Act(context.Background(), org, number, caller, complaint.Command{Action: a, Input: data}); err != nil {
		t.Fatalf("%s on %s as %s: %v", a, number, who, err)
	}
}

// actionForms returns the actions whose forms the case file offers.
func actionForms(body string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<details class="gg-action[^"]*" id="actie-([a-z_]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

// values builds a form from pairs.
func values(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

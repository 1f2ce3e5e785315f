package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Who may use a route, as this test expects it: written out here, apart
// from the route table, so that a route whose access changes by mistake
// fails the test. A route missing here fails it too.
const (
	everyone   = "everyone"   // also without a session
	allMembers = "allMembers" // every role
	adminsOnly = "adminsOnly" // administrator
)

// routeAccess lists every route of the table. form is what a POST sends:
// enough for the action to go through when allowed.
var routeAccess = map[string]struct {
	who  string
	form url.Values
}{
	"GET /aanmelden":              {everyone, nil},
	"POST /aanmelden":             {everyone, nil},
	"GET /aanmelden/code":         {allMembers, nil},
	"POST /aanmelden/code":        {allMembers, nil},
	"POST /afmelden":              {allMembers, nil},
	"POST /afmelden/overal":       {allMembers, nil},
	"GET /wachtwoord/vergeten":    {everyone, nil},
	"POST /wachtwoord/vergeten":   {everyone, nil},
	"GET /wachtwoord/herstellen":  {everyone, nil},
	"POST /wachtwoord/herstellen": {everyone, nil},
	"POST /taal":                  {everyone, url.Values{"taal": {"nl"}}},
	"GET /account":                {allMembers, nil},
	"GET /account/tweestaps":      {allMembers, nil},
	"POST /account/tweestaps":     {allMembers, nil},
	"POST /organisatie":           {allMembers, url.Values{"org": {"smartplus"}}},
	"GET /{$}":                    {allMembers, nil},

	"GET /gebruikers":                            {adminsOnly, nil},
	"GET /gebruikers/nieuw":                      {adminsOnly, nil},
	"POST /gebruikers":                           {adminsOnly, nil},
	"GET /gebruikers/{id}":                       {adminsOnly, nil},
	"POST /gebruikers/{id}/rollen":               {adminsOnly, url.Values{"rol": {"receiver"}}},
	"POST /gebruikers/{id}/verwijderen":          {adminsOnly, nil},
	"POST /gebruikers/{id}/herstellink":          {adminsOnly, nil},
	"POST /gebruikers/{id}/tweestaps-herstellen": {adminsOnly, nil},
	"POST /gebruikers/tweestaps-verplicht":       {adminsOnly, url.Values{"verplicht": {"nee"}}},
}

// roleKeys are the smartplus people who hold one role each.
var roleKeys = []string{"receiver", "handler", "board", "quality_officer", "data_protection_officer", "administrator"}

func TestEveryRouteRefusesWhoIsNotAllowed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	values := map[string]string{
		"{id}":     b.users["smartplus/target"].ID,
		"{number}": b.cases["overdue"],
		"{action}": "acknowledge",
		"{$}":      "",
	}
	for _, rt := range b.app.routes() {
		want, ok := routeAccess[rt.pattern]
		if !ok {
			t.Errorf("route %q is missing from routeAccess: say who may use it", rt.pattern)
			continue
		}
		method, path, _ := strings.Cut(rt.pattern, " ")
		for k, v := range values {
			path = strings.ReplaceAll(path, k, v)
		}
		for _, who := range append([]string{""}, roleKeys...) {
			allowed := want.who == everyone || (who != "" && (want.who == allMembers || (want.who == adminsOnly && who == "administrator")) || slices.Contains(routeAllows[want.who], who))
			c := b.client(t)
			if who != "" {
				// A fresh session for every request: some actions end it.
				c = b.signedIn(t, "smartplus/"+who)
			}
			var res response
			if method == http.MethodGet {
				res = c.get(path)
			} else {
				res = c.post(path, want.form)
			}
			toSignIn := res.status == http.StatusFound && strings.HasPrefix(res.location(), "/aanmelden")
			name := who
			if name == "" {
				name = "no session"
			}
			switch {
			case allowed && (res.status == http.StatusForbidden || toSignIn):
				t.Errorf("%s as %s: %d (to %q), want it allowed", rt.pattern, name, res.status, res.location())
			case !allowed && who == "" && !toSignIn:
				t.Errorf("%s without a session: %d (to %q), want 302 to /aanmelden", rt.pattern, res.status, res.location())
			case !allowed && who != "" && res.status != http.StatusForbidden:
				t.Errorf("%s as %s: %d, want 403", rt.pattern, name, res.status)
			}
		}
	}
	for pattern := range routeAccess {
		if !slices.ContainsFunc(b.app.routes(), func(r route) bool { return r.pattern == pattern }) {
			t.Errorf("routeAccess lists %q, which the table does not have", pattern)
		}
	}
}

func TestAdministratorsActOnlyOnTheirOwnOrganisation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, "smartplus/administrator")
	foreign := b.users["bestmatch/handler"].ID
	for _, tc := range []struct{ method, path string }{
		{"GET", "/gebruikers/" + foreign},
		{"POST", "/gebruikers/" + foreign + "/rollen"},
		{"POST", "/gebruikers/" + foreign + "/verwijderen"},
		{"POST", "/gebruikers/" + foreign + "/herstellink"},
		{"POST", "/gebruikers/" + foreign + "/tweestaps-herstellen"},
	} {
		var res response
		if tc.method == "GET" {
			res = admin.get(tc.path)
		} else {
			res = admin.post(tc.path, url.Values{"rol": {"administrator"}})
		}
		if res.status != http.StatusNotFound {
			t.Errorf("%s %s (a Best Match user) as SmartPLUS's administrator: %d, want 404", tc.method, tc.path, res.status)
		}
	}
	if roles, _ := b.store.RolesOf(t.Context(), "bestmatch", foreign); !slices.Equal(roles, []string{"handler"}) {
		t.Fatalf("the foreign user's roles changed: %v", roles)
	}
	// The other organisation's cases do not show on the dashboard either.
	if strings.Contains(admin.ok("/").body, b.cases["other"]+`"`) && strings.Contains(admin.ok("/").body, "Bestmatch Klager") {
		t.Fatal("a Best Match case on SmartPLUS's dashboard")
	}
}

func TestUnknownPagesAreNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for _, c := range []*client{b.client(t), b.signedIn(t, "smartplus/handler")} {
		if res := c.get("/bestaat-niet"); res.status != http.StatusNotFound || !strings.Contains(res.body, "bestaat niet") {
			t.Errorf("unknown page: %d", res.status)
		}
	}
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/store"
)

func init() {
	for _, p := range []string{"GET /account/wachtwoord", "POST /account/wachtwoord"} {
		routeAccess[p] = struct {
			who  string
			form url.Values
		}{allMembers, nil}
	}
}

func TestPasswordChange(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	other := b.signedIn(t, "smartplus/handler")
	if !strings.Contains(c.ok("/account").body, `href="/account/wachtwoord"`) {
		t.Error("the account page does not link the password form")
	}
	if body := c.ok("/account/wachtwoord").body; !strings.Contains(body, `autocomplete="current-password"`) {
		t.Errorf("form:\n%s", body)
	}
	const next = "een nieuw en nog langer wachtwoord"
	refusals := []struct {
		name   string
		form   url.Values
		status int
		want   string
	}{
		{"wrong current", url.Values{"current": {"niet mijn wachtwoord"}, "password": {next}, "repeat": {next}}, http.StatusBadRequest, "Uw huidige wachtwoord klopt niet."},
		{"mismatch", url.Values{"current": {testPassword}, "password": {next}, "repeat": {next + "x"}}, http.StatusBadRequest, "De twee wachtwoorden zijn niet gelijk."},
		{"too short", url.Values{"current": {testPassword}, "password": {"kort"}, "repeat": {"kort"}}, http.StatusBadRequest, "minstens 12 tekens"},
		{"empty", url.Values{}, http.StatusBadRequest, "Vul dit veld in."},
	}
	for _, tc := range refusals {
		res := c.post("/account/wachtwoord", tc.form)
		if res.status != tc.status || !strings.Contains(res.body, tc.want) {
			t.Errorf("%s: %d, want %d with %q:\n%.2000s", tc.name, res.status, tc.status, tc.want, res.body)
		}
		if strings.Contains(res.body, testPassword) || strings.Contains(res.body, next) {
			t.Errorf("%s: a password is echoed in the page", tc.name)
		}
	}
	// The wrong current password was logged as a failed attempt.
	events, err := b.store.AuthEvents(context.Background(), b.users["smartplus/handler"].Email, 50)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(events, func(e store.AuthEvent) bool { return e.Reason == "change_wrong_password" && !e.Success }) {
		t.Errorf("no failed attempt in the sign-in log: %+v", events)
	}
	other.ok("/") // nothing changed yet

	res := c.post("/account/wachtwoord", url.Values{"current": {testPassword}, "password": {next}, "repeat": {next}})
	if res.status != http.StatusSeeOther || res.location() != "/account" {
		t.Fatalf("change: %d to %q:\n%s", res.status, res.location(), res.body)
	}
	if !strings.Contains(c.ok("/account").body, "Uw wachtwoord is gewijzigd") {
		t.Error("no confirmation after the change")
	}
	if res := other.get("/"); res.status != http.StatusFound {
		t.Errorf("the other session survived the change: %d", res.status)
	}
	// The old password no longer signs in; the new one does.
	fresh := b.client(t)
	email := b.users["smartplus/handler"].Email
	if res := fresh.post("/aanmelden", url.Values{"email": {email}, "password": {testPassword}}); res.status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	if res := fresh.post("/aanmelden", url.Values{"email": {email}, "password": {next}}); res.status != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d", res.status)
	}
}

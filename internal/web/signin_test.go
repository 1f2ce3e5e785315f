package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/auth"
)

// sessionCookie returns the client's session cookie value.
func (c *client) sessionCookie() string {
	u, _ := url.Parse(c.b.url)
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "gegrond_session" {
			return ck.Value
		}
	}
	return ""
}

// withCookie returns a new client holding only the given session token.
func (b *testBundle) withCookie(t *testing.T, token string) *client {
	c := b.client(t)
	u, _ := url.Parse(b.url)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gegrond_session", Value: token, Path: "/"}})
	return c
}

func TestSignInAndOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	// Not signed in: every page sends to the sign-in page, and back.
	res := c.get("/gebruikers?x=1")
	if res.status != http.StatusFound || res.location() != "/aanmelden?terug=%2Fgebruikers%3Fx%3D1" {
		t.Fatalf("GET /gebruikers without a session: %d to %q", res.status, res.location())
	}
	// A wrong password shows one message for address and password alike,
	// and keeps the address but not the password.
	email := b.users["smartplus/handler"].Email
	res = c.post("/aanmelden", url.Values{"email": {email}, "password": {"wrong password!"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Het e-mailadres of het wachtwoord klopt niet.") ||
		!strings.Contains(res.body, `value="`+email+`"`) || strings.Contains(res.body, "wrong password!") {
		t.Fatalf("wrong password: %d\n%s", res.status, res.body)
	}
	res = c.post("/aanmelden", url.Values{"email": {""}, "password": {""}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `aria-invalid="true"`) || !strings.Contains(res.body, "Vul dit veld in.") {
		t.Fatalf("empty form: %d", res.status)
	}

	// Success: a new session in an HttpOnly, SameSite=Lax cookie, and
	// back to the page asked for.
	planted := "planted-by-an-attacker"
	u, _ := url.Parse(b.url)
	c.http.Jar.SetCookies(u, []*http.Cookie{{Name: "gegrond_session", Value: planted, Path: "/"}})
	req, _ := http.NewRequest(http.MethodPost, b.url+"/aanmelden", strings.NewReader(url.Values{
		"email": {email}, "password": {testPassword}, "terug": {"/?te-laat=1"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res = c.do(req)
	if res.status != http.StatusSeeOther || res.location() != "/?te-laat=1" {
		t.Fatalf("sign in: %d to %q", res.status, res.location())
	}
	setCookie := res.header.Get("Set-Cookie")
	for _, attr := range []string{"HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(setCookie, attr) {
			t.Errorf("session cookie %q lacks %s", setCookie, attr)
		}
	}
	token := c.sessionCookie()
	if token == "" || token == planted {
		t.Fatalf("session token %q: a sign-in must make a new one", token)
	}
	if body := c.ok("/").body; !strings.Contains(body, "Hans Handler") || !strings.Contains(body, "Termijnen") {
		t.Fatal("the dashboard does not show the signed-in handler")
	}
	events, _ := b.store.AuthEvents(t.Context(), email, 0)
	if len(events) != 2 || !events[0].Success || events[1].Success || events[0].RemoteAddr != "127.0.0.1" {
		t.Fatalf("sign-in log %+v", events)
	}

	// Sign out: the cookie goes, and the token is dead on the server too.
	res = c.post("/afmelden", nil)
	if res.status != http.StatusSeeOther || res.location() != "/aanmelden" {
		t.Fatalf("sign out: %d to %q", res.status, res.location())
	}
	if body := c.ok("/aanmelden").body; !strings.Contains(body, "U bent afgemeld.") {
		t.Error("no message after signing out")
	}
	if res := b.withCookie(t, token).get("/"); res.status != http.StatusFound {
		t.Fatalf("the old token still works after signing out: %d", res.status)
	}
}

func TestSignOutEverywhereEndsOtherSessions(t *testing.T) {
	t.Parallel()
	b := setup(t)
	laptop := b.signedIn(t, "smartplus/handler")
	phone := b.signedIn(t, "smartplus/handler")
	other := b.signedIn(t, "smartplus/board")
	if res := laptop.post("/afmelden/overal", nil); res.status != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.status)
	}
	for name, c := range map[string]*client{"laptop": laptop, "phone": phone} {
		if res := c.get("/"); res.status != http.StatusFound {
			t.Errorf("%s still signed in: %d", name, res.status)
		}
	}
	other.ok("/")
}

func TestOrganisationSwitchRenewsTheSession(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler2")
	body := c.ok("/").body
	// Best Match comes first by name; Henk is a receiver there.
	if !strings.Contains(body, `gg-brand__org">Best Match`) || !strings.Contains(body, "Bestmatch Klager") {
		t.Fatal("Henk does not start in Best Match")
	}
	if !strings.Contains(body, `id="org-switch"`) {
		t.Fatal("no organisation switcher for a member of two organisations")
	}
	before := c.sessionCookie()
	res := c.post("/organisatie", url.Values{"org": {"smartplus"}})
	if res.status != http.StatusSeeOther || res.location() != "/" {
		t.Fatalf("switch: %d to %q", res.status, res.location())
	}
	after := c.sessionCookie()
	if after == before {
		t.Fatal("the session token was not renewed at the switch")
	}
	if body := c.ok("/").body; !strings.Contains(body, "Petra de Vries") || strings.Contains(body, "Bestmatch Klager") {
		t.Fatal("after the switch the dashboard is not SmartPLUS's")
	}
	if res := b.withCookie(t, before).get("/"); res.status != http.StatusFound {
		t.Fatalf("the token from before the switch still works: %d", res.status)
	}
	// An organisation one is no member of: refused.
	if res := c.post("/organisatie", url.Values{"org": {"work2work"}}); res.status != http.StatusForbidden {
		t.Fatalf("switch to a foreign organisation: %d", res.status)
	}
	// A one-organisation person has no switcher.
	if strings.Contains(b.signedIn(t, "smartplus/handler").ok("/").body, `id="org-switch"`) {
		t.Error("a switcher for a member of one organisation")
	}
}

func TestRepeatedFailuresLockTheAddress(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		c := b.client(t)
		email := b.users["smartplus/handler"].Email
		for i := range 5 {
			if res := c.post("/aanmelden", url.Values{"email": {email}, "password": {"wrong password!"}}); res.status != http.StatusBadRequest {
				t.Fatalf("failure %d: %d", i+1, res.status)
			}
		}
		res := c.post("/aanmelden", url.Values{"email": {email}, "password": {testPassword}})
		if res.status != http.StatusForbidden || !strings.Contains(res.body, "15 minuten geblokkeerd") {
			t.Fatalf("sixth attempt with the right password: %d\n%s", res.status, res.body)
		}
		// Another address is not locked.
		b.signedIn(t, "smartplus/board")
	})
}

func TestPasswordResetThroughTheScreens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	old := b.signedIn(t, "smartplus/handler")
	c := b.client(t)
	email := b.users["smartplus/handler"].Email
	res := c.post("/wachtwoord/vergeten", url.Values{"email": {email}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "beheerder") {
		t.Fatalf("forgot: %d", res.status)
	}
	unknown := c.post("/wachtwoord/vergeten", url.Values{"email": {"nobody@example.nl"}})
	if unknown.status != res.status || unknown.body != res.body {
		t.Fatal("an unknown address is answered differently from a known one")
	}
	if strings.Contains(res.body, "token=") {
		t.Fatal("the reset link is shown on the screen")
	}
	logs := b.logs.String()
	i := strings.Index(logs, "https://klachten.example/wachtwoord/herstellen?token=")
	if i < 0 {
		t.Fatalf("no reset link in the log:\n%s", logs)
	}
	link, _ := url.Parse(strings.Trim(strings.Fields(logs[i:])[0], `"`))
	path := link.Path + "?" + link.RawQuery
	if body := c.ok(path).body; !strings.Contains(body, email) {
		t.Fatal("the reset page does not say whose password it sets")
	}
	token := link.Query().Get("token")
	res = c.post("/wachtwoord/herstellen", url.Values{"token": {token}, "password": {"nieuw wachtwoord 2026"}, "repeat": {"anders"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "niet gelijk") {
		t.Fatalf("mismatch: %d", res.status)
	}
	res = c.post("/wachtwoord/herstellen", url.Values{"token": {token}, "password": {"kort"}, "repeat": {"kort"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "minstens 12 tekens") {
		t.Fatalf("short password: %d", res.status)
	}
	res = c.post("/wachtwoord/herstellen", url.Values{"token": {token}, "password": {"nieuw wachtwoord 2026"}, "repeat": {"nieuw wachtwoord 2026"}})
	if res.status != http.StatusSeeOther || res.location() != "/aanmelden" {
		t.Fatalf("reset: %d to %q\n%s", res.status, res.location(), res.body)
	}
	if res := old.get("/"); res.status != http.StatusFound {
		t.Fatal("a session survived the reset")
	}
	if res := c.get(path); res.status != http.StatusNotFound || !strings.Contains(res.body, "al gebruikt of verlopen") {
		t.Fatalf("the link works twice: %d", res.status)
	}
	res = c.post("/aanmelden", url.Values{"email": {email}, "password": {"nieuw wachtwoord 2026"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("sign in with the new password: %d", res.status)
	}
}

func TestAfterSignInGoesToTheSecondFactor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		id   *auth.Identity
		back string
		want string
	}{
		{&auth.Identity{}, "", "/"},
		{&auth.Identity{}, "/gebruikers", "/gebruikers"},
		{&auth.Identity{HasTOTP: true}, "/gebruikers", "/aanmelden/code?terug=%2Fgebruikers"},
	} {
		if got := afterSignIn(tc.id, tc.back); got != tc.want {
			t.Errorf("afterSignIn(%+v, %q) = %q, want %q", tc.id, tc.back, got, tc.want)
		}
	}
}

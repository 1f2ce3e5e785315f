package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestNewFailsOnAMissingView(t *testing.T) {
	t.Parallel()
	st, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := loadViews(st, registeredViews); err != nil {
		t.Fatalf("the real views: %v", err)
	}
	_, err = loadViews(st, append(registeredViews[:len(registeredViews):len(registeredViews)], "no_such_view"))
	if err == nil || !strings.Contains(err.Error(), "no_such_view") {
		t.Fatalf("a missing view: %v", err)
	}
}

func TestTemplateNamesAreCheckedAtStart(t *testing.T) {
	t.Parallel()
	st, err := loadStatic()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ src, want string }{
		{`{{define "x"}}{{t "no.such.key"}}{{end}}`, `unknown message key "no.such.key"`},
		{`{{if true}}<link href="{{static "css/missing.css"}}">{{end}}`, `no static file "css/missing.css"`},
		{`{{range .}}{{template "y" (t "also.missing")}}{{end}}`, `"also.missing"`},
	} {
		tmpl := template.Must(template.New("probe").Funcs(funcs(langNL, st)).Parse(tc.src))
		err := checkNames(tmpl, st)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %s", tc.src, err, tc.want)
		}
	}
}

func TestEveryMessageHasBothLanguages(t *testing.T) {
	t.Parallel()
	for k, m := range catalogue {
		if m.nl == "" || m.en == "" {
			t.Errorf("message %s lacks a language", k)
		}
	}
	for _, r := range allRoles {
		if roleName(langEN, string(r)) == "role."+string(r) {
			t.Errorf("role %s has no English name", r)
		}
	}
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	t.Parallel()
	b := setup(t)
	anon := b.client(t)
	css, err := b.app.static.url("css/gegrond.css")
	if err != nil {
		t.Fatal(err)
	}
	handler := b.signedIn(t, "smartplus/handler")
	for _, tc := range []struct {
		name string
		res  response
	}{
		{"sign-in page", anon.get("/aanmelden")},
		{"redirect to sign-in", anon.get("/")},
		{"static file", anon.get(css)},
		{"unknown page", anon.get("/bestaat-niet")},
		{"dashboard", handler.get("/")},
		{"forbidden page", handler.get("/gebruikers")},
	} {
		h := tc.res.header
		if got := h.Get("Content-Security-Policy"); got != contentSecurityPolicy {
			t.Errorf("%s: CSP %q", tc.name, got)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: nosniff %q, referrer %q", tc.name, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
		}
		if h.Get("Strict-Transport-Security") != "" {
			t.Errorf("%s: HSTS over plain HTTP", tc.name)
		}
		if tc.name != "static file" && h.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: Cache-Control %q, want no-store", tc.name, h.Get("Cache-Control"))
		}
	}
	for _, page := range []string{"/aanmelden"} {
		body := anon.ok(page).body
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "<style") {
			t.Errorf("%s has inline script or style", page)
		}
	}
}

func TestSecureCookiesAndHSTSOverTLS(t *testing.T) {
	t.Parallel()
	b := setup(t)
	a, err := newApp(Config{Service: b.svc, Store: b.store, SecureCookies: true, Now: b.app.now, LoginDelay: -1, PasswordParams: &cheap})
	if err != nil {
		t.Fatal(err)
	}
	rec := newRecorder(a, http.MethodPost, "/aanmelden", url.Values{"email": {b.users["smartplus/handler"].Email}, "password": {testPassword}})
	if got := rec.Header().Get("Strict-Transport-Security"); !strings.HasPrefix(got, "max-age=") {
		t.Errorf("HSTS %q", got)
	}
	var session *http.Cookie
	for _, c := range rec.Result().Cookies() {
		if c.Name == "__Host-gegrond_session" {
			session = c
		}
	}
	if session == nil || !session.Secure || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/" || session.Domain != "" {
		t.Fatalf("session cookie over TLS = %+v", session)
	}
}

func TestCrossSiteFormsAreRefused(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	for _, header := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		req, _ := http.NewRequest(http.MethodPost, b.url+"/afmelden", nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		if res := c.do(req); res.status != http.StatusForbidden {
			t.Errorf("POST with %v: status %d, want 403", header, res.status)
		}
	}
	// The session survived the forged sign-out.
	c.ok("/")
	// The same form from this site works.
	req, _ := http.NewRequest(http.MethodPost, b.url+"/afmelden", nil)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if res := c.do(req); res.status != http.StatusSeeOther {
		t.Errorf("same-origin sign-out: %d", res.status)
	}
}

func TestStaticFilesAreVersionedAndCompressed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	for _, name := range []string{"css/gegrond.css", "vendor/utrecht-component-library.css", "vendor/utrecht-design-tokens.css", "vendor/htmx.min.js"} {
		u, err := b.app.static.url(name)
		if err != nil {
			t.Fatal(err)
		}
		if u == "/static/"+name {
			t.Errorf("%s is not versioned", name)
		}
		req, _ := http.NewRequest(http.MethodGet, b.url+u, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		res := c.do(req)
		if res.status != http.StatusOK || !strings.Contains(res.header.Get("Cache-Control"), "immutable") || res.header.Get("Content-Encoding") != "gzip" {
			t.Errorf("%s: status %d, Cache-Control %q, Content-Encoding %q", u, res.status, res.header.Get("Cache-Control"), res.header.Get("Content-Encoding"))
		}
	}
	if res := c.get("/static/css/gegrond.css"); res.status != http.StatusOK || res.header.Get("Cache-Control") != "no-cache" {
		t.Errorf("plain name: %d %q", res.status, res.header.Get("Cache-Control"))
	}
	if res := c.get("/static/nope.css"); res.status != http.StatusNotFound {
		t.Errorf("unknown static file: %d", res.status)
	}
	if res := c.get("/static/vendor/htmx.min.js"); !strings.HasPrefix(res.header.Get("Content-Type"), "text/javascript") {
		t.Errorf("htmx Content-Type %q", res.header.Get("Content-Type"))
	}
}

func TestLanguageSwitch(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.client(t)
	if body := c.ok("/aanmelden").body; !strings.Contains(body, `<html lang="nl"`) || !strings.Contains(body, "Wachtwoord vergeten?") {
		t.Fatal("the sign-in page is not Dutch by default")
	}
	res := c.post("/taal", url.Values{"taal": {"en"}, "terug": {"/aanmelden?x=1"}})
	if res.status != http.StatusSeeOther || res.location() != "/aanmelden?x=1" {
		t.Fatalf("language switch: %d to %q", res.status, res.location())
	}
	if body := c.ok("/aanmelden").body; !strings.Contains(body, `<html lang="en"`) || !strings.Contains(body, "Forgot your password?") {
		t.Fatal("the sign-in page is not English after switching")
	}
	// The return address never leaves the site.
	for _, evil := range []string{"https://evil.example/", "//evil.example/", `/\evil.example`} {
		if res := c.post("/taal", url.Values{"taal": {"nl"}, "terug": {evil}}); res.location() != "/" {
			t.Errorf("terug=%s redirected to %q", evil, res.location())
		}
	}
}

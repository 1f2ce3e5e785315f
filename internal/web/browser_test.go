package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/web/webtest"
)

// TestBrowserSignInDashboardFilterSignOut walks the screens of this
// package in Chromium as a person would, and runs axe-core on each.
func TestBrowserSignInDashboardFilterSignOut(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := webtest.Browser(t)

	webtest.Visit(t, ctx, b.url+"/aanmelden")
	webtest.Axe(t, ctx)
	webtest.Visit(t, ctx, b.url+"/wachtwoord/vergeten")
	webtest.Axe(t, ctx)

	// A wrong password: the message shows, and the page stays accessible.
	webtest.Visit(t, ctx, b.url+"/aanmelden")
	webtest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), b.users["smartplus/handler"].Email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "wrong password!"),
	)
	webtest.Submit(t, ctx, `form[action="/aanmelden"] button[type="submit"]`, ".utrecht-alert--error")
	if msg := webtest.Text(t, ctx, ".utrecht-alert--error"); !strings.Contains(msg, "klopt niet") {
		t.Fatalf("error message %q", msg)
	}
	webtest.Axe(t, ctx)

	webtest.SignIn(t, ctx, b.url, b.users["smartplus/handler"].Email, testPassword)
	if h1 := webtest.Text(t, ctx, "main h1"); h1 != "Termijnen" {
		t.Fatalf("after sign-in the page is %q", h1)
	}
	if rows := webtest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cases tbody tr").length`)); rows != 4 {
		t.Fatalf("%d rows on the dashboard, want 4", rows)
	}
	if first := webtest.Text(t, ctx, "#cases tbody tr .gg-status"); first != "Te laat" {
		t.Fatalf("first row's sign %q, want Te laat", first)
	}
	webtest.Axe(t, ctx)

	// Filter on overdue: htmx replaces the table in place.
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS("#filter-overdue")))
	webtest.WaitFor(t, ctx, `document.querySelectorAll("#cases tbody tr").length === 1`)
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "te-laat=1") {
		t.Errorf("the filter is not in the address: %s", loc)
	}
	if n := webtest.Text(t, ctx, "#cases tbody tr th a"); n != b.cases["overdue"] {
		t.Fatalf("filtered row %q, want %s", n, b.cases["overdue"])
	}
	webtest.Axe(t, ctx)

	// The same filter without JavaScript: the form's own GET.
	webtest.Visit(t, ctx, b.url+"/?te-laat=1&status=received")
	if rows := webtest.Get(t, ctx, chromedp.Evaluate[int](`document.querySelectorAll("#cases tbody tr").length`)); rows != 1 {
		t.Fatalf("%d rows for ?te-laat=1, want 1", rows)
	}

	webtest.Visit(t, ctx, b.url+"/account")
	webtest.Axe(t, ctx)

	// Sign out.
	webtest.Submit(t, ctx, `form[action="/afmelden"] button`, "#f-email")
	if msg := webtest.Text(t, ctx, ".gg-flash"); !strings.Contains(msg, "afgemeld") {
		t.Fatalf("after signing out: %q", msg)
	}
	webtest.Visit(t, ctx, b.url+"/")
	if loc := webtest.Location(t, ctx); !strings.Contains(loc, "/aanmelden") {
		t.Fatalf("after signing out / shows %s", loc)
	}
}

// TestBrowserAdministratorScreens runs axe on the screens of
// administrators and of the second factor, in Dutch and English.
func TestBrowserAdministratorScreens(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.requireTOTP(t, "bestmatch")
	ctx := webtest.Browser(t)
	webtest.SignIn(t, ctx, b.url, b.users["smartplus/administrator"].Email, testPassword)
	target := b.users["smartplus/target"].ID
	for _, p := range []string{"/gebruikers", "/gebruikers/nieuw", "/gebruikers/" + target, "/account/tweestaps", "/account/wachtwoord", "/beheer/brieven", "/beheer/postvak", "/bestaat-niet"} {
		webtest.Visit(t, ctx, b.url+p)
		webtest.Axe(t, ctx)
	}
	// A form with errors next to its fields.
	webtest.Visit(t, ctx, b.url+"/gebruikers/nieuw")
	webtest.Submit(t, ctx, `form[action="/gebruikers"] button[type="submit"]`, ".gg-field__error")
	webtest.Axe(t, ctx)

	// English.
	// Wait for the new page: the old one has a "main h1" too.
	webtest.Submit(t, ctx, `form[action="/taal"] button`, `html[lang="en"] main h1`)
	webtest.Visit(t, ctx, b.url+"/")
	if h1 := webtest.Text(t, ctx, "main h1"); h1 != "Deadlines" {
		t.Fatalf("English dashboard title %q", h1)
	}
	webtest.Axe(t, ctx)
	// The administrator's other screens in English: axe-clean, with their
	// English headings.
	for path, h1 := range map[string]string{
		"/beheer/brieven":          "Letters and letterhead",
		"/account/wachtwoord":      "Change your password",
		"/postvak":                 "",
		"/beheer/postvak":          "",
		"/kwaliteit/register":      "",
		"/kwaliteit/maatregelen":   "",
		"/privacy/bewaartermijnen": "",
	} {
		webtest.Visit(t, ctx, b.url+path)
		if got := webtest.Text(t, ctx, "html[lang=en] main h1"); h1 != "" && got != h1 {
			t.Errorf("%s in English: heading %q, want %q", path, got, h1)
		}
		webtest.Axe(t, ctx)
	}

	// The enrolment an organisation requires.
	ctx2 := webtest.Browser(t)
	webtest.SignIn(t, ctx2, b.url, b.users["bestmatch/handler"].Email, testPassword)
	if h1 := webtest.Text(t, ctx2, "main h1"); h1 != "Tweestapsverificatie instellen" {
		t.Fatalf("after sign-in with required TOTP: %q", h1)
	}
	webtest.Axe(t, ctx2)
}

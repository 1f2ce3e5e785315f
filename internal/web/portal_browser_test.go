package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/web/webtest"
)

// TestBrowserPortalOnAPhone files a complaint with a PDF on a phone-sized
// screen, follows the personal link from the mail, and adds evidence in
// the portal; every page is checked with axe and for its width.
func TestBrowserPortalOnAPhone(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	dir := t.TempDir()
	pdf := filepath.Join(dir, "bewijs.pdf")
	more := filepath.Join(dir, "mail-van-de-coach.pdf")
	for _, f := range []string{pdf, more} {
		if err := os.WriteFile(f, tinyPDF, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	ctx := webtest.Browser(t)
	webtest.Do(t, ctx, chromedp.EmulateViewport(360, 740))
	narrow := func(page string) {
		t.Helper()
		if w := webtest.Get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
			t.Errorf("%s is %d pixels wide on a 360-pixel screen", page, w)
		}
	}

	webtest.Visit(t, ctx, p.url+"/o/webmatch/klacht")
	webtest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-complainant-name"), "Sanne Klager"),
		chromedp.SendKeys(chromedp.CSS("#f-complainant-email"), "sanne@example.nl"),
		chromedp.SendKeys(chromedp.CSS("#f-facts"), "De coach kwam niet opdagen."),
		chromedp.SendKeys(chromedp.CSS("#f-incident_date"), "02-03-2026"),
		chromedp.SendKeys(chromedp.CSS("#f-incident_time"), "10:00"),
		chromedp.SendKeys(chromedp.CSS("#f-incident_place"), "Utrecht"),
		chromedp.SendKeys(chromedp.CSS("#f-accused_names"), "Coach Jansen"),
		chromedp.SendKeys(chromedp.CSS("#f-desired_outcome"), "Een nieuwe afspraak."),
		chromedp.Click(chromedp.CSS("#f-privacy")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-bewijs"), []string{pdf}),
	)
	// The confirmation, or the form again with its messages: say which.
	webtest.Submit(t, ctx, `main form button[type="submit"]`, "#case-number, .gg-field__error, .utrecht-alert--error")
	if errs := webtest.Get(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll(".gg-field__error, .utrecht-alert--error")].map(e => e.textContent.trim()).join(" | ")`)); errs != "" {
		t.Fatalf("the public form refused the complaint: %s", errs)
	}
	recs := p.cases(t)
	if len(recs) != 1 {
		t.Fatalf("%d cases", len(recs))
	}
	number := recs[0].Number

	// The link from the mail opens the case.
	links := portalMails(t, p.svc, p.url, "sanne@example.nl")
	if len(links) != 1 {
		t.Fatalf("%d portal mails, want 1", len(links))
	}
	webtest.Visit(t, ctx, links[0])
	if got := webtest.Text(t, ctx, "h1"); !strings.Contains(got, number) {
		t.Fatalf("portal heading %q, want %s", got, number)
	}
	if got := webtest.Text(t, ctx, "#portal-documents"); !strings.Contains(got, "bewijs.pdf") {
		t.Errorf("portal documents %q", got)
	}
	webtest.Axe(t, ctx)
	narrow("the portal")

	// Sent without a file: the message at the field, axe clean.
	webtest.Submit(t, ctx, `form[action$="/bewijs"] button[type="submit"]`, "#p-bewijs-error")
	webtest.Axe(t, ctx)

	// Evidence added through the portal.
	webtest.Do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS("#p-bewijs"), []string{more}),
		chromedp.SendKeys(chromedp.CSS("#p-bewijs-toelichting"), "De mail waarin de coach afzegt."),
	)
	webtest.Submit(t, ctx, `form[action$="/bewijs"] button[type="submit"]`, "#portal-done")
	if got := webtest.Text(t, ctx, "#portal-documents"); !strings.Contains(got, "mail-van-de-coach.pdf") {
		t.Errorf("portal documents after upload %q", got)
	}
	webtest.Axe(t, ctx)
	narrow("the portal after an upload")
	if n := len(p.files(t)); n != 2 {
		t.Errorf("%d files stored, want 2", n)
	}

	// The page to ask for a new link.
	webtest.Visit(t, ctx, p.url+"/portaal")
	webtest.Axe(t, ctx)
	narrow("the renewal page")
	webtest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-dossier"), number),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "sanne@example.nl"),
	)
	webtest.Submit(t, ctx, `main form button[type="submit"]`, ".utrecht-alert--ok")
	webtest.Axe(t, ctx)
}

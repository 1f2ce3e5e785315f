package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/web/webtest"
)

// TestBrowserPublicComplaintOnAPhone files a complaint with a PDF on a
// phone-sized screen, without signing in, and checks both pages with axe.
func TestBrowserPublicComplaintOnAPhone(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	pdf := filepath.Join(t.TempDir(), "bewijs.pdf")
	if err := os.WriteFile(pdf, tinyPDF, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := webtest.Browser(t)
	webtest.Do(t, ctx, chromedp.EmulateViewport(360, 740))
	webtest.Visit(t, ctx, p.url+"/o/webmatch/klacht")
	webtest.Axe(t, ctx)
	if w := webtest.Get(t, ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); w > 360 {
		wide := webtest.Get(t, ctx, chromedp.Evaluate[string](`[...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > 362).slice(0,5).map(e => e.tagName+"."+e.className+"#"+e.id+" "+Math.round(e.getBoundingClientRect().right)).join(" | ")`))
		t.Errorf("the form is %d pixels wide on a 360-pixel screen: %s (inner %d)", w, wide, webtest.Get(t, ctx, chromedp.Evaluate[int](`window.innerWidth`)))
	}
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
	webtest.Submit(t, ctx, `main form button[type="submit"]`, "#case-number")
	recs := p.cases(t)
	if len(recs) != 1 {
		t.Fatalf("%d cases", len(recs))
	}
	if got := webtest.Text(t, ctx, "#case-number"); !strings.Contains(got, recs[0].Number) {
		t.Fatalf("confirmation %q, want %s", got, recs[0].Number)
	}
	webtest.Axe(t, ctx)
	if n := len(p.files(t)); n != 1 {
		t.Errorf("%d files stored, want 1", n)
	}
}

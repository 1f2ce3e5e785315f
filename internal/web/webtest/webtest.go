// Package webtest drives Gegrond's screens in a real browser for tests:
// Debian's Chromium, headless, through chromedp. It starts a browser per
// test with a fresh profile, signs in, and runs axe-core on a page to
// find WCAG 2.1 A and AA violations.
//
// axe-core is vendored here (axe.min.js, from internal/web/assets) and
// injected into the page under test through the DevTools protocol: it is
// never served to users.
//
// Without a browser the tests fail with instructions, unless
// GEGROND_TEST_SKIP_BROWSER=1 says to skip them knowingly.
//
//	ctx := webtest.Browser(t)
//	webtest.SignIn(t, ctx, srv.URL, "handler@example.test", "password")
//	webtest.Axe(t, ctx)
package webtest

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, injected into pages by Axe.
//
//go:embed axe.min.js
var axeSource string

// Timeout bounds one step (a navigation, a wait, an axe run).
const Timeout = 20 * time.Second

// browserNames are the executables looked for, Debian's first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"}

// findBrowser returns the path of the browser: GEGROND_TEST_BROWSER, or
// the first of browserNames on PATH.
func findBrowser() (string, error) {
	if p := os.Getenv("GEGROND_TEST_BROWSER"); p != "" {
		return p, nil
	}
	for _, name := range browserNames {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", fmt.Errorf("no browser found (looked for %s on PATH)", strings.Join(browserNames, ", "))
}

// Browser starts a headless Chromium with a fresh profile and returns the
// context of its first tab. The browser stops when the test ends. Each
// test has its own browser, so its cookies are its own.
func Browser(t testing.TB) context.Context {
	t.Helper()
	if os.Getenv("GEGROND_TEST_SKIP_BROWSER") == "1" {
		t.Skip("browser tests skipped: GEGROND_TEST_SKIP_BROWSER=1")
	}
	path, err := findBrowser()
	if err != nil {
		t.Fatalf("browser tests: %v\n"+
			"Install Debian's Chromium (apt-get update && apt-get install -y chromium), point GEGROND_TEST_BROWSER at a "+
			"Chromium or Chrome, or set GEGROND_TEST_SKIP_BROWSER=1 to skip these tests knowingly.", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.Flag("lang", "nl-NL"),
		chromedp.WindowSize(1280, 900),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	// The first run starts the browser; it must not carry a timeout, which
	// would end the browser with it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start the browser %s: %v", path, err)
	}
	return ctx
}

// Do runs steps with the step timeout and fails the test on an error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(tctx, steps...); err != nil {
		t.Fatalf("browser: %v (at %s)", err, location(ctx))
	}
}

// Get runs one action that returns a value, with the step timeout.
func Get[T any](t testing.TB, ctx context.Context, a chromedp.Action[T]) T {
	t.Helper()
	tctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		t.Fatalf("browser: %v (at %s)", err, location(ctx))
	}
	return v
}

// location returns the tab's address, for messages.
func location(ctx context.Context) string {
	tctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(tctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return loc
}

// Location returns the address of the page the tab shows.
func Location(t testing.TB, ctx context.Context) string {
	t.Helper()
	return Get(t, ctx, chromedp.Location())
}

// Visit opens url and waits for its main content.
func Visit(t testing.TB, ctx context.Context, url string) {
	t.Helper()
	Do(t, ctx, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("main")))
}

// Text returns the visible text of the first element matching the CSS
// selector.
func Text(t testing.TB, ctx context.Context, selector string) string {
	t.Helper()
	return Get(t, ctx, chromedp.Text(chromedp.CSS(selector)))
}

// Submit clicks the element matching clickSel (a submit button) and
// waits until the next page shows an element matching waitSel.
func Submit(t testing.TB, ctx context.Context, clickSel, waitSel string) {
	t.Helper()
	Do(t, ctx, chromedp.Click(chromedp.CSS(clickSel)), chromedp.WaitVisible(chromedp.CSS(waitSel)))
}

// SignIn signs in on the sign-in page of baseURL and waits for the page
// after it (the dashboard, or the second-factor step).
func SignIn(t testing.TB, ctx context.Context, baseURL, email, password string) {
	t.Helper()
	Visit(t, ctx, strings.TrimRight(baseURL, "/")+"/aanmelden")
	Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS("#f-email"), email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), password),
		chromedp.Click(chromedp.CSS(`form[action="/aanmelden"] button[type="submit"]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#f-password")),
		chromedp.WaitVisible(chromedp.CSS("main")),
	)
}

// WCAG is the set of axe-core tags Axe checks: WCAG 2.0 and 2.1, levels
// A and AA.
var WCAG = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// Violation is one rule axe-core found broken.
type Violation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	HelpURL string   `json:"helpUrl"`
	Tags    []string `json:"tags"`
	Nodes   []struct {
		Target         []any  `json:"target"`
		HTML           string `json:"html"`
		FailureSummary string `json:"failureSummary"`
	} `json:"nodes"`
}

// Audit runs axe-core on the page the tab shows and returns the WCAG 2.1
// A and AA violations.
func Audit(t testing.TB, ctx context.Context) []Violation {
	t.Helper()
	script := fmt.Sprintf(`(async () => {
		if (!window.axe) { %s }
		const r = await axe.run(document, {runOnly: {type: "tag", values: %s}, resultTypes: ["violations"]});
		return JSON.stringify(r.violations);
	})()`, axeSource, mustJSON(WCAG))
	out := Get(t, ctx, chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("axe result: %v", err)
	}
	return vs
}

// Axe fails the test when the page the tab shows breaks a WCAG 2.1 A or AA
// rule, listing each violation with the elements concerned.
func Axe(t testing.TB, ctx context.Context) {
	t.Helper()
	vs := Audit(t, ctx)
	if len(vs) == 0 {
		return
	}
	var b strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&b, "\n- %s (%s): %s\n  %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n    %v: %s\n      %s", n.Target, n.HTML, strings.ReplaceAll(n.FailureSummary, "\n", "\n      "))
		}
	}
	t.Errorf("accessibility: %d WCAG 2.1 A/AA violation(s) on %s:%s", len(vs), location(ctx), b.String())
}

// Screenshot saves a PNG of the whole page to path.
func Screenshot(t testing.TB, ctx context.Context, path string) {
	t.Helper()
	png := Get(t, ctx, chromedp.FullScreenshot(100)) // quality 100 is PNG; less is JPEG
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// WaitFor waits until the JavaScript expression is true on the page, for
// at most Timeout. (chromedp.Poll builds its predicate with new Function,
// which the application's CSP forbids.)
func WaitFor(t testing.TB, ctx context.Context, expr string) {
	t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		tctx, cancel := context.WithTimeout(ctx, Timeout)
		ok, err := chromedp.Run(tctx, chromedp.Evaluate[bool]("Boolean("+expr+")"))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("browser: %s did not become true within %v (at %s; last error %v)", expr, Timeout, location(ctx), err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

package web

import (
	"testing"

	"github.com/gegrond/gegrond/internal/web/webtest"
)

// TestBrowserQualityPages runs axe-core on the register, the measures and
// the yearly report with its inline SVG charts.
func TestBrowserQualityPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := webtest.Browser(t)
	webtest.SignIn(t, ctx, b.url, b.users["smartplus/quality_officer"].Email, testPassword)
	for _, path := range []string{"/kwaliteit/register", "/kwaliteit/maatregelen", "/kwaliteit/jaarverslag?jaar=2026"} {
		webtest.Visit(t, ctx, b.url+path)
		webtest.Axe(t, ctx)
	}
	if n := webtest.Text(t, ctx, "#report-counts dd"); n != "4" {
		t.Errorf("the report page shows %q complaints, want 4", n)
	}
}

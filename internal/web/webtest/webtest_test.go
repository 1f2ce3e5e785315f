package webtest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
)

// TestAxeFindsViolationsUnderAStrictCSP makes sure the audit can fail: a
// page with an unlabelled field and an image without text, served under
// the same Content-Security-Policy as the application.
func TestAxeFindsViolationsUnderAStrictCSP(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, `<!doctype html><html lang="nl"><head><title>Proef</title></head><body><main>
<h1>Proef</h1><form><input type="text" name="x"></form>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>`)
	}))
	t.Cleanup(srv.Close)
	ctx := Browser(t)
	Visit(t, ctx, srv.URL)
	var ids []string
	for _, v := range Audit(t, ctx) {
		ids = append(ids, v.ID)
	}
	for _, want := range []string{"label", "image-alt"} {
		if !slices.Contains(ids, want) {
			t.Errorf("axe did not report %q; it reported %v", want, ids)
		}
	}
}

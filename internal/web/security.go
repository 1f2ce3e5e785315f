package web

import (
	"net/http"
)

// contentSecurityPolicy allows only this site's own scripts, styles and
// images (and data: images, which the NL Design System CSS uses for
// icons): no inline script or style, no framing, forms only to here.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"frame-ancestors 'none'; form-action 'self'; base-uri 'none'"

// securityHeaders sets the headers every response carries.
func (a *app) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if a.secure {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// crossOriginDenied answers a state-changing request from another site
// (http.CrossOriginProtection): the CSRF defence.
func (a *app) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	a.log.Warn("web: cross-origin request refused", "method", r.Method, "path", RedactPath(r.URL.Path),
		"origin", r.Header.Get("Origin"), "sec_fetch_site", r.Header.Get("Sec-Fetch-Site"))
	w.Header().Set("Cache-Control", "no-store")
	a.renderError(w, r, errCrossOrigin)
}

package web

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Paths the access checks send people to.
const (
	pathSignIn     = "/aanmelden"
	pathSignInTOTP = "/aanmelden/code"
	pathTOTPSetup  = "/account/tweestaps"
	pathHome       = "/"
)

// serve wraps a route's handler with the checks every request passes: who
// is signed in, whether they may use this route in this organisation, and
// how errors and panics are shown.
//
// Not signed in (or the session expired) on a route that is not public: a
// redirect to the sign-in page, which comes back here afterwards. Signed
// in without the needed role: 403. A session that still owes its second
// factor is sent to that step from every other route.
func (a *app) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("web: panic", "method", r.Method, "path", RedactPath(r.URL.Path), "panic", v)
				a.renderError(w, r, errPanic)
			}
		}()
		// Pages of a signed-in person, and the forms that lead to them,
		// are never kept by a browser or a proxy.
		w.Header().Set("Cache-Control", "no-store")

		id, err := a.identify(r)
		if err != nil && !errors.Is(err, auth.ErrNoSession) && !errors.Is(err, auth.ErrExpired) {
			a.renderError(w, r, err)
			return
		}
		if id != nil {
			r = r.WithContext(auth.NewContext(r.Context(), id))
		}
		if !rt.access.public {
			if id == nil {
				a.toSignIn(w, r, errors.Is(err, auth.ErrExpired))
				return
			}
			if step := id.Pending(); step != auth.StepNone && !rt.access.signIn {
				a.toSecondFactor(w, r, step)
				return
			}
			if !rt.access.allows(id) {
				a.renderError(w, r, errForbidden)
				return
			}
		}
		if err := rt.handle(w, r); err != nil {
			a.renderError(w, r, err)
		}
	})
}

// allows reports whether the identity may use a route with this access.
func (ac access) allows(id *auth.Identity) bool {
	if ac.public {
		return true
	}
	if id == nil || len(id.Roles) == 0 {
		return false
	}
	if ac.anyMember {
		return true
	}
	return slices.ContainsFunc(ac.roles, func(r reglement.Role) bool { return id.Has(r) })
}

// identify returns the identity of the request's session cookie: nil and
// auth.ErrNoSession without one, auth.ErrExpired for a timed-out one
// (whose cookie it clears).
func (a *app) identify(r *http.Request) (*auth.Identity, error) {
	c, err := r.Cookie(a.sessionCookieName())
	if err != nil || c.Value == "" {
		return nil, auth.ErrNoSession
	}
	return a.auth.Authenticate(r.Context(), c.Value)
}

// toSignIn sends a request without a session to the sign-in page. A GET
// comes back to its page after signing in; a form posted after the
// session ended cannot be replayed, so it comes back to the home page.
func (a *app) toSignIn(w http.ResponseWriter, r *http.Request, expired bool) {
	a.clearSessionCookie(w)
	q := url.Values{}
	if r.Method == http.MethodGet && r.URL.Path != pathHome {
		q.Set("terug", r.URL.RequestURI())
	}
	if expired {
		q.Set("verlopen", "1")
	}
	target := pathSignIn
	if len(q) > 0 {
		target += "?" + q.Encode()
	}
	if r.Header.Get("HX-Request") == "true" {
		a.redirect(w, r, target)
		return
	}
	// 302 for every method: the route-permission test expects one answer
	// to "not signed in", and browsers follow it with a GET.
	http.Redirect(w, r, target, http.StatusFound)
}

// toSecondFactor sends a session that owes its second factor to the step.
func (a *app) toSecondFactor(w http.ResponseWriter, r *http.Request, step auth.Step) {
	if step == auth.StepEnrol {
		a.redirect(w, r, pathTOTPSetup)
		return
	}
	a.redirect(w, r, pathSignInTOTP)
}

// redirect answers 303 See Other to a POST (the browser follows with a
// GET) and 302 Found otherwise. htmx requests get HX-Redirect, so that the
// whole page changes and not a fragment of it.
func (a *app) redirect(w http.ResponseWriter, r *http.Request, target string) {
	if r.Header.Get("HX-Request") == "true" {
		w.Header().Set("HX-Redirect", target)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	status := http.StatusFound
	if r.Method == http.MethodPost {
		status = http.StatusSeeOther
	}
	http.Redirect(w, r, target, status)
}

// localPath returns p when it is a path on this site ("/..." but not
// "//host" or "/\host"), and fallback otherwise: a redirect after sign-in
// never leaves the site.
func localPath(p, fallback string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, `/\`) {
		return fallback
	}
	if u, err := url.Parse(p); err != nil || u.Host != "" || u.Scheme != "" {
		return fallback
	}
	return p
}

package web

import (
	"net"
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/auth"
)

// signInSubmit checks the e-mail address and password, starts a session
// and goes on to the second factor when one is due, or to the page the
// person came for.
func (a *app) signInSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	l := requestLang(r)
	back := localPath(f.Get("terug"), "")
	data := signInData{Form: f, Return: back}
	f.Require(l, "email", "password")
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewSignIn, "", data)
	}
	token, err := a.auth.SignIn(r.Context(), f.Get("email"), f.Raw("password"), remoteAddr(r))
	if err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewSignIn, "", data)
	}
	a.setSessionCookie(w, token)
	id, err := a.auth.Authenticate(r.Context(), token)
	if err != nil {
		return err
	}
	a.redirect(w, r, afterSignIn(id, back))
	return nil
}

// afterSignIn is where a fresh session goes: the second factor step it
// owes, or back (home when empty).
func afterSignIn(id *auth.Identity, back string) string {
	switch id.Pending() {
	case auth.StepVerify:
		if back != "" {
			return pathSignInTOTP + "?" + url.Values{"terug": {back}}.Encode()
		}
		return pathSignInTOTP
	case auth.StepEnrol:
		return pathTOTPSetup
	}
	if back == "" {
		return pathHome
	}
	return back
}

// remoteAddr is the client's address for the sign-in log: the peer of the
// connection. A proxy's X-Forwarded-For is not trusted: anyone can send
// it.
func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

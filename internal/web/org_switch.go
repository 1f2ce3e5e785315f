package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// orgSwitch moves the session to another of the person's organisations,
// with a new session token, and goes to its Termijnen.
func (a *app) orgSwitch(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	token, err := a.auth.SwitchOrg(r.Context(), auth.FromContext(r.Context()), f.Get("org"))
	if err != nil {
		return err
	}
	a.setSessionCookie(w, token)
	a.flash(w, "org.switched")
	a.redirect(w, r, pathHome)
	return nil
}

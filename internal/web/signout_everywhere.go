package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// signOutEverywhere ends every session of the signed-in person, on every
// device.
func (a *app) signOutEverywhere(w http.ResponseWriter, r *http.Request) error {
	if _, err := a.auth.SignOutEverywhere(r.Context(), auth.FromContext(r.Context())); err != nil {
		return err
	}
	a.clearSessionCookie(w)
	a.flash(w, "signin.signed_out_all")
	a.redirect(w, r, pathSignIn)
	return nil
}

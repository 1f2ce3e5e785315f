package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// signOut ends this session.
func (a *app) signOut(w http.ResponseWriter, r *http.Request) error {
	if err := a.auth.SignOut(r.Context(), auth.FromContext(r.Context())); err != nil {
		return err
	}
	a.clearSessionCookie(w)
	a.flash(w, "signin.signed_out")
	a.redirect(w, r, pathSignIn)
	return nil
}

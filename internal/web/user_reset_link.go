package web

import (
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/auth"
)

// userResetLink makes a one-time password reset link for a member. Until
// Gegrond sends mail it is written to the server log, for whoever runs the
// server to pass on; the screen shows it nowhere.
func (a *app) userResetLink(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	m, _, err := a.member(r.Context(), id.OrgID(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if _, err := a.auth.ResetLink(r.Context(), m.User, a.resetBase(r), "asked by administrator "+id.User.Email); err != nil {
		return err
	}
	a.flash(w, "user.reset.logged")
	a.redirect(w, r, "/gebruikers/"+url.PathEscape(m.ID))
	return nil
}

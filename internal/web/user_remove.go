package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// userRemove takes every role in the organisation from a member: their
// sessions here end at their next request. Their account stays, with its
// other organisations and with the cases' history.
func (a *app) userRemove(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	m, members, err := a.member(r.Context(), id.OrgID(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := keepsAnAdmin(members, m.ID, nil); err != nil {
		return err
	}
	if err := a.setRoles(r.Context(), id.OrgID(), m.ID, m.Roles, nil); err != nil {
		return err
	}
	a.log.Info("web: user removed from organisation", "org", id.OrgID(), "user", m.ID, "by", id.User.ID)
	a.flash(w, "user.removed")
	if m.ID == id.User.ID {
		a.redirect(w, r, pathSignIn)
		return nil
	}
	a.redirect(w, r, "/gebruikers")
	return nil
}

package web

import (
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/auth"
)

// userTOTPReset removes a member's second factor, for someone who lost
// their phone and their recovery codes. They set up a new one at their
// next sign-in when their organisation requires it.
func (a *app) userTOTPReset(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	m, _, err := a.member(r.Context(), id.OrgID(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if err := a.st.DeleteTOTP(r.Context(), m.ID); err != nil {
		return err
	}
	a.log.Info("web: second factor removed", "org", id.OrgID(), "user", m.ID, "by", id.User.ID)
	a.flash(w, "user.totp.removed")
	a.redirect(w, r, "/gebruikers/"+url.PathEscape(m.ID))
	return nil
}

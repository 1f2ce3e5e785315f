package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
)

var viewPasswordReset = view("password_reset")

// passwordResetData is the page to set a new password with a reset link.
type passwordResetData struct {
	Form  *form
	Token string
	Email string
	// Invalid reports a link that is unknown, used or expired.
	Invalid bool
}

// passwordResetShow opens a reset link: the form for a new password, or
// the message that the link no longer works.
func (a *app) passwordResetShow(w http.ResponseWriter, r *http.Request) error {
	token := r.URL.Query().Get("token")
	u, err := a.auth.ResetUser(r.Context(), token)
	if apperr.CodeOf(err) == apperr.NotFound {
		return a.render(w, r, http.StatusNotFound, viewPasswordReset, "", passwordResetData{Form: newForm(), Invalid: true})
	}
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewPasswordReset, "", passwordResetData{Form: newForm(), Token: token, Email: u.Email})
}

package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
)

// passwordResetSubmit sets the new password of a reset link, which ends
// every session of the user, and sends them to sign in.
func (a *app) passwordResetSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	l := requestLang(r)
	token := f.Get("token")
	u, err := a.auth.ResetUser(r.Context(), token)
	if apperr.CodeOf(err) == apperr.NotFound {
		return a.render(w, r, http.StatusNotFound, viewPasswordReset, "", passwordResetData{Form: newForm(), Invalid: true})
	}
	if err != nil {
		return err
	}
	data := passwordResetData{Form: f, Token: token, Email: u.Email}
	f.Require(l, "password", "repeat")
	if f.Valid() && f.Raw("password") != f.Raw("repeat") {
		f.Errors["repeat"] = l.t("error.password_mismatch")
	}
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewPasswordReset, "", data)
	}
	if _, err := a.auth.ResetPassword(r.Context(), token, f.Raw("password"), remoteAddr(r)); err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewPasswordReset, "", data)
	}
	a.clearSessionCookie(w)
	a.flash(w, "signin.reset_done")
	a.redirect(w, r, pathSignIn)
	return nil
}

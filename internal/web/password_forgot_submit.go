package web

import "net/http"

// passwordForgotSubmit makes a reset link for the address, when it has an
// account, and logs it for the administrator (until mail sending exists).
// The answer is the same either way.
func (a *app) passwordForgotSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	f.Require(requestLang(r), "email")
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewPasswordForgot, "", passwordForgotData{Form: f})
	}
	if err := a.auth.RequestPasswordReset(r.Context(), f.Get("email"), a.resetBase(r), remoteAddr(r)); err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewPasswordForgot, "", passwordForgotData{Form: newForm(), Sent: true})
}

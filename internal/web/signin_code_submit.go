package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// signInCodeSubmit checks a TOTP or recovery code and renews the session
// as one that passed its second factor.
func (a *app) signInCodeSubmit(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	if id.Pending() != auth.StepVerify {
		a.redirect(w, r, pathHome)
		return nil
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	l := requestLang(r)
	data := signInCodeData{Form: f, Return: localPath(f.Get("terug"), "")}
	f.Require(l, "code")
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewSignInCode, "", data)
	}
	token, err := a.auth.VerifyCode(r.Context(), id, f.Get("code"), remoteAddr(r))
	if err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewSignInCode, "", data)
	}
	a.setSessionCookie(w, token)
	a.redirect(w, r, localPath(data.Return, pathHome))
	return nil
}

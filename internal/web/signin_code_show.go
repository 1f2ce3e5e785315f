package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

var viewSignInCode = view("signin_code")

// signInCodeData is the second-factor step.
type signInCodeData struct {
	Form   *form
	Return string
}

// signInCodeShow asks for the TOTP code of a session that owes it.
func (a *app) signInCodeShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	switch id.Pending() {
	case auth.StepNone:
		a.redirect(w, r, pathHome)
		return nil
	case auth.StepEnrol:
		a.redirect(w, r, pathTOTPSetup)
		return nil
	}
	return a.render(w, r, http.StatusOK, viewSignInCode, "", signInCodeData{
		Form: newForm(), Return: localPath(r.URL.Query().Get("terug"), ""),
	})
}

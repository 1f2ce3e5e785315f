package web

import "net/http"

var viewPasswordForgot = view("password_forgot")

// passwordForgotData is the page to ask for a reset link.
type passwordForgotData struct {
	Form *form
	// Sent reports that the request was taken: the page says so whether
	// or not the address has an account.
	Sent bool
}

// passwordForgotShow shows the form to ask for a reset link.
func (a *app) passwordForgotShow(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, viewPasswordForgot, "", passwordForgotData{Form: newForm()})
}

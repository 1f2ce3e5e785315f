package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

var viewPasswordChange = view("password_change")

// passwordChangeShow shows the form to change one's own password.
func (a *app) passwordChangeShow(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, viewPasswordChange, "account", newForm())
}

// passwordChangeSubmit changes the signed-in person's password after
// checking the current one (auth.ChangePassword); their other sessions
// end, this one stays. The form comes back with the error next to the
// field; passwords are never put back in it.
func (a *app) passwordChangeSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	l := requestLang(r)
	again := func(status int) error {
		return a.render(w, r, status, viewPasswordChange, "account", f)
	}
	f.Require(l, "current", "password", "repeat")
	if f.Valid() && f.Raw("password") != f.Raw("repeat") {
		f.Errors["repeat"] = l.t("error.password_mismatch")
	}
	if !f.Valid() {
		return again(http.StatusBadRequest)
	}
	id := auth.FromContext(r.Context())
	if err := a.auth.ChangePassword(r.Context(), id, f.Raw("current"), f.Raw("password"), remoteAddr(r)); err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return again(statusOf(err))
	}
	a.flash(w, "password.changed")
	a.redirect(w, r, "/account")
	return nil
}

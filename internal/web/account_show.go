package web

import "net/http"

var viewAccount = view("account")

// accountShow shows the signed-in person's account: organisation, roles,
// second factor, and "sign out everywhere".
func (a *app) accountShow(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, viewAccount, "account", nil)
}

package web

import "net/http"

var viewUserNew = view("user_new")

// userFormData is the form to add a user.
type userFormData struct {
	Form  *form
	Roles []roleChoice
	// Start is "password" (the administrator sets one) or "link" (a reset
	// link is logged for the administrator to pass on).
	Start string
}

// userNewShow shows the form to add a user.
func (a *app) userNewShow(w http.ResponseWriter, r *http.Request) error {
	return a.render(w, r, http.StatusOK, viewUserNew, "users", userFormData{
		Form: newForm(), Roles: roleChoices([]string{"receiver"}), Start: "link",
	})
}

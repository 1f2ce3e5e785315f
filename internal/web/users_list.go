package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

var viewUsers = view("users")

// usersList shows the organisation's members with their roles.
func (a *app) usersList(w http.ResponseWriter, r *http.Request) error {
	members, err := a.st.Members(r.Context(), auth.FromContext(r.Context()).OrgID())
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	org, err := a.st.GetOrganisation(r.Context(), id.OrgID())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewUsers, "users", struct {
		Members     []store.Member
		RequireTOTP bool
	}{members, auth.RequiresTOTP(org, []reglement.Role{reglement.RoleAdmin})})
}

package api

import "net/http"

// meView is who the token stands for.
type meView struct {
	User struct {
		ID    string `json:"id"`
		Name  string `json:"name"`
		Email string `json:"email"`
	} `json:"user"`
	Organisation struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"organisation"`
	Roles []string `json:"roles"`
}

// getMe answers the caller's user, organisation and roles.
func (a *API) getMe(w http.ResponseWriter, r *http.Request, who *principal) error {
	org, err := a.svc.Store().GetOrganisation(r.Context(), who.orgID)
	if err != nil {
		return err
	}
	var v meView
	v.User.ID, v.User.Name, v.User.Email = who.user.ID, who.user.Name, who.user.Email
	v.Organisation.ID, v.Organisation.Name = org.ID, org.Name
	v.Roles = who.roles
	if v.Roles == nil {
		v.Roles = []string{}
	}
	return writeJSON(w, http.StatusOK, v)
}

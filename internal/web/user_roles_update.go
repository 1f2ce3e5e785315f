package web

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
)

// userRolesUpdate gives a member exactly the ticked roles. At least one
// role stays (removing a person is its own action), and the organisation
// keeps an administrator.
func (a *app) userRolesUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	l := requestLang(r)
	m, members, err := a.member(r.Context(), id.OrgID(), r.PathValue("id"))
	if err != nil {
		return err
	}
	roles := postedRoles(f)
	if len(roles) == 0 {
		f.Errors["rol"] = l.t("user.roles.none")
	} else if err := keepsAnAdmin(members, m.ID, roles); err != nil {
		f.Fail(l, err)
	}
	if !f.Valid() {
		data, err := a.userEditData(r, f)
		if err != nil {
			return err
		}
		data.Roles = roleChoices(roles)
		return a.render(w, r, http.StatusBadRequest, viewUserEdit, "users", data)
	}
	if err := a.setRoles(r.Context(), id.OrgID(), m.ID, m.Roles, roles); err != nil {
		return err
	}
	a.log.Info("web: roles changed", "org", id.OrgID(), "user", m.ID, "from", m.Roles, "to", roles, "by", id.User.ID)
	a.flash(w, "user.roles.saved")
	if m.ID == id.User.ID && len(roles) > 0 && !slices.Contains(roles, string(reglement.RoleAdmin)) {
		// The administrator gave up their own administration.
		a.redirect(w, r, pathHome)
		return nil
	}
	a.redirect(w, r, "/gebruikers/"+url.PathEscape(m.ID))
	return nil
}

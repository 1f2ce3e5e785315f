package web

import (
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/store"
)

// userCreate adds a person to the organisation with roles. A new person
// gets an account with the initial password the administrator chose, or a
// one-time reset link logged for the administrator to pass on. Someone
// with an account already (in another organisation) keeps it and gets
// the roles here.
func (a *app) userCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	l := requestLang(r)
	roles := postedRoles(f)
	data := userFormData{Form: f, Roles: roleChoices(roles), Start: f.Get("start")}
	if data.Start != "password" {
		data.Start = "link"
	}
	f.Require(l, "name", "email")
	if len(roles) == 0 {
		f.Errors["rol"] = l.t("user.roles.none")
	}
	var hash string
	if data.Start == "password" && f.Valid() {
		if hash, err = a.auth.HashPassword(f.Raw("password")); err != nil {
			f.Fail(l, err)
		}
	}
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewUserNew, "users", data)
	}

	u, err := a.st.FindUserByEmail(ctx, f.Get("email"))
	existing := err == nil
	switch {
	case existing:
		if roles, err := a.st.RolesOf(ctx, id.OrgID(), u.ID); err != nil {
			return err
		} else if len(roles) > 0 {
			f.Errors["email"] = l.t("user.exists")
			return a.render(w, r, http.StatusConflict, viewUserNew, "users", data)
		}
	case apperr.CodeOf(err) == apperr.NotFound:
		u, err = a.st.CreateUser(ctx, store.User{Name: f.Get("name"), Email: f.Get("email"), PasswordHash: hash})
		if err != nil {
			if !f.Fail(l, err) {
				return err
			}
			return a.render(w, r, statusOf(err), viewUserNew, "users", data)
		}
	default:
		return err
	}
	if err := a.setRoles(ctx, id.OrgID(), u.ID, nil, roles); err != nil {
		return err
	}
	a.log.Info("web: user added to organisation", "org", id.OrgID(), "user", u.ID, "roles", roles, "by", id.User.ID, "existing_account", existing)
	switch {
	case existing:
		a.flash(w, "user.added.existing")
	case data.Start == "link":
		if _, err := a.auth.ResetLink(ctx, u, a.resetBase(r), "new account, made by "+id.User.Email); err != nil {
			return err
		}
		a.flash(w, "user.added.link")
	default:
		a.flash(w, "user.added")
	}
	a.redirect(w, r, "/gebruikers/"+url.PathEscape(u.ID))
	return nil
}

package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/store"
)

var viewUserEdit = view("user_edit")

// userEditData is the page of one member.
type userEditData struct {
	Form    *form
	Member  store.Member
	Roles   []roleChoice
	HasTOTP bool
	// Self reports that the administrator looks at their own account.
	Self bool
}

// userEditShow shows a member with their roles and what an administrator
// can do for them.
func (a *app) userEditShow(w http.ResponseWriter, r *http.Request) error {
	data, err := a.userEditData(r, newForm())
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewUserEdit, "users", data)
}

// userEditData loads the member of the path for the page.
func (a *app) userEditData(r *http.Request, f *form) (userEditData, error) {
	id := auth.FromContext(r.Context())
	m, _, err := a.member(r.Context(), id.OrgID(), r.PathValue("id"))
	if err != nil {
		return userEditData{}, err
	}
	_, err = a.st.TOTPOf(r.Context(), m.ID)
	if err != nil && apperr.CodeOf(err) != apperr.NotFound {
		return userEditData{}, err
	}
	return userEditData{Form: f, Member: m, Roles: roleChoices(m.Roles), HasTOTP: err == nil, Self: m.ID == id.User.ID}, nil
}

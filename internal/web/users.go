package web

import (
	"context"
	"slices"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// allRoles are the roles an administrator hands out, in the order the
// screens show them.
var allRoles = []reglement.Role{
	reglement.RoleReceiver, reglement.RoleHandler, reglement.RoleBoard,
	reglement.RoleQualityOfficer, reglement.RoleDPO, reglement.RoleAdmin,
}

// roleChoice is one role checkbox of a user form.
type roleChoice struct {
	Role    reglement.Role
	Checked bool
}

// roleChoices returns the checkboxes of every role, checked where held.
func roleChoices(held []string) []roleChoice {
	out := make([]roleChoice, len(allRoles))
	for i, r := range allRoles {
		out[i] = roleChoice{Role: r, Checked: slices.Contains(held, string(r))}
	}
	return out
}

// postedRoles returns the known roles ticked on a form, in allRoles order.
func postedRoles(f *form) []string {
	var out []string
	for _, r := range allRoles {
		if slices.Contains(f.Values["rol"], string(r)) {
			out = append(out, string(r))
		}
	}
	return out
}

// member returns a member of the organisation by user id: NotFound for a
// user who is no member here, whatever other organisations they are in.
func (a *app) member(ctx context.Context, orgID, userID string) (store.Member, []store.Member, error) {
	members, err := a.st.Members(ctx, orgID)
	if err != nil {
		return store.Member{}, nil, err
	}
	for _, m := range members {
		if m.ID == userID {
			return m, members, nil
		}
	}
	return store.Member{}, nil, apperr.New(apperr.NotFound, "this user is no member of the organisation").WithReason("user_not_found")
}

// keepsAnAdmin refuses a change that would leave the organisation without
// an administrator: nobody could manage its people any more.
func keepsAnAdmin(members []store.Member, userID string, newRoles []string) error {
	for _, m := range members {
		roles := m.Roles
		if m.ID == userID {
			roles = newRoles
		}
		if slices.Contains(roles, string(reglement.RoleAdmin)) {
			return nil
		}
	}
	return apperr.New(apperr.Conflict, "the organisation needs at least one administrator").WithReason("last_admin")
}

// setRoles gives the user exactly the roles in the organisation.
//
// It adds and removes one role at a time, each in its own transaction: a
// failure halfway leaves some roles changed, which the administrator sees
// on the page that follows. (A store method that sets the roles in one
// transaction would be better; see the report of issue 4.)
func (a *app) setRoles(ctx context.Context, orgID, userID string, have, want []string) error {
	for _, r := range want {
		if !slices.Contains(have, r) {
			if err := a.st.AddMembership(ctx, orgID, userID, r); err != nil {
				return err
			}
		}
	}
	for _, r := range have {
		if !slices.Contains(want, r) {
			if err := a.st.RemoveMembership(ctx, orgID, userID, r); err != nil {
				return err
			}
		}
	}
	return nil
}

package auth

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// Identity is who a request acts for: a signed-in user in their current
// organisation, with their roles there. Every page and action checks it.
type Identity struct {
	User store.User
	// Org is the organisation the user works in now.
	Org store.Organisation
	// Roles are the user's roles in Org, sorted.
	Roles []reglement.Role
	// Orgs are every organisation the user belongs to, by name: the
	// organisation switcher.
	Orgs []store.Organisation
	// HasTOTP reports that the user has a second factor.
	HasTOTP bool
	// SecondFactor reports that this session passed the second factor.
	SecondFactor bool
	// PendingTOTP is the secret being enrolled in this session.
	PendingTOTP string
	// SignedInAt is when the session began.
	SignedInAt time.Time

	token string
}

// OrgID returns the id of the current organisation.
func (id *Identity) OrgID() string { return id.Org.ID }

// Has reports whether the user holds any of the roles in the current
// organisation.
func (id *Identity) Has(roles ...reglement.Role) bool {
	if id == nil {
		return false
	}
	for _, r := range roles {
		if slices.Contains(id.Roles, r) {
			return true
		}
	}
	return false
}

// Caller is the identity as the complaint core sees it.
func (id *Identity) Caller() complaint.Caller {
	roles := make([]string, len(id.Roles))
	for i, r := range id.Roles {
		roles[i] = string(r)
	}
	return service.CallerFor(id.User, roles)
}

// Step is what a session must do before it may do anything else.
type Step string

// The steps of signing in.
const (
	// StepNone: signed in completely.
	StepNone Step = ""
	// StepVerify: enter a code of the second factor.
	StepVerify Step = "verify"
	// StepEnrol: set up a second factor the organisation requires.
	StepEnrol Step = "enrol"
)

// Pending returns the step the session must take first. A user with a
// second factor always passes it; one without passes none unless the
// organisation requires it for their roles, and then must enrol.
func (id *Identity) Pending() Step {
	switch {
	case id.SecondFactor:
		return StepNone
	case id.HasTOTP:
		return StepVerify
	case RequiresTOTP(id.Org, id.Roles):
		return StepEnrol
	}
	return StepNone
}

// totpRoles are the roles an organisation's require_totp setting applies
// to: those that decide on complaints or administer people.
var totpRoles = []reglement.Role{reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin}

// RequiresTOTP reports whether the organisation requires a second factor
// of someone with the roles: its settings say {"require_totp": true} and
// the roles include handler, board or administrator.
func RequiresTOTP(org store.Organisation, roles []reglement.Role) bool {
	var s struct {
		RequireTOTP bool `json:"require_totp"`
	}
	if len(org.Settings) == 0 || json.Unmarshal(org.Settings, &s) != nil || !s.RequireTOTP {
		return false
	}
	return slices.ContainsFunc(roles, func(r reglement.Role) bool { return slices.Contains(totpRoles, r) })
}

type contextKey struct{}

// NewContext returns ctx carrying the identity.
func NewContext(ctx context.Context, id *Identity) context.Context {
	return context.WithValue(ctx, contextKey{}, id)
}

// FromContext returns the identity in ctx, nil when the request is not
// signed in.
func FromContext(ctx context.Context) *Identity {
	id, _ := ctx.Value(contextKey{}).(*Identity)
	return id
}

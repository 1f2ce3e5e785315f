package auth

import (
	"context"
	"errors"
	"slices"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// ErrNoSession is returned by Authenticate for a token that opens no
// session: unknown, signed out, or its user left the organisation.
var ErrNoSession = errors.New("auth: no session")

// ErrExpired is returned by Authenticate for a session that timed out.
var ErrExpired = errors.New("auth: session expired")

// Authenticate returns the identity of a session token. A session idle for
// IdleTimeout or older than AbsoluteTimeout is ended (ErrExpired); one
// whose user no longer has a role in its organisation too (ErrNoSession).
func (m *Manager) Authenticate(ctx context.Context, token string) (*Identity, error) {
	if token == "" {
		return nil, ErrNoSession
	}
	info, err := m.st.SessionByToken(ctx, token)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, err
	}
	now := m.now()
	if !now.Before(info.ExpiresAt) || now.Sub(info.LastSeenAt) >= IdleTimeout {
		if err := m.st.DeleteSession(ctx, token); err != nil {
			return nil, err
		}
		return nil, ErrExpired
	}
	if len(info.Roles) == 0 {
		if err := m.st.DeleteSession(ctx, token); err != nil {
			return nil, err
		}
		return nil, ErrNoSession
	}
	if now.Sub(info.LastSeenAt) >= touchInterval {
		if err := m.st.TouchSession(ctx, token, now); err != nil {
			return nil, err
		}
	}
	id := &Identity{
		User: info.User, Orgs: info.Orgs, HasTOTP: info.HasTOTP, SecondFactor: info.SecondFactor,
		PendingTOTP: info.PendingTOTP, SignedInAt: info.CreatedAt, token: token,
	}
	for _, r := range info.Roles {
		id.Roles = append(id.Roles, reglement.Role(r))
	}
	for _, o := range info.Orgs {
		if o.ID == info.OrgID {
			id.Org = o
		}
	}
	return id, nil
}

// SignOut ends the identity's session.
func (m *Manager) SignOut(ctx context.Context, id *Identity) error {
	return m.st.DeleteSession(ctx, id.token)
}

// SignOutEverywhere ends every session of the identity's user, this one
// included.
func (m *Manager) SignOutEverywhere(ctx context.Context, id *Identity) (int, error) {
	n, err := m.st.DeleteUserSessions(ctx, id.User.ID)
	if err == nil {
		m.log.Info("auth: signed out everywhere", "user", id.User.ID, "sessions", n)
	}
	return n, err
}

// SwitchOrg moves the session to another of the user's organisations and
// returns the new session token: the old one stops working. The second
// factor stays passed; the absolute time-out still counts from sign-in.
func (m *Manager) SwitchOrg(ctx context.Context, id *Identity, orgID string) (string, error) {
	if !slices.ContainsFunc(id.Orgs, func(o store.Organisation) bool { return o.ID == orgID }) {
		return "", apperr.New(apperr.Forbidden, "you are no member of organisation %q", orgID)
	}
	return m.renew(ctx, id, orgID, id.SecondFactor)
}

// renew replaces the identity's session with a new token.
func (m *Manager) renew(ctx context.Context, id *Identity, orgID string, secondFactor bool) (string, error) {
	info, err := m.st.SessionByToken(ctx, id.token)
	if err != nil {
		return "", err
	}
	sess := info.Session
	sess.OrgID, sess.SecondFactor, sess.PendingTOTP, sess.LastSeenAt = orgID, secondFactor, "", m.now()
	token, err := m.st.ReplaceSession(ctx, id.token, sess)
	if err != nil {
		return "", err
	}
	id.token = token
	return token, nil
}

package auth

import (
	"context"
	"errors"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/store"
)

// The reasons of sign-in errors (apperr.Error.Reason), which the screens
// turn into messages.
const (
	ReasonBadCredentials = "bad_credentials"
	ReasonLocked         = "locked"
	ReasonNoMembership   = "no_membership"
	ReasonBadCode        = "bad_code"
	ReasonWeakPassword   = "weak_password"
	ReasonResetInvalid   = "reset_invalid"
	ReasonWrongCurrent   = "wrong_current_password"
)

// errBadCredentials is the one answer to a wrong address or password:
// which of the two was wrong helps nobody but a guesser.
func errBadCredentials() error {
	return apperr.New(apperr.Invalid, "the e-mail address or password is not right").WithReason(ReasonBadCredentials)
}

func errLocked() error {
	return apperr.New(apperr.Forbidden, "too many failed attempts: this address is locked for a while").WithReason(ReasonLocked)
}

// SignIn checks an e-mail address and password and starts a session in
// the first of the user's organisations. It returns the session token;
// the session may still need its second factor (Identity.Pending).
//
// A locked address is refused without looking at the password. Every
// attempt is logged, and a failure is answered only after a pause that
// grows with the failures before it.
func (m *Manager) SignIn(ctx context.Context, email, pw, remote string) (string, error) {
	now := m.now()
	ev := store.AuthEvent{At: now, Email: email, RemoteAddr: remote}
	attempts, err := m.st.LoginAttemptsOf(ctx, email)
	if err != nil {
		return "", err
	}
	if attempts.Locked(now) {
		ev.Reason = "locked"
		m.logEvent(ctx, ev)
		return "", errLocked()
	}
	u, err := m.st.FindUserByEmail(ctx, email)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		_ = password.Verify(pw, m.dummyHash())
		ev.Reason = "unknown_user"
		return "", m.fail(ctx, ev, attempts)
	case err != nil:
		return "", err
	}
	ev.UserID = u.ID
	if u.PasswordHash == "" {
		_ = password.Verify(pw, m.dummyHash())
		ev.Reason = "no_password"
		return "", m.fail(ctx, ev, attempts)
	}
	if err := password.Verify(pw, u.PasswordHash); err != nil {
		if !errors.Is(err, password.ErrMismatch) {
			m.log.Error("auth: stored password hash unreadable", "user", u.ID, "err", err)
		}
		ev.Reason = "wrong_password"
		return "", m.fail(ctx, ev, attempts)
	}
	orgs, err := m.st.OrganisationsOf(ctx, u.ID)
	if err != nil {
		return "", err
	}
	if len(orgs) == 0 {
		ev.Reason = "no_membership"
		m.logEvent(ctx, ev)
		return "", apperr.New(apperr.Forbidden, "your account belongs to no organisation; ask an administrator").WithReason(ReasonNoMembership)
	}
	if err := m.st.ClearLoginFailures(ctx, email); err != nil {
		return "", err
	}
	// A hash made with older parameters is renewed while the password is
	// at hand (only toward the defaults: tests hash more cheaply).
	if m.params == password.Default && password.NeedsRehash(u.PasswordHash) {
		if h, err := m.hash(pw); err == nil {
			if err := m.st.SetPassword(ctx, u.ID, h); err != nil {
				m.log.Warn("auth: rehash password", "user", u.ID, "err", err)
			}
		}
	}
	// Housekeeping: sessions past their time-outs are refused anyway; a
	// sign-in clears them out, so the table holds live sessions only.
	if _, err := m.st.DeleteSessionsBefore(ctx, now, now.Add(-IdleTimeout)); err != nil {
		m.log.Warn("auth: remove old sessions", "err", err)
	}
	token, err := m.st.CreateSession(ctx, store.Session{
		UserID: u.ID, OrgID: orgs[0].ID, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(AbsoluteTimeout),
	})
	if err != nil {
		return "", err
	}
	ev.Success, ev.Reason = true, "password"
	m.logEvent(ctx, ev)
	return token, nil
}

// fail records a failed sign-in, logs it and waits before answering.
func (m *Manager) fail(ctx context.Context, ev store.AuthEvent, before store.LoginAttempts) error {
	m.logEvent(ctx, ev)
	after, err := m.st.RecordLoginFailure(ctx, ev.Email, ev.At, Lockout)
	if err != nil {
		return err
	}
	if after.Locked(ev.At) {
		m.log.Warn("auth: address locked after repeated failures", "email", ev.Email, "until", after.LockedUntil.Format(time.RFC3339))
	}
	m.sleep(ctx, time.Duration(min(before.Failures+1, Lockout.MaxFailures))*m.delay)
	return errBadCredentials()
}

// logEvent writes a sign-in event to the log and to the sign-in table. A
// failure to store it is logged, not returned: the person's answer does
// not depend on it.
func (m *Manager) logEvent(ctx context.Context, ev store.AuthEvent) {
	level := m.log.Info
	if !ev.Success {
		level = m.log.Warn
	}
	level("auth: sign-in", "email", ev.Email, "user", ev.UserID, "success", ev.Success, "reason", ev.Reason, "remote", ev.RemoteAddr)
	if err := m.st.LogAuthEvent(ctx, ev); err != nil {
		m.log.Error("auth: store sign-in event", "err", err)
	}
}

package auth

import (
	"context"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/store"
)

// The password rules: long enough to resist guessing (NCSC and NIST SP
// 800-63B favour length over composition rules), short enough for argon2
// to hash quickly.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// ResetPath is the path of the page a reset link opens; the token goes in
// the query string, which the request log leaves out.
const ResetPath = "/wachtwoord/herstellen"

// CheckPassword applies the password rules.
func CheckPassword(pw string) error {
	n := utf8.RuneCountInString(pw)
	if n < MinPasswordLength {
		return apperr.Field("password", "a password has at least %d characters", MinPasswordLength).WithReason(ReasonWeakPassword)
	}
	if n > MaxPasswordLength {
		return apperr.Field("password", "a password has at most %d characters", MaxPasswordLength).WithReason(ReasonWeakPassword)
	}
	return nil
}

// HashPassword checks a new password against the rules and hashes it.
func (m *Manager) HashPassword(pw string) (string, error) {
	if err := CheckPassword(pw); err != nil {
		return "", err
	}
	return m.hash(pw)
}

// RequestPasswordReset makes a one-time reset link for the user with the
// e-mail address, valid for ResetValidity, and e-mails it (Config.
// SendResetLink); without a mail server, or when sending fails, the link
// goes to the server log for the administrator to pass on. It is shown
// nowhere. An unknown address does nothing, and says so to nobody.
func (m *Manager) RequestPasswordReset(ctx context.Context, email, baseURL, remote string) error {
	u, err := m.st.FindUserByEmail(ctx, email)
	if apperr.CodeOf(err) == apperr.NotFound {
		m.log.Info("auth: password reset asked for an unknown address", "email", email, "remote", remote)
		return nil
	}
	if err != nil {
		return err
	}
	_, err = m.ResetLink(ctx, u, baseURL, "asked by the user from "+remote)
	return err
}

// ResetLink makes a one-time reset link for the user and e-mails it, or
// logs it for the administrator when it cannot be e-mailed. why says who
// asked.
func (m *Manager) ResetLink(ctx context.Context, u store.User, baseURL, why string) (string, error) {
	now := m.now()
	token, err := m.st.CreatePasswordReset(ctx, u.ID, now, now.Add(ResetValidity))
	if err != nil {
		return "", err
	}
	link := strings.TrimRight(baseURL, "/") + ResetPath + "?" + url.Values{"token": {token}}.Encode()
	if m.sendReset != nil {
		err := m.sendReset(ctx, u, link)
		if err == nil {
			m.log.Info("auth: password reset link e-mailed", "email", u.Email, "user", u.ID, "why", why)
			return link, nil
		}
		m.log.Warn("auth: password reset link could not be e-mailed", "email", u.Email, "user", u.ID, "err", err)
	}
	m.log.Info("auth: password reset link (pass it to the user; valid one hour, once)",
		"email", u.Email, "user", u.ID, "why", why, "link", link)
	return link, nil
}

// ResetUser returns the user a reset token is for, while it is valid.
func (m *Manager) ResetUser(ctx context.Context, token string) (store.User, error) {
	u, err := m.st.PasswordResetUser(ctx, token, m.now())
	if apperr.CodeOf(err) == apperr.NotFound {
		return store.User{}, apperr.New(apperr.NotFound, "this link is unknown, used or expired").WithReason(ReasonResetInvalid)
	}
	return u, err
}

// ResetPassword sets a new password with a reset token and ends every
// session of the user. The token is good once.
func (m *Manager) ResetPassword(ctx context.Context, token, pw, remote string) (store.User, error) {
	hash, err := m.HashPassword(pw)
	if err != nil {
		return store.User{}, err
	}
	now := m.now()
	u, err := m.st.ResetPassword(ctx, token, hash, now)
	if apperr.CodeOf(err) == apperr.NotFound {
		return store.User{}, apperr.New(apperr.NotFound, "this link is unknown, used or expired").WithReason(ReasonResetInvalid)
	}
	if err != nil {
		return store.User{}, err
	}
	if err := m.st.ClearLoginFailures(ctx, u.Email); err != nil {
		return store.User{}, err
	}
	m.logEvent(ctx, store.AuthEvent{At: now, Email: u.Email, UserID: u.ID, Success: true, Reason: "password_reset", RemoteAddr: remote})
	return u, nil
}

// ChangePassword sets a new password for the signed-in person after
// checking their current one. A wrong current password counts as a failed
// sign-in (logged, toward the lockout), so a session left open cannot be
// used to guess it. Every other session of the person ends; this one stays.
func (m *Manager) ChangePassword(ctx context.Context, id *Identity, current, next, remote string) error {
	now := m.now()
	ev := store.AuthEvent{At: now, Email: id.User.Email, UserID: id.User.ID, RemoteAddr: remote}
	attempts, err := m.st.LoginAttemptsOf(ctx, id.User.Email)
	if err != nil {
		return err
	}
	if attempts.Locked(now) {
		ev.Reason = "locked"
		m.logEvent(ctx, ev)
		return errLocked()
	}
	u, err := m.st.GetUser(ctx, id.User.ID)
	if err != nil {
		return err
	}
	if u.PasswordHash == "" || password.Verify(current, u.PasswordHash) != nil {
		ev.Reason = "change_wrong_password"
		if err := m.fail(ctx, ev, attempts); apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		return apperr.Field("current", "your current password is not right").WithReason(ReasonWrongCurrent)
	}
	hash, err := m.HashPassword(next)
	if err != nil {
		return err
	}
	n, err := m.st.ChangePassword(ctx, u.ID, hash, id.token)
	if err != nil {
		return err
	}
	if err := m.st.ClearLoginFailures(ctx, u.Email); err != nil {
		return err
	}
	ev.Success, ev.Reason = true, "password_changed"
	m.logEvent(ctx, ev)
	m.log.Info("auth: password changed", "user", u.ID, "other_sessions_ended", n)
	return nil
}

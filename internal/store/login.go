package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// LoginAttempts are the recent failed sign-ins of one e-mail address.
type LoginAttempts struct {
	Email string
	// Failures counts the failures since FirstFailure.
	Failures     int
	FirstFailure time.Time
	LastFailure  time.Time
	// LockedUntil is the end of a lock; zero when not locked.
	LockedUntil time.Time
}

// Locked reports whether the address is locked at the time.
func (a LoginAttempts) Locked(at time.Time) bool { return at.Before(a.LockedUntil) }

// LockPolicy says when failed sign-ins lock an address: MaxFailures within
// Window lock it for LockFor. The policy belongs to package auth; the store
// applies it inside the transaction that counts, so that two guesses at
// once cannot both slip under the limit.
type LockPolicy struct {
	Window      time.Duration
	MaxFailures int
	LockFor     time.Duration
}

// LoginAttemptsOf returns the failures recorded for the e-mail address;
// none recorded is the zero count, no error.
func (s *Store) LoginAttemptsOf(ctx context.Context, email string) (LoginAttempts, error) {
	var a LoginAttempts
	err := s.read(ctx, func(t *tx) error {
		var err error
		a, err = loginAttempts(ctx, t, normaliseEmail(email), false)
		return err
	})
	if err != nil {
		return LoginAttempts{}, wrap("login attempts", err)
	}
	return a, nil
}

// RecordLoginFailure counts a failed sign-in of the e-mail address at the
// time and locks the address when the policy says so. Failures older than
// the window are forgotten; a lock that ended starts a new count. It
// returns the count after this failure.
func (s *Store) RecordLoginFailure(ctx context.Context, email string, at time.Time, p LockPolicy) (LoginAttempts, error) {
	email = normaliseEmail(email)
	var a LoginAttempts
	err := s.write(ctx, func(t *tx) error {
		var err error
		if a, err = loginAttempts(ctx, t, email, true); err != nil {
			return err
		}
		expired := a.Failures > 0 && at.Sub(a.FirstFailure) > p.Window
		endedLock := !a.LockedUntil.IsZero() && !a.Locked(at)
		if a.Failures == 0 || expired || endedLock {
			a = LoginAttempts{Email: email, FirstFailure: at}
		}
		a.Failures++
		a.LastFailure = at
		if p.MaxFailures > 0 && a.Failures >= p.MaxFailures && !a.Locked(at) {
			a.LockedUntil = at.Add(p.LockFor)
		}
		var locked any
		if !a.LockedUntil.IsZero() {
			locked = t.d.timeArg(a.LockedUntil)
		}
		_, err = t.exec(ctx, `INSERT INTO login_attempts (email, failures, first_failure_at, last_failure_at, locked_until)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (email) DO UPDATE SET failures = excluded.failures, first_failure_at = excluded.first_failure_at,
				last_failure_at = excluded.last_failure_at, locked_until = excluded.locked_until`,
			email, a.Failures, t.d.timeArg(a.FirstFailure), t.d.timeArg(a.LastFailure), locked)
		return err
	})
	if err != nil {
		return LoginAttempts{}, wrap("record login failure", err)
	}
	return a, nil
}

// ClearLoginFailures forgets the failures of the e-mail address, after a
// successful sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM login_attempts WHERE email = ?`, normaliseEmail(email))
		return err
	})
	return wrap("clear login failures", err)
}

func loginAttempts(ctx context.Context, t *tx, email string, lock bool) (LoginAttempts, error) {
	q := `SELECT failures, first_failure_at, last_failure_at, locked_until FROM login_attempts WHERE email = ?`
	if lock {
		q += t.d.forUpdate()
	}
	a := LoginAttempts{Email: email}
	err := t.queryRow(ctx, q, email).Scan(&a.Failures, timeColumn{&a.FirstFailure}, timeColumn{&a.LastFailure}, timeColumn{&a.LockedUntil})
	if errors.Is(err, sql.ErrNoRows) {
		return LoginAttempts{Email: email}, nil
	}
	return a, err
}

// AuthEvent is one line of the sign-in log.
type AuthEvent struct {
	At    time.Time
	Email string
	// UserID is "" when no user has the address.
	UserID  string
	Success bool
	// Reason is a stable word: "password", "totp", "recovery_code",
	// "wrong_password", "unknown_user", "locked", "wrong_code",
	// "password_reset", ...
	Reason     string
	RemoteAddr string
}

// LogAuthEvent appends an event to the sign-in log.
func (s *Store) LogAuthEvent(ctx context.Context, e AuthEvent) error {
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `INSERT INTO auth_log (at, email, user_id, success, reason, remote_addr) VALUES (?, ?, ?, ?, ?, ?)`,
			t.d.timeArg(e.At), normaliseEmail(e.Email), nullString(e.UserID), e.Success, e.Reason, e.RemoteAddr)
		return err
	})
	return wrap("log sign-in", err)
}

// AuthEvents returns the latest events of the sign-in log for the e-mail
// address, newest first, at most limit (100 when limit is 0 or less).
func (s *Store) AuthEvents(ctx context.Context, email string, limit int) ([]AuthEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	var events []AuthEvent
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT at, email, COALESCE(user_id, ''), success, reason, remote_addr
			FROM auth_log WHERE email = ? ORDER BY at DESC, id DESC LIMIT ?`, normaliseEmail(email), limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e AuthEvent
			if err := rows.Scan(timeColumn{&e.At}, &e.Email, &e.UserID, &e.Success, &e.Reason, &e.RemoteAddr); err != nil {
				return err
			}
			events = append(events, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("sign-in log", err)
	}
	return events, nil
}

// SetPassword stores a new password hash for the user.
func (s *Store) SetPassword(ctx context.Context, userID, hash string) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "user %q does not exist", userID)
		}
		return err
	})
	return wrap("set password", err)
}

// ChangePassword stores a new password hash for the user and ends every
// other session of theirs, in one transaction: whoever knew the old
// password is signed out, the session keep (the person changing it) stays.
// It returns how many sessions it ended.
func (s *Store) ChangePassword(ctx context.Context, userID, hash, keep string) (int, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, userID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "user %q does not exist", userID)
		}
		res, err = t.exec(ctx, `DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?`, userID, hashToken(keep))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, wrap("change password", err)
	}
	return int(n), nil
}

// CreatePasswordReset makes a one-time password reset token for the user,
// good until expires, and returns it. Only its hash is stored.
func (s *Store) CreatePasswordReset(ctx context.Context, userID string, now, expires time.Time) (string, error) {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error
	token := base64.RawURLEncoding.EncodeToString(b)
	err := s.write(ctx, func(t *tx) error {
		if _, err := userByID(ctx, t, userID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
			hashToken(token), userID, t.d.timeArg(now), t.d.timeArg(expires))
		return err
	})
	if err != nil {
		return "", wrap("create password reset", err)
	}
	return token, nil
}

// errResetInvalid is the one answer for a reset token that is unknown,
// used or expired: which of the three it is helps nobody but a guesser.
func errResetInvalid() error {
	return apperr.New(apperr.NotFound, "this link to set a new password is unknown, used or expired; ask for a new one").
		WithReason("reset_invalid")
}

// PasswordResetUser returns the user a reset token is for, while the token
// is unused and not expired at now; NotFound otherwise.
func (s *Store) PasswordResetUser(ctx context.Context, token string, now time.Time) (User, error) {
	var u User
	err := s.read(ctx, func(t *tx) error {
		var err error
		u, err = resetUser(ctx, t, token, now, false)
		return err
	})
	if err != nil {
		return User{}, wrap("password reset", err)
	}
	return u, nil
}

// ResetPassword uses a reset token: it stores the new password hash, marks
// the token used and ends every session of the user, in one transaction.
// A token that is unknown, used or expired at now is NotFound.
func (s *Store) ResetPassword(ctx context.Context, token, hash string, now time.Time) (User, error) {
	var u User
	err := s.write(ctx, func(t *tx) error {
		var err error
		if u, err = resetUser(ctx, t, token, now, true); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE password_resets SET used_at = ? WHERE token_hash = ?`, t.d.timeArg(now), hashToken(token)); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `UPDATE users SET password_hash = ? WHERE id = ?`, hash, u.ID); err != nil {
			return err
		}
		u.PasswordHash = hash
		_, err = t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, u.ID)
		return err
	})
	if err != nil {
		return User{}, wrap("reset password", err)
	}
	return u, nil
}

func resetUser(ctx context.Context, t *tx, token string, now time.Time, lock bool) (User, error) {
	q := `SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?`
	if lock {
		q += t.d.forUpdate()
	}
	var (
		userID          string
		expires, usedAt time.Time
	)
	err := t.queryRow(ctx, q, hashToken(token)).Scan(&userID, timeColumn{&expires}, timeColumn{&usedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, errResetInvalid()
	}
	if err != nil {
		return User{}, err
	}
	if !usedAt.IsZero() || !now.Before(expires) {
		return User{}, errResetInvalid()
	}
	return userByID(ctx, t, userID)
}

// TOTP is a user's confirmed second factor.
type TOTP struct {
	// Secret is the base32 TOTP secret.
	Secret    string
	CreatedAt time.Time
	// LastStep is the last time step accepted (Unix time / period).
	LastStep int64
	// RecoveryCodesLeft counts the unused recovery codes.
	RecoveryCodesLeft int
}

// SaveTOTP stores the user's confirmed TOTP secret with the hashes of new
// recovery codes, replacing any secret and codes from before.
func (s *Store) SaveTOTP(ctx context.Context, userID, secret string, recoveryHashes []string, at time.Time) error {
	if secret == "" {
		return wrap("save TOTP", errors.New("empty TOTP secret"))
	}
	err := s.write(ctx, func(t *tx) error {
		if _, err := userByID(ctx, t, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `DELETE FROM user_totp WHERE user_id = ?`, userID); err != nil {
			return err
		}
		if _, err := t.exec(ctx, `INSERT INTO user_totp (user_id, secret, created_at, last_step) VALUES (?, ?, ?, 0)`,
			userID, secret, t.d.timeArg(at)); err != nil {
			return err
		}
		for _, h := range recoveryHashes {
			if _, err := t.exec(ctx, `INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)`, userID, h); err != nil {
				return err
			}
		}
		return nil
	})
	return wrap("save TOTP", err)
}

// TOTPOf returns the user's second factor; NotFound when they have none.
func (s *Store) TOTPOf(ctx context.Context, userID string) (TOTP, error) {
	var tp TOTP
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT secret, created_at, last_step FROM user_totp WHERE user_id = ?`, userID).
			Scan(&tp.Secret, timeColumn{&tp.CreatedAt}, &tp.LastStep)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "the user has no second factor")
		}
		if err != nil {
			return err
		}
		return t.queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE user_id = ? AND used_at IS NULL`, userID).
			Scan(&tp.RecoveryCodesLeft)
	})
	if err != nil {
		return TOTP{}, wrap("TOTP", err)
	}
	return tp, nil
}

// UseTOTPStep records that the code of a time step was accepted. A step at
// or before the last one accepted is a Conflict: a code is good once.
func (s *Store) UseTOTPStep(ctx context.Context, userID string, step int64) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE user_totp SET last_step = ? WHERE user_id = ? AND last_step < ?`, step, userID, step)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.Conflict, "this code was used already; wait for the next one").WithReason("totp_replay")
		}
		return err
	})
	return wrap("use TOTP step", err)
}

// UseRecoveryCode marks an unused recovery code of the user, given by its
// hash, as used. An unknown or used code is NotFound.
func (s *Store) UseRecoveryCode(ctx context.Context, userID, codeHash string, at time.Time) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? AND used_at IS NULL`,
			t.d.timeArg(at), userID, codeHash)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "unknown or used recovery code")
		}
		return err
	})
	return wrap("use recovery code", err)
}

// DeleteTOTP removes the user's second factor and recovery codes, for a
// user who lost their device: an administrator's act.
func (s *Store) DeleteTOTP(ctx context.Context, userID string) error {
	err := s.write(ctx, func(t *tx) error {
		if _, err := t.exec(ctx, `DELETE FROM recovery_codes WHERE user_id = ?`, userID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `DELETE FROM user_totp WHERE user_id = ?`, userID)
		return err
	})
	return wrap("delete TOTP", err)
}

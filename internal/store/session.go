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

// Session is a signed-in browser: a user working in one organisation. The
// browser holds a random token; the store keeps only its SHA-256, so that
// a copy of the database opens no session. Times are set by the caller
// (package auth), which also decides when a session has expired: the store
// keeps the facts, not the policy.
type Session struct {
	UserID string
	// OrgID is the organisation the user works in now.
	OrgID string
	// SecondFactor reports that the session passed the TOTP step.
	SecondFactor bool
	// PendingTOTP is a TOTP secret being enrolled, until the user confirms
	// it with a code; "" when none.
	PendingTOTP string
	CreatedAt   time.Time
	LastSeenAt  time.Time
	// ExpiresAt is the absolute end of the session, however active.
	ExpiresAt time.Time
}

// SessionInfo is a session with what a request needs of its user: the
// user, their roles in the session's organisation, every organisation
// they belong to, and whether they have a second factor.
type SessionInfo struct {
	Session
	User User
	// Roles are the user's roles in Session.OrgID, sorted; none when the
	// user was removed from it since signing in.
	Roles []string
	// Orgs are the organisations the user has a role in, by name.
	Orgs []Organisation
	// HasTOTP reports that the user has a confirmed TOTP secret.
	HasTOTP bool
}

// newSessionToken returns a random session token: 32 bytes, URL-safe.
func newSessionToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// CreateSession stores a new session and returns its token: the only time
// the token is seen. The user must be a member of the organisation
// (Forbidden otherwise).
func (s *Store) CreateSession(ctx context.Context, sess Session) (string, error) {
	return s.ReplaceSession(ctx, "", sess)
}

// ReplaceSession deletes the session of oldToken, when there is one, and
// stores sess under a new token, in one transaction: how a session is
// renewed at sign-in, at the second factor and at an organisation switch,
// so that a token seen before a change of privilege is worth nothing
// after it.
func (s *Store) ReplaceSession(ctx context.Context, oldToken string, sess Session) (string, error) {
	if sess.UserID == "" || sess.OrgID == "" {
		return "", wrap("create session", errors.New("a session needs a user and an organisation"))
	}
	if !sess.ExpiresAt.After(sess.CreatedAt) {
		return "", wrap("create session", errors.New("a session must expire after it was created"))
	}
	token := newSessionToken()
	err := s.write(ctx, func(t *tx) error {
		if oldToken != "" {
			if _, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(oldToken)); err != nil {
				return err
			}
		}
		roles, err := rolesOf(ctx, t, sess.OrgID, sess.UserID)
		if err != nil {
			return err
		}
		if len(roles) == 0 {
			return apperr.New(apperr.Forbidden, "you are no member of organisation %q", sess.OrgID)
		}
		_, err = t.exec(ctx, `INSERT INTO sessions
			(token_hash, user_id, org_id, second_factor, totp_pending, created_at, last_seen_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			hashToken(token), sess.UserID, sess.OrgID, sess.SecondFactor, sess.PendingTOTP,
			t.d.timeArg(sess.CreatedAt), t.d.timeArg(sess.LastSeenAt), t.d.timeArg(sess.ExpiresAt))
		return err
	})
	if err != nil {
		return "", wrap("create session", err)
	}
	return token, nil
}

// SessionByToken returns the session of a token with its user, roles and
// organisations, in one snapshot. An unknown token is NotFound; an expired
// one is returned as it is, for the caller to judge.
func (s *Store) SessionByToken(ctx context.Context, token string) (SessionInfo, error) {
	var info SessionInfo
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT user_id, org_id, second_factor, totp_pending, created_at, last_seen_at, expires_at
			FROM sessions WHERE token_hash = ?`, hashToken(token)).
			Scan(&info.UserID, &info.OrgID, &info.SecondFactor, &info.PendingTOTP,
				timeColumn{&info.CreatedAt}, timeColumn{&info.LastSeenAt}, timeColumn{&info.ExpiresAt})
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "unknown session")
		}
		if err != nil {
			return err
		}
		if info.User, err = userByID(ctx, t, info.UserID); err != nil {
			return err
		}
		if info.Roles, err = rolesOf(ctx, t, info.OrgID, info.UserID); err != nil {
			return err
		}
		if info.Orgs, err = organisationsOf(ctx, t, info.UserID); err != nil {
			return err
		}
		var one int
		err = t.queryRow(ctx, `SELECT 1 FROM user_totp WHERE user_id = ?`, info.UserID).Scan(&one)
		switch {
		case err == nil:
			info.HasTOTP = true
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return nil
	})
	if err != nil {
		return SessionInfo{}, wrap("session", err)
	}
	return info, nil
}

// TouchSession records that the session was used at the time.
func (s *Store) TouchSession(ctx context.Context, token string, at time.Time) error {
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?`, t.d.timeArg(at), hashToken(token))
		return err
	})
	return wrap("touch session", err)
}

// SetPendingTOTP keeps a TOTP secret being enrolled with the session ("" to
// forget it). An unknown token is NotFound.
func (s *Store) SetPendingTOTP(ctx context.Context, token, secret string) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `UPDATE sessions SET totp_pending = ? WHERE token_hash = ?`, secret, hashToken(token))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "unknown session")
		}
		return err
	})
	return wrap("set pending TOTP", err)
}

// DeleteSession ends one session. An unknown token is no error: signing
// out twice is signing out.
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM sessions WHERE token_hash = ?`, hashToken(token))
		return err
	})
	return wrap("delete session", err)
}

// DeleteUserSessions ends every session of the user ("sign out
// everywhere") and returns how many there were.
func (s *Store) DeleteUserSessions(ctx context.Context, userID string) (int, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE user_id = ?`, userID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, wrap("delete user sessions", err)
	}
	return int(n), nil
}

// DeleteSessionsBefore removes the sessions whose absolute expiry or whose
// last use is before the given times: housekeeping, since an expired
// session is refused anyway. It returns how many it removed.
func (s *Store) DeleteSessionsBefore(ctx context.Context, expiredBy, idleSince time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?`,
			t.d.timeArg(expiredBy), t.d.timeArg(idleSince))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, wrap("delete old sessions", err)
	}
	return int(n), nil
}

// OrganisationsOf returns the organisations the user has a role in, by
// name.
func (s *Store) OrganisationsOf(ctx context.Context, userID string) ([]Organisation, error) {
	var orgs []Organisation
	err := s.read(ctx, func(t *tx) error {
		var err error
		orgs, err = organisationsOf(ctx, t, userID)
		return err
	})
	if err != nil {
		return nil, wrap("organisations of user", err)
	}
	return orgs, nil
}

func organisationsOf(ctx context.Context, t *tx, userID string) ([]Organisation, error) {
	rows, err := t.query(ctx, `SELECT o.id, o.name, o.reglement_id, o.settings FROM organisations o
		WHERE o.id IN (SELECT org_id FROM memberships WHERE user_id = ?) ORDER BY o.name, o.id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var orgs []Organisation
	for rows.Next() {
		o, err := scanOrganisation(rows)
		if err != nil {
			return nil, err
		}
		orgs = append(orgs, o)
	}
	return orgs, rows.Err()
}

package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// tokenPrefix marks Gegrond API tokens, so that a leaked one is easy to
// recognise (secret scanners, logs).
const tokenPrefix = "ggr_"

// touchInterval is how stale a token's last use may get before UserByToken
// records a new one: often enough to tell a live token from a dead one,
// rarely enough not to turn every API read into a write.
const touchInterval = time.Minute

// hashToken returns the hex SHA-256 of an API token: what is stored.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreateToken makes an API token for a member of the organisation and
// returns it. Only its hash is stored: this is the only time the token is
// seen. A user who is no member may not have one (Forbidden).
func (s *Store) CreateToken(ctx context.Context, orgID, userID, name string) (string, error) {
	if strings.TrimSpace(name) == "" {
		return "", apperr.New(apperr.Invalid, "the token needs a name that says what it is for")
	}
	b := make([]byte, 32)
	rand.Read(b) // never returns an error
	token := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	err := s.write(ctx, func(t *tx) error {
		roles, err := rolesOf(ctx, t, orgID, userID)
		if err != nil {
			return err
		}
		if len(roles) == 0 {
			return apperr.New(apperr.Forbidden, "user %q is no member of organisation %q", userID, orgID)
		}
		_, err = t.exec(ctx, `INSERT INTO api_tokens (token_hash, org_id, user_id, name, created_at) VALUES (?, ?, ?, ?, ?)`,
			hashToken(token), orgID, userID, name, t.d.timeArg(t.now))
		return err
	})
	if err != nil {
		return "", wrap("create token", err)
	}
	return token, nil
}

// UserByToken returns the organisation, user and roles an API token stands
// for. An unknown token is NotFound; a token whose user has no role left in
// the organisation is Forbidden.
//
// It records the token's last use, at most once a minute, in a second,
// short transaction: the lookup itself stays a read, which SQLite can serve
// beside the writer.
func (s *Store) UserByToken(ctx context.Context, token string) (orgID string, u User, roles []string, err error) {
	h := hashToken(token)
	var lastUsed time.Time
	err = s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT org_id, user_id, last_used_at FROM api_tokens WHERE token_hash = ?`, h).
			Scan(&orgID, &u.ID, timeColumn{&lastUsed})
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "unknown API token")
		}
		if err != nil {
			return err
		}
		if u, err = userByID(ctx, t, u.ID); err != nil {
			return err
		}
		if roles, err = rolesOf(ctx, t, orgID, u.ID); err != nil {
			return err
		}
		if len(roles) == 0 {
			return apperr.New(apperr.Forbidden, "the API token's user is no member of organisation %q any more", orgID)
		}
		return nil
	})
	if err != nil {
		return "", User{}, nil, wrap("user by token", err)
	}
	if now := s.Now(); now.Sub(lastUsed) >= touchInterval {
		err = s.write(ctx, func(t *tx) error {
			_, err := t.exec(ctx, `UPDATE api_tokens SET last_used_at = ? WHERE token_hash = ?`, t.d.timeArg(t.now), h)
			return err
		})
		if err != nil {
			return "", User{}, nil, wrap("user by token", err)
		}
	}
	return orgID, u, roles, nil
}

// RevokeToken deletes an API token of the organisation. An unknown token is
// NotFound.
func (s *Store) RevokeToken(ctx context.Context, orgID, token string) error {
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM api_tokens WHERE org_id = ? AND token_hash = ?`, orgID, hashToken(token))
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return apperr.New(apperr.NotFound, "unknown API token")
		}
		return err
	})
	return wrap("revoke token", err)
}

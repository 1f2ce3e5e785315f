package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// StateArchived is the projection state of an archived case: its portal
// links are revoked in the transaction that archives it.
const StateArchived = "archived"

// PortalLink is a complainant's personal link to a case, as stored: the
// token itself is never stored, only its SHA-256.
type PortalLink struct {
	OrgID  string
	CaseID string
	// CaseNumber is filled when reading.
	CaseNumber string
	// Email is the address the link was sent to.
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
	// RevokedAt is zero while the link is not revoked.
	RevokedAt  time.Time
	LastUsedAt time.Time
}

// HashPortalToken returns the hex SHA-256 of a portal token: what is
// stored and looked up.
func HashPortalToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// CreatePortalLink stores a new link (by its token's hash) to a case of
// the organisation, valid until expires. The case's earlier links are
// revoked in the same transaction: the newest link is the only one that
// works. An archived case gets no link (Conflict).
func (s *Store) CreatePortalLink(ctx context.Context, orgID, number, tokenHash, email string, expires time.Time) (PortalLink, error) {
	if len(tokenHash) != sha256.Size*2 || strings.TrimSpace(email) == "" {
		return PortalLink{}, apperr.New(apperr.Invalid, "a portal link needs a token hash and the address it goes to")
	}
	var l PortalLink
	err := s.write(ctx, func(t *tx) error {
		rec, err := caseByNumber(ctx, t, orgID, number, true)
		if err != nil {
			return err
		}
		if rec.State == StateArchived {
			return apperr.New(apperr.Conflict, "case %s is archived; it has no portal any more", number).WithReason("archived")
		}
		if err := revokePortalLinks(ctx, t, orgID, rec.ID); err != nil {
			return err
		}
		l = PortalLink{OrgID: orgID, CaseID: rec.ID, CaseNumber: rec.Number, Email: email, CreatedAt: t.now, ExpiresAt: expires.UTC()}
		_, err = t.exec(ctx, `INSERT INTO portal_links (token_hash, org_id, case_id, email, created_at, expires_at)
			VALUES (?, ?, ?, ?, ?, ?)`, tokenHash, orgID, rec.ID, email, t.d.timeArg(t.now), t.d.timeArg(l.ExpiresAt))
		return err
	})
	if err != nil {
		return PortalLink{}, wrap("create portal link", err)
	}
	return l, nil
}

// revokePortalLinks revokes every live link to a case.
func revokePortalLinks(ctx context.Context, t *tx, orgID, caseID string) error {
	_, err := t.exec(ctx, `UPDATE portal_links SET revoked_at = ? WHERE org_id = ? AND case_id = ? AND revoked_at IS NULL`,
		t.d.timeArg(t.now), orgID, caseID)
	return err
}

// errPortalLink is the one answer for a link that does not work, whatever
// the reason: unknown, expired or revoked look the same from outside.
func errPortalLink() error {
	return apperr.New(apperr.NotFound, "this link does not work (any more); ask for a new one at /portaal").WithReason("portal_link")
}

// PortalLinkByToken returns the live link whose token hashes to tokenHash
// at now. An unknown, expired or revoked link, or one to an archived case,
// is NotFound with reason portal_link. Like UserByToken it records the
// link's last use at most once a minute, in a second short transaction,
// so that reading the portal stays a read.
func (s *Store) PortalLinkByToken(ctx context.Context, tokenHash string, now time.Time) (PortalLink, error) {
	var l PortalLink
	err := s.read(ctx, func(t *tx) error {
		var state string
		err := t.queryRow(ctx, `SELECT p.org_id, p.case_id, c.number, c.state, p.email, p.created_at, p.expires_at,
			p.revoked_at, p.last_used_at
			FROM portal_links p JOIN cases c ON c.id = p.case_id AND c.org_id = p.org_id
			WHERE p.token_hash = ?`, tokenHash).
			Scan(&l.OrgID, &l.CaseID, &l.CaseNumber, &state, &l.Email, timeColumn{&l.CreatedAt}, timeColumn{&l.ExpiresAt},
				timeColumn{&l.RevokedAt}, timeColumn{&l.LastUsedAt})
		if errors.Is(err, sql.ErrNoRows) {
			return errPortalLink()
		}
		if err != nil {
			return err
		}
		if !l.RevokedAt.IsZero() || !now.Before(l.ExpiresAt) || state == StateArchived {
			return errPortalLink()
		}
		return nil
	})
	if err != nil {
		return PortalLink{}, wrap("portal link", err)
	}
	if s.Now().Sub(l.LastUsedAt) >= touchInterval {
		err = s.write(ctx, func(t *tx) error {
			l.LastUsedAt = t.now
			_, err := t.exec(ctx, `UPDATE portal_links SET last_used_at = ? WHERE token_hash = ?`, t.d.timeArg(t.now), tokenHash)
			return err
		})
		if err != nil {
			return PortalLink{}, wrap("portal link", err)
		}
	}
	return l, nil
}

// PortalLinks lists the links of a case, newest first: for tests and the
// audit of who was given access.
func (s *Store) PortalLinks(ctx context.Context, orgID, number string) ([]PortalLink, error) {
	var out []PortalLink
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT p.org_id, p.case_id, c.number, p.email, p.created_at, p.expires_at, p.revoked_at, p.last_used_at
			FROM portal_links p JOIN cases c ON c.id = p.case_id AND c.org_id = p.org_id
			WHERE p.org_id = ? AND c.number = ? ORDER BY p.created_at DESC`, orgID, number)
		if err != nil {
			return err
		}
		out, err = collect(rows, func(row scanner) (PortalLink, error) {
			var l PortalLink
			err := row.Scan(&l.OrgID, &l.CaseID, &l.CaseNumber, &l.Email, timeColumn{&l.CreatedAt}, timeColumn{&l.ExpiresAt},
				timeColumn{&l.RevokedAt}, timeColumn{&l.LastUsedAt})
			return l, err
		})
		return err
	})
	if err != nil {
		return nil, wrap("portal links", err)
	}
	return out, nil
}

// CaseByID returns a case of the organisation by its id (a job's CaseID).
func (s *Store) CaseByID(ctx context.Context, orgID, id string) (CaseRecord, error) {
	var rec CaseRecord
	err := s.read(ctx, func(t *tx) error {
		var err error
		rec, err = caseByID(ctx, t, orgID, id)
		return err
	})
	if err != nil {
		return CaseRecord{}, wrap("case by id", err)
	}
	return rec, nil
}

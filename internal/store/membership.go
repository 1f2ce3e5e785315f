package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Member is a user of an organisation with the roles they have there.
type Member struct {
	User
	// Roles are the user's roles in the organisation, sorted.
	Roles []string
}

// AddMembership gives the user a role in the organisation. Giving a role
// the user has already is no error.
func (s *Store) AddMembership(ctx context.Context, orgID, userID, role string) error {
	if role == "" {
		return apperr.New(apperr.Invalid, "a membership needs a role")
	}
	err := s.write(ctx, func(t *tx) error {
		if err := orgExists(ctx, t, orgID); err != nil {
			return err
		}
		if _, err := userByID(ctx, t, userID); err != nil {
			return err
		}
		_, err := t.exec(ctx, `INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?)
			ON CONFLICT (org_id, user_id, role) DO NOTHING`, orgID, userID, role)
		return err
	})
	return wrap("add membership", err)
}

// RemoveMembership takes a role in the organisation away from the user.
// Taking away a role the user does not have is no error.
func (s *Store) RemoveMembership(ctx context.Context, orgID, userID, role string) error {
	err := s.write(ctx, func(t *tx) error {
		_, err := t.exec(ctx, `DELETE FROM memberships WHERE org_id = ? AND user_id = ? AND role = ?`, orgID, userID, role)
		return err
	})
	return wrap("remove membership", err)
}

// RolesOf returns the user's roles in the organisation, sorted; none when
// the user is no member.
func (s *Store) RolesOf(ctx context.Context, orgID, userID string) ([]string, error) {
	var roles []string
	err := s.read(ctx, func(t *tx) error {
		var err error
		roles, err = rolesOf(ctx, t, orgID, userID)
		return err
	})
	if err != nil {
		return nil, wrap("roles", err)
	}
	return roles, nil
}

// Members returns the users of the organisation with their roles, by name.
func (s *Store) Members(ctx context.Context, orgID string) ([]Member, error) {
	var members []Member
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT u.id, u.email, u.name, u.password_hash, u.created_at, m.role
			FROM memberships m JOIN users u ON u.id = m.user_id
			WHERE m.org_id = ? ORDER BY u.name, u.id, m.role`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				u    User
				role string
			)
			if err := rows.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, timeColumn{&u.CreatedAt}, &role); err != nil {
				return err
			}
			if n := len(members); n > 0 && members[n-1].ID == u.ID {
				members[n-1].Roles = append(members[n-1].Roles, role)
				continue
			}
			members = append(members, Member{User: u, Roles: []string{role}})
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("members", err)
	}
	return members, nil
}

func rolesOf(ctx context.Context, t *tx, orgID, userID string) ([]string, error) {
	rows, err := t.query(ctx, `SELECT role FROM memberships WHERE org_id = ? AND user_id = ?`, orgID, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	roles := []string{}
	for rows.Next() {
		var r string
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		roles = append(roles, r)
	}
	// Sorted here, not by ORDER BY: the engines collate differently.
	sort.Strings(roles)
	return roles, rows.Err()
}

func orgExists(ctx context.Context, t *tx, orgID string) error {
	var one int
	err := t.queryRow(ctx, `SELECT 1 FROM organisations WHERE id = ?`, orgID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.New(apperr.NotFound, "organisation %q does not exist", orgID)
	}
	return err
}

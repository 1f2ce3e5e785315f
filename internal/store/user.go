package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// User is a person who signs in: staff of one or more organisations.
type User struct {
	// ID is set by CreateUser when empty.
	ID string
	// Email is unique, kept in lower case.
	Email string
	// Name is shown in the timeline and in letters.
	Name string
	// PasswordHash is the encoded argon2id hash; the store only keeps it.
	PasswordHash string
	// CreatedAt is set by CreateUser.
	CreatedAt time.Time
}

// normaliseEmail is how e-mail addresses are compared.
func normaliseEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// CreateUser stores a new user. An e-mail address in use is a Conflict.
func (s *Store) CreateUser(ctx context.Context, u User) (User, error) {
	u.Email = normaliseEmail(u.Email)
	if !strings.Contains(u.Email, "@") {
		return User{}, apperr.New(apperr.Invalid, "%q is not an e-mail address", u.Email)
	}
	if strings.TrimSpace(u.Name) == "" {
		return User{}, apperr.New(apperr.Invalid, "the user has no name")
	}
	if u.ID == "" {
		u.ID = newID()
	}
	err := s.write(ctx, func(t *tx) error {
		u.CreatedAt = t.now
		_, err := t.exec(ctx, `INSERT INTO users (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, ?)`,
			u.ID, u.Email, u.Name, u.PasswordHash, t.d.timeArg(u.CreatedAt))
		if isUniqueViolation(err) {
			return apperr.New(apperr.Conflict, "a user with e-mail address %s exists already", u.Email)
		}
		return err
	})
	if err != nil {
		return User{}, wrap("create user", err)
	}
	return u, nil
}

// FindUserByEmail returns the user with the e-mail address, compared
// without regard to case.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (User, error) {
	email = normaliseEmail(email)
	var u User
	err := s.read(ctx, func(t *tx) error {
		var err error
		u, err = scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE email = ?`, email))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "no user has e-mail address %s", email)
		}
		return err
	})
	if err != nil {
		return User{}, wrap("find user", err)
	}
	return u, nil
}

// GetUser returns the user with the id.
func (s *Store) GetUser(ctx context.Context, userID string) (User, error) {
	var u User
	err := s.read(ctx, func(t *tx) error {
		var err error
		u, err = userByID(ctx, t, userID)
		return err
	})
	if err != nil {
		return User{}, wrap("get user", err)
	}
	return u, nil
}

const userColumns = `id, email, name, password_hash, created_at`

func scanUser(row scanner) (User, error) {
	var u User
	err := row.Scan(&u.ID, &u.Email, &u.Name, &u.PasswordHash, timeColumn{&u.CreatedAt})
	return u, err
}

func userByID(ctx context.Context, t *tx, userID string) (User, error) {
	u, err := scanUser(t.queryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = ?`, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return u, apperr.New(apperr.NotFound, "user %q does not exist", userID)
	}
	return u, err
}

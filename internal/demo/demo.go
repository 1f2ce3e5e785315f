// Package demo fills an empty database with demonstration data: one
// organisation per preset regulation, its staff, and a dozen complaints
// spread over every phase a case can be in.
//
// Every case is made by the real commands (service.CreateCase and
// service.Act), so the demo shows what the core does, never what a script
// wrote into tables. The complaints are dated back over the past months:
// the demo runs them through a service whose clock walks through those
// months, the way the architecture lets tests and demos move time.
package demo

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// ErrNotEmpty is returned by Seed when the database holds an organisation
// already: the demo never mixes with real data.
var ErrNotEmpty = errors.New("demo: the database is not empty")

// Credentials are what a person needs to try the demo.
type Credentials struct {
	// Email and Password sign in the demo administrator. Every demo user
	// has the same password.
	Email    string
	Password string
	// Tokens are API tokens of the administrator, one per demo
	// organisation, in the order of the presets.
	Tokens []OrgToken
}

// OrgToken is an API token for one organisation.
type OrgToken struct {
	OrgID string
	Token string
}

// Token returns the token for the organisation, "" when there is none.
func (c Credentials) Token(orgID string) string {
	for _, t := range c.Tokens {
		if t.OrgID == orgID {
			return t.Token
		}
	}
	return ""
}

// Seed fills an empty database with the demo: it returns ErrNotEmpty, and
// writes nothing, when an organisation exists. now is the moment the demo
// looks back from; svc supplies the time zone.
//
// Seed is not atomic: a crash halfway leaves a partial demo, which the
// next start will not complete (the database is no longer empty). gegrond
// serve therefore seeds a new SQLite file on the side and moves it into
// place when complete; on PostgreSQL a failed first start needs a fresh
// database.
func Seed(ctx context.Context, svc *service.Service, st *store.Store, now time.Time) (Credentials, error) {
	orgs, err := st.ListOrganisations(ctx)
	if err != nil {
		return Credentials{}, err
	}
	if len(orgs) > 0 {
		return Credentials{}, ErrNotEmpty
	}
	presets, err := reglement.Presets()
	if err != nil {
		return Credentials{}, err
	}
	creds := Credentials{Email: AdminEmail, Password: newPassword()}
	// One hash for every demo user: argon2id is slow on purpose, and the
	// demo users share their password anyway.
	hash, err := password.Hash(creds.Password)
	if err != nil {
		return Credentials{}, err
	}
	admin, err := st.CreateUser(ctx, store.User{Email: AdminEmail, Name: adminName, PasswordHash: hash})
	if apperr.CodeOf(err) == apperr.Conflict {
		// Another server on the same database is seeding right now.
		return Credentials{}, ErrNotEmpty
	}
	if err != nil {
		return Credentials{}, err
	}
	loc := svc.Now().Location()
	for _, p := range presets {
		if err := seedOrganisation(ctx, st, p, admin, hash, now.In(loc)); err != nil {
			return Credentials{}, fmt.Errorf("demo organisation %s: %w", p.ID, err)
		}
		token, err := st.CreateToken(ctx, p.ID, admin.ID, "demo")
		if err != nil {
			return Credentials{}, err
		}
		creds.Tokens = append(creds.Tokens, OrgToken{OrgID: p.ID, Token: token})
	}
	return creds, nil
}

// seedOrganisation creates the organisation of preset p with its
// regulation, staff and cases.
func seedOrganisation(ctx context.Context, st *store.Store, p *reglement.Reglement, admin store.User, hash string, now time.Time) error {
	if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: p.ID, Name: p.Organisation, ReglementID: p.ID}); err != nil {
		return err
	}
	src, err := reglement.PresetSource(p.ID)
	if err != nil {
		return err
	}
	if _, err := st.SaveRegulation(ctx, p.ID, store.Regulation{ValidFrom: p.ValidFrom, YAML: string(src)}); err != nil {
		return err
	}
	// The demo administrator also handles and decides, so that one demo
	// login (and its API token) can walk a complaint from receipt to
	// closing. Real organisations keep these roles apart as they choose.
	for _, role := range []reglement.Role{reglement.RoleAdmin, reglement.RoleHandler, reglement.RoleBoard} {
		if err := st.AddMembership(ctx, p.ID, admin.ID, string(role)); err != nil {
			return err
		}
	}
	staff := map[string]store.User{keyAdmin: admin}
	for _, person := range Staff(p) {
		u, err := st.CreateUser(ctx, store.User{Email: person.Email, Name: person.Name, PasswordHash: hash})
		if err != nil {
			return err
		}
		for _, role := range person.Roles {
			if err := st.AddMembership(ctx, p.ID, u.ID, string(role)); err != nil {
				return err
			}
		}
		staff[person.Key] = u
	}
	return seedCases(ctx, st, p.ID, staff, now)
}

// newPassword returns a random password: 26 characters of base32, 130
// bits.
func newPassword() string { return rand.Text() }

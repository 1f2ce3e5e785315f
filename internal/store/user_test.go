package store_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestUsersAndMemberships(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u, err := b.st.CreateUser(b.ctx, store.User{Email: " Anna@Example.NL ", Name: "Anna de Vries", PasswordHash: "$argon2id$x"})
		if err != nil {
			t.Fatal(err)
		}
		if u.ID == "" || u.Email != "anna@example.nl" || !u.CreatedAt.Equal(now) {
			t.Fatalf("CreateUser = %+v", u)
		}
		got, err := b.st.FindUserByEmail(b.ctx, "ANNA@example.nl")
		if err != nil || got != u {
			t.Fatalf("FindUserByEmail = %+v, %v; want %+v", got, err, u)
		}
		if got, err := b.st.GetUser(b.ctx, u.ID); err != nil || got != u {
			t.Fatalf("GetUser = %+v, %v", got, err)
		}
		_, err = b.st.CreateUser(b.ctx, store.User{Email: "anna@example.nl", Name: "Another Anna"})
		wantCode(t, err, apperr.Conflict)
		_, err = b.st.FindUserByEmail(b.ctx, "piet@example.nl")
		wantCode(t, err, apperr.NotFound)

		for _, role := range []string{"handler", "admin", "handler"} {
			if err := b.st.AddMembership(b.ctx, b.orgA, u.ID, role); err != nil {
				t.Fatalf("AddMembership %s: %v", role, err)
			}
		}
		roles, err := b.st.RolesOf(b.ctx, b.orgA, u.ID)
		if err != nil || !slices.Equal(roles, []string{"admin", "handler"}) {
			t.Fatalf("RolesOf(A) = %v, %v", roles, err)
		}
		if roles, err := b.st.RolesOf(b.ctx, b.orgB, u.ID); err != nil || len(roles) != 0 {
			t.Fatalf("RolesOf(B) = %v, %v; a member of A is no member of B", roles, err)
		}
		members, err := b.st.Members(b.ctx, b.orgA)
		if err != nil || len(members) != 1 || members[0].ID != u.ID || !slices.Equal(members[0].Roles, []string{"admin", "handler"}) {
			t.Fatalf("Members = %+v, %v", members, err)
		}
		if err := b.st.RemoveMembership(b.ctx, b.orgA, u.ID, "admin"); err != nil {
			t.Fatal(err)
		}
		if roles, _ := b.st.RolesOf(b.ctx, b.orgA, u.ID); !slices.Equal(roles, []string{"handler"}) {
			t.Fatalf("roles after removing admin = %v", roles)
		}
		wantCode(t, b.st.AddMembership(b.ctx, "nobody", u.ID, "handler"), apperr.NotFound)
		wantCode(t, b.st.AddMembership(b.ctx, b.orgA, "nobody", "handler"), apperr.NotFound)
	})
}

func TestTokens(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u, err := b.st.CreateUser(b.ctx, store.User{Email: "bot@example.nl", Name: "Koppeling"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.st.CreateToken(b.ctx, b.orgA, u.ID, "crm")
		wantCode(t, err, apperr.Forbidden) // no member yet
		if err := b.st.AddMembership(b.ctx, b.orgA, u.ID, "intake"); err != nil {
			t.Fatal(err)
		}
		token, err := b.st.CreateToken(b.ctx, b.orgA, u.ID, "crm")
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < 40 {
			t.Fatalf("token %q is too short to be 32 random bytes", token)
		}
		org, who, roles, err := b.st.UserByToken(b.ctx, token)
		if err != nil || org != b.orgA || who.ID != u.ID || !slices.Equal(roles, []string{"intake"}) {
			t.Fatalf("UserByToken = %s, %+v, %v, %v", org, who, roles, err)
		}
		// Used again later: still valid, and the clock moving does not matter.
		b.st.Now = func() time.Time { return now.Add(time.Hour) }
		if _, _, _, err := b.st.UserByToken(b.ctx, token); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = b.st.UserByToken(b.ctx, token+"x")
		wantCode(t, err, apperr.NotFound)

		if err := b.st.RemoveMembership(b.ctx, b.orgA, u.ID, "intake"); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = b.st.UserByToken(b.ctx, token)
		wantCode(t, err, apperr.Forbidden)

		wantCode(t, b.st.RevokeToken(b.ctx, b.orgB, token), apperr.NotFound) // another organisation's token
		if err := b.st.RevokeToken(b.ctx, b.orgA, token); err != nil {
			t.Fatal(err)
		}
		_, _, _, err = b.st.UserByToken(b.ctx, token)
		wantCode(t, err, apperr.NotFound)
	})
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestTokenCreate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		for _, id := range []string{"acme", "other"} {
			if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: id, Name: strings.ToUpper(id)}); err != nil {
				t.Fatal(err)
			}
		}
		member, err := st.CreateUser(ctx, store.User{Email: "Fenna.Smit@acme.example", Name: "Fenna Smit"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddMembership(ctx, "acme", member.ID, "handler"); err != nil {
			t.Fatal(err)
		}

		code, out, errOut := runInProcess(t, nil, "token", "create", "--org", "acme", "--user", "fenna.smit@ACME.example", "--name", "koppeling", "--database", dsn)
		if code != exitOK {
			t.Fatalf("token create = %d: %s", code, errOut)
		}
		token := strings.TrimSpace(out)
		if !strings.HasPrefix(token, "ggr_") || strings.Count(out, "\n") != 1 {
			t.Errorf("output %q; want the token alone on one line", out)
		}
		org, u, roles, err := st.UserByToken(ctx, token)
		if err != nil || org != "acme" || u.ID != member.ID || len(roles) != 1 {
			t.Errorf("the printed token stands for %s/%s %v (%v); want acme/%s", org, u.Email, roles, err, member.Email)
		}

		for _, tc := range []struct {
			name string
			args []string
			want string
		}{
			{"unknown organisation", []string{"--org", "nope", "--user", member.Email}, `organisation "nope" does not exist`},
			{"unknown user", []string{"--org", "acme", "--user", "nobody@acme.example"}, "no user has e-mail address nobody@acme.example"},
			{"not a member", []string{"--org", "other", "--user", member.Email}, "fenna.smit@acme.example is no member of organisation other"},
			{"no user", []string{"--org", "acme"}, "--org and --user are required"},
			{"no organisation", []string{"--user", member.Email}, "--org and --user are required"},
		} {
			args := append([]string{"token", "create", "--database", dsn}, tc.args...)
			code, out, errOut := runInProcess(t, nil, args...)
			if code != exitUsage || !strings.Contains(errOut, tc.want) || out != "" {
				t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit 2 and %q", tc.name, code, out, errOut, tc.want)
			}
		}
	})
}

func TestTokenCreateUsage(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"token"}, {"token", "revoke"}, {"token", "create", "--colour", "red"}} {
		if code, _, errOut := runInProcess(t, nil, args...); code != exitUsage || !strings.Contains(errOut, "usage: gegrond token create") {
			t.Errorf("%v: exit %d %q; want 2 with the usage", args, code, errOut)
		}
	}
}

// A mistyped database name is reported, and no empty database is left
// in its place.
func TestTokenCreateMissingDatabase(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "typo.db")
	code, _, errOut := runInProcess(t, map[string]string{"GEGROND_DATABASE": path}, "token", "create", "--org", "acme", "--user", "a@b.example")
	if code != exitUsage || !strings.Contains(errOut, "no database at "+path) {
		t.Errorf("exit %d %q; want 2 naming the missing database", code, errOut)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("token create left a database at %s", path)
	}
}

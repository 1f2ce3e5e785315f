package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// member creates a user with a role in each of the organisations.
func (b *testBundle) member(t *testing.T, email string, roles map[string]string) store.User {
	t.Helper()
	u, err := b.st.CreateUser(b.ctx, store.User{Email: email, Name: "Person " + email})
	if err != nil {
		t.Fatal(err)
	}
	for org, role := range roles {
		if err := b.st.AddMembership(b.ctx, org, u.ID, role); err != nil {
			t.Fatal(err)
		}
	}
	return u
}

func TestSessionsKeepOnlyTheTokenHash(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler", b.orgB: "board"})
		sess := store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}
		token, err := b.st.CreateSession(b.ctx, sess)
		if err != nil {
			t.Fatal(err)
		}
		if len(token) < 40 {
			t.Fatalf("token %q is too short to be unguessable", token)
		}
		info, err := b.st.SessionByToken(b.ctx, token)
		if err != nil {
			t.Fatal(err)
		}
		if info.Session != sess || info.User.ID != u.ID || !slices.Equal(info.Roles, []string{"handler"}) || info.HasTOTP {
			t.Fatalf("SessionByToken = %+v", info)
		}
		if len(info.Orgs) != 2 || info.Orgs[0].ID != b.orgA || info.Orgs[1].ID != b.orgB {
			t.Fatalf("Orgs = %+v, want both organisations by name", info.Orgs)
		}
		// The row is keyed by the token's SHA-256, never by the token.
		if err := b.st.ExecRaw(b.ctx, `UPDATE sessions SET totp_pending = 'raw' WHERE token_hash = ?`, token); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(token))
		if err := b.st.ExecRaw(b.ctx, `UPDATE sessions SET totp_pending = totp_pending || 'hash' WHERE token_hash = ?`, hex.EncodeToString(sum[:])); err != nil {
			t.Fatal(err)
		}
		if info, _ := b.st.SessionByToken(b.ctx, token); info.PendingTOTP != "hash" {
			t.Fatalf("stored key: pending marker %q, want \"hash\" (the token's SHA-256, not the token)", info.PendingTOTP)
		}
		if err := b.st.SetPendingTOTP(b.ctx, token, ""); err != nil {
			t.Fatal(err)
		}

		// Renewal: the old token is worthless, the new one carries the change.
		renewed := sess
		renewed.OrgID, renewed.SecondFactor = b.orgB, true
		token2, err := b.st.ReplaceSession(b.ctx, token, renewed)
		if err != nil {
			t.Fatal(err)
		}
		_, err = b.st.SessionByToken(b.ctx, token)
		wantCode(t, err, apperr.NotFound)
		info, err = b.st.SessionByToken(b.ctx, token2)
		if err != nil || info.OrgID != b.orgB || !info.SecondFactor || !slices.Equal(info.Roles, []string{"board"}) {
			t.Fatalf("renewed session = %+v, %v", info, err)
		}

		// A session in an organisation the user is no member of is refused.
		outsider := b.member(t, "piet@example.nl", map[string]string{b.orgB: "receiver"})
		_, err = b.st.CreateSession(b.ctx, store.Session{UserID: outsider.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		wantCode(t, err, apperr.Forbidden)

		later := now.Add(5 * time.Minute)
		if err := b.st.TouchSession(b.ctx, token2, later); err != nil {
			t.Fatal(err)
		}
		if err := b.st.SetPendingTOTP(b.ctx, token2, "SECRET"); err != nil {
			t.Fatal(err)
		}
		info, _ = b.st.SessionByToken(b.ctx, token2)
		if !info.LastSeenAt.Equal(later) || info.PendingTOTP != "SECRET" {
			t.Fatalf("after touch and pending TOTP: %+v", info.Session)
		}
		wantCode(t, b.st.SetPendingTOTP(b.ctx, "nonsense", "x"), apperr.NotFound)

		if err := b.st.DeleteSession(b.ctx, token2); err != nil {
			t.Fatal(err)
		}
		if err := b.st.DeleteSession(b.ctx, token2); err != nil {
			t.Fatalf("signing out twice: %v", err)
		}
		_, err = b.st.SessionByToken(b.ctx, token2)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestSignOutEverywhereEndsOnlyThatUsersSessions(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		anna := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler"})
		piet := b.member(t, "piet@example.nl", map[string]string{b.orgA: "handler"})
		open := func(u store.User) string {
			tok, err := b.st.CreateSession(b.ctx, store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		a1, a2, p1 := open(anna), open(anna), open(piet)
		n, err := b.st.DeleteUserSessions(b.ctx, anna.ID)
		if err != nil || n != 2 {
			t.Fatalf("DeleteUserSessions = %d, %v; want 2", n, err)
		}
		for _, tok := range []string{a1, a2} {
			_, err := b.st.SessionByToken(b.ctx, tok)
			wantCode(t, err, apperr.NotFound)
		}
		if _, err := b.st.SessionByToken(b.ctx, p1); err != nil {
			t.Fatalf("another user's session ended too: %v", err)
		}
	})
}

func TestDeleteSessionsBeforeRemovesExpiredAndIdle(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler"})
		mk := func(lastSeen, expires time.Time) string {
			tok, err := b.st.CreateSession(b.ctx, store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now.Add(-13 * time.Hour), LastSeenAt: lastSeen, ExpiresAt: expires})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		expired := mk(now, now.Add(-time.Minute))
		idle := mk(now.Add(-time.Hour), now.Add(time.Hour))
		live := mk(now, now.Add(time.Hour))
		n, err := b.st.DeleteSessionsBefore(b.ctx, now, now.Add(-30*time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("DeleteSessionsBefore = %d, %v; want 2", n, err)
		}
		for _, tok := range []string{expired, idle} {
			_, err := b.st.SessionByToken(b.ctx, tok)
			wantCode(t, err, apperr.NotFound)
		}
		if _, err := b.st.SessionByToken(b.ctx, live); err != nil {
			t.Fatal(err)
		}
	})
}

func TestChangePasswordKeepsOnlyTheCurrentSession(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		anna := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler"})
		piet := b.member(t, "piet@example.nl", map[string]string{b.orgA: "handler"})
		open := func(u store.User) string {
			tok, err := b.st.CreateSession(b.ctx, store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		here, laptop, phone, p1 := open(anna), open(anna), open(anna), open(piet)
		n, err := b.st.ChangePassword(b.ctx, anna.ID, "new-hash", here)
		if err != nil || n != 2 {
			t.Fatalf("ChangePassword = %d, %v; want 2 sessions ended", n, err)
		}
		for _, tok := range []string{laptop, phone} {
			_, err := b.st.SessionByToken(b.ctx, tok)
			wantCode(t, err, apperr.NotFound)
		}
		for _, tok := range []string{here, p1} {
			if _, err := b.st.SessionByToken(b.ctx, tok); err != nil {
				t.Fatalf("a session that should stay ended: %v", err)
			}
		}
		u, err := b.st.GetUser(b.ctx, anna.ID)
		if err != nil || u.PasswordHash != "new-hash" {
			t.Fatalf("hash = %q, %v", u.PasswordHash, err)
		}
		_, err = b.st.ChangePassword(b.ctx, "nobody", "x", here)
		wantCode(t, err, apperr.NotFound)
	})
}

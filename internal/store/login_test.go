package store_test

import (
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestLoginFailuresLockAfterTheLimitWithinTheWindow(t *testing.T) {
	t.Parallel()
	policy := store.LockPolicy{Window: 15 * time.Minute, MaxFailures: 5, LockFor: 15 * time.Minute}
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		at := now
		var a store.LoginAttempts
		var err error
		for i := 1; i <= 5; i++ {
			if a, err = b.st.RecordLoginFailure(b.ctx, " Anna@Example.nl", at, policy); err != nil {
				t.Fatal(err)
			}
			if a.Failures != i {
				t.Fatalf("failure %d counted as %d", i, a.Failures)
			}
			if locked := a.Locked(at); locked != (i == 5) {
				t.Fatalf("after %d failures locked = %v", i, locked)
			}
			at = at.Add(time.Minute)
		}
		got, err := b.st.LoginAttemptsOf(b.ctx, "anna@example.nl")
		if err != nil || got.Failures != 5 || !got.LockedUntil.Equal(now.Add(4*time.Minute+15*time.Minute)) {
			t.Fatalf("LoginAttemptsOf = %+v, %v", got, err)
		}
		// A failure during the lock does not extend it.
		if a, _ = b.st.RecordLoginFailure(b.ctx, "anna@example.nl", at, policy); !a.LockedUntil.Equal(got.LockedUntil) {
			t.Fatalf("lock moved to %v", a.LockedUntil)
		}
		// After the lock a new count starts.
		after := got.LockedUntil.Add(time.Second)
		if a, _ = b.st.RecordLoginFailure(b.ctx, "anna@example.nl", after, policy); a.Failures != 1 || a.Locked(after) {
			t.Fatalf("after the lock: %+v", a)
		}
		// Failures spread wider than the window never lock.
		for i := range 10 {
			at := now.Add(time.Duration(i) * 16 * time.Minute)
			if a, _ := b.st.RecordLoginFailure(b.ctx, "piet@example.nl", at, policy); a.Locked(at) {
				t.Fatalf("slow failures locked the address at failure %d", i+1)
			}
		}
		if err := b.st.ClearLoginFailures(b.ctx, "ANNA@example.nl"); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.st.LoginAttemptsOf(b.ctx, "anna@example.nl"); got.Failures != 0 {
			t.Fatalf("after clearing: %+v", got)
		}
	})
}

func TestAuthLogKeepsEverySignIn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		events := []store.AuthEvent{
			{At: now, Email: "anna@example.nl", Success: false, Reason: "wrong_password", RemoteAddr: "192.0.2.1"},
			{At: now.Add(time.Minute), Email: "Anna@example.nl", UserID: "u1", Success: true, Reason: "password", RemoteAddr: "192.0.2.1"},
			{At: now, Email: "piet@example.nl", Reason: "unknown_user"},
		}
		for _, e := range events {
			if err := b.st.LogAuthEvent(b.ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		got, err := b.st.AuthEvents(b.ctx, "ANNA@example.nl", 0)
		if err != nil || len(got) != 2 {
			t.Fatalf("AuthEvents = %+v, %v", got, err)
		}
		if !got[0].Success || got[0].UserID != "u1" || got[0].Email != "anna@example.nl" || !got[0].At.Equal(now.Add(time.Minute)) {
			t.Fatalf("newest event = %+v", got[0])
		}
		if got[1].Success || got[1].Reason != "wrong_password" || got[1].RemoteAddr != "192.0.2.1" || got[1].UserID != "" {
			t.Fatalf("older event = %+v", got[1])
		}
	})
}

func TestPasswordResetIsSingleUseAndExpires(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler"})
		session, err := b.st.CreateSession(b.ctx, store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		token, err := b.st.CreatePasswordReset(b.ctx, u.ID, now, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got, err := b.st.PasswordResetUser(b.ctx, token, now.Add(59*time.Minute)); err != nil || got.ID != u.ID {
			t.Fatalf("PasswordResetUser = %+v, %v", got, err)
		}
		_, err = b.st.PasswordResetUser(b.ctx, token, now.Add(time.Hour))
		wantCode(t, err, apperr.NotFound)
		_, err = b.st.PasswordResetUser(b.ctx, "guess", now)
		wantCode(t, err, apperr.NotFound)

		got, err := b.st.ResetPassword(b.ctx, token, "$argon2id$new", now.Add(time.Minute))
		if err != nil || got.PasswordHash != "$argon2id$new" {
			t.Fatalf("ResetPassword = %+v, %v", got, err)
		}
		if u2, _ := b.st.GetUser(b.ctx, u.ID); u2.PasswordHash != "$argon2id$new" {
			t.Fatalf("stored hash %q", u2.PasswordHash)
		}
		_, err = b.st.SessionByToken(b.ctx, session)
		wantCode(t, err, apperr.NotFound) // a reset signs out everywhere
		_, err = b.st.ResetPassword(b.ctx, token, "$argon2id$again", now.Add(2*time.Minute))
		wantCode(t, err, apperr.NotFound)

		expired, _ := b.st.CreatePasswordReset(b.ctx, u.ID, now, now.Add(time.Hour))
		_, err = b.st.ResetPassword(b.ctx, expired, "$argon2id$late", now.Add(2*time.Hour))
		wantCode(t, err, apperr.NotFound)

		if err := b.st.SetPassword(b.ctx, u.ID, "$argon2id$set"); err != nil {
			t.Fatal(err)
		}
		wantCode(t, b.st.SetPassword(b.ctx, "nobody", "x"), apperr.NotFound)
	})
}

func TestTOTPStepsAndRecoveryCodesAreGoodOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		u := b.member(t, "anna@example.nl", map[string]string{b.orgA: "handler"})
		_, err := b.st.TOTPOf(b.ctx, u.ID)
		wantCode(t, err, apperr.NotFound)
		if err := b.st.SaveTOTP(b.ctx, u.ID, "JBSWY3DPEHPK3PXP", []string{"h1", "h2"}, now); err != nil {
			t.Fatal(err)
		}
		tp, err := b.st.TOTPOf(b.ctx, u.ID)
		if err != nil || tp.Secret != "JBSWY3DPEHPK3PXP" || tp.RecoveryCodesLeft != 2 || tp.LastStep != 0 {
			t.Fatalf("TOTPOf = %+v, %v", tp, err)
		}
		if err := b.st.UseTOTPStep(b.ctx, u.ID, 100); err != nil {
			t.Fatal(err)
		}
		wantCode(t, b.st.UseTOTPStep(b.ctx, u.ID, 100), apperr.Conflict)
		wantCode(t, b.st.UseTOTPStep(b.ctx, u.ID, 99), apperr.Conflict)
		if err := b.st.UseTOTPStep(b.ctx, u.ID, 101); err != nil {
			t.Fatal(err)
		}
		if err := b.st.UseRecoveryCode(b.ctx, u.ID, "h1", now); err != nil {
			t.Fatal(err)
		}
		wantCode(t, b.st.UseRecoveryCode(b.ctx, u.ID, "h1", now), apperr.NotFound)
		wantCode(t, b.st.UseRecoveryCode(b.ctx, u.ID, "h3", now), apperr.NotFound)
		if tp, _ := b.st.TOTPOf(b.ctx, u.ID); tp.RecoveryCodesLeft != 1 || tp.LastStep != 101 {
			t.Fatalf("after use: %+v", tp)
		}
		sess, _ := b.st.CreateSession(b.ctx, store.Session{UserID: u.ID, OrgID: b.orgA, CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(time.Hour)})
		if info, _ := b.st.SessionByToken(b.ctx, sess); !info.HasTOTP {
			t.Fatal("SessionByToken does not report the user's TOTP")
		}
		// Enrolling again replaces secret and codes.
		if err := b.st.SaveTOTP(b.ctx, u.ID, "NEWSECRET", []string{"n1"}, now); err != nil {
			t.Fatal(err)
		}
		if tp, _ := b.st.TOTPOf(b.ctx, u.ID); tp.Secret != "NEWSECRET" || tp.RecoveryCodesLeft != 1 || tp.LastStep != 0 {
			t.Fatalf("after re-enrolment: %+v", tp)
		}
		if err := b.st.DeleteTOTP(b.ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		_, err = b.st.TOTPOf(b.ctx, u.ID)
		wantCode(t, err, apperr.NotFound)
	})
}

package auth_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// start is the tests' first moment: Tuesday 10 March 2026, 09:00 UTC.
var start = time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)

// pw is every test user's password.
const pw = "correct horse battery staple"

// cheap are argon2id parameters that make the tests fast.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

// pwHash is pw hashed once.
var pwHash = sync.OnceValue(func() string {
	h, err := password.HashWith(pw, cheap)
	if err != nil {
		panic(err)
	}
	return h
})

// clock is a clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// logBuffer collects the manager's log.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

type testBundle struct {
	ctx   context.Context
	st    *store.Store
	m     *auth.Manager
	clock *clock
	logs  *logBuffer
	// anna is a handler of org-a and a receiver of org-b.
	anna store.User
}

func setup(t *testing.T, dsn string) *testBundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	b := &testBundle{ctx: ctx, st: st, clock: &clock{t: start}, logs: &logBuffer{}}
	st.Now = b.clock.Now
	for _, o := range []store.Organisation{
		{ID: "org-a", Name: "Alfa Re-integratie", Settings: []byte(`{"require_totp": true}`)},
		{ID: "org-b", Name: "Bravo Werk"},
	} {
		if _, err := st.CreateOrganisation(ctx, o); err != nil {
			t.Fatal(err)
		}
	}
	b.anna, err = st.CreateUser(ctx, store.User{Email: "anna@example.nl", Name: "Anna de Vries", PasswordHash: pwHash()})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.AddMembership(ctx, "org-a", b.anna.ID, "handler"); err != nil {
		t.Fatal(err)
	}
	if err := st.AddMembership(ctx, "org-b", b.anna.ID, "receiver"); err != nil {
		t.Fatal(err)
	}
	b.m = auth.New(auth.Config{Store: st, Logger: slog.New(slog.NewTextHandler(b.logs, nil)), Now: b.clock.Now, LoginDelay: -1, PasswordParams: &cheap})
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("log:\n%s", b.logs)
		}
	})
	return b
}

func sqlite(t *testing.T) *testBundle { return setup(t, storetest.SQLite(t)) }

func wantReason(t *testing.T, err error, reason string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Reason != reason {
		t.Fatalf("error %v, want reason %q", err, reason)
	}
}

func TestSignInStartsASessionInTheFirstOrganisation(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	token, err := b.m.SignIn(b.ctx, " ANNA@example.nl ", pw, "192.0.2.7")
	if err != nil {
		t.Fatal(err)
	}
	id, err := b.m.Authenticate(b.ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if id.User.ID != b.anna.ID || id.OrgID() != "org-a" || !id.Has(reglement.RoleHandler) || id.Has(reglement.RoleAdmin) {
		t.Fatalf("identity = %+v", id)
	}
	// org-a requires a second factor of handlers; Anna has none yet.
	if id.Pending() != auth.StepEnrol {
		t.Fatalf("Pending = %q, want enrol", id.Pending())
	}
	events, _ := b.st.AuthEvents(b.ctx, "anna@example.nl", 0)
	if len(events) != 1 || !events[0].Success || events[0].RemoteAddr != "192.0.2.7" || events[0].UserID != b.anna.ID {
		t.Fatalf("sign-in log = %+v", events)
	}
	if !strings.Contains(b.logs.String(), "auth: sign-in") {
		t.Fatalf("no sign-in in the log:\n%s", b.logs)
	}
}

func TestWrongPasswordAndUnknownAddressLookTheSame(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	_, err1 := b.m.SignIn(b.ctx, "anna@example.nl", "wrong password!", "")
	_, err2 := b.m.SignIn(b.ctx, "nobody@example.nl", pw, "")
	wantReason(t, err1, auth.ReasonBadCredentials)
	wantReason(t, err2, auth.ReasonBadCredentials)
	if err1.Error() != err2.Error() {
		t.Fatalf("%q differs from %q", err1, err2)
	}
	events, _ := b.st.AuthEvents(b.ctx, "nobody@example.nl", 0)
	if len(events) != 1 || events[0].Success || events[0].Reason != "unknown_user" {
		t.Fatalf("log of the unknown address = %+v", events)
	}
}

func TestFiveFailuresLockTheAddressForFifteenMinutes(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		for range 5 {
			_, err := b.m.SignIn(b.ctx, "anna@example.nl", "wrong password!", "")
			wantReason(t, err, auth.ReasonBadCredentials)
			b.clock.Add(time.Second)
		}
		// Locked: even the right password is refused.
		_, err := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
		wantReason(t, err, auth.ReasonLocked)
		b.clock.Add(14 * time.Minute)
		_, err = b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
		wantReason(t, err, auth.ReasonLocked)
		b.clock.Add(time.Minute)
		if _, err := b.m.SignIn(b.ctx, "anna@example.nl", pw, ""); err != nil {
			t.Fatalf("after 15 minutes: %v", err)
		}
		// Success clears the count.
		if a, _ := b.st.LoginAttemptsOf(b.ctx, "anna@example.nl"); a.Failures != 0 {
			t.Fatalf("failures after a success: %+v", a)
		}
		events, _ := b.st.AuthEvents(b.ctx, "anna@example.nl", 0)
		if len(events) != 8 {
			t.Fatalf("logged %d sign-ins, want 8 (5 wrong, 2 locked, 1 right)", len(events))
		}
	})
}

func TestFailuresSlowDown(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	var pauses []time.Duration
	m := auth.New(auth.Config{Store: b.st, Now: b.clock.Now, LoginDelay: 20 * time.Millisecond, PasswordParams: &cheap,
		Sleep: func(_ context.Context, d time.Duration) { pauses = append(pauses, d) }})
	for range 3 {
		m.SignIn(b.ctx, "nobody@example.nl", "wrong password!", "")
	}
	want := []time.Duration{20 * time.Millisecond, 40 * time.Millisecond, 60 * time.Millisecond}
	if !slices.Equal(pauses, want) {
		t.Fatalf("pauses before answering failed sign-ins: %v, want %v", pauses, want)
	}
}

func TestSessionsTimeOut(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		// Idle: 29 minutes between requests keep the session, 30 end it.
		token, err := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
		if err != nil {
			t.Fatal(err)
		}
		b.clock.Add(29 * time.Minute)
		if _, err := b.m.Authenticate(b.ctx, token); err != nil {
			t.Fatalf("after 29 idle minutes: %v", err)
		}
		b.clock.Add(30 * time.Minute)
		if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrExpired {
			t.Fatalf("after 30 idle minutes: %v, want ErrExpired", err)
		}
		if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrNoSession {
			t.Fatalf("an expired session is gone: %v", err)
		}
		// Absolute: active all day, the session still ends after 12 hours.
		token, err = b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
		if err != nil {
			t.Fatal(err)
		}
		for range 12 * 3 {
			if _, err := b.m.Authenticate(b.ctx, token); err != nil {
				t.Fatalf("active session at %v: %v", b.clock.Now().Sub(start), err)
			}
			b.clock.Add(20 * time.Minute)
		}
		if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrExpired {
			t.Fatalf("after 12 hours: %v, want ErrExpired", err)
		}
	})
}

func TestSwitchOrgRenewsTheToken(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	token, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ := b.m.Authenticate(b.ctx, token)
	token2, err := b.m.SwitchOrg(b.ctx, id, "org-b")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrNoSession {
		t.Fatalf("old token after switch: %v", err)
	}
	id, err = b.m.Authenticate(b.ctx, token2)
	if err != nil || id.OrgID() != "org-b" || !id.Has(reglement.RoleReceiver) || id.Has(reglement.RoleHandler) {
		t.Fatalf("after switch: %+v, %v", id, err)
	}
	// org-b requires no second factor of a receiver.
	if id.Pending() != auth.StepNone {
		t.Fatalf("Pending in org-b = %q", id.Pending())
	}
	if _, err := b.m.SwitchOrg(b.ctx, id, "org-c"); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("switch to a foreign organisation: %v", err)
	}
}

func TestRemovedMemberLosesTheSession(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	token, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	if err := b.st.RemoveMembership(b.ctx, "org-a", b.anna.ID, "handler"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrNoSession {
		t.Fatalf("after removal: %v, want ErrNoSession", err)
	}
}

func TestSignOutEverywhere(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	t1, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	t2, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ := b.m.Authenticate(b.ctx, t1)
	if n, err := b.m.SignOutEverywhere(b.ctx, id); err != nil || n != 2 {
		t.Fatalf("SignOutEverywhere = %d, %v", n, err)
	}
	for _, tok := range []string{t1, t2} {
		if _, err := b.m.Authenticate(b.ctx, tok); err != auth.ErrNoSession {
			t.Fatalf("session survived: %v", err)
		}
	}
}

// code returns the TOTP code of secret at the clock's time.
func code(t *testing.T, secret string, at time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPEnrolmentVerificationAndRecoveryCodes(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	token, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ := b.m.Authenticate(b.ctx, token)
	enr, err := b.m.BeginEnrolment(b.ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(enr.URI, "otpauth://totp/Gegrond:anna@example.nl?") || !strings.Contains(enr.URI, "secret="+enr.Secret) {
		t.Fatalf("URI = %s", enr.URI)
	}
	// A reload shows the same secret.
	id, _ = b.m.Authenticate(b.ctx, token)
	if again, _ := b.m.BeginEnrolment(b.ctx, id); again.Secret != enr.Secret {
		t.Fatal("the pending secret changed on reload")
	}
	if _, _, err := b.m.ConfirmEnrolment(b.ctx, id, "000000"); apperr.CodeOf(err) != apperr.Invalid {
		t.Fatalf("wrong code: %v", err)
	}
	token, recovery, err := b.m.ConfirmEnrolment(b.ctx, id, code(t, enr.Secret, b.clock.Now()))
	if err != nil {
		t.Fatal(err)
	}
	if len(recovery) != auth.RecoveryCodes {
		t.Fatalf("%d recovery codes", len(recovery))
	}
	id, err = b.m.Authenticate(b.ctx, token)
	if err != nil || id.Pending() != auth.StepNone || !id.HasTOTP {
		t.Fatalf("after enrolment: %+v, %v", id, err)
	}

	// The next sign-in asks for a code.
	token, _ = b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ = b.m.Authenticate(b.ctx, token)
	if id.Pending() != auth.StepVerify {
		t.Fatalf("Pending = %q, want verify", id.Pending())
	}
	// The code used at enrolment is good once.
	_, err = b.m.VerifyCode(b.ctx, id, code(t, enr.Secret, b.clock.Now()), "")
	wantReason(t, err, auth.ReasonBadCode)
	b.clock.Add(30 * time.Second)
	verified, err := b.m.VerifyCode(b.ctx, id, code(t, enr.Secret, b.clock.Now()), "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.m.Authenticate(b.ctx, token); err != auth.ErrNoSession {
		t.Fatal("the token from before the second factor still works")
	}
	if id, _ := b.m.Authenticate(b.ctx, verified); id.Pending() != auth.StepNone {
		t.Fatalf("after verification Pending = %q", id.Pending())
	}

	// A recovery code works once, written in any case and with spaces.
	token, _ = b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ = b.m.Authenticate(b.ctx, token)
	if _, err := b.m.VerifyCode(b.ctx, id, " "+strings.ToUpper(recovery[3])+" ", ""); err != nil {
		t.Fatalf("recovery code: %v", err)
	}
	token, _ = b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	id, _ = b.m.Authenticate(b.ctx, token)
	_, err = b.m.VerifyCode(b.ctx, id, recovery[3], "")
	wantReason(t, err, auth.ReasonBadCode)
}

func TestPasswordResetLinkIsLoggedAndWorksOnce(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	session, _ := b.m.SignIn(b.ctx, "anna@example.nl", pw, "")
	if err := b.m.RequestPasswordReset(b.ctx, "Anna@example.nl", "https://klachten.example/", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if err := b.m.RequestPasswordReset(b.ctx, "nobody@example.nl", "https://klachten.example", ""); err != nil {
		t.Fatalf("unknown address: %v", err)
	}
	logs := b.logs.String()
	i := strings.Index(logs, "https://klachten.example"+auth.ResetPath+"?token=")
	if i < 0 {
		t.Fatalf("no reset link in the log:\n%s", logs)
	}
	link := strings.Trim(strings.Fields(logs[i:])[0], `"`)
	token := link[strings.Index(link, "token=")+len("token="):]
	if u, err := b.m.ResetUser(b.ctx, token); err != nil || u.ID != b.anna.ID {
		t.Fatalf("ResetUser = %+v, %v", u, err)
	}
	_, err := b.m.ResetPassword(b.ctx, token, "short", "")
	wantReason(t, err, auth.ReasonWeakPassword)
	if _, err := b.m.ResetPassword(b.ctx, token, "a new and long passphrase", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := b.m.Authenticate(b.ctx, session); err != auth.ErrNoSession {
		t.Fatal("a session survived the password reset")
	}
	_, err = b.m.ResetPassword(b.ctx, token, "yet another passphrase", "")
	wantReason(t, err, auth.ReasonResetInvalid)
	if _, err := b.m.SignIn(b.ctx, "anna@example.nl", "a new and long passphrase", ""); err != nil {
		t.Fatalf("sign in with the new password: %v", err)
	}

	// A link expires after an hour.
	link2, err := b.m.ResetLink(b.ctx, b.anna, "http://x", "test")
	if err != nil {
		t.Fatal(err)
	}
	b.clock.Add(time.Hour)
	_, err = b.m.ResetUser(b.ctx, link2[strings.Index(link2, "token=")+6:])
	wantReason(t, err, auth.ReasonResetInvalid)
}

func TestRequiresTOTPOnlyForDecidingRoles(t *testing.T) {
	t.Parallel()
	org := store.Organisation{Settings: []byte(`{"require_totp": true}`)}
	for _, tc := range []struct {
		roles []reglement.Role
		want  bool
	}{
		{[]reglement.Role{reglement.RoleReceiver}, false},
		{[]reglement.Role{reglement.RoleQualityOfficer, reglement.RoleDPO}, false},
		{[]reglement.Role{reglement.RoleReceiver, reglement.RoleHandler}, true},
		{[]reglement.Role{reglement.RoleBoard}, true},
		{[]reglement.Role{reglement.RoleAdmin}, true},
	} {
		if got := auth.RequiresTOTP(org, tc.roles); got != tc.want {
			t.Errorf("RequiresTOTP(%v) = %v", tc.roles, got)
		}
	}
	if auth.RequiresTOTP(store.Organisation{Settings: []byte(`{}`)}, []reglement.Role{reglement.RoleAdmin}) {
		t.Error("an organisation without the setting requires TOTP")
	}
}

func TestResetLinkGoesByMailNotToTheLog(t *testing.T) {
	t.Parallel()
	b := sqlite(t)
	var logs logBuffer
	var mailed []string
	m := auth.New(auth.Config{Store: b.st, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: b.clock.Now,
		SendResetLink: func(_ context.Context, u store.User, link string) error {
			mailed = append(mailed, u.Email+" "+link)
			return nil
		}})
	link, err := m.ResetLink(b.ctx, b.anna, "https://klachten.example", "test")
	if err != nil {
		t.Fatal(err)
	}
	if len(mailed) != 1 || !strings.Contains(mailed[0], link) || !strings.HasPrefix(mailed[0], "anna@example.nl ") {
		t.Fatalf("mailed %v", mailed)
	}
	if strings.Contains(logs.String(), "token=") {
		t.Fatalf("an e-mailed link must stay out of the log:\n%s", logs.String())
	}
	// When the mail cannot go, the administrator still gets the link.
	failing := auth.New(auth.Config{Store: b.st, Logger: slog.New(slog.NewTextHandler(&logs, nil)), Now: b.clock.Now,
		SendResetLink: func(context.Context, store.User, string) error { return errors.New("mail server down") }})
	if _, err := failing.ResetLink(b.ctx, b.anna, "https://klachten.example", "test"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "token=") {
		t.Fatal("a link that could not be e-mailed must reach the log")
	}
}

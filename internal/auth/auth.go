// Package auth signs staff in and keeps them signed in: e-mail and
// password (argon2id), server-side sessions with idle and absolute
// time-outs, a lock after repeated failures, a log of every sign-in, a
// one-time password reset link, and a TOTP second factor with recovery
// codes that an organisation can require.
//
// auth knows nothing of HTTP: the web package carries the session token in
// a cookie and asks Authenticate for the Identity behind it. The policy
// (time-outs, lock, password rules, who needs a second factor) lives here;
// the store keeps the facts.
package auth

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/store"
)

// The session policy.
const (
	// IdleTimeout ends a session that was not used for this long.
	IdleTimeout = 30 * time.Minute
	// AbsoluteTimeout ends a session this long after sign-in, however
	// active: a stolen cookie is worth a working day at most.
	AbsoluteTimeout = 12 * time.Hour
	// ResetValidity is how long a password reset link works.
	ResetValidity = time.Hour
	// touchInterval is how stale a session's last use may get before it is
	// recorded again: fine enough for the idle time-out, coarse enough not
	// to turn every page view into a write.
	touchInterval = time.Minute
)

// Lockout is the lock on repeated failures: five failed sign-ins of one
// e-mail address within 15 minutes lock it for 15 minutes.
var Lockout = store.LockPolicy{Window: 15 * time.Minute, MaxFailures: 5, LockFor: 15 * time.Minute}

// DefaultLoginDelay is the pause, per earlier failure, before a failed
// sign-in is answered: a guesser slows down before the lock.
const DefaultLoginDelay = 250 * time.Millisecond

// Config is what a Manager needs.
type Config struct {
	Store  *store.Store
	Logger *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// LoginDelay is the pause per earlier failure before a failed sign-in
	// is answered: 0 is DefaultLoginDelay, a negative value none (tests).
	LoginDelay time.Duration
	// Issuer names the service in authenticator apps; "" is "Gegrond".
	Issuer string
	// PasswordParams are the argon2id parameters of new hashes; nil is
	// password.Default. Tests pass cheaper ones: a sign-in then takes
	// milliseconds, not a tenth of a second and 64 MiB.
	PasswordParams *password.Params
	// SendResetLink e-mails a password reset link to the user; nil means
	// no mail server: the link goes to the server log for the
	// administrator to pass on.
	SendResetLink func(ctx context.Context, u store.User, link string) error
	// Sleep waits before a failed sign-in is answered; nil waits for real.
	// Tests pass one that records the pause instead of taking it.
	Sleep func(ctx context.Context, d time.Duration)
}

// Manager signs people in and out. It is safe for concurrent use.
type Manager struct {
	st     *store.Store
	log    *slog.Logger
	now    func() time.Time
	delay  time.Duration
	issuer string
	params password.Params
	// dummyHash is verified against when no user has the address, so that
	// an unknown address takes as long as a wrong password.
	dummyHash func() string
	sendReset func(ctx context.Context, u store.User, link string) error
	sleep     func(ctx context.Context, d time.Duration)
}

// New returns a Manager.
func New(cfg Config) *Manager {
	m := &Manager{st: cfg.Store, log: cfg.Logger, now: cfg.Now, delay: cfg.LoginDelay, issuer: cfg.Issuer, sendReset: cfg.SendResetLink, sleep: cfg.Sleep}
	if m.sleep == nil {
		m.sleep = sleep
	}
	if m.log == nil {
		m.log = slog.New(slog.DiscardHandler)
	}
	if m.now == nil {
		m.now = time.Now
	}
	switch {
	case m.delay == 0:
		m.delay = DefaultLoginDelay
	case m.delay < 0:
		m.delay = 0
	}
	if m.issuer == "" {
		m.issuer = "Gegrond"
	}
	m.params = password.Default
	if cfg.PasswordParams != nil {
		m.params = *cfg.PasswordParams
	}
	m.dummyHash = sync.OnceValue(func() string {
		h, _ := password.HashWith("not a password anyone has", m.params)
		return h
	})
	return m
}

// hash hashes a password with the manager's parameters.
func (m *Manager) hash(pw string) (string, error) { return password.HashWith(pw, m.params) }

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

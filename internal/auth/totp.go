package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"net/url"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/store"
)

// The TOTP parameters every authenticator app understands (RFC 6238
// defaults): SHA-1, six digits, 30-second steps; one step of clock skew
// either way is accepted.
const (
	totpPeriod = 30
	totpSkew   = 1
	// RecoveryCodes is how many one-time recovery codes a user gets.
	RecoveryCodes = 10
)

var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}

func errBadCode() error {
	return apperr.Field("code", "this code is not right; enter the current code from your app, or a recovery code").WithReason(ReasonBadCode)
}

// Enrolment is a TOTP secret on offer, for the user to add to an app.
type Enrolment struct {
	// Secret is the base32 secret, to type in by hand.
	Secret string
	// URI is the otpauth:// URI, for a QR code.
	URI string
}

// BeginEnrolment returns the secret being enrolled in this session,
// making one when there is none yet: reloading the page shows the same
// secret, so a code from an app that scanned it still works.
func (m *Manager) BeginEnrolment(ctx context.Context, id *Identity) (Enrolment, error) {
	secret := id.PendingTOTP
	if secret == "" {
		b := make([]byte, 20)
		rand.Read(b) // never returns an error
		secret = base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b)
		if err := m.st.SetPendingTOTP(ctx, id.token, secret); err != nil {
			return Enrolment{}, err
		}
		id.PendingTOTP = secret
	}
	return Enrolment{Secret: secret, URI: m.otpauthURI(id.User.Email, secret)}, nil
}

// otpauthURI is the Key URI format of Google Authenticator, which every
// authenticator app reads.
func (m *Manager) otpauthURI(account, secret string) string {
	v := url.Values{}
	v.Set("secret", secret)
	v.Set("issuer", m.issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + m.issuer + ":" + account, RawQuery: v.Encode()}
	return u.String()
}

// ConfirmEnrolment checks a code of the pending secret, stores the secret
// as the user's second factor with fresh recovery codes, and renews the
// session as one that passed the second factor. It returns the new
// session token and the recovery codes, which are shown this once.
func (m *Manager) ConfirmEnrolment(ctx context.Context, id *Identity, code string) (token string, recovery []string, err error) {
	if id.PendingTOTP == "" {
		return "", nil, apperr.New(apperr.Conflict, "start setting up the second factor again")
	}
	step, ok := m.matchStep(id.PendingTOTP, code)
	if !ok {
		return "", nil, errBadCode()
	}
	recovery, hashes := newRecoveryCodes()
	if err := m.st.SaveTOTP(ctx, id.User.ID, id.PendingTOTP, hashes, m.now()); err != nil {
		return "", nil, err
	}
	if err := m.st.UseTOTPStep(ctx, id.User.ID, step); err != nil {
		return "", nil, err
	}
	m.log.Info("auth: second factor enrolled", "user", id.User.ID)
	token, err = m.renew(ctx, id, id.Org.ID, true)
	if err != nil {
		return "", nil, err
	}
	id.HasTOTP, id.SecondFactor, id.PendingTOTP = true, true, ""
	return token, recovery, nil
}

// VerifyCode passes the second factor with a current TOTP code or an
// unused recovery code, and returns the renewed session's token. Every
// attempt is logged; failures count toward the address's lock.
func (m *Manager) VerifyCode(ctx context.Context, id *Identity, code, remote string) (string, error) {
	now := m.now()
	ev := store.AuthEvent{At: now, Email: id.User.Email, UserID: id.User.ID, RemoteAddr: remote}
	attempts, err := m.st.LoginAttemptsOf(ctx, id.User.Email)
	if err != nil {
		return "", err
	}
	if attempts.Locked(now) {
		ev.Reason = "locked"
		m.logEvent(ctx, ev)
		return "", errLocked()
	}
	tp, err := m.st.TOTPOf(ctx, id.User.ID)
	if err != nil {
		return "", err
	}
	code = strings.TrimSpace(code)
	if step, ok := m.matchStep(tp.Secret, code); ok {
		if err := m.st.UseTOTPStep(ctx, id.User.ID, step); apperr.CodeOf(err) == apperr.Conflict {
			ev.Reason = "replayed_code"
			return "", m.failCode(ctx, ev, attempts)
		} else if err != nil {
			return "", err
		}
		ev.Reason = "totp"
	} else {
		err := m.st.UseRecoveryCode(ctx, id.User.ID, hashRecoveryCode(code), now)
		if apperr.CodeOf(err) == apperr.NotFound {
			ev.Reason = "wrong_code"
			return "", m.failCode(ctx, ev, attempts)
		}
		if err != nil {
			return "", err
		}
		ev.Reason = "recovery_code"
	}
	if err := m.st.ClearLoginFailures(ctx, id.User.Email); err != nil {
		return "", err
	}
	token, err := m.renew(ctx, id, id.Org.ID, true)
	if err != nil {
		return "", err
	}
	id.SecondFactor = true
	ev.Success = true
	m.logEvent(ctx, ev)
	return token, nil
}

// failCode is fail for a second-factor code.
func (m *Manager) failCode(ctx context.Context, ev store.AuthEvent, before store.LoginAttempts) error {
	if err := m.fail(ctx, ev, before); apperr.CodeOf(err) == apperr.Internal {
		return err
	}
	return errBadCode()
}

// matchStep reports whether code is the TOTP code of the secret at now or
// one step either side, and at which step.
func (m *Manager) matchStep(secret, code string) (int64, bool) {
	code = strings.TrimSpace(code)
	if len(code) != 6 {
		return 0, false
	}
	now := m.now()
	for _, skew := range []int64{0, -1, 1} {
		at := now.Add(time.Duration(skew*totpPeriod) * time.Second)
		want, err := totp.GenerateCodeCustom(secret, at, totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return at.Unix() / totpPeriod, true
		}
	}
	return 0, false
}

// recoveryEncoding leaves out the letters i, l and o, which look like
// the digits 1 and 0 (and 0 itself, which looks like o).
var recoveryEncoding = base32.NewEncoding("abcdefghjkmnpqrstuvwxyz123456789").WithPadding(base32.NoPadding)

// newRecoveryCodes returns RecoveryCodes codes (xxxxx-xxxxx, 50 bits each)
// and their hashes.
func newRecoveryCodes() (codes, hashes []string) {
	for range RecoveryCodes {
		b := make([]byte, 7)
		rand.Read(b) // never returns an error
		s := recoveryEncoding.EncodeToString(b)[:10]
		code := s[:5] + "-" + s[5:]
		codes = append(codes, code)
		hashes = append(hashes, hashRecoveryCode(code))
	}
	return codes, hashes
}

// hashRecoveryCode returns the stored form of a recovery code: SHA-256 of
// its letters and digits in lower case. A code carries 50 random bits, so
// a fast hash is enough.
func hashRecoveryCode(code string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(code) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			b.WriteRune(r)
		}
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

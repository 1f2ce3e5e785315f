package service

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mailin/imapsource"
	"github.com/gegrond/gegrond/internal/store"
)

// SetMailboxKey derives the key that seals the IMAP passwords from the
// master key (the 32 bytes of --master-key, also used for the evidence
// files; HKDF-SHA256 with its own label keeps the two uses apart).
func (s *Service) SetMailboxKey(master []byte) error {
	if len(master) != 32 {
		return errors.New("the master key must be 32 bytes")
	}
	key, err := hkdf.Key(sha256.New, master, nil, "gegrond mailbox password v1", 32)
	if err != nil {
		return err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.mailboxKey = aead
	s.mu.Unlock()
	return nil
}

func (s *Service) mailboxAEAD() (cipher.AEAD, error) {
	s.mu.Lock()
	aead := s.mailboxKey
	s.mu.Unlock()
	if aead == nil {
		return nil, apperr.New(apperr.Conflict, "no master key is configured (--master-key or GEGROND_MASTER_KEY): a mailbox password cannot be stored").
			WithReason("no_master_key")
	}
	return aead, nil
}

// mailboxAAD binds a sealed password to its organisation.
func mailboxAAD(orgID string) []byte { return []byte("mail_sources/" + orgID) }

func (s *Service) sealMailboxPassword(orgID, password string) ([]byte, error) {
	aead, err := s.mailboxAEAD()
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, aead.NonceSize())
	rand.Read(nonce)
	return aead.Seal(nonce, nonce, []byte(password), mailboxAAD(orgID)), nil
}

func (s *Service) openMailboxPassword(orgID string, sealed []byte) (string, error) {
	aead, err := s.mailboxAEAD()
	if err != nil {
		return "", err
	}
	if len(sealed) < aead.NonceSize() {
		return "", errors.New("service: sealed mailbox password too short")
	}
	plain, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], mailboxAAD(orgID))
	if err != nil {
		return "", errors.New("service: the mailbox password cannot be decrypted (another master key?)")
	}
	return string(plain), nil
}

// MailboxSettings is what an administrator sets for the organisation's
// mailbox. Password empty keeps the stored one.
type MailboxSettings struct {
	Host             string
	Port             int
	Security         string
	Username         string
	Password         string
	Mailbox          string
	ProcessedMailbox string
	Enabled          bool
}

// Mailbox returns the organisation's mailbox (with the sealed password,
// never the plaintext); NotFound when none is set.
func (s *Service) Mailbox(ctx context.Context, orgID string) (store.MailSource, error) {
	return s.store.GetMailSource(ctx, orgID)
}

// SaveMailbox checks and stores the organisation's mailbox, sealing the
// password with the master key. Callers check that an administrator asks.
func (s *Service) SaveMailbox(ctx context.Context, orgID string, in MailboxSettings) (store.MailSource, error) {
	in.Host = strings.TrimSpace(in.Host)
	switch {
	case in.Host == "" || strings.ContainsAny(in.Host, " /:"):
		return store.MailSource{}, apperr.Field("host", "enter the IMAP server's host name, such as imap.example.nl")
	case in.Port < 1 || in.Port > 65535:
		return store.MailSource{}, apperr.Field("port", "the port is a number from 1 to 65535 (993 for IMAPS, 143 for STARTTLS)")
	case in.Security != string(imapsource.ImplicitTLS) && in.Security != string(imapsource.StartTLS):
		return store.MailSource{}, apperr.Field("security", "choose TLS or STARTTLS")
	case strings.TrimSpace(in.Username) == "":
		return store.MailSource{}, apperr.Field("username", "enter the user name")
	}
	m := store.MailSource{OrgID: orgID, Host: in.Host, Port: in.Port, Security: in.Security,
		Username: strings.TrimSpace(in.Username), Mailbox: strings.TrimSpace(in.Mailbox),
		ProcessedMailbox: strings.TrimSpace(in.ProcessedMailbox), Enabled: in.Enabled}
	if in.Password != "" {
		sealed, err := s.sealMailboxPassword(orgID, in.Password)
		if err != nil {
			return store.MailSource{}, err
		}
		m.PasswordEnc = sealed
	} else if _, err := s.store.GetMailSource(ctx, orgID); apperr.CodeOf(err) == apperr.NotFound {
		return store.MailSource{}, apperr.Field("password", "enter the password")
	} else if err != nil {
		return store.MailSource{}, err
	}
	return s.store.SaveMailSource(ctx, m)
}

// MailSupervisor runs one imapsource.Source per enabled mailbox with the
// service's DeliverMail as the sink, restarting a source whose settings
// changed and stopping one that was disabled.
type MailSupervisor struct {
	svc *Service
	log *slog.Logger
	// Interval is how often the mailboxes are reloaded (default 1 minute).
	Interval time.Duration
	// Tune, when set, adjusts every source's configuration (tests: plain
	// connections, short intervals).
	Tune func(*imapsource.Config)

	mu      sync.Mutex
	running map[string]*runningSource // by org
}

type runningSource struct {
	fingerprint string
	src         *imapsource.Source
	cancel      context.CancelFunc
	done        chan struct{}
}

// NewMailSupervisor returns a supervisor of the organisations' mailboxes.
func (s *Service) NewMailSupervisor(log *slog.Logger) *MailSupervisor {
	if log == nil {
		log = slog.Default()
	}
	return &MailSupervisor{svc: s, log: log, running: map[string]*runningSource{}}
}

func fingerprint(m store.MailSource) string {
	return strings.Join([]string{m.Host, strconv.Itoa(m.Port), m.Security, m.Username, string(m.PasswordEnc),
		m.Mailbox, m.ProcessedMailbox}, "\x00")
}

func (sv *MailSupervisor) config(m store.MailSource) (imapsource.Config, error) {
	pw, err := sv.svc.openMailboxPassword(m.OrgID, m.PasswordEnc)
	if err != nil {
		return imapsource.Config{}, err
	}
	cfg := imapsource.Config{OrgID: m.OrgID, Addr: net.JoinHostPort(m.Host, strconv.Itoa(m.Port)),
		Security: imapsource.Security(m.Security), Username: m.Username, Password: pw, Mailbox: m.Mailbox,
		ProcessedMailbox: m.ProcessedMailbox, Logger: sv.log.With("component", "imap")}
	if sv.Tune != nil {
		sv.Tune(&cfg)
	}
	return cfg, nil
}

// Run syncs the sources every Interval until ctx ends, then stops them.
func (sv *MailSupervisor) Run(ctx context.Context) {
	interval := sv.Interval
	if interval <= 0 {
		interval = time.Minute
	}
	defer sv.stopAll()
	for {
		sv.Sync(ctx)
		select {
		case <-ctx.Done():
			return
		case <-time.After(interval):
		}
	}
}

// Sync records the status of the running sources, then starts, restarts
// and stops sources to match the enabled mailboxes in the store.
func (sv *MailSupervisor) Sync(ctx context.Context) {
	sources, err := sv.svc.store.EnabledMailSources(ctx)
	if err != nil {
		sv.log.Error("mail sources: load", "err", err)
		return
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	for org, r := range sv.running {
		st := r.src.Status()
		if err := sv.svc.store.RecordMailSourceStatus(ctx, org, st.LastCheckAt, st.LastError); err != nil {
			sv.log.Warn("mail sources: record status", "org", org, "err", err)
		}
	}
	want := map[string]store.MailSource{}
	for _, m := range sources {
		want[m.OrgID] = m
	}
	for org, r := range sv.running {
		if m, ok := want[org]; !ok || fingerprint(m) != r.fingerprint {
			r.stop()
			delete(sv.running, org)
		}
	}
	for org, m := range want {
		if _, ok := sv.running[org]; ok {
			continue
		}
		cfg, err := sv.config(m)
		if err == nil {
			var src *imapsource.Source
			if src, err = imapsource.New(cfg, sv.svc.MailSink()); err == nil {
				rctx, cancel := context.WithCancel(ctx)
				r := &runningSource{fingerprint: fingerprint(m), src: src, cancel: cancel, done: make(chan struct{})}
				go func() {
					defer close(r.done)
					src.Run(rctx)
				}()
				sv.running[org] = r
				sv.log.Info("mail sources: reading mailbox", "org", org, "imap", cfg.Addr)
				continue
			}
		}
		sv.log.Error("mail sources: cannot start", "org", org, "err", err)
		_ = sv.svc.store.RecordMailSourceStatus(ctx, org, sv.svc.now(), apperr.MessageOf(err))
	}
}

// RunOnce reads every enabled mailbox once, synchronously, and records
// each one's status: what Sync starts, but in one round and without
// goroutines (tests, a command-line check).
func (sv *MailSupervisor) RunOnce(ctx context.Context) error {
	sources, err := sv.svc.store.EnabledMailSources(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, m := range sources {
		cfg, err := sv.config(m)
		var src *imapsource.Source
		if err == nil {
			src, err = imapsource.New(cfg, sv.svc.MailSink())
		}
		if err == nil {
			_, _, err = src.RunOnce(ctx)
		}
		msg := ""
		if err != nil {
			msg = apperr.MessageOf(err)
			errs = append(errs, err)
		}
		if rerr := sv.svc.store.RecordMailSourceStatus(ctx, m.OrgID, sv.svc.now(), msg); rerr != nil {
			errs = append(errs, rerr)
		}
	}
	return errors.Join(errs...)
}

func (r *runningSource) stop() {
	r.cancel()
	<-r.done
}

func (sv *MailSupervisor) stopAll() {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	for org, r := range sv.running {
		r.stop()
		delete(sv.running, org)
	}
}

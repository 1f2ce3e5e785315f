// Package imapsource reads an organisation's complaint mailbox over IMAP
// (go-imap/v2) and hands every new message to a mailin.Sink. A message is
// marked processed on the server (\Seen, or moved to a folder such as
// "Verwerkt") only after the Sink returned nil, that is after the commit:
// a crash in between makes the next run deliver the message again, and
// the Sink, which deduplicates by Message-ID, keeps one. Nothing is lost,
// nothing doubled.
//
// The source waits for new mail with IDLE when the server offers it and
// polls otherwise, reconnects with exponential backoff, and stops when
// its context ends.
package imapsource

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mailin"
)

// Security is how the connection to the IMAP server is protected.
type Security string

// The security modes.
const (
	// ImplicitTLS speaks TLS from the first byte (IMAPS, port 993). The
	// default.
	ImplicitTLS Security = "tls"
	// StartTLS upgrades a plain connection (port 143) and refuses a server
	// that does not offer STARTTLS.
	StartTLS Security = "starttls"
	// Insecure never encrypts: the password and the complaints cross the
	// network in the clear. Only for tests, and only with AllowInsecure.
	Insecure Security = "none"
)

// Config says which mailbox to read and how.
type Config struct {
	// OrgID is the organisation the mailbox belongs to, passed to the Sink.
	OrgID string
	// Addr is the server's host:port.
	Addr string
	// Security is ImplicitTLS when empty.
	Security Security
	// AllowInsecure must be set for Security Insecure.
	AllowInsecure bool
	// TLSConfig is used for TLS; nil verifies the server's certificate
	// against the system roots and the host name of Addr.
	TLSConfig *tls.Config
	// Username and Password sign in (LOGIN).
	Username, Password string

	// Mailbox is read; "INBOX" when empty.
	Mailbox string
	// ProcessedMailbox, when set, is where a processed message is moved
	// (created when missing; "Verwerkt" is the usual name): every message
	// left in Mailbox is then new, also one a person read in a mail client
	// before Gegrond got to it. Empty marks a processed message \Seen and
	// leaves it, and takes only unseen messages as new: a message someone
	// opened in a mail client first is then not read by Gegrond.
	ProcessedMailbox string

	// PollInterval is how often the mailbox is looked at when the server
	// offers no IDLE, and the longest wait between looks with IDLE
	// (default 1 minute).
	PollInterval time.Duration
	// RetryInterval is when a message whose delivery failed is tried again
	// (default 30 seconds).
	RetryInterval time.Duration
	// NoIdle polls even when the server offers IDLE (for servers whose
	// IDLE is broken).
	NoIdle bool
	// MinBackoff and MaxBackoff bound the wait before reconnecting after a
	// failure (defaults 1 second and 5 minutes); the wait doubles with
	// every failure in a row.
	MinBackoff, MaxBackoff time.Duration
	// MaxMessageBytes is the largest message fetched (default
	// mailin.DefaultMaxMessageBytes). A larger one is left on the server
	// untouched, and logged, for a person to deal with.
	MaxMessageBytes int64
	// DialTimeout bounds connecting and the TLS handshake (default 30 s).
	DialTimeout time.Duration

	// Dial opens the network connection; nil uses net.Dialer. Tests use it
	// to cut connections.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now is the clock, for the receipt time of a message when the server
	// gives no INTERNALDATE; nil is time.Now.
	Now func() time.Time
	// Logger receives what goes wrong; nil is slog.Default().
	Logger *slog.Logger
}

// withDefaults checks cfg and fills the zero fields.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.OrgID == "" {
		return cfg, apperr.Field("org", "an IMAP mailbox needs the organisation it belongs to")
	}
	if _, _, err := net.SplitHostPort(cfg.Addr); err != nil {
		return cfg, apperr.Field("addr", "IMAP server address %q is not host:port", cfg.Addr)
	}
	switch cfg.Security {
	case "":
		cfg.Security = ImplicitTLS
	case ImplicitTLS, StartTLS:
	case Insecure:
		if !cfg.AllowInsecure {
			return cfg, apperr.Field("security", "an IMAP connection without TLS is refused unless explicitly allowed")
		}
	default:
		return cfg, apperr.Field("security", "unknown IMAP security %q (tls, starttls)", cfg.Security)
	}
	if cfg.Mailbox == "" {
		cfg.Mailbox = "INBOX"
	}
	if cfg.PollInterval <= 0 {
		cfg.PollInterval = time.Minute
	}
	if cfg.RetryInterval <= 0 {
		cfg.RetryInterval = 30 * time.Second
	}
	if cfg.MinBackoff <= 0 {
		cfg.MinBackoff = time.Second
	}
	if cfg.MaxBackoff < cfg.MinBackoff {
		cfg.MaxBackoff = max(5*time.Minute, cfg.MinBackoff)
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = mailin.DefaultMaxMessageBytes
	}
	if cfg.DialTimeout <= 0 {
		cfg.DialTimeout = 30 * time.Second
	}
	if cfg.Dial == nil {
		d := &net.Dialer{}
		cfg.Dial = d.DialContext
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Logger = cfg.Logger.With("org", cfg.OrgID, "imap", cfg.Addr, "mailbox", cfg.Mailbox)
	return cfg, nil
}

// Source reads one mailbox.
type Source struct {
	cfg  Config
	sink mailin.Sink

	mu sync.Mutex
	// tooLarge remembers the messages left on the server for their size,
	// so that each is logged once.
	tooLarge map[uidKey]bool
	status   Status
}

// Status is how the source is doing, for the administrator's screen.
type Status struct {
	// Connected is true while a session with the server is open.
	Connected bool
	// LastError is the last failure (connection, login, delivery) and
	// when it happened; empty after a round without any.
	LastError   string
	LastErrorAt time.Time
	// LastCheckAt is when the mailbox was last looked at.
	LastCheckAt time.Time
	// Delivered counts the messages delivered and marked since New.
	Delivered int
	// TooLarge counts the messages left on the server for their size.
	TooLarge int
}

// Status returns how the source is doing.
func (s *Source) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// record updates the status under the lock.
func (s *Source) record(f func(*Status)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f(&s.status)
}

// recordError notes a failure in the status.
func (s *Source) recordError(err error) {
	if err == nil {
		return
	}
	now := s.cfg.Now()
	s.record(func(st *Status) { st.LastError, st.LastErrorAt = err.Error(), now })
}

// uidKey names a message across sessions: a UID means the same message
// only under the same UIDVALIDITY.
type uidKey struct {
	validity uint32
	uid      imap.UID
}

// New returns a source that delivers the messages of cfg's mailbox to
// sink.
func New(cfg Config, sink mailin.Sink) (*Source, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	if sink == nil {
		return nil, errors.New("imapsource: nil sink")
	}
	return &Source{cfg: cfg, sink: sink, tooLarge: map[uidKey]bool{}}, nil
}

// Run reads the mailbox until ctx ends, then returns nil: it connects,
// delivers what is waiting, waits for more (IDLE or polling) and
// reconnects after a failure, waiting MinBackoff, doubling up to
// MaxBackoff.
func (s *Source) Run(ctx context.Context) error {
	backoff := s.cfg.MinBackoff
	for {
		connected, err := s.session(ctx)
		s.record(func(st *Status) { st.Connected = false })
		if ctx.Err() != nil {
			return nil
		}
		s.recordError(err)
		if connected {
			backoff = s.cfg.MinBackoff
		}
		s.cfg.Logger.Warn("imap mailbox: reconnecting", "after", backoff, "err", err)
		t := time.NewTimer(backoff)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		backoff = min(backoff*2, s.cfg.MaxBackoff)
	}
}

// RunOnce connects, delivers every message waiting, and disconnects. It
// returns how many were delivered and marked; a failed delivery is
// logged and counted in failed, the message left for a later run.
func (s *Source) RunOnce(ctx context.Context) (delivered, failed int, err error) {
	c, validity, _, err := s.open(ctx)
	if err != nil {
		s.recordError(err)
		return 0, 0, err
	}
	defer func() {
		s.close(c)
		s.record(func(st *Status) { st.Connected = false })
	}()
	delivered, failed, err = s.round(ctx, c, validity)
	s.recordError(err)
	return delivered, failed, err
}

// session runs one connection until it fails or ctx ends; connected
// reports whether it got as far as the selected mailbox.
func (s *Source) session(ctx context.Context) (connected bool, err error) {
	c, validity, updates, err := s.open(ctx)
	if err != nil {
		return false, err
	}
	defer s.close(c)
	for {
		_, failed, err := s.round(ctx, c, validity)
		if err != nil || ctx.Err() != nil {
			return true, err
		}
		wait := s.cfg.PollInterval
		if failed > 0 {
			wait = min(wait, s.cfg.RetryInterval)
		}
		if err := s.wait(ctx, c, updates, wait); err != nil || ctx.Err() != nil {
			return true, err
		}
	}
}

// conn is a client with what closes it when the context ends.
type conn struct {
	*imapclient.Client
	stop func() bool
}

// open connects, signs in, makes sure the processed folder exists and
// selects the mailbox. updates receives a value when the server tells of
// new messages.
func (s *Source) open(ctx context.Context) (*conn, uint32, <-chan struct{}, error) {
	updates := make(chan struct{}, 1)
	opts := &imapclient.Options{
		TLSConfig: s.tlsConfig(),
		UnilateralDataHandler: &imapclient.UnilateralDataHandler{
			Mailbox: func(data *imapclient.UnilateralDataMailbox) {
				if data.NumMessages != nil {
					select {
					case updates <- struct{}{}:
					default:
					}
				}
			},
		},
	}
	dialCtx, cancel := context.WithTimeout(ctx, s.cfg.DialTimeout)
	defer cancel()
	nc, err := s.cfg.Dial(dialCtx, "tcp", s.cfg.Addr)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("connecting to %s: %w", s.cfg.Addr, err)
	}
	var client *imapclient.Client
	switch s.cfg.Security {
	case ImplicitTLS:
		tc := tls.Client(nc, opts.TLSConfig)
		if err := tc.HandshakeContext(dialCtx); err != nil {
			nc.Close()
			return nil, 0, nil, fmt.Errorf("TLS with %s: %w", s.cfg.Addr, err)
		}
		client = imapclient.New(tc, opts)
	case StartTLS:
		// NewStartTLS does not watch a context: a deadline bounds it.
		nc.SetDeadline(time.Now().Add(s.cfg.DialTimeout))
		client, err = imapclient.NewStartTLS(nc, opts)
		if err != nil {
			return nil, 0, nil, fmt.Errorf("STARTTLS with %s: %w", s.cfg.Addr, err)
		}
		nc.SetDeadline(time.Time{})
	default:
		client = imapclient.New(nc, opts)
	}
	c := &conn{Client: client, stop: context.AfterFunc(ctx, func() { client.Close() })}
	fail := func(what string, err error) (*conn, uint32, <-chan struct{}, error) {
		s.close(c)
		return nil, 0, nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := c.WaitGreeting(); err != nil {
		return fail("IMAP greeting", err)
	}
	if err := c.Login(s.cfg.Username, s.cfg.Password).Wait(); err != nil {
		return fail("IMAP login as "+s.cfg.Username, err)
	}
	if s.cfg.ProcessedMailbox != "" {
		if err := s.ensureMailbox(c, s.cfg.ProcessedMailbox); err != nil {
			return fail("creating "+s.cfg.ProcessedMailbox, err)
		}
	}
	sel, err := c.Select(s.cfg.Mailbox, nil).Wait()
	if err != nil {
		return fail("selecting "+s.cfg.Mailbox, err)
	}
	s.record(func(st *Status) { st.Connected = true })
	return c, sel.UIDValidity, updates, nil
}

// close logs out and closes the connection.
func (s *Source) close(c *conn) {
	c.stop()
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = c.Logout().Wait()
	}()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	c.Close()
}

// ensureMailbox creates name unless it exists.
func (s *Source) ensureMailbox(c *conn, name string) error {
	list, err := c.List("", name, nil).Collect()
	if err != nil {
		return err
	}
	if len(list) > 0 {
		return nil
	}
	err = c.Create(name, nil).Wait()
	var imapErr *imap.Error
	if errors.As(err, &imapErr) && imapErr.Code == imap.ResponseCodeAlreadyExists {
		return nil
	}
	return err
}

// maxFailuresInARow ends a round: the Sink is down, and fetching the
// rest of a backlog only to fail again wastes the server's time.
const maxFailuresInARow = 3

// round delivers every new message of the selected mailbox, oldest
// first. A failed delivery is logged and counted, and the round goes on
// with the next message (one message the Sink cannot take does not hold
// up the others) until maxFailuresInARow; an error is returned only for
// the connection.
func (s *Source) round(ctx context.Context, c *conn, validity uint32) (delivered, failed int, err error) {
	checked := s.cfg.Now()
	defer func() {
		s.record(func(st *Status) {
			st.LastCheckAt = checked
			st.Delivered += delivered
			if err == nil && failed == 0 {
				st.LastError, st.LastErrorAt = "", time.Time{}
			}
		})
	}()
	criteria := &imap.SearchCriteria{NotFlag: []imap.Flag{imap.FlagDeleted}}
	if s.cfg.ProcessedMailbox == "" {
		criteria.NotFlag = append(criteria.NotFlag, imap.FlagSeen)
	}
	data, err := c.UIDSearch(criteria, nil).Wait()
	if err != nil {
		return 0, 0, fmt.Errorf("searching %s: %w", s.cfg.Mailbox, err)
	}
	uids := searchUIDs(data)
	if len(uids) == 0 {
		return 0, 0, nil
	}
	metas, err := c.Fetch(imap.UIDSetNum(uids...), &imap.FetchOptions{UID: true, RFC822Size: true, InternalDate: true}).Collect()
	if err != nil {
		return 0, 0, fmt.Errorf("fetching sizes: %w", err)
	}
	slices.SortFunc(metas, func(a, b *imapclient.FetchMessageBuffer) int { return int(a.UID) - int(b.UID) })
	inARow := 0
	for _, meta := range metas {
		if inARow >= maxFailuresInARow {
			return delivered, failed, nil
		}
		if ctx.Err() != nil {
			return delivered, failed, nil
		}
		key := uidKey{validity, meta.UID}
		if meta.RFC822Size > s.cfg.MaxMessageBytes {
			s.skipTooLarge(key, meta.RFC822Size)
			continue
		}
		raw, err := s.fetch(c, meta.UID)
		switch {
		case errors.Is(err, errTooLarge):
			s.skipTooLarge(key, meta.RFC822Size)
			continue
		case err != nil:
			return delivered, failed, err
		case raw == nil:
			continue // expunged by someone else meanwhile
		}
		receivedAt := meta.InternalDate
		if receivedAt.IsZero() {
			receivedAt = s.cfg.Now()
		}
		if err := s.sink.Deliver(ctx, s.cfg.OrgID, raw, receivedAt); err != nil {
			failed++
			inARow++
			s.recordError(fmt.Errorf("delivering message %d: %w", meta.UID, err))
			s.cfg.Logger.Error("imap mailbox: delivery failed; the message stays on the server and is tried again", "uid", meta.UID, "err", err)
			continue
		}
		inARow = 0
		if ctx.Err() != nil {
			// Stopping between the commit and the mark is what a crash
			// does too: the next run delivers the message again and the
			// Sink recognises it.
			return delivered, failed, nil
		}
		if err := s.markProcessed(c, meta.UID); err != nil {
			return delivered, failed, fmt.Errorf("marking message %d processed: %w", meta.UID, err)
		}
		delivered++
	}
	return delivered, failed, nil
}

// searchUIDs returns the UIDs of a search result (none for a result that
// is not a static UID set, which only a broken server sends).
func searchUIDs(data *imap.SearchData) []imap.UID {
	set, ok := data.All.(imap.UIDSet)
	if !ok {
		return nil
	}
	uids, ok := set.Nums()
	if !ok {
		return nil
	}
	return uids
}

// errTooLarge is a message that turned out larger than announced.
var errTooLarge = errors.New("message too large")

// fetch returns the raw message with uid, without setting \Seen
// (BODY.PEEK[]); nil when the server has no such message any more.
func (s *Source) fetch(c *conn, uid imap.UID) ([]byte, error) {
	cmd := c.Fetch(imap.UIDSetNum(uid), &imap.FetchOptions{
		UID:         true,
		BodySection: []*imap.FetchItemBodySection{{Peek: true}},
	})
	var raw []byte
	var readErr error
	for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
		for item := msg.Next(); item != nil; item = msg.Next() {
			body, ok := item.(imapclient.FetchItemDataBodySection)
			if !ok || body.Literal == nil || raw != nil || readErr != nil {
				continue
			}
			b, err := io.ReadAll(io.LimitReader(body.Literal, s.cfg.MaxMessageBytes+1))
			switch {
			case err != nil:
				readErr = err
			case int64(len(b)) > s.cfg.MaxMessageBytes:
				readErr = errTooLarge
			default:
				raw = b
			}
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, fmt.Errorf("fetching message %d: %w", uid, err)
	}
	if readErr != nil {
		return nil, readErr
	}
	return raw, nil
}

// skipTooLarge logs, once per message, that a message is left alone for
// its size.
func (s *Source) skipTooLarge(key uidKey, size int64) {
	s.mu.Lock()
	seen := s.tooLarge[key]
	if !seen {
		s.tooLarge[key] = true
		s.status.TooLarge++
	}
	s.mu.Unlock()
	if !seen {
		s.cfg.Logger.Error("imap mailbox: message too large; left on the server for a person to handle",
			"uid", key.uid, "size", size, "max", s.cfg.MaxMessageBytes)
	}
}

// markProcessed tells the server a message is done with: \Seen, and
// moved when a processed folder is configured.
func (s *Source) markProcessed(c *conn, uid imap.UID) error {
	set := imap.UIDSetNum(uid)
	err := c.Store(set, &imap.StoreFlags{Op: imap.StoreFlagsAdd, Silent: true, Flags: []imap.Flag{imap.FlagSeen}}, nil).Close()
	if err != nil || s.cfg.ProcessedMailbox == "" {
		return err
	}
	_, err = c.Move(set, s.cfg.ProcessedMailbox).Wait()
	return err
}

// wait returns when the server tells of new mail (IDLE), after d, or when
// ctx ends.
func (s *Source) wait(ctx context.Context, c *conn, updates <-chan struct{}, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	caps := c.Caps()
	if s.cfg.NoIdle || !(caps.Has(imap.CapIdle) || caps.Has(imap.CapIMAP4rev2)) {
		select {
		case <-ctx.Done():
		case <-t.C:
		}
		return nil
	}
	idle, err := c.Idle()
	if err != nil {
		return fmt.Errorf("IDLE: %w", err)
	}
	select {
	case <-ctx.Done():
	case <-t.C:
	case <-updates:
	case <-c.Closed():
	}
	if err := idle.Close(); err != nil {
		return fmt.Errorf("ending IDLE: %w", err)
	}
	if err := idle.Wait(); err != nil {
		return fmt.Errorf("IDLE: %w", err)
	}
	return nil
}

// tlsConfig is the configured TLS configuration with the server name of
// Addr.
func (s *Source) tlsConfig() *tls.Config {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if s.cfg.TLSConfig != nil {
		cfg = s.cfg.TLSConfig.Clone()
	}
	if cfg.ServerName == "" {
		host, _, _ := net.SplitHostPort(s.cfg.Addr)
		cfg.ServerName = host
	}
	return cfg
}

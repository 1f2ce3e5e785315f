// Package smtpsource is a small SMTP server (go-smtp) for organisations
// that forward their complaint mail to Gegrond instead of giving it a
// mailbox to read. It accepts mail only for the configured complaint
// addresses (550 for any other), refuses messages over the size limit
// (552), and answers 250 only after the mailin.Sink committed the message
// for every organisation it was addressed to; when the Sink fails it
// answers 451, so the sending server keeps the message and tries again.
package smtpsource

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mailin"
)

// Recipients maps a recipient address (lower case, as in RCPT TO) to the
// organisation whose complaint address it is. ok is false for an address
// of nobody's; an error (a database that cannot be reached) makes the
// server answer 451, try again later.
type Recipients func(ctx context.Context, address string) (orgID string, ok bool, err error)

// StaticRecipients is a fixed table of complaint addresses to
// organisation IDs.
func StaticRecipients(table map[string]string) Recipients {
	lower := make(map[string]string, len(table))
	for addr, org := range table {
		lower[strings.ToLower(strings.TrimSpace(addr))] = org
	}
	return func(_ context.Context, address string) (string, bool, error) {
		org, ok := lower[address]
		return org, ok, nil
	}
}

// Config says where the server listens and what it accepts.
type Config struct {
	// Addr is where ListenAndServe listens (":2525"; ":25" needs the
	// right to bind it).
	Addr string
	// Domain is the name the server greets with and writes in the
	// Received field it adds.
	Domain string
	// Recipients says which addresses are accepted, for which
	// organisation.
	Recipients Recipients
	// MaxMessageBytes is the largest message accepted (default
	// mailin.DefaultMaxMessageBytes), announced as SIZE.
	MaxMessageBytes int64
	// MaxRecipients bounds RCPT TO per message (default 50).
	MaxRecipients int
	// TLSConfig, when set, offers STARTTLS.
	TLSConfig *tls.Config
	// ReadTimeout and WriteTimeout bound a client's silence (default 2
	// minutes; RFC 5321 4.5.3.2 asks more of a server for DATA, but a
	// complaint never takes that long).
	ReadTimeout, WriteTimeout time.Duration
	// DeliverTimeout bounds one Sink delivery (default 1 minute).
	DeliverTimeout time.Duration
	// Now is the clock for the receipt time; nil is time.Now.
	Now func() time.Time
	// Logger receives what goes wrong; nil is slog.Default().
	Logger *slog.Logger
}

// maxLineLength is the longest line accepted, in commands and data.
const maxLineLength = 64 << 10

// Server receives complaint mail over SMTP.
type Server struct {
	cfg  Config
	sink mailin.Sink
	srv  *smtp.Server
	// base is the context of every delivery, ended by Close.
	base   context.Context
	cancel context.CancelFunc
	once   sync.Once
}

// New returns a server that delivers to sink.
func New(cfg Config, sink mailin.Sink) (*Server, error) {
	if cfg.Recipients == nil {
		return nil, apperr.Field("recipients", "the SMTP receiver needs the complaint addresses it accepts")
	}
	if sink == nil {
		return nil, errors.New("smtpsource: nil sink")
	}
	if cfg.Domain == "" {
		cfg.Domain = "localhost"
	}
	if cfg.MaxMessageBytes <= 0 {
		cfg.MaxMessageBytes = mailin.DefaultMaxMessageBytes
	}
	if cfg.MaxRecipients <= 0 {
		cfg.MaxRecipients = 50
	}
	if cfg.ReadTimeout <= 0 {
		cfg.ReadTimeout = 2 * time.Minute
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = 2 * time.Minute
	}
	if cfg.DeliverTimeout <= 0 {
		cfg.DeliverTimeout = time.Minute
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	s := &Server{cfg: cfg, sink: sink}
	s.base, s.cancel = context.WithCancel(context.Background())
	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Addr = cfg.Addr
	srv.Domain = cfg.Domain
	srv.MaxMessageBytes = cfg.MaxMessageBytes
	srv.MaxRecipients = cfg.MaxRecipients
	// RFC 5321 allows 1000 characters a line, but mailers that put a
	// whole HTML body on one line exist, and a complaint is worth more
	// than the rule; memory is bounded by MaxMessageBytes anyway.
	srv.MaxLineLength = maxLineLength
	srv.ReadTimeout = cfg.ReadTimeout
	srv.WriteTimeout = cfg.WriteTimeout
	srv.TLSConfig = cfg.TLSConfig
	srv.EnableSMTPUTF8 = true
	srv.ErrorLog = slogLogger{cfg.Logger}
	s.srv = srv
	return s, nil
}

// Serve accepts connections on l until Close.
func (s *Server) Serve(l net.Listener) error {
	err := s.srv.Serve(l)
	if errors.Is(err, smtp.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on Config.Addr and serves until Close.
func (s *Server) ListenAndServe() error {
	l, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return err
	}
	return s.Serve(l)
}

// Shutdown stops accepting connections and waits for the open ones to
// end, or for ctx; deliveries under way finish.
func (s *Server) Shutdown(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	s.once.Do(s.cancel)
	return err
}

// Close stops the server at once; a delivery under way is cancelled, and
// its sender, having no 250, tries again later.
func (s *Server) Close() error {
	s.once.Do(s.cancel)
	return s.srv.Close()
}

// SMTP answers.
var (
	errUnknownRecipient = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such complaint address here"}
	errTryAgain         = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Temporary failure, please try again later"}
	errLineTooLong      = &smtp.SMTPError{Code: 500, EnhancedCode: smtp.EnhancedCode{5, 4, 0}, Message: "Line too long"}
)

// session is one SMTP transaction after another on a connection.
type session struct {
	s      *Server
	remote string
	helo   string
	from   string
	// orgs are the organisations of the accepted recipients, in order,
	// with the first recipient address of each.
	orgs []recipient
}

type recipient struct{ org, address string }

func (s *Server) newSession(c *smtp.Conn) (smtp.Session, error) {
	remote := ""
	if a := c.Conn().RemoteAddr(); a != nil {
		remote = a.String()
	}
	return &session{s: s, remote: remote, helo: c.Hostname()}, nil
}

func (se *session) Reset() {
	se.from, se.orgs = "", nil
}

func (se *session) Logout() error { return nil }

func (se *session) Mail(from string, _ *smtp.MailOptions) error {
	se.from = from
	return nil
}

func (se *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	addr := strings.ToLower(strings.TrimSpace(to))
	ctx, cancel := context.WithTimeout(se.s.base, se.s.cfg.DeliverTimeout)
	defer cancel()
	org, ok, err := se.s.cfg.Recipients(ctx, addr)
	switch {
	case err != nil:
		se.s.cfg.Logger.Error("smtp receiver: looking up recipient", "to", addr, "err", err)
		return errTryAgain
	case !ok:
		return errUnknownRecipient
	}
	for _, r := range se.orgs {
		if r.org == org {
			return nil
		}
	}
	se.orgs = append(se.orgs, recipient{org: org, address: addr})
	return nil
}

// Data reads the message and delivers it once per organisation; 250 only
// when every delivery committed. When one fails the sender retries the
// whole message, and the organisations that had it already recognise it
// by its Message-ID.
func (se *session) Data(r io.Reader) error {
	body, err := io.ReadAll(r)
	if err != nil {
		var smtpErr *smtp.SMTPError
		if errors.As(err, &smtpErr) {
			return smtpErr // 552 over the size limit
		}
		if errors.Is(err, smtp.ErrTooLongLine) {
			return errLineTooLong // sending it again will not help
		}
		return errTryAgain
	}
	now := se.s.cfg.Now()
	for _, rc := range se.orgs {
		raw := append(se.trace(rc.address, now), body...)
		ctx, cancel := context.WithTimeout(se.s.base, se.s.cfg.DeliverTimeout)
		err := se.s.sink.Deliver(ctx, rc.org, raw, now)
		cancel()
		if err != nil {
			se.s.cfg.Logger.Error("smtp receiver: delivery failed; answered 451 so the sender retries",
				"org", rc.org, "from", se.from, "err", err)
			return errTryAgain
		}
	}
	return nil
}

// trace returns the fields a receiving server puts on top (RFC 5321
// 4.4): Return-Path with the envelope sender (empty for a bounce, which
// mailin's auto-reply check reads) and Received with where the message
// came from and when, as evidence of its arrival.
func (se *session) trace(rcpt string, now time.Time) []byte {
	return fmt.Appendf(nil, "Return-Path: <%s>\r\nReceived: from %s (%s)\r\n\tby %s (Gegrond) with ESMTP\r\n\tfor <%s>; %s\r\n",
		headerSafe(se.from), headerSafe(se.helo), headerSafe(se.remote), headerSafe(se.s.cfg.Domain),
		headerSafe(rcpt), now.Format(time.RFC1123Z))
}

// headerSafe keeps client-given text from breaking the header.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || r == '<' || r == '>' {
			return -1
		}
		return r
	}, s)
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "")
	}
	return s
}

// slogLogger passes go-smtp's log lines to slog.
type slogLogger struct{ l *slog.Logger }

func (l slogLogger) Printf(format string, v ...any) {
	l.l.Warn("smtp receiver: " + fmt.Sprintf(format, v...))
}

func (l slogLogger) Println(v ...any) { l.l.Warn("smtp receiver: " + fmt.Sprint(v...)) }

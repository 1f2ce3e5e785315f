// Package mail sends Gegrond's e-mail over SMTP: letters to the parties of
// a complaint and reminders to staff. It is a thin layer over go-mail,
// configured by a Config (host, port, TLS mode, account, default sender),
// that turns a Message into MIME and says of a failure whether it is worth
// trying again (IsTemporary).
package mail

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// TLSMode is how the connection to the mail server is protected.
type TLSMode string

// The TLS modes.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses a
	// server that does not offer it (submission, port 587). The default.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (port 465).
	TLSImplicit TLSMode = "tls"
	// TLSOpportunistic uses STARTTLS when the server offers it and sends in
	// the clear otherwise.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSNone never encrypts: for a relay on the same host or network, and
	// tests.
	TLSNone TLSMode = "none"
)

// TLSModes lists the modes, the default first.
var TLSModes = []TLSMode{TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone}

// DefaultTimeout bounds a connection to the mail server.
const DefaultTimeout = 30 * time.Second

// Config says how to reach the mail server.
type Config struct {
	// Host is the mail server; empty means e-mail is not configured.
	Host string
	// Port is the server's port; 0 is the mode's usual port (587, 465 for
	// TLSImplicit, 25 for TLSNone).
	Port int
	// TLS is how the connection is protected; empty is TLSStartTLS.
	TLS TLSMode
	// User and Password sign in to the server when User is set (the best
	// mechanism the server offers; PLAIN and LOGIN only over TLS).
	User     string
	Password string
	// From is the default sender ("Gegrond <noreply@example.nl>"): the
	// From of a message that names none, and the envelope sender (where
	// bounces go) of every message.
	From string
	// ReplyTo is the Reply-To of a message that names none.
	ReplyTo string
	// Timeout bounds each connection; 0 is DefaultTimeout.
	Timeout time.Duration
	// TLSConfig replaces the TLS settings (a private CA); nil verifies the
	// server against the system's roots under Host.
	TLSConfig *tls.Config
}

// Enabled reports whether a mail server is configured.
func (c Config) Enabled() bool { return strings.TrimSpace(c.Host) != "" }

// Check validates the configuration of an enabled mail server.
func (c Config) Check() error {
	if !c.Enabled() {
		return nil
	}
	switch c.TLS {
	case "", TLSStartTLS, TLSImplicit, TLSOpportunistic, TLSNone:
	default:
		return fmt.Errorf("unknown SMTP TLS mode %q; expected starttls, tls, opportunistic or none", c.TLS)
	}
	if c.Port < 0 || c.Port > 65535 {
		return fmt.Errorf("SMTP port %d is not a port", c.Port)
	}
	if c.From != "" {
		if _, err := mail.ParseAddress(c.From); err != nil {
			return fmt.Errorf("SMTP sender %q is not an e-mail address: %v", c.From, err)
		}
	}
	if c.ReplyTo != "" {
		if _, err := mail.ParseAddress(c.ReplyTo); err != nil {
			return fmt.Errorf("SMTP reply-to %q is not an e-mail address: %v", c.ReplyTo, err)
		}
	}
	if c.Password != "" && c.User == "" {
		return errors.New("an SMTP password without a user")
	}
	return nil
}

// port returns the port to dial.
func (c Config) port() int {
	switch {
	case c.Port != 0:
		return c.Port
	case c.TLS == TLSImplicit:
		return 465
	case c.TLS == TLSNone:
		return 25
	default:
		return 587
	}
}

// Address is a mailbox: a name and an e-mail address.
type Address struct {
	Name  string
	Email string
}

// String formats the address for a header.
func (a Address) String() string { return (&mail.Address{Name: a.Name, Address: a.Email}).String() }

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Message is an e-mail to send.
type Message struct {
	// From is the sender; empty is Config.From.
	From Address
	// ReplyTo is where replies go; empty is Config.ReplyTo (or none).
	ReplyTo Address
	To      []Address
	Subject string
	// Text is the plain-text body; HTML, when set, its alternative.
	Text string
	HTML string
	// MessageID is the Message-ID without angle brackets
	// ("2026-0042.ack.x1@example.nl"); empty lets the library make one.
	MessageID string
	// References are Message-IDs (without angle brackets) of the thread
	// the message belongs to.
	References []string
	// Date is the Date header; zero is the time of sending.
	Date time.Time
	// Headers are further headers, such as X-Gegrond-Case.
	Headers     map[string]string
	Attachments []Attachment
}

// Sender sends messages to the configured mail server, one connection per
// message. It is safe for concurrent use.
type Sender struct {
	cfg Config
}

// NewSender returns a sender for cfg, which must be enabled and valid.
func NewSender(cfg Config) (*Sender, error) {
	if !cfg.Enabled() {
		return nil, errors.New("mail: no SMTP host configured")
	}
	if err := cfg.Check(); err != nil {
		return nil, fmt.Errorf("mail: %w", err)
	}
	if cfg.TLS == "" {
		cfg.TLS = TLSStartTLS
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	return &Sender{cfg: cfg}, nil
}

// Config returns the sender's configuration.
func (s *Sender) Config() Config { return s.cfg }

// Error is a failure to hand a message to the mail server.
type Error struct {
	// Temporary: the server or the network may accept the message later
	// (a 4xx reply, a refused connection, a timeout). A permanent failure
	// is a 5xx reply to the message or its recipients: trying again sends
	// the same message to the same refusal.
	Temporary bool
	Err       error
}

func (e *Error) Error() string {
	kind := "permanent"
	if e.Temporary {
		kind = "temporary"
	}
	return fmt.Sprintf("mail (%s): %v", kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// IsTemporary reports whether err is a failure worth trying again: a
// temporary *Error, or any other error (a message that could not even be
// built is the caller's bug, and no reason to give up on the letter).
func IsTemporary(err error) bool {
	var e *Error
	if errors.As(err, &e) {
		return e.Temporary
	}
	return err != nil
}

// Send hands m to the mail server. Once the server has accepted the
// message, Send reports success even when closing the connection fails
// afterwards. The error of a failure is an *Error.
func (s *Sender) Send(ctx context.Context, m Message) error {
	msg, err := s.build(m)
	if err != nil {
		return &Error{Temporary: false, Err: err}
	}
	client, err := s.client()
	if err != nil {
		return &Error{Temporary: false, Err: err}
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		return nil
	}
	if err == nil {
		return &Error{Temporary: true, Err: errors.New("the server did not confirm the message")}
	}
	var se *gomail.SendError
	if errors.As(err, &se) {
		return &Error{Temporary: se.IsTemp(), Err: err}
	}
	// Dialling, TLS and authentication: the server or its configuration
	// may be fixed; the backoff and the attempt limit decide.
	return &Error{Temporary: true, Err: err}
}

func (s *Sender) client() (*gomail.Client, error) {
	c := s.cfg
	opts := []gomail.Option{gomail.WithPort(c.port()), gomail.WithTimeout(c.Timeout)}
	switch c.TLS {
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if c.TLSConfig != nil {
		opts = append(opts, gomail.WithTLSConfig(c.TLSConfig))
	}
	if c.User != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(c.User), gomail.WithPassword(c.Password))
	}
	return gomail.NewClient(c.Host, opts...)
}

// build turns m into a go-mail message.
func (s *Sender) build(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	msg.SetUserAgent("Gegrond")
	from := m.From
	if from.Email == "" {
		if s.cfg.From == "" {
			return nil, errors.New("the message has no sender and no default sender is configured")
		}
		a, err := mail.ParseAddress(s.cfg.From)
		if err != nil {
			return nil, err
		}
		from = Address{Name: a.Name, Email: a.Address}
	}
	if err := msg.FromFormat(from.Name, from.Email); err != nil {
		return nil, fmt.Errorf("sender %q: %w", from.Email, err)
	}
	if s.cfg.From != "" {
		// Bounces go to the configured sender, the one the server lets us
		// use, whoever the letter is from.
		a, err := mail.ParseAddress(s.cfg.From)
		if err == nil && !strings.EqualFold(a.Address, from.Email) {
			if err := msg.EnvelopeFrom(a.Address); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case m.ReplyTo.Email != "":
		if err := msg.ReplyToFormat(m.ReplyTo.Name, m.ReplyTo.Email); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", m.ReplyTo.Email, err)
		}
	case s.cfg.ReplyTo != "":
		if err := msg.ReplyTo(s.cfg.ReplyTo); err != nil {
			return nil, fmt.Errorf("reply-to %q: %w", s.cfg.ReplyTo, err)
		}
	}
	if len(m.To) == 0 {
		return nil, errors.New("the message has no recipient")
	}
	for _, to := range m.To {
		if err := msg.AddToFormat(to.Name, to.Email); err != nil {
			return nil, fmt.Errorf("recipient %q: %w", to.Email, err)
		}
	}
	msg.Subject(m.Subject)
	if m.MessageID != "" {
		msg.SetMessageIDWithValue(m.MessageID)
	} else {
		msg.SetMessageID()
	}
	if len(m.References) > 0 {
		refs := make([]string, len(m.References))
		for i, r := range m.References {
			refs[i] = "<" + r + ">"
		}
		msg.SetGenHeaderPreformatted(gomail.HeaderReferences, strings.Join(refs, " "))
	}
	if m.Date.IsZero() {
		msg.SetDate()
	} else {
		msg.SetDateWithValue(m.Date)
	}
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	for _, a := range m.Attachments {
		ct := a.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		msg.AttachReadSeeker(a.Name, bytes.NewReader(a.Data), gomail.WithFileContentType(gomail.ContentType(ct)))
	}
	return msg, nil
}

// Domain returns the domain of an e-mail address ("" when it has none),
// for Message-IDs.
func Domain(addr string) string {
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	_, domain, ok := strings.Cut(addr, "@")
	if !ok {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(domain))
}

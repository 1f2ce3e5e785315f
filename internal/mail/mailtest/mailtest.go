// Package mailtest runs a real SMTP server in the test process (go-smtp)
// that keeps every message it accepts, and parses them back (go-message),
// so that tests see what a mail server would receive. The server can be
// told to refuse messages, temporarily or for good, and to require
// STARTTLS and a password.
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-message"
	// Registers the charsets a parsed message may use besides UTF-8.
	_ "github.com/emersion/go-message/charset"
	gmail "github.com/emersion/go-message/mail"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/mail"
)

// Server is an SMTP server on a loopback port for one test.
type Server struct {
	// Host and Port are where it listens.
	Host string
	Port int

	tlsConfig *tls.Config // the client's, when the server offers STARTTLS
	user      string
	password  string

	mu       sync.Mutex
	received []Received
	refusals []refusal
	sessions int
}

// refusal is a refusal waiting for a message to rcpt ("" is any).
type refusal struct {
	rcpt string
	err  error
}

// Received is a message as the server accepted it.
type Received struct {
	// From is the envelope sender, To the envelope recipients.
	From string
	To   []string
	// Data is the message as it came over the wire.
	Data []byte
}

// Option configures a Server.
type Option func(*Server)

// WithAuth makes the server offer STARTTLS with a certificate of its own
// and require PLAIN authentication as user with password. The Config of
// the server trusts that certificate.
func WithAuth(user, password string) Option {
	return func(s *Server) { s.user, s.password = user, password }
}

// Start starts a server that stops when the test ends.
func Start(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s := &Server{}
	for _, o := range opts {
		o(s)
	}
	srv := smtp.NewServer(backend{s})
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 16 << 20
	srv.ErrorLog = discardLog{}
	if s.user != "" {
		cert, pool, err := selfSigned()
		if err != nil {
			tb.Fatal(err)
		}
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		s.tlsConfig = &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := ln.Addr().(*net.TCPAddr)
	s.Host, s.Port = "127.0.0.1", addr.Port
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	tb.Cleanup(func() {
		srv.Close()
		<-done
	})
	return s
}

// Config returns the mail configuration that reaches the server.
func (s *Server) Config() mail.Config {
	c := mail.Config{Host: s.Host, Port: s.Port, TLS: mail.TLSNone, From: "Gegrond <noreply@gegrond.test>", Timeout: 5 * time.Second}
	if s.user != "" {
		c.Host = "localhost"
		c.TLS = mail.TLSStartTLS
		c.User, c.Password = s.user, s.password
		c.TLSConfig = s.tlsConfig
	}
	return c
}

// RefuseNext makes the server refuse the next messages with the errors,
// one each, at the end of DATA. A 4xx code is a temporary refusal, 5xx a
// permanent one.
func (s *Server) RefuseNext(errs ...*smtp.SMTPError) { s.RefuseNextTo("", errs...) }

// RefuseNextTo is RefuseNext for messages to the envelope recipient rcpt
// only; other messages pass.
func (s *Server) RefuseNextTo(rcpt string, errs ...*smtp.SMTPError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range errs {
		s.refusals = append(s.refusals, refusal{rcpt: strings.ToLower(rcpt), err: e})
	}
}

// Temporary is a refusal to try again later (451).
func Temporary() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
}

// Permanent is a refusal for good (550).
func Permanent() *smtp.SMTPError {
	return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such mailbox"}
}

// Received returns the messages accepted so far, in order.
func (s *Server) Received() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.received...)
}

// Messages returns the messages accepted so far, parsed.
func (s *Server) Messages(tb testing.TB) []Message {
	tb.Helper()
	var out []Message
	for _, r := range s.Received() {
		m, err := Parse(r.Data)
		if err != nil {
			tb.Fatalf("parse message to %v: %v\n%s", r.To, err, r.Data)
		}
		m.Envelope = r
		out = append(out, m)
	}
	return out
}

// Sessions counts the connections the server accepted.
func (s *Server) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions
}

type backend struct{ s *Server }

func (b backend) NewSession(c *smtp.Conn) (smtp.Session, error) {
	b.s.mu.Lock()
	b.s.sessions++
	b.s.mu.Unlock()
	return &session{s: b.s}, nil
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.password {
			return smtp.ErrAuthFailed
		}
		ss.authed = true
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.user != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	defer ss.s.mu.Unlock()
	for i, r := range ss.s.refusals {
		if r.rcpt == "" || slices.ContainsFunc(ss.to, func(to string) bool { return strings.EqualFold(to, r.rcpt) }) {
			ss.s.refusals = slices.Delete(ss.s.refusals, i, i+1)
			return r.err
		}
	}
	ss.s.received = append(ss.s.received, Received{From: ss.from, To: ss.to, Data: data})
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// Message is a parsed e-mail.
type Message struct {
	Envelope   Received
	From       []*gmail.Address
	ReplyTo    []*gmail.Address
	To         []*gmail.Address
	Subject    string
	MessageID  string
	References []string
	Date       time.Time
	Header     gmail.Header
	// Text and HTML are the decoded bodies.
	Text        string
	HTML        string
	Attachments []Attachment
}

// Attachment is a decoded attachment.
type Attachment struct {
	Name        string
	ContentType string
	Data        []byte
}

// Parse reads an e-mail as a mail client would: headers decoded, bodies
// and attachments undone of their transfer encoding and charset.
func Parse(data []byte) (Message, error) {
	r, err := gmail.CreateReader(bytes.NewReader(data))
	if err != nil && !message.IsUnknownCharset(err) {
		return Message{}, err
	}
	var m Message
	m.Header = r.Header
	if m.From, err = r.Header.AddressList("From"); err != nil {
		return m, fmt.Errorf("header From: %w", err)
	}
	if m.ReplyTo, err = r.Header.AddressList("Reply-To"); err != nil {
		return m, fmt.Errorf("header Reply-To: %w", err)
	}
	if m.To, err = r.Header.AddressList("To"); err != nil {
		return m, fmt.Errorf("header To: %w", err)
	}
	if m.Subject, err = r.Header.Subject(); err != nil {
		return m, fmt.Errorf("header Subject: %w", err)
	}
	if m.MessageID, err = r.Header.MessageID(); err != nil {
		return m, fmt.Errorf("header Message-ID: %w", err)
	}
	if m.References, err = r.Header.MsgIDList("References"); err != nil {
		return m, fmt.Errorf("header References: %w", err)
	}
	if m.Date, err = r.Header.Date(); err != nil {
		return m, fmt.Errorf("header Date: %w", err)
	}
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil && !message.IsUnknownCharset(err) {
			return m, err
		}
		body, err := io.ReadAll(p.Body)
		if err != nil {
			return m, err
		}
		switch h := p.Header.(type) {
		case *gmail.InlineHeader:
			ct, _, _ := h.ContentType()
			switch {
			case strings.EqualFold(ct, "text/plain") && m.Text == "":
				m.Text = string(body)
			case strings.EqualFold(ct, "text/html") && m.HTML == "":
				m.HTML = string(body)
			}
		case *gmail.AttachmentHeader:
			name, _ := h.Filename()
			ct, _, _ := h.ContentType()
			m.Attachments = append(m.Attachments, Attachment{Name: name, ContentType: ct, Data: body})
		}
	}
	return m, nil
}

// selfSigned makes a certificate for localhost and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "localhost"},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}, pool, nil
}

type discardLog struct{}

func (discardLog) Printf(string, ...any) {}
func (discardLog) Println(...any)        {}

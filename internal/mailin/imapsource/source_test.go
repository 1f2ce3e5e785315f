package imapsource_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/mailin/imapsource"
	"github.com/gegrond/gegrond/internal/mailin/mailintest"
)

const (
	user     = "klachten@nextbest.test"
	password = "geheim"
	org      = "org-nextbest"
)

// testBundle is a real IMAP server (go-imap's imapserver over the memory
// backend) on a loopback port, with what the tests need to look at it.
type testBundle struct {
	addr  string
	user  *imapmemserver.User
	sink  *mailintest.Sink
	certs *x509.CertPool
}

type serverOption func(*imapserver.Options, *testBundle)

// withTLS offers STARTTLS with a certificate for 127.0.0.1.
func withTLS(o *imapserver.Options, b *testBundle) {
	cert, pool := selfSigned()
	o.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	b.certs = pool
}

func setup(t *testing.T, opts ...serverOption) *testBundle {
	t.Helper()
	mem := imapmemserver.New()
	u := imapmemserver.NewUser(user, password)
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	b := &testBundle{user: u, sink: &mailintest.Sink{}}
	o := &imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	}
	for _, opt := range opts {
		opt(o, b)
	}
	srv := imapserver.New(o)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	b.addr = ln.Addr().String()
	return b
}

// config is a plain-text configuration for the test server.
func (b *testBundle) config() imapsource.Config {
	return imapsource.Config{
		OrgID:         org,
		Addr:          b.addr,
		Security:      imapsource.Insecure,
		AllowInsecure: true,
		Username:      user,
		Password:      password,
		PollInterval:  time.Hour,
		RetryInterval: 20 * time.Millisecond,
		MinBackoff:    10 * time.Millisecond,
		MaxBackoff:    50 * time.Millisecond,
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
}

// message is a small complaint with a given Message-ID.
func message(id string) []byte {
	return fmt.Appendf(nil, "Message-ID: <%s>\r\nFrom: Els <els@example.nl>\r\nTo: %s\r\nSubject: Klacht %s\r\n"+
		"Content-Type: text/plain; charset=utf-8\r\n\r\nMijn klacht (%s).\r\n", id, user, id, id)
}

// arrival is the server's receipt time of the appended messages.
var arrival = time.Date(2026, 3, 2, 9, 14, 3, 0, time.UTC)

// appendMessage puts raw in mailbox as if it had just arrived.
func (b *testBundle) appendMessage(t *testing.T, mailbox string, raw []byte, flags ...imap.Flag) imap.UID {
	t.Helper()
	data, err := b.user.Append(mailbox, literal{bytes.NewReader(raw)}, &imap.AppendOptions{Time: arrival, Flags: flags})
	if err != nil {
		t.Fatal(err)
	}
	return data.UID
}

type literal struct{ *bytes.Reader }

func (l literal) Size() int64 { return l.Reader.Size() }

// flags returns the flags of every message in mailbox by UID, read over
// a connection of its own.
func (b *testBundle) flags(t *testing.T, mailbox string) map[imap.UID][]imap.Flag {
	t.Helper()
	c, err := imapclient.DialInsecure(b.addr, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login(user, password).Wait(); err != nil {
		t.Fatal(err)
	}
	sel, err := c.Select(mailbox, &imap.SelectOptions{ReadOnly: true}).Wait()
	if err != nil {
		t.Fatal(err)
	}
	out := map[imap.UID][]imap.Flag{}
	if sel.NumMessages == 0 {
		return out
	}
	msgs, err := c.Fetch(imap.SeqSet{{Start: 1, Stop: 0}}, &imap.FetchOptions{UID: true, Flags: true}).Collect()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		out[m.UID] = m.Flags
	}
	return out
}

func seen(flags []imap.Flag) bool { return slices.Contains(flags, imap.FlagSeen) }

// eventually waits for cond, failing the test after 10 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// run starts the source in the background and returns what stops it.
func run(t *testing.T, src *imapsource.Source) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("Run: %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("Run did not stop")
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func TestDeliversThenMarksSeen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	raws := map[imap.UID][]byte{}
	for _, id := range []string{"a@x", "b@x", "c@x"} {
		raws[b.appendMessage(t, "INBOX", message(id))] = message(id)
	}
	// At the moment of each commit the message must still be unseen on
	// the server: marked only after Deliver returned.
	var markedEarly []string
	b.sink.AfterCommit = func(_ string, m *mailin.Message) {
		for uid, flags := range b.flags(t, "INBOX") {
			if bytes.Equal(raws[uid], m.Raw) && seen(flags) {
				markedEarly = append(markedEarly, m.MessageID)
			}
		}
	}
	src, err := imapsource.New(b.config(), b.sink)
	if err != nil {
		t.Fatal(err)
	}
	delivered, failed, err := src.RunOnce(t.Context())
	if err != nil || delivered != 3 || failed != 0 {
		t.Fatalf("RunOnce: %d delivered, %d failed, %v", delivered, failed, err)
	}
	if len(markedEarly) > 0 {
		t.Errorf("marked seen before the commit: %v", markedEarly)
	}
	kept := b.sink.Kept()
	var ids []string
	for _, d := range kept {
		ids = append(ids, d.Message.MessageID)
		if d.OrgID != org || !d.ReceivedAt.Equal(arrival) || d.Times != 1 {
			t.Errorf("%s: org %q, received %v, %d times", d.Message.MessageID, d.OrgID, d.ReceivedAt, d.Times)
		}
	}
	if !slices.Equal(ids, []string{"a@x", "b@x", "c@x"}) {
		t.Errorf("delivered %v, want the three in order of arrival", ids)
	}
	for uid, flags := range b.flags(t, "INBOX") {
		if !seen(flags) {
			t.Errorf("message %d not marked seen", uid)
		}
		for _, d := range kept {
			if bytes.Equal(d.Message.Raw, raws[uid]) {
				delete(raws, uid)
			}
		}
	}
	if len(raws) != 0 {
		t.Errorf("raw bytes not delivered as on the server: %d", len(raws))
	}
	// A second run finds nothing new.
	if delivered, _, err := src.RunOnce(t.Context()); delivered != 0 || err != nil {
		t.Errorf("second run delivered %d, %v", delivered, err)
	}
}

func TestFailedDeliveryIsRetriedAndNotMarkedBefore(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.appendMessage(t, "INBOX", message("ok1@x"))
	failing := b.appendMessage(t, "INBOX", message("fails-once@x"))
	b.appendMessage(t, "INBOX", message("ok2@x"))
	var mu sync.Mutex
	failures := 0
	b.sink.Fail = func(_ string, m *mailin.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if m.MessageID == "fails-once@x" && failures == 0 {
			failures++
			return mailintest.ErrFailed
		}
		return nil
	}
	// The first round: the failing message stays unseen, the others are
	// done.
	src, err := imapsource.New(b.config(), b.sink)
	if err != nil {
		t.Fatal(err)
	}
	delivered, failed, err := src.RunOnce(t.Context())
	if err != nil || delivered != 2 || failed != 1 {
		t.Fatalf("first run: %d delivered, %d failed, %v", delivered, failed, err)
	}
	flags := b.flags(t, "INBOX")
	if seen(flags[failing]) {
		t.Error("the message whose delivery failed is marked seen")
	}
	if n := len(b.sink.Kept()); n != 2 {
		t.Fatalf("%d kept after the failure", n)
	}
	// Run retries it after RetryInterval, without waiting for new mail.
	run(t, mustNew(t, b.config(), b.sink))
	kept := b.sink.WaitFor(ctxTimeout(t), 3)
	if len(kept) != 3 {
		t.Fatalf("%d kept", len(kept))
	}
	for _, d := range kept {
		if d.Times != 1 {
			t.Errorf("%s delivered %d times", d.Message.MessageID, d.Times)
		}
	}
	eventually(t, "the retried message is marked seen", func() bool { return seen(b.flags(t, "INBOX")[failing]) })
}

func TestStopBetweenCommitAndMarkRedeliversOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	uid := b.appendMessage(t, "INBOX", message("crash@x"))
	// The Sink commits, then the process "dies" before the mark: the
	// context ends while Deliver returns.
	ctx, cancel := context.WithCancel(t.Context())
	b.sink.AfterCommit = func(string, *mailin.Message) { cancel() }
	src := mustNew(t, b.config(), b.sink)
	if err := src.Run(ctx); err != nil {
		t.Fatal(err)
	}
	if seen(b.flags(t, "INBOX")[uid]) {
		t.Fatal("marked seen although the run stopped before marking")
	}
	// After the restart the message comes again; the Sink keeps one.
	b.sink.AfterCommit = nil
	delivered, _, err := mustNew(t, b.config(), b.sink).RunOnce(t.Context())
	if err != nil || delivered != 1 {
		t.Fatalf("restart: %d delivered, %v", delivered, err)
	}
	kept := b.sink.Kept()
	if len(kept) != 1 || kept[0].Times != 2 {
		t.Fatalf("kept %d, delivered %d times; want one message delivered twice", len(kept), kept[0].Times)
	}
	if !seen(b.flags(t, "INBOX")[uid]) {
		t.Error("not marked seen after the second delivery")
	}
}

func TestConnectionLostBetweenCommitAndMarkRedeliversOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	uid := b.appendMessage(t, "INBOX", message("lost@x"))
	d := &dialer{}
	cfg := b.config()
	cfg.Dial = d.dial
	var once sync.Once
	b.sink.AfterCommit = func(string, *mailin.Message) { once.Do(d.cutAll) }
	run(t, mustNew(t, cfg, b.sink))
	eventually(t, "the message is marked seen after reconnecting", func() bool { return seen(b.flags(t, "INBOX")[uid]) })
	kept := b.sink.Kept()
	if len(kept) != 1 || kept[0].Times != 2 {
		t.Fatalf("kept %d; want one message delivered twice", len(kept))
	}
	if d.count() < 2 {
		t.Errorf("%d connections; want a reconnection", d.count())
	}
}

func TestIdleDeliversNewMailAtOnce(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.appendMessage(t, "INBOX", message("first@x"))
	// PollInterval is an hour: only IDLE can bring the second message.
	run(t, mustNew(t, b.config(), b.sink))
	if len(b.sink.WaitFor(ctxTimeout(t), 1)) != 1 {
		t.Fatal("the first message was not delivered")
	}
	time.Sleep(50 * time.Millisecond) // let the source enter IDLE
	b.appendMessage(t, "INBOX", message("second@x"))
	if kept := b.sink.WaitFor(ctxTimeout(t), 2); len(kept) != 2 {
		t.Fatalf("%d kept; IDLE did not bring the new message", len(kept))
	}
}

func TestPollsWithoutIdle(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := b.config()
	cfg.NoIdle = true
	cfg.PollInterval = 30 * time.Millisecond
	run(t, mustNew(t, cfg, b.sink))
	time.Sleep(50 * time.Millisecond)
	b.appendMessage(t, "INBOX", message("polled@x"))
	if kept := b.sink.WaitFor(ctxTimeout(t), 1); len(kept) != 1 {
		t.Fatal("polling did not bring the message")
	}
}

func TestMovesToProcessedFolder(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.appendMessage(t, "INBOX", message("new@x"))
	// Read in a mail client before Gegrond got to it: still new, since
	// every message left in the inbox is.
	b.appendMessage(t, "INBOX", message("read-by-a-person@x"), imap.FlagSeen)
	cfg := b.config()
	cfg.ProcessedMailbox = "Verwerkt"
	delivered, _, err := mustNew(t, cfg, b.sink).RunOnce(t.Context())
	if err != nil || delivered != 2 {
		t.Fatalf("%d delivered, %v", delivered, err)
	}
	if inbox := b.flags(t, "INBOX"); len(inbox) != 0 {
		t.Errorf("%d messages left in INBOX", len(inbox))
	}
	done := b.flags(t, "Verwerkt")
	if len(done) != 2 {
		t.Fatalf("%d messages in Verwerkt", len(done))
	}
	for uid, flags := range done {
		if !seen(flags) {
			t.Errorf("moved message %d not seen", uid)
		}
	}
}

func TestSeenModeLeavesReadMessages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.appendMessage(t, "INBOX", message("read-by-a-person@x"), imap.FlagSeen)
	delivered, _, err := mustNew(t, b.config(), b.sink).RunOnce(t.Context())
	if err != nil || delivered != 0 {
		t.Fatalf("%d delivered, %v: in seen mode a read message is not new", delivered, err)
	}
}

func TestTooLargeMessageIsLeftAlone(t *testing.T) {
	t.Parallel()
	b := setup(t)
	big := b.appendMessage(t, "INBOX", append(message("big@x"), bytes.Repeat([]byte("x"), 2000)...))
	b.appendMessage(t, "INBOX", message("small@x"))
	cfg := b.config()
	cfg.MaxMessageBytes = 1000
	src := mustNew(t, cfg, b.sink)
	delivered, failed, err := src.RunOnce(t.Context())
	if err != nil || delivered != 1 || failed != 0 {
		t.Fatalf("%d delivered, %d failed, %v", delivered, failed, err)
	}
	if seen(b.flags(t, "INBOX")[big]) {
		t.Error("the message too large was marked")
	}
	if st := src.Status(); st.TooLarge != 1 {
		t.Errorf("status %+v", st)
	}
}

func TestReconnectsWithBackoff(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.appendMessage(t, "INBOX", message("after-outage@x"))
	d := &dialer{fails: 3}
	cfg := b.config()
	cfg.Dial = d.dial
	run(t, mustNew(t, cfg, b.sink))
	if kept := b.sink.WaitFor(ctxTimeout(t), 1); len(kept) != 1 {
		t.Fatal("not delivered after the server came back")
	}
	if d.attempts() != 4 {
		t.Errorf("%d dial attempts; want 3 failures and a success", d.attempts())
	}
}

func TestWrongPasswordIsAnErrorInTheStatus(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := b.config()
	cfg.Password = "fout"
	src := mustNew(t, cfg, b.sink)
	if _, _, err := src.RunOnce(t.Context()); err == nil {
		t.Fatal("logged in with a wrong password")
	}
	if st := src.Status(); !strings.Contains(st.LastError, "login") || st.LastErrorAt.IsZero() || st.Connected {
		t.Errorf("status %+v", st)
	}
	// Fixed, the next check clears the error.
	cfg.Password = password
	src = mustNew(t, cfg, b.sink)
	b.appendMessage(t, "INBOX", message("status@x"))
	if _, _, err := src.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	if st := src.Status(); st.LastError != "" || st.Delivered != 1 || st.LastCheckAt.IsZero() {
		t.Errorf("status %+v", st)
	}
}

func TestASinkThatIsDownEndsTheRound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	for i := range 6 {
		b.appendMessage(t, "INBOX", message(fmt.Sprintf("backlog%d@x", i)))
	}
	b.sink.Fail = func(string, *mailin.Message) error { return mailintest.ErrFailed }
	src := mustNew(t, b.config(), b.sink)
	delivered, failed, err := src.RunOnce(t.Context())
	if err != nil || delivered != 0 || failed != 3 || b.sink.Attempts() != 3 {
		t.Fatalf("%d delivered, %d failed, %d attempts, %v; want the round to stop after three failures",
			delivered, failed, b.sink.Attempts(), err)
	}
	if st := src.Status(); !strings.Contains(st.LastError, "delivering message") {
		t.Errorf("status %+v", st)
	}
	for uid, flags := range b.flags(t, "INBOX") {
		if seen(flags) {
			t.Errorf("message %d marked", uid)
		}
	}
}

func TestStartTLS(t *testing.T) {
	t.Parallel()
	b := setup(t, withTLS)
	b.appendMessage(t, "INBOX", message("tls@x"))
	cfg := b.config()
	cfg.Security = imapsource.StartTLS
	cfg.AllowInsecure = false
	cfg.TLSConfig = &tls.Config{RootCAs: b.certs}
	delivered, _, err := mustNew(t, cfg, b.sink).RunOnce(t.Context())
	if err != nil || delivered != 1 {
		t.Fatalf("%d delivered, %v", delivered, err)
	}
	// A certificate nobody vouches for is refused.
	cfg.TLSConfig = nil
	if _, _, err := mustNew(t, cfg, b.sink).RunOnce(t.Context()); err == nil {
		t.Error("accepted an unknown certificate")
	}
}

func TestStartTLSRefusesAServerWithout(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cfg := b.config()
	cfg.Security = imapsource.StartTLS
	cfg.AllowInsecure = false
	if _, _, err := mustNew(t, cfg, b.sink).RunOnce(t.Context()); err == nil {
		t.Fatal("went on without STARTTLS")
	}
}

func TestImplicitTLS(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cert, pool := selfSigned()
	// A TLS front for the plain test server.
	ln, err := tls.Listen("tcp", "127.0.0.1:0", &tls.Config{Certificates: []tls.Certificate{cert}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				backend, err := net.Dial("tcp", b.addr)
				if err != nil {
					c.Close()
					return
				}
				go func() { io.Copy(backend, c); backend.Close() }()
				io.Copy(c, backend)
				c.Close()
			}()
		}
	}()
	b.appendMessage(t, "INBOX", message("imaps@x"))
	cfg := b.config()
	cfg.Addr = ln.Addr().String()
	cfg.Security = imapsource.ImplicitTLS
	cfg.AllowInsecure = false
	cfg.TLSConfig = &tls.Config{RootCAs: pool}
	delivered, _, err := mustNew(t, cfg, b.sink).RunOnce(t.Context())
	if err != nil || delivered != 1 {
		t.Fatalf("%d delivered, %v", delivered, err)
	}
}

func TestConfigIsChecked(t *testing.T) {
	t.Parallel()
	good := imapsource.Config{OrgID: org, Addr: "imap.example.nl:993"}
	for name, change := range map[string]func(*imapsource.Config){
		"plain text without AllowInsecure": func(c *imapsource.Config) { c.Security = imapsource.Insecure },
		"no organisation":                  func(c *imapsource.Config) { c.OrgID = "" },
		"no port":                          func(c *imapsource.Config) { c.Addr = "imap.example.nl" },
		"an unknown security":              func(c *imapsource.Config) { c.Security = "ssl3" },
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			change(&cfg)
			if _, err := imapsource.New(cfg, &mailintest.Sink{}); err == nil {
				t.Error("accepted")
			}
		})
	}
	if _, err := imapsource.New(good, &mailintest.Sink{}); err != nil {
		t.Errorf("a good configuration: %v", err)
	}
}

func mustNew(t *testing.T, cfg imapsource.Config, sink mailin.Sink) *imapsource.Source {
	t.Helper()
	src, err := imapsource.New(cfg, sink)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func ctxTimeout(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// dialer connects to the test server, can refuse the first attempts
// (an outage) and cut every connection it made (a crash of the network).
type dialer struct {
	mu    sync.Mutex
	fails int
	tries int
	conns []net.Conn
}

func (d *dialer) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.tries++
	if d.fails > 0 {
		d.fails--
		return nil, errors.New("connection refused (test outage)")
	}
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err == nil {
		d.conns = append(d.conns, c)
	}
	return c, err
}

func (d *dialer) cutAll() {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, c := range d.conns {
		c.Close()
	}
}

func (d *dialer) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.conns)
}

func (d *dialer) attempts() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.tries
}

// selfSigned returns a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned() (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "imap.test"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:                  true,
		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(parsed)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pool
}

package service_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log"
	"log/slog"
	"net"
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mailin/imapsource"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func masterKey() []byte {
	k := make([]byte, 32)
	rand.Read(k)
	return k
}

func TestMailboxPasswordSealed(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := context.Background()
	in := service.MailboxSettings{Host: "imap.acme.test", Port: 993, Security: "tls", Username: "klachten", Password: "z33r-geheim", Enabled: true}
	if _, err := b.svc.SaveMailbox(ctx, "acme", in); appErr(err).Reason != "no_master_key" {
		t.Fatalf("saved without a master key: %v", err)
	}
	if err := b.svc.SetMailboxKey(masterKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.SaveMailbox(ctx, "acme", in); err != nil {
		t.Fatal(err)
	}
	m, err := b.st.GetMailSource(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if len(m.PasswordEnc) == 0 || bytes.Contains(m.PasswordEnc, []byte("z33r-geheim")) {
		t.Fatalf("the stored password is the plaintext: %q", m.PasswordEnc)
	}
	cfg, err := service.MailboxConfigForTest(b.svc, m)
	if err != nil || cfg.Password != "z33r-geheim" || cfg.Addr != "imap.acme.test:993" {
		t.Fatalf("decrypted: %q %q %v", cfg.Password, cfg.Addr, err)
	}
	// Saved again without a password: the old one stays.
	in.Password, in.Port = "", 994
	if _, err := b.svc.SaveMailbox(ctx, "acme", in); err != nil {
		t.Fatal(err)
	}
	m2, _ := b.st.GetMailSource(ctx, "acme")
	if !bytes.Equal(m2.PasswordEnc, m.PasswordEnc) || m2.Port != 994 {
		t.Fatalf("password replaced or port kept: %+v", m2)
	}
	// Another master key cannot read it.
	if err := b.svc.SetMailboxKey(masterKey()); err != nil {
		t.Fatal(err)
	}
	if _, err := service.MailboxConfigForTest(b.svc, m2); err == nil {
		t.Fatal("decrypted under another key")
	}
	if _, err := b.svc.SaveMailbox(ctx, "acme", service.MailboxSettings{Host: "x", Port: 0, Security: "tls", Username: "u"}); appErr(err).Field != "port" {
		t.Fatalf("bad port: %v", err)
	}
}

func TestMailSupervisorDeliversFromIMAP(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := context.Background()

	mem := imapmemserver.New()
	u := imapmemserver.NewUser("klachten@acme.test", "geheim")
	if err := u.Create("INBOX", nil); err != nil {
		t.Fatal(err)
	}
	mem.AddUser(u)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return mem.NewSession(), nil, nil
		},
		Caps:         imap.CapSet{imap.CapIMAP4rev1: {}, imap.CapMove: {}, imap.CapUIDPlus: {}},
		InsecureAuth: true,
		Logger:       log.New(io.Discard, "", 0),
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	raw := "Message-ID: <m1@example.nl>\r\nFrom: Els <els@example.nl>\r\nTo: klachten@acme.test\r\nSubject: Klacht over de coach\r\n" +
		"Content-Type: text/plain; charset=utf-8\r\n\r\nMijn coach kwam niet.\r\n"
	if _, err := u.Append("INBOX", imapLiteral{bytes.NewReader([]byte(raw))}, &imap.AppendOptions{Time: time.Date(2026, 3, 9, 8, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}

	if err := b.svc.SetMailboxKey(masterKey()); err != nil {
		t.Fatal(err)
	}
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	p, _ := strconv.Atoi(port)
	if _, err := b.svc.SaveMailbox(ctx, "acme", service.MailboxSettings{Host: host, Port: p, Security: "starttls",
		Username: "klachten@acme.test", Password: "geheim", Enabled: true}); err != nil {
		t.Fatal(err)
	}
	sv := b.svc.NewMailSupervisor(slog.New(slog.NewTextHandler(io.Discard, nil)))
	sv.Tune = func(c *imapsource.Config) { c.Security, c.AllowInsecure = imapsource.Insecure, true }
	if err := sv.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := b.st.ListInbox(ctx, "acme", "")
	if err != nil || len(list) != 1 || list[0].Subject != "Klacht over de coach" {
		t.Fatalf("inbox: %+v %v", list, err)
	}
	m, err := b.st.GetMailSource(ctx, "acme")
	if err != nil || m.LastError != "" || m.LastCheckAt.IsZero() {
		t.Fatalf("status: %q %v %v", m.LastError, m.LastCheckAt, err)
	}

	c, err := imapclient.DialInsecure(ln.Addr().String(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Login("klachten@acme.test", "geheim").Wait(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Select("INBOX", nil).Wait(); err != nil {
		t.Fatal(err)
	}
	data, err := c.Search(&imap.SearchCriteria{Flag: []imap.Flag{imap.FlagSeen}}, nil).Wait()
	if err != nil {
		t.Fatal(err)
	}
	if len(data.AllSeqNums()) != 1 {
		t.Fatalf("the message is not marked seen on the server: %v", data.AllSeqNums())
	}
}

func appErr(err error) apperr.Error {
	var e *apperr.Error
	if errors.As(err, &e) {
		return *e
	}
	return apperr.Error{}
}

type imapLiteral struct{ *bytes.Reader }

func (l imapLiteral) Size() int64 { return l.Reader.Size() }

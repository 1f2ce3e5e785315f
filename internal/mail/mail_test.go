package mail_test

import (
	"bytes"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
)

func message() mail.Message {
	return mail.Message{
		From:       mail.Address{Name: "Reïntegratie Zoë B.V.", Email: "klachten@zoe.test"},
		ReplyTo:    mail.Address{Name: "Klachten Zoë", Email: "klachten@zoe.test"},
		To:         []mail.Address{{Name: "Ëlif Çelik", Email: "elif@example.test"}},
		Subject:    "Wij hebben uw klacht ontvangen — zaak 2026-0042",
		Text:       "Beste Ëlif Çelik,\n\nUw klacht over € 500 is ontvangen.\n",
		HTML:       "<p>Beste Ëlif Çelik,</p><p>Uw klacht over € 500 is ontvangen.</p>",
		MessageID:  "2026-0042.acknowledgement.abc@zoe.test",
		References: []string{"2026-0042@zoe.test"},
		Date:       time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC),
		Headers:    map[string]string{"X-Gegrond-Case": "2026-0042"},
		Attachments: []mail.Attachment{
			{Name: "ontvangstbevestiging-2026-0042.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.4 fake\x00\x01\xff")},
		},
	}
}

func TestSendReachesTheServerIntact(t *testing.T) {
	t.Parallel()
	for name, opts := range map[string][]mailtest.Option{
		"plain relay":              nil,
		"STARTTLS with a password": {mailtest.WithAuth("gegrond", "geheim wachtwoord")},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := mailtest.Start(t, opts...)
			s, err := mail.NewSender(srv.Config())
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Send(t.Context(), message()); err != nil {
				t.Fatal(err)
			}
			msgs := srv.Messages(t)
			if len(msgs) != 1 {
				t.Fatalf("%d messages", len(msgs))
			}
			m := msgs[0]
			if m.From[0].Address != "klachten@zoe.test" || m.From[0].Name != "Reïntegratie Zoë B.V." {
				t.Errorf("From %v", m.From[0])
			}
			if len(m.ReplyTo) != 1 || m.ReplyTo[0].Address != "klachten@zoe.test" {
				t.Errorf("Reply-To %v", m.ReplyTo)
			}
			if m.Envelope.From != "noreply@gegrond.test" {
				t.Errorf("bounces go to the configured sender, not %q", m.Envelope.From)
			}
			if m.To[0].Name != "Ëlif Çelik" || m.Subject != "Wij hebben uw klacht ontvangen — zaak 2026-0042" {
				t.Errorf("To %v, subject %q", m.To[0], m.Subject)
			}
			if m.MessageID != "2026-0042.acknowledgement.abc@zoe.test" || len(m.References) != 1 || m.References[0] != "2026-0042@zoe.test" {
				t.Errorf("Message-ID %q, References %v", m.MessageID, m.References)
			}
			if got := m.Header.Get("X-Gegrond-Case"); got != "2026-0042" {
				t.Errorf("X-Gegrond-Case %q", got)
			}
			if !strings.Contains(m.Text, "€ 500") || !strings.Contains(m.HTML, "<p>Beste Ëlif Çelik,</p>") {
				t.Errorf("bodies:\n%s\n%s", m.Text, m.HTML)
			}
			if len(m.Attachments) != 1 || m.Attachments[0].ContentType != "application/pdf" ||
				!bytes.Equal(m.Attachments[0].Data, message().Attachments[0].Data) || m.Attachments[0].Name != "ontvangstbevestiging-2026-0042.pdf" {
				t.Errorf("attachment %+v", m.Attachments)
			}
			if !m.Date.Equal(message().Date) {
				t.Errorf("Date %v", m.Date)
			}
		})
	}
}

func TestSendFailures(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	s, err := mail.NewSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	srv.RefuseNext(mailtest.Temporary(), mailtest.Permanent())
	if err := s.Send(t.Context(), message()); err == nil || !mail.IsTemporary(err) {
		t.Fatalf("451: want a temporary error, got %v", err)
	}
	if err := s.Send(t.Context(), message()); err == nil || mail.IsTemporary(err) {
		t.Fatalf("550: want a permanent error, got %v", err)
	}
	if err := s.Send(t.Context(), message()); err != nil {
		t.Fatalf("after the refusals: %v", err)
	}
	if n := len(srv.Received()); n != 1 {
		t.Fatalf("the server kept %d messages, want the one it accepted", n)
	}

	wrong := srv.Config()
	wrong.Port = closedPort(t)
	s2, _ := mail.NewSender(wrong)
	if err := s2.Send(t.Context(), message()); err == nil || !mail.IsTemporary(err) {
		t.Fatalf("no server listening: want a temporary error, got %v", err)
	}

	bad := message()
	bad.To = nil
	if err := s.Send(t.Context(), bad); err == nil || mail.IsTemporary(err) {
		t.Fatalf("no recipient: want a permanent error, got %v", err)
	}
}

func TestWrongPasswordIsRefused(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t, mailtest.WithAuth("gegrond", "juist"))
	cfg := srv.Config()
	cfg.Password = "fout"
	s, err := mail.NewSender(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Send(t.Context(), message()); err == nil {
		t.Fatal("a wrong password must not deliver")
	}
	if n := len(srv.Received()); n != 0 {
		t.Fatalf("%d messages accepted without authentication", n)
	}
}

func TestConfigCheck(t *testing.T) {
	t.Parallel()
	if (mail.Config{}).Enabled() {
		t.Fatal("an empty config is not enabled")
	}
	for name, c := range map[string]mail.Config{
		"unknown TLS mode":     {Host: "smtp.example.test", TLS: "sometimes"},
		"bad port":             {Host: "smtp.example.test", Port: 70000},
		"sender not an e-mail": {Host: "smtp.example.test", From: "Gegrond"},
		"password, no user":    {Host: "smtp.example.test", Password: "x"},
	} {
		if err := c.Check(); err == nil {
			t.Errorf("%s: want an error", name)
		}
		if _, err := mail.NewSender(c); err == nil {
			t.Errorf("%s: NewSender must refuse it", name)
		}
	}
	if err := (mail.Config{Host: "smtp.example.test", From: "Gegrond <noreply@example.test>", TLS: mail.TLSImplicit}).Check(); err != nil {
		t.Fatal(err)
	}
	if d := mail.Domain("Klachten <Klachten@Zoe.Test>"); d != "zoe.test" {
		t.Fatalf("Domain: %q", d)
	}
}

// closedPort returns a loopback port nothing listens on.
func closedPort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return port
}

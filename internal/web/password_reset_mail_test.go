package web

import (
	"context"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
	"github.com/gegrond/gegrond/internal/store"
)

func TestResetLinkIsEMailed(t *testing.T) {
	t.Parallel()
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	send := resetMailer(sender, mail.Address{Name: "Gegrond", Email: "noreply@gegrond.test"})
	link := "https://klachten.example/wachtwoord/herstellen?token=abc123"
	if err := send(context.Background(), store.User{Name: "Zoë de Vries", Email: "zoe@smartplus.test"}, link); err != nil {
		t.Fatal(err)
	}
	msgs := srv.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d messages, want 1", len(msgs))
	}
	m := msgs[0]
	if len(m.To) != 1 || m.To[0].Address != "zoe@smartplus.test" || !strings.Contains(m.Text, link) || !strings.Contains(m.Text, "Beste Zoë de Vries") {
		t.Fatalf("reset mail: to %v, text %q", m.To, m.Text)
	}
	if m.Header.Get("Auto-Submitted") != "auto-generated" {
		t.Fatal("a reset mail must be marked auto-generated, so auto-replies stay away")
	}
}

package web

import (
	"net/http"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
)

func TestPublicSubmitConfirmsByEMail(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	srv := mailtest.Start(t)
	sender, err := mail.NewSender(srv.Config())
	if err != nil {
		t.Fatal(err)
	}
	p.app.mailer, p.app.mailFrom = sender, mail.Address{Name: "Web Match", Email: "klachten@webmatch.test"}

	res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF})
	if res.status != http.StatusOK {
		t.Fatalf("status %d", res.status)
	}
	number := p.cases(t)[0].Number
	msgs := srv.Messages(t)
	if len(msgs) != 1 {
		t.Fatalf("%d confirmation e-mails, want 1", len(msgs))
	}
	m := msgs[0]
	if m.To[0].Address != "sanne@example.nl" || !strings.Contains(m.Subject, number) ||
		!strings.Contains(m.Text, "Uw dossiernummer is "+number) || !strings.Contains(m.Text, "Ontvangstbevestiging") {
		t.Fatalf("confirmation: to %v subject %q\n%s", m.To, m.Subject, m.Text)
	}

	// By post: no e-mail.
	post := validComplaint()
	post.Set("correspondence", "post")
	post.Set("complainant.address", "Dorpsstraat 1, 1234 AB Ergens")
	if res := p.submit(t, post, upload{"bewijs.pdf", tinyPDF}); res.status != http.StatusOK {
		t.Fatalf("post: status %d", res.status)
	}
	if n := len(srv.Messages(t)); n != 1 {
		t.Fatalf("%d e-mails after a complaint by post, want still 1", n)
	}
}

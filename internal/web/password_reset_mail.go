package web

import (
	"context"
	"fmt"

	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/store"
)

// Mailer sends e-mail; *mail.Sender is one.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// resetMailer returns the function that e-mails a password reset link, in
// Dutch with the English text below it: the person may not be able to read
// the language they never chose.
func resetMailer(m Mailer, from mail.Address) func(ctx context.Context, u store.User, link string) error {
	return func(ctx context.Context, u store.User, link string) error {
		text := fmt.Sprintf(`Beste %s,

Er is gevraagd om een nieuw wachtwoord voor uw account bij Gegrond. Met deze link stelt u een nieuw wachtwoord in. De link werkt één keer en één uur lang:

%s

Heeft u dit niet gevraagd? Dan kunt u deze e-mail negeren; uw wachtwoord blijft dan hetzelfde.

---

Someone asked for a new password for your Gegrond account. This link sets a new password; it works once, for one hour:

%s

If you did not ask for this, ignore this e-mail; your password stays the same.
`, u.Name, link, link)
		return m.Send(ctx, mail.Message{
			From:    from,
			To:      []mail.Address{{Name: u.Name, Email: u.Email}},
			Subject: "Nieuw wachtwoord voor Gegrond / New password for Gegrond",
			Text:    text,
			Headers: map[string]string{"Auto-Submitted": "auto-generated", "X-Gegrond-Notice": "password_reset"},
		})
	}
}

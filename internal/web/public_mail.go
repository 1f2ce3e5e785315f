package web

import (
	"context"
	"fmt"
	"strings"

	"github.com/gegrond/gegrond/internal/mail"
)

// confirmByMail sends the complainant the confirmation page's content by
// e-mail: the case number, what happens next and the terms that now run.
// Without a mail server, or without an address, nothing is sent; a failure
// is logged and does not undo the complaint, which is received already.
func (a *app) confirmByMail(ctx context.Context, l lang, name, email string, done publicDoneData) {
	if a.mailer == nil || email == "" {
		return
	}
	to := mail.Address{Name: name, Email: email}
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n\n", l.t("pub.mail.greeting", to.Name))
	fmt.Fprintf(&b, "%s\n\n", l.t("pub.mail.received", done.Org, done.Number))
	if len(done.Deadlines) > 0 {
		fmt.Fprintf(&b, "%s\n", l.t("pub.mail.terms"))
		for _, d := range done.Deadlines {
			fmt.Fprintf(&b, "- %s: %s (%s)\n", d.Step, d.When, d.Explanation)
		}
		b.WriteString("\n")
	}
	if done.TimeBarred != "" {
		fmt.Fprintf(&b, "%s\n\n", done.TimeBarred)
	}
	fmt.Fprintf(&b, "%s\n", l.t("pub.mail.closing", done.Number))
	err := a.mailer.Send(ctx, mail.Message{
		From:    a.mailFrom,
		To:      []mail.Address{to},
		Subject: l.t("pub.mail.subject", done.Number),
		Text:    b.String(),
		Headers: map[string]string{"Auto-Submitted": "auto-generated", "X-Gegrond-Notice": "complaint_received"},
	})
	if err != nil {
		a.log.Warn("web: public form: confirmation e-mail not sent", "case", done.Number, "err", err)
	}
}

package jobs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// fallbackDomain names Message-IDs when the organisation has no complaint
// address: a reserved name that is nobody's domain.
const fallbackDomain = "gegrond.invalid"

// sendLetter e-mails a queued letter and, once the mail server accepted
// it, records it sent with the case action it stands for
// (service.LetterSent). A letter that was sent already is left alone: the
// job may run twice. The Message-ID is fixed by the letter, so that if a
// process dies between the server's acceptance and the record, the copy
// sent again carries the same Message-ID and mail clients show one.
func (r *Runner) sendLetter(ctx context.Context, j store.Job) error {
	var p service.SendLetterPayload
	if err := decode(j, &p); err != nil {
		return err
	}
	l, err := r.st.GetLetter(ctx, j.OrgID, p.LetterID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return Permanent(err)
	}
	if err != nil {
		return err
	}
	if l.State == store.LetterSent || l.State == store.LetterPosted || l.Channel != store.LetterEmail {
		return nil
	}
	org, err := r.svc.LetterSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	m := letterMessage(l, org, r.now())
	if err := r.mailer.Send(ctx, m); err != nil {
		if !mail.IsTemporary(err) {
			return Permanent(err)
		}
		return err
	}
	_, err = r.svc.LetterSent(ctx, j.OrgID, l.ID, m.MessageID, r.now())
	return err
}

// letterMessage is the e-mail of a letter: from the organisation's
// complaint address with Reply-To there, so that replies reach the
// organisation; a Message-ID that names the case, and References to the
// case's thread, so that inbound mail can be matched to the case later;
// the PDF attached; dated when it is sent.
func letterMessage(l store.Letter, org service.OrgLetters, now time.Time) mail.Message {
	from := complaintAddress(org)
	domain := mail.Domain(from.Email)
	if domain == "" {
		domain = fallbackDomain
	}
	m := mail.Message{
		From:       from,
		ReplyTo:    from,
		To:         []mail.Address{{Name: l.Recipient.Name, Email: l.Recipient.Email}},
		Subject:    fmt.Sprintf("%s (dossier %s)", l.Subject, l.CaseNumber),
		Text:       l.Text,
		HTML:       l.HTML,
		MessageID:  letterMessageID(l, domain),
		References: []string{caseThreadID(l.CaseNumber, domain)},
		Date:       now,
		Headers: map[string]string{
			"X-Gegrond-Case":   l.CaseNumber,
			"X-Gegrond-Letter": l.Kind,
		},
		Attachments: []mail.Attachment{{Name: pdfName(l), ContentType: "application/pdf", Data: l.PDF}},
	}
	return m
}

// letterMessageID is the Message-ID of a letter: our reply token
// (mailin.MessageIDWithNonce) with the letter's ID as nonce, unique per
// letter and the same on every attempt. A reply then finds its case by
// the token as well as by the Message-ID the letter records. An
// organisation or letter ID the token cannot carry (never made by our
// store) falls back to <case>.<kind>.<letter>@domain, still found by the
// letter's record.
func letterMessageID(l store.Letter, domain string) string {
	if id, err := mailin.MessageIDWithNonce(l.OrgID, l.CaseNumber, l.ID, domain); err == nil {
		return id
	}
	return fmt.Sprintf("%s.%s.%s@%s", l.CaseNumber, l.Kind, l.ID, domain)
}

// caseThreadID is the Message-ID every letter of a case refers to: the
// case's thread.
func caseThreadID(number, domain string) string { return number + "@" + domain }

// complaintAddress is the organisation's complaint address with its name.
// Empty, the mail server's configured sender is used.
func complaintAddress(org service.OrgLetters) mail.Address {
	if org.ComplaintEmail == "" {
		return mail.Address{}
	}
	return mail.Address{Name: org.Org.Name, Email: org.ComplaintEmail}
}

// pdfName is the file name of a letter's PDF.
func pdfName(l store.Letter) string {
	return fmt.Sprintf("%s-%s.pdf", strings.ReplaceAll(l.Kind, "_", "-"), l.CaseNumber)
}

// letterRetried records on the letter why the attempt failed.
func (r *Runner) letterRetried(ctx context.Context, j store.Job, reason string) {
	var p service.SendLetterPayload
	if decode(j, &p) != nil {
		return
	}
	if err := r.svc.NoteLetterError(ctx, j.OrgID, p.LetterID, reason); err != nil {
		r.log.Warn("note letter error", "letter", p.LetterID, "err", err)
	}
}

// letterFailed marks the letter failed, which shows on the case.
func (r *Runner) letterFailed(ctx context.Context, j store.Job, reason string) {
	var p service.SendLetterPayload
	if decode(j, &p) != nil {
		return
	}
	if _, err := r.svc.LetterFailed(ctx, j.OrgID, p.LetterID, reason); err != nil {
		r.log.Warn("mark letter failed", "letter", p.LetterID, "err", err)
	}
}

package jobs

import (
	"context"
	"fmt"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// KindPortalLink makes a complainant's personal link and e-mails it
// (service.JobPortalLink).
const KindPortalLink = service.JobPortalLink

// sendPortalLink makes a new personal link to the job's case and mails
// it. The token is made here, when the mail goes out, so that it is never
// stored; a job that runs twice sends a second link that replaces the
// first. An archived or vanished case sends nothing.
func (r *Runner) sendPortalLink(ctx context.Context, j store.Job) error {
	var p service.PortalLinkPayload
	if err := decode(j, &p); err != nil {
		return err
	}
	rec, err := r.st.CaseByID(ctx, j.OrgID, j.CaseID)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if rec.State == store.StateArchived {
		return nil
	}
	org, err := r.svc.LetterSettings(ctx, j.OrgID)
	if err != nil {
		return err
	}
	token, l, err := r.svc.IssuePortalLink(ctx, j.OrgID, rec.Number, p.Email)
	if apperr.CodeOf(err) == apperr.Conflict {
		return nil // archived meanwhile
	}
	if err != nil {
		return err
	}
	base := strings.TrimRight(r.cfg.PortalBase, "/")
	m := portalMessage(org, rec.Number, p.Email, base+"/portaal/"+token, base+"/portaal", l.ExpiresAt.In(r.svc.Now().Location()).Format("02-01-2006"), p.Lang)
	// A reply to this mail joins the case, as a reply to a letter does:
	// our reply token in the Message-ID, the case's thread in References.
	domain := mail.Domain(m.From.Email)
	if domain == "" {
		domain = fallbackDomain
	}
	if id, err := mailin.NewMessageID(j.OrgID, rec.Number, domain); err == nil {
		m.MessageID = id
	}
	m.References = []string{caseThreadID(rec.Number, domain)}
	if err := r.mailer.Send(ctx, m); err != nil {
		if !mail.IsTemporary(err) {
			return Permanent(err)
		}
		return err
	}
	return nil
}

// portalMessage is the mail with the personal link: Dutch, with the same
// in English below it (or English first when the person asked in English).
func portalMessage(org service.OrgLetters, number, to, link, renew, expires, lang string) mail.Message {
	nl := fmt.Sprintf(`Beste klager,

Via deze persoonlijke link volgt u uw klacht %s bij %s. U ziet wat er met uw klacht gebeurt, welke termijnen lopen en welke brieven wij u stuurden. U kunt er ook bewijs of uw reactie toevoegen.

%s

De link werkt tot en met %s. Deel hem niet met anderen: wie de link heeft, kan uw dossier zien.
Werkt de link niet meer? Vraag een nieuwe aan op %s, met uw dossiernummer en dit e-mailadres.
`, number, org.Org.Name, link, expires, renew)
	en := fmt.Sprintf(`Dear complainant,

This personal link lets you follow your complaint %s with %s: what happens, which terms run, and the letters we sent you. You can also add evidence or your response there.

%s

The link works until %s. Do not share it: whoever has it can see your case.
Link no longer working? Ask for a new one at %s with your case number and this e-mail address.
`, number, org.Org.Name, link, expires, renew)
	subject := fmt.Sprintf("Uw klacht %s volgen / Follow your complaint %s", number, number)
	text := nl + "\n---\n\n" + en
	if lang == "en" {
		text = en + "\n---\n\n" + nl
	}
	return mail.Message{
		From:    complaintAddress(org),
		ReplyTo: complaintAddress(org),
		To:      []mail.Address{{Email: to}},
		Subject: subject,
		Text:    text,
		Headers: map[string]string{"Auto-Submitted": "auto-generated", "X-Gegrond-Notice": "portal_link", "X-Gegrond-Case": number},
	}
}

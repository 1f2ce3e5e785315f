// Package letter composes the letters of a complaint procedure: the
// acknowledgement, the decision, the extension notice and the others of
// reglement.LetterKinds. A letter's data comes from the case (a
// complaint.State) and its regulation; the contents the regulation requires
// for the kind are checked before anything is rendered, so a letter that
// lacks one is refused with the regulation's wording and article
// (*MissingError). A composed Letter holds its plain text and HTML e-mail
// body and renders a PDF on request.
//
// The package is pure: it reads no clock and does no I/O beyond its embedded
// templates and fonts. Rendering the same letter twice gives the same bytes:
// a sent letter can be regenerated exactly.
package letter

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The languages a letter can be written in. Dutch is the default.
const (
	Dutch   = "nl"
	English = "en"
)

// Languages lists the supported languages, the default first.
var Languages = []string{Dutch, English}

// Org is the organisation that sends the letter: its letterhead. Empty
// fields fall back to the regulation's organisation name and contact.
type Org struct {
	Name    string
	Address string
	Email   string
	Phone   string
	// Logo is an optional PNG shown in the letterhead.
	Logo []byte
	// Wording holds the organisation's own intro and closing paragraphs per
	// letter kind. It never replaces the required contents block.
	Wording map[reglement.LetterKind]Wording
}

// Wording is an organisation's own free paragraphs for one letter kind.
// Each is plain text; a blank line starts a new paragraph, a line starting
// with "- " is a list item. An empty field keeps the standard text.
type Wording struct {
	Intro   string
	Closing string
}

// MaxWordingChars is the longest own intro or closing an organisation may
// set: room for a few calm paragraphs, not for a second letter.
const MaxWordingChars = 1200

// Recipient is who a letter goes to.
type Recipient struct {
	Name    string
	Address string
	Email   string
	// Party is the recipient's part in the case; empty means complainant.
	Party reglement.Party
}

// Content is one entry of a letter's contents block: a piece of case data
// under its heading, with the article that requires it.
type Content struct {
	Item  string `json:"item"`
	Label string `json:"label"`
	// Text is the rendered content as plain text.
	Text string `json:"text"`
	// Required: the regulation (or the kind's basics) demands it; an
	// optional content is shown only when the case holds it.
	Required bool `json:"required"`
	// Rule is the regulation's wording for the content, Source its article;
	// both are empty for an optional content.
	Rule   string `json:"rule,omitempty"`
	Source string `json:"source,omitempty"`
}

// Letter is a composed letter.
type Letter struct {
	Kind reglement.LetterKind `json:"kind"`
	Lang string               `json:"lang"`
	Date calendar.Date        `json:"date"`
	To   Recipient            `json:"to"`
	// CaseNumber is the case's number, the letter's reference.
	CaseNumber string `json:"case_number"`
	Subject    string `json:"subject"`
	// Text is the plain-text letter; HTML the HTML e-mail body.
	Text string `json:"text"`
	HTML string `json:"html"`
	// Contents is the contents block: what the letter says from the case.
	Contents []Content `json:"contents"`
	// Enclosures names the documents that must go with the letter (the
	// regulation, a hearing report); the sender attaches them.
	Enclosures []string `json:"enclosures,omitempty"`
	// Source is the article of the regulation that asks for this letter,
	// empty when the regulation does not list the kind.
	Source string `json:"source,omitempty"`
	// Data is the case data the letter was filled from.
	Data Data `json:"-"`

	page *page
}

// Compose fills a letter of kind from the case st under regulation r, sent
// by org to to on date on, in lang ("" is Dutch). It checks the contents
// the regulation requires for the kind, and the basics without which no
// letter of the kind makes sense; when one is missing it returns a
// *MissingError listing each with the regulation's wording and article.
func Compose(kind reglement.LetterKind, st complaint.State, r *reglement.Reglement, org Org, to Recipient, on calendar.Date, lang string) (Letter, error) {
	if r == nil {
		return Letter{}, apperr.New(apperr.Internal, "compose %s: no regulation", kind)
	}
	if !slices.Contains(reglement.LetterKinds, kind) {
		return Letter{}, apperr.Field("kind", "unknown letter kind %q", kind)
	}
	if lang == "" {
		lang = Dutch
	}
	set, ok := sets[lang]
	if !ok {
		return Letter{}, apperr.Field("lang", "no letters in %q; choose one of %s", lang, strings.Join(Languages, ", "))
	}
	if on.IsZero() {
		return Letter{}, apperr.Field("date", "missing; give the date of the letter")
	}
	if strings.TrimSpace(to.Name) == "" {
		return Letter{}, apperr.Field("to.name", "missing; name the recipient of the letter")
	}
	if to.Party == "" {
		to.Party = reglement.PartyComplainant
	}
	if !slices.Contains(reglement.Parties, to.Party) {
		return Letter{}, apperr.Field("to.party", "unknown party %q", to.Party)
	}
	w := org.Wording[kind]
	if err := checkWording(w); err != nil {
		return Letter{}, err
	}
	if len(org.Logo) > 0 {
		if _, err := png.DecodeConfig(bytes.NewReader(org.Logo)); err != nil {
			return Letter{}, apperr.Field("logo", "the logo is not a PNG image (%v)", err)
		}
	}
	org = withFallbacks(org, r)

	d := fill(kind, st, r, on)
	plan, regLetter := planContents(kind, r)
	if missing := d.missing(kind, plan); len(missing) > 0 {
		return Letter{}, &MissingError{Kind: kind, Organisation: r.Organisation, Items: missing}
	}
	v := &view{
		set: set, r: r, Kind: kind, Lang: lang, D: &d, To: to, Org: org, Date: on,
		ToComplainant: to.Party == reglement.PartyComplainant,
	}
	l := Letter{Kind: kind, Lang: lang, Date: on, To: to, CaseNumber: d.CaseNumber, Data: d}
	if regLetter != nil {
		l.Source, v.Source = regLetter.Source, regLetter.Source
	}
	p, err := v.page(plan, w)
	if err != nil {
		return Letter{}, fmt.Errorf("compose %s: %w", kind, err)
	}
	l.page = p
	l.Subject = p.Subject
	l.Enclosures = p.Enclosures
	for _, s := range p.Contents {
		l.Contents = append(l.Contents, s.Content)
	}
	if l.Text, err = renderText(p); err != nil {
		return Letter{}, fmt.Errorf("compose %s: %w", kind, err)
	}
	if l.HTML, err = renderHTML(p); err != nil {
		return Letter{}, fmt.Errorf("compose %s: %w", kind, err)
	}
	return l, nil
}

// MaxLogoBytes and MaxLogoPixels bound an organisation's logo: a
// letterhead image, not a photograph.
const (
	MaxLogoBytes  = 256 << 10
	MaxLogoPixels = 2000
)

// CheckOrg checks an organisation's own letter settings before they are
// saved: each wording within limits, and a logo that is a PNG of sensible
// size. Errors name their field: "wording.<kind>.intro", "logo".
func CheckOrg(org Org) error {
	for kind, w := range org.Wording {
		if !slices.Contains(reglement.LetterKinds, kind) {
			return apperr.Field("wording."+string(kind), "unknown letter kind %q", kind)
		}
		if err := checkWording(w); err != nil {
			var e *apperr.Error
			if errors.As(err, &e) {
				e.Field = "wording." + string(kind) + strings.TrimPrefix(e.Field, "wording")
			}
			return err
		}
	}
	if len(org.Logo) == 0 {
		return nil
	}
	if len(org.Logo) > MaxLogoBytes {
		return apperr.Field("logo", "the logo has %d bytes; at most %d fit in a letterhead", len(org.Logo), MaxLogoBytes).WithReason("logo_too_big")
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(org.Logo))
	if err != nil {
		return apperr.Field("logo", "the logo is not a PNG image (%v)", err).WithReason("logo_not_png")
	}
	if cfg.Width > MaxLogoPixels || cfg.Height > MaxLogoPixels || cfg.Width == 0 || cfg.Height == 0 {
		return apperr.Field("logo", "the logo is %d×%d pixels; at most %d each way", cfg.Width, cfg.Height, MaxLogoPixels).WithReason("logo_too_big")
	}
	return nil
}

// checkWording keeps an organisation's own paragraphs within limits: plain
// text of moderate length.
func checkWording(w Wording) error {
	for _, f := range [...]struct{ field, s string }{{"intro", w.Intro}, {"closing", w.Closing}} {
		field, s := f.field, f.s
		if !utf8.ValidString(s) {
			return apperr.Field("wording."+field, "the text is not valid UTF-8").WithReason("wording_unreadable")
		}
		if n := utf8.RuneCountInString(s); n > MaxWordingChars {
			return apperr.Field("wording."+field, "the text has %d characters; at most %d fit in a letter", n, MaxWordingChars).WithReason("wording_too_long")
		}
		if strings.ContainsFunc(s, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' && r != '\r' }) {
			return apperr.Field("wording."+field, "the text holds control characters").WithReason("wording_unreadable")
		}
	}
	return nil
}

// withFallbacks completes the letterhead from the regulation.
func withFallbacks(org Org, r *reglement.Reglement) Org {
	if strings.TrimSpace(org.Name) == "" {
		org.Name = r.Organisation
	}
	if strings.TrimSpace(org.Address) == "" {
		org.Address = r.Contact.Address
	}
	if strings.TrimSpace(org.Email) == "" {
		org.Email = r.Contact.Email
	}
	if strings.TrimSpace(org.Phone) == "" {
		org.Phone = r.Contact.Phone
	}
	return org
}

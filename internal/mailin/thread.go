package mailin

import (
	"crypto/rand"
	"regexp"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
)

// The Message-IDs Gegrond gives its outgoing mail carry a reply token,
// so that a reply, whose In-Reply-To and References repeat them, finds
// its case even when the subject was changed:
//
//	gegrond.{org}.{case}.{nonce}@{host}
//
// (on the wire in angle brackets): org is the organisation's ID, case the
// case number (YYYY-NNNN), nonce 26 random base32 characters that make
// the ID unique, host the organisation's mail domain. A token is a hint
// from outside: the caller checks that org is the organisation whose
// mailbox the message came from, and best that the whole Message-ID is
// one it sent (the letters table records it).

// Token is what a reply token names.
type Token struct {
	OrgID      string
	CaseNumber string
	Nonce      string
	Host       string
}

// DefaultHost names Message-IDs when the organisation has no mail
// domain: a reserved name that is nobody's.
const DefaultHost = "gegrond.invalid"

var (
	tokenPart    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
	caseNumber   = regexp.MustCompile(`^(?:19|20)[0-9]{2}-[0-9]{4,6}$`)
	noncePattern = regexp.MustCompile(`^[a-z0-9]{8,64}$`)
	hostPattern  = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$`)
	ourID        = regexp.MustCompile(`^<?gegrond\.([A-Za-z0-9_-]{1,64})\.((?:19|20)[0-9]{2}-[0-9]{4,6})\.([a-z0-9]{8,64})@([A-Za-z0-9.-]{1,253})>?$`)
)

// NewMessageID returns a new Message-ID (without angle brackets) for mail
// about a case, carrying the reply token; host "" is DefaultHost. The
// organisation ID may hold letters, digits, '-' and '_'; the case number
// must be YYYY-NNNN.
func NewMessageID(orgID, caseNumber, host string) (string, error) {
	return MessageIDWithNonce(orgID, caseNumber, strings.ToLower(rand.Text()), host)
}

// MessageIDWithNonce is NewMessageID with the nonce given: 8 to 64
// lower-case letters and digits, unique for the organisation. A letter
// passes its own ID, so that every attempt to send it carries the same
// Message-ID (a copy sent again after a crash is shown as one).
func MessageIDWithNonce(orgID, caseNumber, nonce, host string) (string, error) {
	if host == "" {
		host = DefaultHost
	}
	switch {
	case !tokenPart.MatchString(orgID):
		return "", apperr.Field("org", "organisation ID %q cannot be part of a Message-ID", orgID)
	case !caseNumberPattern(caseNumber):
		return "", apperr.Field("case", "case number %q is not of the form YYYY-NNNN", caseNumber)
	case !hostPattern.MatchString(host):
		return "", apperr.Field("host", "host %q is no domain name", host)
	case !noncePattern.MatchString(nonce):
		return "", apperr.Field("nonce", "nonce %q is not 8 to 64 lower-case letters and digits", nonce)
	}
	return "gegrond." + orgID + "." + caseNumber + "." + nonce + "@" + host, nil
}

func caseNumberPattern(s string) bool { return caseNumber.MatchString(s) }

// ParseMessageID reads the reply token of one of our Message-IDs, with or
// without angle brackets; ok is false for any other Message-ID.
func ParseMessageID(id string) (Token, bool) {
	m := ourID.FindStringSubmatch(strings.TrimSpace(id))
	if m == nil {
		return Token{}, false
	}
	return Token{OrgID: m[1], CaseNumber: m[2], Nonce: m[3], Host: m[4]}, true
}

// ReplyToken returns the token of the first of ids that is one of our
// Message-IDs. Pass the most telling first: Message.ReplyToken does
// In-Reply-To, then References from newest to oldest.
func ReplyToken(ids []string) (Token, bool) {
	for _, id := range ids {
		if t, ok := ParseMessageID(id); ok {
			return t, true
		}
	}
	return Token{}, false
}

// ReplyToken returns the reply token this message refers to, if any.
func (m *Message) ReplyToken() (Token, bool) {
	ids := append([]string(nil), m.InReplyTo...)
	for i := len(m.References) - 1; i >= 0; i-- {
		ids = append(ids, m.References[i])
	}
	return ReplyToken(ids)
}

// caseInSubject finds a case number after a word that says it is one,
// as our subjects put it ("[Gegrond 2026-0012]", "(dossier 2026-0012)")
// and as people write it ("zaak 2026-0012", "uw kenmerk: 2026-0012").
// A bare number is not enough: a complaint about "factuur 2025-1234" must
// not join some case.
var caseInSubject = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}])(?:gegrond|dossier|dossiernummer|dossiernr|zaak|zaaknummer|zaaknr|klacht|klachtnummer|klachtnr|kenmerk|referentie|case|ref)\.?[\s:#.]*(?:(?:nr|nummer|no)\.?[\s:#.]*)?((?:19|20)[0-9]{2}-[0-9]{4,6})`)

// CaseNumberIn finds our case number (YYYY-NNNN) in a subject, where a
// word such as "Gegrond", "dossier", "zaak", "klacht" or "kenmerk" comes
// right before it; ok is false when there is none.
func CaseNumberIn(subject string) (string, bool) {
	for _, m := range caseInSubject.FindAllStringSubmatchIndex(subject, -1) {
		end := m[3]
		// The number must end there: not "2026-00123" read as "2026-0012"
		// (the pattern takes up to six digits), nor "2026-0012-3".
		if end < len(subject) {
			c := subject[end]
			if c >= '0' && c <= '9' || c == '-' && end+1 < len(subject) && subject[end+1] >= '0' && subject[end+1] <= '9' {
				continue
			}
		}
		return subject[m[2]:m[3]], true
	}
	return "", false
}

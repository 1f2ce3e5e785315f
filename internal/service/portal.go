package service

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// The complainant's portal: a personal link (/portaal/{token}) to one
// case, e-mailed to the address for correspondence.
//
//   - The token is 32 random bytes, base64url without padding (43
//     characters); only its SHA-256 is stored (store.PortalLink).
//   - A link works for PortalLinkLifetime (90 days: long enough to follow
//     the longest decision term of the presets, Best Match's three months,
//     short enough that a forgotten mail stops opening the case file), and
//     can be renewed at /portaal with the case number and the address.
//   - A new link revokes the case's older ones: the newest mail is the one
//     that works. Archiving the case revokes its links in the archiving
//     transaction (store).
//   - The link mail goes through the durable job queue (JobPortalLink),
//     enqueued with the case: the worker makes the token when it sends, so
//     that no plaintext token is ever stored, not even in the queue.

// PortalLinkLifetime is how long a personal link works.
const PortalLinkLifetime = 90 * 24 * time.Hour

// JobPortalLink is the kind of the job that makes a personal link and
// e-mails it; its payload is PortalLinkPayload. The jobs package runs it.
const JobPortalLink = "portal_link"

// PortalLinkPayload is the payload of a portal_link job.
type PortalLinkPayload struct {
	// Email is the address the link goes to.
	Email string `json:"email"`
	// Lang is the language of the mail: nl (default) or en.
	Lang string `json:"lang,omitempty"`
}

// portalTokenLen is the length of a token: 32 bytes in base64url.
const portalTokenLen = 43

// NewPortalToken returns a new random personal-link token.
func NewPortalToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never returns an error
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidPortalToken reports whether s has the form of a token: 43
// characters of the base64url alphabet. Anything else is refused before
// the store is asked.
func ValidPortalToken(s string) bool {
	if len(s) != portalTokenLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	_, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil
}

// portalAddress is the address a case's personal link goes to: the
// complainant's, else the representative's, unless the complainant asked
// for post.
func portalAddress(st *complaint.State) string {
	if st.Intake.Correspondence == "post" {
		return ""
	}
	if e := strings.TrimSpace(st.Intake.Complainant.Email); e != "" {
		return e
	}
	if st.Intake.Representative != nil {
		return strings.TrimSpace(st.Intake.Representative.Email)
	}
	return ""
}

// portalJobs is the link mail of a new case, when it has an address.
func portalJobs(st *complaint.State, now time.Time) []store.Job {
	if st.IsRemark() {
		return nil
	}
	addr := portalAddress(st)
	if addr == "" {
		return nil
	}
	payload, _ := json.Marshal(PortalLinkPayload{Email: addr})
	return []store.Job{{Kind: JobPortalLink, Payload: payload, RunAt: now}}
}

// IssuePortalLink makes a new personal link to a case for email, revoking
// the older ones, and returns its token: the only time it is seen.
func (s *Service) IssuePortalLink(ctx context.Context, orgID, number, email string) (string, store.PortalLink, error) {
	token := NewPortalToken()
	l, err := s.store.CreatePortalLink(ctx, orgID, number, store.HashPortalToken(token), email, s.Now().Add(PortalLinkLifetime))
	return token, l, err
}

// IssuePortalLinkToCase makes a new personal link to a case for its own
// address for correspondence (the demo prints one); a case without one,
// or whose complainant asked for post, is refused.
func (s *Service) IssuePortalLinkToCase(ctx context.Context, orgID, number string) (string, error) {
	_, events, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return "", err
	}
	st, err := complaint.Fold(events)
	if err != nil {
		return "", err
	}
	addr := portalAddress(&st)
	if addr == "" {
		return "", apperr.New(apperr.Conflict, "case %s has no e-mail address for correspondence", number).WithReason("no_address")
	}
	token, _, err := s.IssuePortalLink(ctx, orgID, number, addr)
	return token, err
}

// RequestPortalLink renews a personal link: when a case numbered number
// has email as the complainant's or representative's address, a new link
// is mailed there (through the job queue). The answer is the same whether
// or not anything matched, so that the form tells no one which cases
// exist; only an internal failure is an error.
func (s *Service) RequestPortalLink(ctx context.Context, number, email, lang string) error {
	number, email = strings.TrimSpace(number), strings.TrimSpace(email)
	if number == "" || email == "" {
		return nil
	}
	orgs, err := s.store.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	for _, o := range orgs {
		rec, events, err := s.store.GetCase(ctx, o.ID, number)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue
		}
		if err != nil {
			return err
		}
		st, err := complaint.Fold(events)
		if err != nil {
			return err
		}
		if rec.State == store.StateArchived || st.IsRemark() || !matchesAddress(&st, email) {
			continue
		}
		payload, _ := json.Marshal(PortalLinkPayload{Email: email, Lang: lang})
		if _, err := s.store.Enqueue(ctx, o.ID, store.Job{Kind: JobPortalLink, CaseID: rec.ID, Payload: payload, RunAt: s.Now()}); err != nil {
			return err
		}
	}
	return nil
}

// matchesAddress reports whether email is the complainant's or the
// representative's address, ignoring case.
func matchesAddress(st *complaint.State, email string) bool {
	if strings.EqualFold(strings.TrimSpace(st.Intake.Complainant.Email), email) {
		return true
	}
	return st.Intake.Representative != nil && strings.EqualFold(strings.TrimSpace(st.Intake.Representative.Email), email)
}

// PortalView is a case as its complainant sees it in the portal.
type PortalView struct {
	Link store.PortalLink
	// Case is the case with the deadlines and the actions the complainant
	// may take now (Allowed, for a complainant caller).
	Case CaseView
	// Timeline holds the events the complainant may see (PortalEvents).
	Timeline []complaint.Event
	// Letters are the letters sent or posted to the complainant.
	Letters []store.Letter
	// Documents are the documents the complainant added.
	Documents []complaint.DocumentPayload
}

// PortalEvents are the event types the portal's timeline shows: the steps
// of the procedure that concern the complainant. Left out on purpose:
// accused employees (accused_added), who else was informed
// (party_informed), internal notes, the handler's proposal to the board
// (decision_proposed), measures and aftercare (about staff), pauses of
// the clock, categories and the signatures of the hearing report. A
// document shows only when the complainant added it. The portal shows
// each event's kind and date, never its internal text.
var PortalEvents = []complaint.EventType{
	complaint.EvReceived, complaint.EvRecordedAsRemark, complaint.EvSettledByReceiver, complaint.EvAcknowledged,
	complaint.EvHandlerAssigned, complaint.EvInformationRequested, complaint.EvAdmissibilityDecided,
	complaint.EvDocumentAdded, complaint.EvInspectionRequested, complaint.EvInspectionGranted,
	complaint.EvHearingRequested, complaint.EvHearingPlanned, complaint.EvHearingHeld, complaint.EvHearingWaived,
	complaint.EvHearingReportSent, complaint.EvStatementOfView, complaint.EvExtended, complaint.EvProposalMade,
	complaint.EvProposalAnswered, complaint.EvDecided, complaint.EvReferralGiven, complaint.EvReportSent,
	complaint.EvSettledInformally, complaint.EvWithdrawn, complaint.EvClosed, complaint.EvMessageReceived,
}

// portalVisible reports whether the complainant sees e in the portal.
func portalVisible(e complaint.Event) bool {
	if !slices.Contains(PortalEvents, e.Type) {
		return false
	}
	if e.Type == complaint.EvDocumentAdded {
		return e.Actor.Kind == complaint.ActorComplainant
	}
	return true
}

// portalLink resolves a token to its live link.
func (s *Service) portalLink(ctx context.Context, token string) (store.PortalLink, error) {
	if !ValidPortalToken(token) {
		return store.PortalLink{}, apperr.New(apperr.NotFound, "this link does not work (any more); ask for a new one at /portaal").WithReason("portal_link")
	}
	return s.store.PortalLinkByToken(ctx, store.HashPortalToken(token), s.now())
}

// PortalCase opens the case of a personal link.
func (s *Service) PortalCase(ctx context.Context, token string) (PortalView, error) {
	l, err := s.portalLink(ctx, token)
	if err != nil {
		return PortalView{}, err
	}
	return s.portalView(ctx, l)
}

func (s *Service) portalView(ctx context.Context, l store.PortalLink) (PortalView, error) {
	v, err := s.Case(ctx, l.OrgID, l.CaseNumber, complaint.ComplainantCaller())
	if err != nil {
		return PortalView{}, err
	}
	pv := PortalView{Link: l, Case: v}
	for _, e := range v.Events {
		if !portalVisible(e) {
			continue
		}
		pv.Timeline = append(pv.Timeline, e)
		if e.Type == complaint.EvDocumentAdded {
			var d complaint.DocumentPayload
			if json.Unmarshal(e.Payload, &d) == nil {
				pv.Documents = append(pv.Documents, d)
			}
		}
	}
	letters, err := s.store.CaseLetters(ctx, l.OrgID, l.CaseNumber)
	if err != nil {
		return PortalView{}, err
	}
	for _, lt := range letters {
		if lt.Recipient.Party == string(reglement.PartyComplainant) && (lt.State == store.LetterSent || lt.State == store.LetterPosted) {
			pv.Letters = append(pv.Letters, lt)
		}
	}
	return pv, nil
}

// PortalAct takes the complainant's actions on the case of a personal
// link, all in one transaction (several files are one add_document each).
// What the complainant may do is the core's answer for a complainant
// caller under the case's regulation.
func (s *Service) PortalAct(ctx context.Context, token string, cmds ...complaint.Command) (PortalView, error) {
	l, err := s.portalLink(ctx, token)
	if err != nil {
		return PortalView{}, err
	}
	if len(cmds) == 0 {
		return PortalView{}, apperr.New(apperr.Invalid, "nothing to do")
	}
	for _, c := range cmds {
		if !slices.Contains(complaint.ComplainantActions, c.Action) {
			return PortalView{}, apperr.New(apperr.Forbidden, "this cannot be done from the portal").WithReason("role")
		}
	}
	rec, _, err := s.store.GetCase(ctx, l.OrgID, l.CaseNumber)
	if err != nil {
		return PortalView{}, err
	}
	r, err := s.caseRegulation(ctx, l.OrgID, rec)
	if err != nil {
		return PortalView{}, err
	}
	now := s.Now()
	_, err = s.store.UpdateCase(ctx, l.OrgID, l.CaseNumber, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		st.Number = l.CaseNumber
		caller := complaint.ComplainantCaller()
		var all []complaint.Event
		for _, cmd := range cmds {
			events, err := complaint.Decide(st, r, cmd, caller, now)
			if err != nil {
				return nil, store.Projection{}, err
			}
			for i := range events {
				events[i].Seq = st.LastSeq + 1
				if st, err = complaint.Apply(st, events[i]); err != nil {
					return nil, store.Projection{}, err
				}
			}
			all = append(all, events...)
		}
		return all, project(&st, r, calendar.FromTime(now)), nil
	})
	if err != nil {
		return PortalView{}, err
	}
	return s.portalView(ctx, l)
}

// PortalDocument opens a document the complainant added to the case of
// a personal link; any other document is not found.
func (s *Service) PortalDocument(ctx context.Context, token, documentID string) (DocumentFile, error) {
	pv, err := s.PortalCase(ctx, token)
	if err != nil {
		return DocumentFile{}, err
	}
	if !slices.ContainsFunc(pv.Documents, func(d complaint.DocumentPayload) bool { return d.DocumentID == documentID && d.DocumentID != "" }) {
		return DocumentFile{}, apperr.New(apperr.NotFound, "case %s has no document %q of yours", pv.Case.Number, documentID)
	}
	return s.openCaseDocument(ctx, pv.Link.OrgID, pv.Case.Number, &pv.Case.Case, documentID)
}

// PortalLetter returns a letter sent to the complainant of the case of a
// personal link, with its PDF.
func (s *Service) PortalLetter(ctx context.Context, token, letterID string) (store.Letter, []byte, error) {
	pv, err := s.PortalCase(ctx, token)
	if err != nil {
		return store.Letter{}, nil, err
	}
	i := slices.IndexFunc(pv.Letters, func(l store.Letter) bool { return l.ID == letterID })
	if i < 0 {
		return store.Letter{}, nil, apperr.New(apperr.NotFound, "case %s has no letter %q to you", pv.Case.Number, letterID)
	}
	pdf, err := s.LetterPDF(ctx, pv.Link.OrgID, pv.Letters[i])
	return pv.Letters[i], pdf, err
}

package web

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// caseFileData is the case file with its letters: caseData and the
// "Brieven" section (partial case_letters). The accused employee's view
// never carries letters.
type caseFileData struct {
	caseData
	Letters *lettersView
}

// CaseLetters is the letters section of the page, nil when the page is no
// case file with letters (a plain caseData, as caseAct renders it after a
// refused action, or the accused employee's view).
func (p *page) CaseLetters() *lettersView {
	if d, ok := p.Data.(caseFileData); ok {
		return d.Letters
	}
	return nil
}

// lettersView is the "Brieven" section: the letters of the case and, for
// those who write letters, the form "Brief maken".
type lettersView struct {
	Number string
	Rows   []letterRow
	// CanWrite: the signed-in person writes letters (handler, board,
	// receiver); the form and the row actions show then.
	CanWrite   bool
	Kinds      []letterOption
	Recipients []letterOption
	Channels   []letterOption
	// Form is the form as posted, with its errors; nil for a plain view.
	Form *form
	// Missing are the required contents the letter lacked: the
	// regulation's wording, its article and the action that fills it.
	MissingKind string
	Missing     []missingRow
	// Error is a message about a letter's row action (posted, resend).
	Error string
	// Today is the default date of "sent by post".
	Today string
}

// letterOption is one choice of a select or radio group.
type letterOption struct {
	Value, Label string
	Selected     bool
}

// letterRow is one letter of the case.
type letterRow struct {
	ID, Kind, Subject, Recipient, Channel string
	// State is queued, sent, posted or failed; StateText says it with its
	// date, Error why sending failed.
	State, StateText, Error string
	PDF                     string
	CanPost, CanResend      bool
}

// missingRow is one required content a refused letter lacked.
type missingRow struct {
	Text, Source string
	// Action names the case action that fills the item, Anchor its form
	// in the case file; both empty when the intake or regulation fills it.
	Action, Anchor string
}

// letterWriters are the roles that write letters, as the core's rule.
var letterWriters = []reglement.Role{reglement.RoleHandler, reglement.RoleBoard, reglement.RoleReceiver}

// writesLetters reports whether the person holds a letter-writing role.
func writesLetters(id *auth.Identity) bool { return id.Has(letterWriters...) }

// caseFileShow is the case file with its letters. The accused employee
// gets the plain limited file (caseShow): no letters.
func (a *app) caseFileShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	env, err := a.caseEnv(r.Context(), id, requestLang(r), r.PathValue("number"))
	if err != nil {
		return err
	}
	if limitedFor(env, id) {
		return a.caseShow(w, r)
	}
	lv, err := a.lettersOf(r.Context(), env, id, nil)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewCase, "", caseFileData{caseData: newCaseData(env, false, "", nil), Letters: lv})
}

// lettersOf builds the letters section; f is the posted form of "Brief
// maken", nil for a plain view.
func (a *app) lettersOf(ctx context.Context, env *actionEnv, id *auth.Identity, f *form) (*lettersView, error) {
	l, v := env.l, env.view
	letters, err := a.svc.Letters(ctx, id.OrgID(), v.Number)
	if err != nil {
		return nil, err
	}
	lv := &lettersView{Number: v.Number, CanWrite: writesLetters(id), Form: f, Today: formatDate(env.today)}
	for _, lt := range letters {
		lv.Rows = append(lv.Rows, newLetterRow(l, lt, lv.CanWrite))
	}
	if !lv.CanWrite {
		return lv, nil
	}
	if f == nil {
		f = &form{Values: map[string][]string{}, Errors: map[string]string{}}
	}
	for _, k := range service.LetterKindsOf(env.reg()) {
		lv.Kinds = append(lv.Kinds, letterOption{Value: string(k), Label: kindName(l, k), Selected: f.Get("soort") == string(k)})
	}
	lv.Recipients = []letterOption{{Value: "", Label: l.t("letter.to.auto"), Selected: f.Get("ontvanger") == ""}}
	for _, rc := range allRecipients(env) {
		key := recipientKey(rc)
		lv.Recipients = append(lv.Recipients, letterOption{Value: key, Label: rc.Name + " (" + partyName(l, rc.Party) + ")", Selected: f.Get("ontvanger") == key})
	}
	channel := f.Get("kanaal")
	if channel == "" {
		channel = string(store.LetterEmail)
	}
	for _, c := range []store.LetterChannel{store.LetterEmail, store.LetterPost} {
		lv.Channels = append(lv.Channels, letterOption{Value: string(c), Label: channelLabel(l, c), Selected: channel == string(c)})
	}
	return lv, nil
}

// newLetterRow shows one letter: what, to whom, how, where it stands.
func newLetterRow(l lang, lt store.Letter, canWrite bool) letterRow {
	row := letterRow{
		ID: lt.ID, Kind: kindName(l, reglement.LetterKind(lt.Kind)), Subject: lt.Subject,
		Recipient: lt.Recipient.Name, Channel: channelLabel(l, lt.Channel), State: string(lt.State),
		PDF: "/zaken/" + lt.CaseNumber + "/brieven/" + lt.ID + ".pdf",
	}
	if lt.Recipient.Party != "" {
		row.Recipient += " (" + partyName(l, reglement.Party(lt.Recipient.Party)) + ")"
	}
	switch lt.State {
	case store.LetterQueued:
		row.StateText = l.t("letter.state.queued", formatDateTime(lt.ComposedAt))
		if lt.Channel == store.LetterPost {
			row.StateText = l.t("letter.state.to_post", formatDateTime(lt.ComposedAt))
		}
		row.Error = lt.Error
		row.CanPost = canWrite && lt.Channel == store.LetterPost
	case store.LetterSent:
		row.StateText = l.t("letter.state.sent", formatDateTime(lt.SentAt))
	case store.LetterPosted:
		row.StateText = l.t("letter.state.posted", formatDate(lt.PostedOn))
	case store.LetterFailed:
		row.StateText = l.t("letter.state.failed")
		row.Error = lt.Error
		row.CanResend = canWrite && lt.Channel == store.LetterEmail
	default:
		row.StateText = string(lt.State)
	}
	return row
}

// kindName is a letter kind in l: "Ontvangstbevestiging".
func kindName(l lang, k reglement.LetterKind) string {
	return msgOr(l, "rg.letter."+string(k), string(k))
}

// channelLabel is a channel in l.
func channelLabel(l lang, c store.LetterChannel) string {
	return msgOr(l, "letter.channel."+string(c), string(c))
}

// recipientKey identifies a recipient in the form: party and name.
func recipientKey(rc letter.Recipient) string { return string(rc.Party) + ":" + rc.Name }

// allRecipients are the people the case names as recipients of any of its
// regulation's letter kinds, each once.
func allRecipients(env *actionEnv) []letter.Recipient {
	var out []letter.Recipient
	for _, k := range service.LetterKindsOf(env.reg()) {
		for _, rc := range letter.Recipients(k, *env.state(), env.reg()) {
			if !slices.ContainsFunc(out, func(o letter.Recipient) bool { return recipientKey(o) == recipientKey(rc) }) {
				out = append(out, rc)
			}
		}
	}
	return out
}

// missingRows shows what a refused letter lacked.
func missingRows(l lang, me *letter.MissingError) []missingRow {
	var out []missingRow
	for _, it := range me.Items {
		row := missingRow{Text: it.Text, Source: it.Source}
		if row.Text == "" {
			row.Text = it.Item
		}
		if it.Action != "" {
			row.Action = msgOr(l, "act."+string(it.Action)+".title", string(it.Action))
			row.Anchor = "actie-" + string(it.Action)
		}
		out = append(out, row)
	}
	return out
}

// trimPDF strips ".pdf" from the last segment of a letter's download path.
func trimPDF(file string) (string, bool) {
	id, ok := strings.CutSuffix(file, ".pdf")
	return id, ok && id != ""
}

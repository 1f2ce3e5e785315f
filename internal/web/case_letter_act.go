package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// letterRoutes are the routes of a case's letters. Every member may use
// them, as the case file; the core decides who writes letters (handler,
// board, receiver), and the accused employee is refused here (403)
// before anything else.
func (a *app) letterRoutes() []route {
	return []route{
		{"POST /zaken/{number}/brieven", a.caseLetterSend, member},
		{"GET /zaken/{number}/brieven/{file}", a.caseLetterPDF, member},
		{"POST /zaken/{number}/brieven/{id}/gepost", a.caseLetterPosted, member},
		{"POST /zaken/{number}/brieven/{id}/opnieuw", a.caseLetterResend, member},
	}
}

// errLetterAccused refuses the accused employee every letter route.
func errLetterAccused() error {
	return apperr.New(apperr.Forbidden, "an accused employee does not see or send the letters of the case").WithReason("case_accused")
}

// caseLetterSend writes a letter of the case (SendLetter) from the form
// "Brief maken": kind, recipient (derived from the case), channel and,
// for post, an address when the case has none. A letter that lacks a
// required content is refused and the case file shows what is missing,
// with its article and the action that fills it.
func (a *app) caseLetterSend(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	number := r.PathValue("number")
	env, err := a.caseEnv(ctx, id, requestLang(r), number)
	if err != nil {
		return err
	}
	if limitedFor(env, id) {
		return errLetterAccused()
	}
	l := env.l
	status := http.StatusBadRequest
	var missing *letter.MissingError
	f.Require(l, "soort")
	kind := reglement.LetterKind(f.Get("soort"))
	if kind != "" && !slices.Contains(service.LetterKindsOf(env.reg()), kind) {
		f.Errors["soort"] = l.t("letter.err.kind")
	}
	channel := store.LetterChannel(f.Get("kanaal"))
	if channel != store.LetterEmail && channel != store.LetterPost {
		f.Errors["kanaal"] = l.t("letter.err.channel")
	}
	var to letter.Recipient
	if f.Valid() {
		to = a.pickRecipient(env, f, kind)
	}
	if f.Valid() {
		if channel == store.LetterPost && f.Get("adres") != "" {
			to.Address = f.Get("adres")
		}
		lt, err := a.svc.SendLetter(ctx, id.OrgID(), number, id.Caller(), kind, to, channel)
		if err == nil {
			a.log.Info("web: letter", "org", id.OrgID(), "case", number, "kind", kind, "channel", channel, "letter", lt.ID, "by", id.User.ID)
			a.flash(w, "letter.done."+string(channel))
			a.redirect(w, r, "/zaken/"+url.PathEscape(number)+"#brieven")
			return nil
		}
		if me, ok := errors.AsType[*letter.MissingError](err); ok {
			missing = me
		} else if !f.Fail(l, err, "to.address", "adres", "to.email", "ontvanger", "channel", "kanaal") {
			return err
		}
		status = statusOf(err)
		if env, err = a.caseEnv(ctx, id, l, number); err != nil {
			return err
		}
	}
	lv, err := a.lettersOf(ctx, env, id, f)
	if err != nil {
		return err
	}
	if missing != nil {
		lv.MissingKind = kindName(l, missing.Kind)
		lv.Missing = missingRows(l, missing)
	}
	return a.render(w, r, status, viewCase, "", caseFileData{caseData: newCaseData(env, false, "", nil), Letters: lv})
}

// pickRecipient is the recipient the form chose among those the case and
// its regulation name for kind; "" lets the case name them when there is
// exactly one. A problem is recorded on the form's field "ontvanger".
func (a *app) pickRecipient(env *actionEnv, f *form, kind reglement.LetterKind) letter.Recipient {
	l := env.l
	rs := letter.Recipients(kind, *env.state(), env.reg())
	if key := f.Get("ontvanger"); key != "" {
		for _, rc := range rs {
			if recipientKey(rc) == key {
				return rc
			}
		}
		f.Errors["ontvanger"] = l.t("letter.err.to.other", kindName(l, kind), recipientNames(l, rs))
		return letter.Recipient{}
	}
	switch len(rs) {
	case 1:
		return rs[0]
	case 0:
		f.Errors["ontvanger"] = l.t("letter.err.to.none", kindName(l, kind))
	default:
		f.Errors["ontvanger"] = l.t("letter.err.to.choose", kindName(l, kind), recipientNames(l, rs))
	}
	return letter.Recipient{}
}

// recipientNames lists recipients for a message.
func recipientNames(l lang, rs []letter.Recipient) string {
	if len(rs) == 0 {
		return "-"
	}
	names := make([]string, len(rs))
	for i, rc := range rs {
		names[i] = rc.Name + " (" + partyName(l, rc.Party) + ")"
	}
	return strings.Join(names, ", ")
}

// caseLetter loads a letter of the case for a letter route: the case as
// the person may see it (another organisation's is not found), the
// accused employee refused, and a letter of another case not found.
func (a *app) caseLetter(r *http.Request, letterID string) (*actionEnv, store.Letter, error) {
	id := auth.FromContext(r.Context())
	number := r.PathValue("number")
	env, err := a.caseEnv(r.Context(), id, requestLang(r), number)
	if err != nil {
		return nil, store.Letter{}, err
	}
	if limitedFor(env, id) {
		return nil, store.Letter{}, errLetterAccused()
	}
	lt, err := a.st.GetLetter(r.Context(), id.OrgID(), letterID)
	if err != nil {
		return nil, store.Letter{}, err
	}
	if lt.CaseNumber != env.view.Number {
		return nil, store.Letter{}, apperr.New(apperr.NotFound, "case %s has no letter %s", number, letterID).WithReason("page_not_found")
	}
	return env, lt, nil
}

// caseLetterPDF answers a letter's PDF as it was stored:
// /zaken/{number}/brieven/{id}.pdf.
func (a *app) caseLetterPDF(w http.ResponseWriter, r *http.Request) error {
	letterID, ok := trimPDF(r.PathValue("file"))
	if !ok {
		return apperr.New(apperr.NotFound, "no such letter").WithReason("page_not_found")
	}
	_, lt, err := a.caseLetter(r, letterID)
	if err != nil {
		return err
	}
	pdf, err := a.svc.LetterPDF(r.Context(), lt.OrgID, lt)
	if err != nil {
		return err
	}
	sendPDF(w, lt, pdf, a.log)
	return nil
}

// sendPDF answers a letter's PDF as a download: never sniffed, never
// cached, sandboxed should a browser show it.
func sendPDF(w http.ResponseWriter, lt store.Letter, pdf []byte, log *slog.Logger) {
	document.SetDownloadHeaders(w.Header(), service.LetterFileName(lt), "application/pdf", int64(len(pdf)))
	w.WriteHeader(http.StatusOK)
	if _, err := w.Write(pdf); err != nil {
		log.Debug("web: write letter pdf", "letter", lt.ID, "err", err)
	}
}

// caseLetterPosted records that a letter by post was posted on the date
// of the form (empty is today): MarkPosted, which also performs the case
// action the letter stands for (the acknowledgement counts as given).
func (a *app) caseLetterPosted(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	env, lt, err := a.caseLetter(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	var on calendar.Date
	if s := f.Get("datum"); s != "" {
		d, ok := parseFormDate(s)
		if !ok {
			return a.letterRowFailed(w, r, env, http.StatusBadRequest, env.l.t("letter.err.date"))
		}
		on = d
	}
	id := auth.FromContext(r.Context())
	if _, err := a.svc.MarkPosted(r.Context(), id.OrgID(), lt.ID, id.Caller(), on); err != nil {
		if apperr.CodeOf(err) == apperr.Internal || apperr.CodeOf(err) == apperr.NotFound {
			return err
		}
		return a.letterRowFailed(w, r, env, statusOf(err), errorText(env.l, err))
	}
	a.flash(w, "letter.done.posted")
	a.redirect(w, r, "/zaken/"+url.PathEscape(env.view.Number)+"#brieven")
	return nil
}

// caseLetterResend queues a failed e-mail again (ResendLetter).
func (a *app) caseLetterResend(w http.ResponseWriter, r *http.Request) error {
	if _, err := parseForm(w, r); err != nil {
		return err
	}
	env, lt, err := a.caseLetter(r, r.PathValue("id"))
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	if _, err := a.svc.ResendLetter(r.Context(), id.OrgID(), lt.ID, id.Caller()); err != nil {
		if apperr.CodeOf(err) == apperr.Internal || apperr.CodeOf(err) == apperr.NotFound {
			return err
		}
		return a.letterRowFailed(w, r, env, statusOf(err), errorText(env.l, err))
	}
	a.flash(w, "letter.done.resend")
	a.redirect(w, r, "/zaken/"+url.PathEscape(env.view.Number)+"#brieven")
	return nil
}

// letterRowFailed shows the case file with a refused letter action's
// message above the letters.
func (a *app) letterRowFailed(w http.ResponseWriter, r *http.Request, env *actionEnv, status int, msg string) error {
	id := auth.FromContext(r.Context())
	lv, err := a.lettersOf(r.Context(), env, id, nil)
	if err != nil {
		return err
	}
	lv.Error = msg
	return a.render(w, r, status, viewCase, "", caseFileData{caseData: newCaseData(env, false, "", nil), Letters: lv})
}

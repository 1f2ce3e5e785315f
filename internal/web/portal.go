package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// The complainant's portal: /portaal/{token}, reached by the personal
// link e-mailed with the case (service/portal.go), and /portaal to ask for
// a new link. Public pages in the public form's layout; the token is the
// only key, so every portal answer carries Referrer-Policy: no-referrer
// (the token never leaves in a Referer header) and Cache-Control:
// no-store, and RedactPath keeps it out of the request log.

// portalRoutes are the portal's pages and actions.
func (a *app) portalRoutes() []route {
	return []route{
		{"GET /portaal", a.portalRenewShow, public},
		{"POST /portaal", a.portalRenewSubmit, public},
		{"GET /portaal/{token}", a.portalShow, public},
		{"POST /portaal/{token}/bewijs", a.portalEvidence, public},
		{"POST /portaal/{token}/acties/{action}", a.portalAct, public},
		{"GET /portaal/{token}/brieven/{id}", a.portalLetter, public},
		{"GET /portaal/{token}/documenten/{id}", a.portalDocument, public},
	}
}

// portalPrefix starts every personal link's path.
const portalPrefix = "/portaal/"

// RedactPath replaces the token of a personal link in a request path, for
// logs: /portaal/{token}/... becomes /portaal/-/...
func RedactPath(p string) string {
	rest, ok := strings.CutPrefix(p, portalPrefix)
	if !ok || rest == "" {
		return p
	}
	if _, after, found := strings.Cut(rest, "/"); found {
		return portalPrefix + "-/" + after
	}
	return portalPrefix + "-"
}

// portalHeaders are set on every portal answer.
func portalHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
}

// portalPath is the page of a personal link, and below it.
func portalPath(token string, rest ...string) string {
	p := portalPrefix + token
	for _, s := range rest {
		p += "/" + url.PathEscape(s)
	}
	return p
}

// portalSlugs name the portal's action forms in their URL.
var portalSlugs = map[string]complaint.Action{
	"zienswijze": complaint.ActAddStatementOfView,
	"inzage":     complaint.ActRequestInspection,
	"gesprek":    complaint.ActRequestHearing,
	"voorstel":   complaint.ActAnswerProposal,
	"intrekken":  complaint.ActWithdraw,
}

// portalDeadLink answers a token that does not open a case: one page for
// unknown, expired and revoked links alike, pointing to /portaal.
func (a *app) portalDeadLink(w http.ResponseWriter, r *http.Request, err error) error {
	var e *apperr.Error
	if errors.As(err, &e) && e.Reason == "portal_link" {
		return a.renderPublic(w, r, http.StatusNotFound, viewPortalRenew, portalRenewData{Org: requestLang(r).t("portal.brand"), Form: newForm(), Dead: true})
	}
	return err
}

// portalShow shows the case of a personal link.
func (a *app) portalShow(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	token := r.PathValue("token")
	pv, err := a.svc.PortalCase(r.Context(), token)
	if err != nil {
		return a.portalDeadLink(w, r, err)
	}
	l := requestLang(r)
	d := newPortalData(l, token, pv, a.svc.Today(), newForm(), "")
	if done := r.URL.Query().Get("gedaan"); done != "" {
		if _, ok := portalSlugs[done]; ok || done == "bewijs" {
			d.Done = l.t("portal.done." + done)
		}
	}
	return a.renderPublic(w, r, http.StatusOK, viewPortal, d)
}

// portalAct takes one of the complainant's actions from its form.
func (a *app) portalAct(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	ctx := r.Context()
	l := requestLang(r)
	token, slug := r.PathValue("token"), r.PathValue("action")
	action, ok := portalSlugs[slug]
	if !ok {
		return apperr.New(apperr.NotFound, "no such action").WithReason("page_not_found")
	}
	pv, err := a.svc.PortalCase(ctx, token)
	if err != nil {
		return a.portalDeadLink(w, r, err)
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	again := func(status int) error {
		return a.renderPublic(w, r, status, viewPortal, newPortalData(l, token, pv, a.svc.Today(), f, slug))
	}
	input, valid := portalInput(l, action, f)
	if !valid {
		return again(http.StatusBadRequest)
	}
	if _, err := a.svc.PortalAct(ctx, token, complaint.Command{Action: action, Input: input}); err != nil {
		if apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		if apperr.CodeOf(err) == apperr.NotFound {
			return a.portalDeadLink(w, r, err)
		}
		f.Error = portalErrorText(l, err)
		return again(statusOf(err))
	}
	a.log.Info("web: portal action", "org", pv.Link.OrgID, "case", pv.Case.Number, "action", action)
	a.redirect(w, r, portalPath(token)+"?gedaan="+slug)
	return nil
}

// portalInput checks a portal form and turns it into the action's input;
// false leaves the messages in f.
func portalInput(l lang, action complaint.Action, f *form) (json.RawMessage, bool) {
	var in any
	switch action {
	case complaint.ActAddStatementOfView:
		f.Require(l, "tekst")
		in = map[string]string{"text": f.Get("tekst")}
	case complaint.ActRequestInspection, complaint.ActRequestHearing:
		in = map[string]string{"text": f.Get("toelichting")}
	case complaint.ActAnswerProposal:
		var accepted bool
		switch f.Get("antwoord") {
		case "ja":
			accepted = true
		case "nee":
		default:
			f.Errors["antwoord"] = l.t("portal.error.answer")
		}
		in = map[string]any{"accepted": accepted, "reply": f.Get("reactie")}
	case complaint.ActWithdraw:
		f.Require(l, "reden")
		if f.Get("zeker") == "" {
			f.Errors["zeker"] = l.t("portal.error.sure")
		}
		in = map[string]string{"reason": f.Get("reden")}
	}
	if !f.Valid() {
		f.Error = l.t("portal.error.summary")
		return nil, false
	}
	b, _ := json.Marshal(in)
	return b, true
}

// portalLetter sends a letter to the complainant as PDF.
func (a *app) portalLetter(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	lt, pdf, err := a.svc.PortalLetter(r.Context(), r.PathValue("token"), r.PathValue("id"))
	if err != nil {
		return a.portalDeadLink(w, r, err)
	}
	sendPDF(w, lt, pdf, a.log)
	return nil
}

// portalDocument sends a document the complainant added.
func (a *app) portalDocument(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	f, err := a.svc.PortalDocument(r.Context(), r.PathValue("token"), r.PathValue("id"))
	if err != nil {
		return a.portalDeadLink(w, r, err)
	}
	defer f.Body.Close()
	a.sendDocument(w, f)
	return nil
}

// portalErrorText is the message for a refused portal action: in plain
// words where the portal has its own for the reason, else the core's.
func portalErrorText(l lang, err error) string {
	var e *apperr.Error
	if errors.As(err, &e) && e.Reason != "" && hasMessage("portal.refused."+e.Reason) {
		return l.t("portal.refused." + e.Reason)
	}
	return caseErrorText(l, err)
}

package web

import (
	"net/http"
)

// portalRenewData is the page that sends a new personal link.
type portalRenewData struct {
	Org  string
	Form *form
	// Dead tells that the person came with a link that does not work.
	Dead bool
	// Sent shows the answer after the form was sent.
	Sent bool
}

// portalRenewShow asks for the case number and e-mail address.
func (a *app) portalRenewShow(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	l := requestLang(r)
	return a.renderPublic(w, r, http.StatusOK, viewPortalRenew, portalRenewData{Org: l.t("portal.brand"), Form: newForm()})
}

// portalRenewSubmit mails a new link when the case number and address
// match a case, and answers the same either way, so that the form tells
// no one which cases exist or which addresses belong to them. Rate
// limited per client address.
func (a *app) portalRenewSubmit(w http.ResponseWriter, r *http.Request) error {
	portalHeaders(w)
	l := requestLang(r)
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	d := portalRenewData{Org: l.t("portal.brand"), Form: f}
	f.Require(l, "dossier", "email")
	if v := f.Get("email"); v != "" && !validEmail(v) {
		f.Errors["email"] = l.t("pub.error.email")
	}
	if !f.Valid() {
		f.Error = l.t("portal.error.summary")
		return a.renderPublic(w, r, http.StatusBadRequest, viewPortalRenew, d)
	}
	if !a.portalLimiter.allow(clientAddress(r), a.now()) {
		a.log.Warn("web: portal renew rate limit", "addr", clientAddress(r))
		f.Error = l.t("portal.error.rate")
		return a.renderPublic(w, r, http.StatusTooManyRequests, viewPortalRenew, d)
	}
	if err := a.svc.RequestPortalLink(r.Context(), f.Get("dossier"), f.Get("email"), string(l)); err != nil {
		return err
	}
	d.Sent, d.Form = true, newForm()
	return a.renderPublic(w, r, http.StatusOK, viewPortalRenew, d)
}

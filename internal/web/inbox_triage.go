package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// inboxTriage records the decision on a message: a complaint or a remark
// goes to its new case file, no complaint back to the list. A refusal
// shows the message again with the error next to its field.
func (a *app) inboxTriage(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	id := auth.FromContext(ctx)
	l := requestLang(r)
	in := service.TriageInput{As: f.Get("as"), Reason: strings.TrimSpace(f.Raw("reason"))}
	switch store.InboundState(in.As) {
	case store.InboundComplaint, store.InboundRemark:
		it := &complaint.Intake{
			ContactPerson: f.Get("contact_person"), ClientName: f.Get("client_name"),
			CommissioningParty: f.Get("commissioning_party"), Service: f.Get("service"),
			IncidentPlace: f.Get("incident_place"), DesiredOutcome: f.Get("desired_outcome"),
			Complainant: complaint.Person{Phone: f.Get("complainant.phone")},
		}
		if v := f.Get("incident_date"); v != "" {
			d, err := calendar.ParseDate(v)
			if err != nil {
				f.Errors["incident_date"] = l.t("case.error.date")
			} else {
				it.IncidentDate = &d
			}
		}
		in.Intake = it
	case store.InboundNotComplaint:
		f.Require(l, "reason")
	case "":
		f.Errors["as"] = l.t("inbox.error.choose")
	}
	if f.Valid() {
		res, err := a.svc.TriageInbound(ctx, id.OrgID(), r.PathValue("id"), id.Caller(), in)
		if err == nil {
			a.log.Info("web: inbound message triaged", "org", id.OrgID(), "message", res.Message.ID, "as", in.As, "by", id.User.ID)
			if res.Case != nil {
				a.flash(w, "inbox.done."+in.As)
				a.redirect(w, r, "/zaken/"+url.PathEscape(res.Case.Number))
				return nil
			}
			a.flash(w, "inbox.done.not_complaint")
			a.redirect(w, r, "/postvak")
			return nil
		}
		if c := apperr.CodeOf(err); c == apperr.NotFound || c == apperr.Forbidden {
			return err
		}
		if !f.Fail(l, err, "intake.incident_date", "incident_date", "intake.contact_person", "contact_person") {
			return err
		}
		d, lerr := a.inboxMessage(ctx, r, f)
		if lerr != nil {
			return lerr
		}
		return a.render(w, r, statusOf(err), viewInboxMessage, "inbox", d)
	}
	d, err := a.inboxMessage(ctx, r, f)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusBadRequest, viewInboxMessage, "inbox", d)
}

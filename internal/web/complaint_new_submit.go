package web

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
)

// complaintNewSubmit registers the complaint: as a complaint, as a remark
// (where the regulation knows remarks) or as settled on the spot by the
// receiver (where the regulation allows it), and goes to its case file.
// A refusal shows the form again with the message next to the field.
func (a *app) complaintNewSubmit(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	l := requestLang(r)
	today := a.svc.Today()
	reg, revision, err := a.svc.Regulation(ctx, id.OrgID(), today)
	if err != nil {
		return err
	}
	members, err := a.st.Members(ctx, id.OrgID())
	if err != nil {
		return err
	}
	in := intakeFromForm(l, f, members)
	status := http.StatusBadRequest
	if f.Valid() {
		// The form's key makes a second send (a double click) return the
		// case of the first; a post without one is never deduplicated.
		key := ""
		if k := f.Get("sleutel"); k != "" {
			key = "web:" + id.User.ID + ":" + k
		}
		v, _, err := a.svc.CreateCase(ctx, id.OrgID(), id.Caller(), in, key)
		if err == nil {
			a.log.Info("web: complaint registered", "org", id.OrgID(), "case", v.Number, "by", id.User.ID, "kind", f.Get("soort"))
			switch {
			case in.RecordAsRemark:
				a.flash(w, "intake.done.remark")
			case in.SettledOnSpot != "":
				a.flash(w, "intake.done.settled")
			default:
				a.flash(w, "intake.done.complaint")
			}
			a.redirect(w, r, "/zaken/"+url.PathEscape(v.Number))
			return nil
		}
		if apperr.CodeOf(err) == apperr.Internal {
			return err
		}
		var e *apperr.Error
		errors.As(err, &e)
		if field := intakeErrorField(e.Field); field != "" && knownIntakeField(field) {
			f.Errors[field] = caseErrorText(l, err)
		} else {
			f.Error = caseErrorText(l, err)
		}
		status = statusOf(err)
	}
	if f.Error == "" && !f.Valid() {
		f.Error = l.t("intake.error.summary")
	}
	data := newComplaintData(l, reg, revision, members, f, today)
	return a.render(w, r, status, viewComplaintNew, "new", data)
}

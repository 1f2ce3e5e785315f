package web

import (
	"net/http"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/complaint"
)

var viewRetentionErase = view("retention_erase")

// retentionEraseData is the confirmation form for erasing one case file.
type retentionEraseData struct {
	Number string
	Form   *form
	// Closed reports that the case is closed; ClosedOn and Ends say when
	// it closed and when its retention period ends (empty when unknown).
	Closed         bool
	ClosedOn, Ends string
	// Due reports that the retention period ended: erasing for that
	// reason is possible.
	Due bool
}

// retentionEraseShow shows what erasing a case means and asks to type
// its number.
func (a *app) retentionEraseShow(w http.ResponseWriter, r *http.Request) error {
	data, err := a.retentionEraseData(r, newForm())
	if err != nil {
		return err
	}
	reason := complaint.ErasureRequest
	if data.Due {
		reason = complaint.ErasureRetention
	}
	data.Form.Values.Set("reason", reason)
	return a.render(w, r, http.StatusOK, viewRetentionErase, "privacy", data)
}

// retentionEraseData loads the case the form is about.
func (a *app) retentionEraseData(r *http.Request, f *form) (retentionEraseData, error) {
	id := auth.FromContext(r.Context())
	v, err := a.svc.Case(r.Context(), id.OrgID(), r.PathValue("number"), id.Caller())
	if err != nil {
		return retentionEraseData{}, err
	}
	d := retentionEraseData{Number: v.Number, Form: f, Closed: !v.Case.IsOpen()}
	if v.Case.ClosedOn != nil {
		d.ClosedOn = formatDate(*v.Case.ClosedOn)
	}
	current, _, err := a.svc.Regulation(r.Context(), id.OrgID(), a.svc.Today())
	if err != nil {
		return retentionEraseData{}, err
	}
	if end, ok := v.Case.RetentionEnd(current, a.svc.Today()); ok {
		d.Ends = formatDate(end)
		d.Due = !end.After(a.svc.Today())
	}
	return d, nil
}

// retentionErase erases the case once its number was typed to confirm.
func (a *app) retentionErase(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	l := requestLang(r)
	data, err := a.retentionEraseData(r, f)
	if err != nil {
		return err
	}
	f.Require(l, "reason", "confirm")
	if c := f.Get("confirm"); c != "" && strings.TrimSpace(c) != data.Number {
		f.Errors["confirm"] = l.t("retention.confirm.mismatch", data.Number)
	}
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewRetentionErase, "privacy", data)
	}
	if _, err := a.svc.EraseCase(r.Context(), id.OrgID(), data.Number, id.Caller(), f.Get("reason"), f.Get("note")); err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewRetentionErase, "privacy", data)
	}
	a.log.Info("web: case erased", "org", id.OrgID(), "case", data.Number, "reason", f.Get("reason"), "by", id.User.ID)
	a.flash(w, "retention.erased")
	a.redirect(w, r, "/zaken/"+data.Number)
	return nil
}

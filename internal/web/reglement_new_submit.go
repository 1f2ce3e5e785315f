package web

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// maxRegulationUpload bounds the posted form: a regulation file of at
// most reglement.MaxSize, the same text in the text area, and the rest.
const maxRegulationUpload = 2*reglement.MaxSize + 64<<10

// reglementNewSubmit checks a new version of the regulation (an uploaded
// YAML file, or the text area) with reglement.Parse, and saves it when it
// has no errors: errors are shown with their line and field and nothing
// is saved; warnings do not stop it (the version's page shows them after
// saving). The version applies from its valid-from date, which may not
// lie in the past, to complaints received from then on: running cases
// keep theirs (service.Regulation picks by date of receipt).
func (a *app) reglementNewSubmit(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	l := requestLang(r)
	today := a.svc.Today()
	r.Body = http.MaxBytesReader(w, r.Body, maxRegulationUpload)
	if err := r.ParseMultipartForm(maxRegulationUpload); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.Invalid, "the upload is larger than %d bytes", maxRegulationUpload).WithReason("rg_too_big")
		}
		return apperr.New(apperr.Invalid, "the form could not be read: %v", err)
	} else if errors.Is(err, http.ErrNotMultipart) {
		if err := r.ParseForm(); err != nil {
			return apperr.New(apperr.Invalid, "the form could not be read: %v", err)
		}
	}
	f := &form{Values: r.PostForm, Errors: map[string]string{}}
	text := f.Raw("yaml")
	if file, _, err := r.FormFile("bestand"); err == nil {
		data, err := io.ReadAll(io.LimitReader(file, reglement.MaxSize+1))
		file.Close()
		switch {
		case err != nil:
			f.Errors["bestand"] = l.t("rgnew.error.file")
		case len(data) > reglement.MaxSize:
			f.Errors["bestand"] = l.t("rgnew.error.too_big")
		case len(data) > 0:
			text = string(data)
		}
	}
	data := reglementNewData{Form: f, YAML: text}

	validFrom, ok := parseFormDate(f.Get("valid_from"))
	switch {
	case f.Get("valid_from") == "":
		f.Errors["valid_from"] = l.t("form.required")
	case !ok:
		f.Errors["valid_from"] = l.t("case.error.date")
	case validFrom.Before(today):
		f.Errors["valid_from"] = l.t("rgnew.error.past")
	}
	var reg *reglement.Reglement
	if text == "" {
		if f.Errors["bestand"] == "" {
			f.Errors["yaml"] = l.t("rgnew.error.empty")
		}
	} else {
		var problems []reglement.Problem
		reg, problems = reglement.Parse([]byte(text))
		for _, p := range problems {
			row := problemRows(l, []reglement.Problem{p})[0]
			if p.Severity == reglement.SeverityError {
				data.Errors = append(data.Errors, row)
			} else {
				data.Warnings = append(data.Warnings, row)
			}
		}
		if len(data.Errors) == 0 && reg != nil && ok && validFrom.Before(reg.ValidFrom) {
			// complaint.Receive refuses receipt dates before the text's own
			// valid_from: a version stored earlier than that would refuse
			// every complaint in between.
			f.Errors["valid_from"] = l.t("rgnew.error.before_text", formatDate(reg.ValidFrom))
		}
	}
	data.ValidFrom = validFromField(l, f, today)
	if len(data.Errors) > 0 || !f.Valid() {
		if len(data.Errors) > 0 {
			f.Error = l.t("rgnew.errors")
		}
		return a.render(w, r, http.StatusBadRequest, viewReglementNew, "reglement", data)
	}
	saved, err := a.st.SaveRegulation(ctx, id.OrgID(), store.Regulation{ValidFrom: validFrom, YAML: text})
	if err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewReglementNew, "reglement", data)
	}
	a.log.Info("web: regulation version saved", "org", id.OrgID(), "version", saved.Version, "valid_from", validFrom, "id", reg.ID, "by", id.User.ID)
	a.flash(w, "rg.saved")
	a.redirect(w, r, "/reglement?versie="+url.QueryEscape(strconv.Itoa(saved.Version)))
	return nil
}

package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
)

var viewReglementNew = view("reglement_new")

// reglementNewData is the form to save a new version of the regulation.
type reglementNewData struct {
	Form      *form
	YAML      string
	ValidFrom fieldData
	Errors    []problemRow
	Warnings  []problemRow
}

// reglementNewShow shows the form for a new version, filled with the text
// of the version in force, to edit.
func (a *app) reglementNewShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	l := requestLang(r)
	today := a.svc.Today()
	data := reglementNewData{Form: newForm()}
	versions, err := a.st.Regulations(r.Context(), id.OrgID())
	if err != nil {
		return err
	}
	if _, current, err := a.svc.Regulation(r.Context(), id.OrgID(), today); err == nil {
		for _, v := range versions {
			if v.Version == current {
				data.YAML = v.YAML
			}
		}
	}
	data.ValidFrom = validFromField(l, data.Form, today)
	return a.render(w, r, http.StatusOK, viewReglementNew, "reglement", data)
}

// validFromField is the date input of the form.
func validFromField(l lang, f *form, today calendar.Date) fieldData {
	fd := fieldData{ID: "f-valid_from", Name: "valid_from", Kind: string(fkDate), Label: l.t("rgnew.valid_from"),
		Hint: l.t("rgnew.valid_from.hint"), Required: true, Value: f.Get("valid_from"), Error: f.Err("valid_from")}
	if fd.Value == "" {
		fd.Value = today.String()
	}
	if d, ok := parseFormDate(fd.Value); ok {
		fd.Value = d.Dutch()
	}
	return fd
}

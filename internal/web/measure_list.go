package web

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

var viewQualityMeasures = view("quality_measures")

// measuresData is the page of the register of measures.
type measuresData struct {
	Rows []measureListRow
	// Form is the form to record a measure.
	Form *form
	// CanDecide: the signed-in person is on the board.
	CanDecide bool
	Today     calendar.Date
}

// measureListRow is one measure on the page.
type measureListRow struct {
	store.Measure
	Overdue bool
	// ReviewYear is the year its review is for by default: last year, or
	// the year it was proposed when that is later.
	ReviewYear int
}

// measureList shows every measure of the organisation, the overdue ones
// flagged, with the board's decision, completion and review forms.
func (a *app) measureList(w http.ResponseWriter, r *http.Request) error {
	return a.renderMeasures(w, r, http.StatusOK, newForm())
}

// renderMeasures renders the measures page with the create form f.
func (a *app) renderMeasures(w http.ResponseWriter, r *http.Request, status int, f *form) error {
	id := auth.FromContext(r.Context())
	ms, err := a.st.ListMeasures(r.Context(), id.OrgID(), store.MeasureFilter{})
	if err != nil {
		return err
	}
	today := a.svc.Today()
	data := measuresData{Form: f, CanDecide: id.Has(reglement.RoleBoard), Today: today}
	for _, m := range ms {
		data.Rows = append(data.Rows, measureListRow{Measure: m, Overdue: m.OverdueOn(today),
			ReviewYear: max(today.Year-1, m.ProposedOn.Year)})
	}
	if f.Values.Get("soort") == "" {
		f.Values.Set("soort", string(store.MeasureCorrective))
	}
	return a.render(w, r, status, viewQualityMeasures, "quality", data)
}

// caseList splits the linked case numbers as typed: "2026-0001, 2026-0002".
var caseList = regexp.MustCompile(`[\s,;]+`)

// measureCreate records a proposed measure.
func (a *app) measureCreate(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	l := requestLang(r)
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	f.Require(l, "omschrijving", "eigenaar")
	kind := store.MeasureKind(f.Get("soort"))
	if kind != store.MeasureCorrective && kind != store.MeasurePreventive {
		f.Errors["soort"] = l.t("measure.kind.invalid")
	}
	var due calendar.Date
	if s := f.Get("termijn"); s != "" {
		if due, err = calendar.ParseDate(s); err != nil {
			f.Errors["termijn"] = l.t("quality.date.invalid")
		}
	}
	if !f.Valid() {
		return a.renderMeasures(w, r, http.StatusBadRequest, f)
	}
	var cases []string
	for _, c := range caseList.Split(f.Get("zaken"), -1) {
		if c = strings.TrimSpace(c); c != "" {
			cases = append(cases, c)
		}
	}
	_, err = a.st.CreateMeasure(r.Context(), id.OrgID(), store.NewMeasure{
		Description: f.Get("omschrijving"), Kind: kind, Owner: store.Who{Name: f.Get("eigenaar")}, DueOn: due,
		ProposedBy: measureWho(id), ProposedOn: a.svc.Today(), Cases: cases,
	})
	if err != nil {
		if !f.Fail(l, err, "description", "omschrijving", "owner", "eigenaar", "owner.name", "eigenaar", "due_on", "termijn", "cases", "zaken") {
			return err
		}
		return a.renderMeasures(w, r, statusOf(err), f)
	}
	a.flash(w, "measure.created")
	a.redirect(w, r, pathMeasures)
	return nil
}

// pathMeasures is the register of measures.
const pathMeasures = "/kwaliteit/maatregelen"

// who is the signed-in person as a measure records them.
func measureWho(id *auth.Identity) store.Who {
	return store.Who{UserID: id.User.ID, Name: id.User.Name}
}

// measureDecide records the board's decision on a proposed measure.
func (a *app) measureDecide(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	approved := f.Get("besluit") == "goedkeuren"
	if !approved && f.Get("besluit") != "afwijzen" {
		return apperr.Field("besluit", "choose to approve or to reject the measure").WithReason("measure_decision")
	}
	_, err = a.st.DecideMeasure(r.Context(), id.OrgID(), r.PathValue("id"), store.MeasureDecision{
		Approved: approved, By: measureWho(id), On: a.svc.Today(), Note: f.Get("toelichting"),
	})
	return a.measureDoneWith(w, r, err, "measure.decided")
}

// measureDone records that a decided measure was carried out.
func (a *app) measureDone(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	_, err = a.st.CompleteMeasure(r.Context(), id.OrgID(), r.PathValue("id"), a.svc.Today(), f.Get("toelichting"))
	return a.measureDoneWith(w, r, err, "measure.completed")
}

// measureReview records the yearly review of a measure's effectiveness.
func (a *app) measureReview(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	today := a.svc.Today()
	year := today.Year
	if s := f.Get("jaar"); s != "" {
		y, convErr := strconv.Atoi(s)
		if convErr != nil {
			return apperr.Field("jaar", "the year %q is not a year", s)
		}
		year = y
	}
	switch f.Get("effectief") {
	case "ja", "nee":
	default:
		return apperr.Field("effectief", "say whether the measure was effective").WithReason("measure_effective")
	}
	_, err = a.st.ReviewMeasure(r.Context(), id.OrgID(), r.PathValue("id"), store.MeasureReview{
		Year: year, Effective: f.Get("effectief") == "ja", Motivation: f.Get("motivering"), Adjustment: f.Get("bijstelling"),
		ReviewedBy: measureWho(id), ReviewedOn: today,
	})
	return a.measureDoneWith(w, r, err, "measure.reviewed")
}

// measureDoneWith ends an action on a measure: back to the list with a
// message, or the error page (a 400 or 409 explains what to change).
func (a *app) measureDoneWith(w http.ResponseWriter, r *http.Request, err error, flash string) error {
	if err != nil {
		return err
	}
	a.flash(w, flash)
	a.redirect(w, r, pathMeasures)
	return nil
}

package web

import (
	"context"
	"net/http"
	"runtime"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
	"github.com/gegrond/gegrond/internal/store"
)

// qualityAccess lets in the people who see the register, the measures and
// the reports: the quality officer, the board and administrators (the
// register names employees, so it is not for every member).
var qualityAccess = allow(reglement.RoleQualityOfficer, reglement.RoleBoard, reglement.RoleAdmin)

// qualityRoutes are the routes of Kwaliteit: the complaint register and
// its exports, the register of measures, and the yearly or management
// report with its PDF and XLSX. Only the board decides on a measure.
func (a *app) qualityRoutes() []route {
	return []route{
		{"GET /kwaliteit/register", a.registerShow, qualityAccess},
		{"GET /kwaliteit/register.csv", a.registerCSV, qualityAccess},
		{"GET /kwaliteit/register.xlsx", a.registerXLSX, qualityAccess},
		{"GET /kwaliteit/maatregelen", a.measureList, qualityAccess},
		{"POST /kwaliteit/maatregelen", a.measureCreate, qualityAccess},
		{"POST /kwaliteit/maatregelen/{id}/besluit", a.measureDecide, allow(reglement.RoleBoard)},
		{"POST /kwaliteit/maatregelen/{id}/gereed", a.measureDone, qualityAccess},
		{"POST /kwaliteit/maatregelen/{id}/beoordeling", a.measureReview, qualityAccess},
		{"GET /kwaliteit/jaarverslag", a.reportShow, qualityAccess},
		{"GET /kwaliteit/jaarverslag.pdf", a.reportPDF, qualityAccess},
		{"GET /kwaliteit/jaarverslag.xlsx", a.reportXLSX, qualityAccess},
	}
}

// qualityPeriod reads a period from the query: van and tot (2026-01-01),
// or else jaar, or else the current year. yearly reports whether the
// period is a calendar year given by jaar (or by default).
func (a *app) qualityPeriod(r *http.Request) (from, to calendar.Date, yearly bool, err error) {
	q := r.URL.Query()
	today := a.svc.Today()
	van, tot := q.Get("van"), q.Get("tot")
	if van != "" || tot != "" {
		from, to = calendar.D(today.Year, 1, 1), calendar.D(today.Year, 12, 31)
		if van != "" {
			if from, err = calendar.ParseDate(van); err != nil {
				return from, to, false, apperr.Field("van", "the first date %q is not a date (2026-01-31)", van)
			}
		}
		if tot != "" {
			if to, err = calendar.ParseDate(tot); err != nil {
				return from, to, false, apperr.Field("tot", "the last date %q is not a date (2026-12-31)", tot)
			}
		}
		if to.Before(from) {
			return from, to, false, apperr.Field("tot", "the period ends (%s) before it begins (%s)", to, from)
		}
		return from, to, false, nil
	}
	year := today.Year
	if s := q.Get("jaar"); s != "" {
		y, convErr := strconv.Atoi(s)
		if convErr != nil || y < 2000 || y > 9999 {
			return from, to, true, apperr.Field("jaar", "the year %q is not a year", s)
		}
		year = y
	}
	return calendar.D(year, 1, 1), calendar.D(year, 12, 31), true, nil
}

// qualityBase is what the register and the report are drawn up from: the
// organisation's regulation in force at the end of the period and every
// stored version of it, by revision, for the cases run under older ones.
type qualityBase struct {
	current  *reglement.Reglement
	versions map[int]*reglement.Reglement
	measures []store.Measure
}

// loadQualityBase reads the regulations and the measures alive in the
// period before the cases are streamed: FoldHistories may not call the
// store while store.CaseHistories reads.
func (a *app) loadQualityBase(ctx context.Context, orgID string, from, to calendar.Date) (*qualityBase, error) {
	current, _, err := a.svc.Regulation(ctx, orgID, to)
	if err != nil {
		return nil, err
	}
	stored, err := a.st.Regulations(ctx, orgID)
	if err != nil {
		return nil, err
	}
	base := &qualityBase{current: current, versions: map[int]*reglement.Reglement{}}
	for _, v := range stored {
		r, _, err := reglement.Load([]byte(v.YAML))
		if err != nil {
			return nil, apperr.New(apperr.Internal, "stored regulation %s/%d: %v", orgID, v.Version, err)
		}
		base.versions[v.Version] = r
	}
	for y := from.Year; y <= to.Year; y++ {
		ms, err := a.st.ListMeasures(ctx, orgID, store.MeasureFilter{Year: y})
		if err != nil {
			return nil, err
		}
		base.measures = appendNewMeasures(base.measures, ms)
	}
	return base, nil
}

// appendNewMeasures appends the measures of more not in ms yet.
func appendNewMeasures(ms, more []store.Measure) []store.Measure {
	seen := make(map[string]bool, len(ms))
	for _, m := range ms {
		seen[m.ID] = true
	}
	for _, m := range more {
		if !seen[m.ID] {
			ms = append(ms, m)
		}
	}
	return ms
}

// regulation resolves a case's regulation revision (for FoldHistories).
func (q *qualityBase) regulation(revision int) (*reglement.Reglement, error) {
	if r := q.versions[revision]; r != nil {
		return r, nil
	}
	return nil, apperr.New(apperr.Internal, "regulation revision %d is missing", revision)
}

// foldPeriod streams the cases received in the period, folds them and
// hands each to add.
func (a *app) foldPeriod(ctx context.Context, orgID string, from, to, asOf calendar.Date, q *qualityBase, add func(report.Case) error) error {
	return report.FoldHistories(runtime.GOMAXPROCS(0), asOf, func(emit func(report.History) error) error {
		return a.st.CaseHistories(ctx, orgID, from, to, func(rec store.CaseRecord, events []complaint.Event) error {
			return emit(report.History{Number: rec.Number, Events: events})
		})
	}, q.regulation, add)
}

// orgName is the current organisation's name, as reports print it.
func orgName(id *auth.Identity) string {
	if id.Org.Name != "" {
		return id.Org.Name
	}
	return id.OrgID()
}

// isoDate writes a date as 2026-01-31, the value of a date input.
func isoDate(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

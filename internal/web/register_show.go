package web

import (
	"bytes"
	"fmt"
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
)

var viewQualityRegister = view("quality_register")

// registerData is the register page.
type registerData struct {
	Register *report.Register
	// From and To are the period as the date inputs show it.
	From, To string
	// Filter values as given.
	Category, Outcome, Commissioning, Employee string
	Categories                                 []reglement.Category
	Outcomes                                   []reglement.Outcome
	// Query is the filter as a query string, for the export links.
	Query string
	// Error is a message about the filter.
	Error string
}

// register draws up the register of the period and filters in the query.
func (a *app) register(r *http.Request) (*report.Register, registerData, error) {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	q := r.URL.Query()
	data := registerData{Category: q.Get("categorie"), Outcome: q.Get("uitkomst"),
		Commissioning: q.Get("opdrachtgever"), Employee: q.Get("medewerker")}
	from, to, _, err := a.qualityPeriod(r)
	if err != nil {
		return nil, data, err
	}
	data.From, data.To = isoDate(from), isoDate(to)
	base, err := a.loadQualityBase(ctx, id.OrgID(), from, to)
	if err != nil {
		return nil, data, err
	}
	data.Categories, data.Outcomes = base.current.Categories, base.current.Outcomes
	today := a.svc.Today()
	filter := report.RegisterFilter{From: from, To: to, Category: data.Category, Outcome: data.Outcome,
		Commissioning: data.Commissioning, Employee: data.Employee}
	g := report.NewRegister(orgName(id), base.current, filter, today)
	linked := report.MeasuresByCase(base.measures)
	err = a.foldPeriod(ctx, id.OrgID(), from, to, today, base, func(c report.Case) error {
		g.Add(c, linked[c.Number])
		return nil
	})
	if err != nil {
		return nil, data, err
	}
	data.Register = g
	data.Query = r.URL.RawQuery
	return g, data, nil
}

// registerShow shows the complaint register (klachtenregister) of a period
// with its filters.
func (a *app) registerShow(w http.ResponseWriter, r *http.Request) error {
	_, data, err := a.register(r)
	if err != nil {
		if apperr.CodeOf(err) != apperr.Invalid {
			return err
		}
		data.Error = errorText(requestLang(r), err)
		return a.render(w, r, http.StatusBadRequest, viewQualityRegister, "quality", data)
	}
	return a.render(w, r, http.StatusOK, viewQualityRegister, "quality", data)
}

// registerCSV downloads the register as CSV.
func (a *app) registerCSV(w http.ResponseWriter, r *http.Request) error {
	g, _, err := a.register(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := g.WriteCSV(&buf); err != nil {
		return err
	}
	return download(w, registerFileName(g, "csv"), "text/csv; charset=utf-8", buf.Bytes())
}

// registerXLSX downloads the register as an Excel workbook.
func (a *app) registerXLSX(w http.ResponseWriter, r *http.Request) error {
	g, _, err := a.register(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := g.WriteXLSX(&buf); err != nil {
		return err
	}
	return download(w, registerFileName(g, "xlsx"), xlsxType, buf.Bytes())
}

// xlsxType is the media type of an Excel workbook.
const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// registerFileName is "klachtenregister 2026-01-01 tot 2026-12-31.csv".
func registerFileName(g *report.Register, ext string) string {
	return fmt.Sprintf("klachtenregister %s %s tot %s.%s", g.Organisation, g.Filter.From, g.Filter.To, ext)
}

// download writes a file to save: rendered in full before the first
// byte, so that an error still becomes an error page.
func download(w http.ResponseWriter, name, contentType string, body []byte) error {
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", document.SafeContentDisposition(name))
	w.Header().Set("Content-Length", fmt.Sprint(len(body)))
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
	return nil
}

package web

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/report"
)

var viewQualityReport = view("quality_report")

// reportData is the report page.
type reportData struct {
	Report *report.Report
	// Charts are the report's charts as inline SVG (report.SVGBarChart
	// escapes every text it writes).
	Charts []template.HTML
	// Yearly: a yearly report (jaar); otherwise a management report over
	// From and To.
	Yearly   bool
	Year     int
	From, To string
	// Query is the period as a query string, for the download links.
	Query string
	// Breakdowns are the report's tables of counts, in the PDF's order.
	Breakdowns []report.Breakdown
}

// buildReport draws up the yearly report (?jaar=2026, the current year
// by default) or the management report (?van=&tot=) from the event logs.
func (a *app) buildReport(r *http.Request) (*report.Report, reportData, error) {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	from, to, yearly, err := a.qualityPeriod(r)
	if err != nil {
		return nil, reportData{}, err
	}
	base, err := a.loadQualityBase(ctx, id.OrgID(), from, to)
	if err != nil {
		return nil, reportData{}, err
	}
	kind := report.Management
	if yearly {
		kind = report.Yearly
	}
	today := a.svc.Today()
	b, err := report.NewBuilder(report.Options{Kind: kind, Organisation: orgName(id), Reglement: base.current,
		From: from, To: to, AsOf: today})
	if err != nil {
		return nil, reportData{}, err
	}
	b.AddMeasures(base.measures...)
	if err := a.foldPeriod(ctx, id.OrgID(), from, to, today, base, func(c report.Case) error {
		b.Add(c)
		return nil
	}); err != nil {
		return nil, reportData{}, err
	}
	rep := b.Report()
	data := reportData{Report: rep, Yearly: yearly, Year: from.Year, From: isoDate(from), To: isoDate(to)}
	if yearly {
		data.Query = fmt.Sprintf("jaar=%d", from.Year)
	} else {
		data.Query = "van=" + isoDate(from) + "&tot=" + isoDate(to)
	}
	data.Breakdowns = []report.Breakdown{rep.ByChannel, rep.ByCategory, rep.ByCommissioning, rep.RemarksByCategory,
		rep.Admissibility, rep.InadmissibleByGround, rep.Outcomes, rep.Judgments, rep.Referrals}
	for _, c := range rep.Charts() {
		data.Charts = append(data.Charts, template.HTML(report.SVGBarChart(c))) //nolint:gosec // SVGBarChart escapes its text
	}
	return rep, data, nil
}

// reportShow shows the anonymised yearly or management report with its
// charts.
func (a *app) reportShow(w http.ResponseWriter, r *http.Request) error {
	_, data, err := a.buildReport(r)
	if err != nil {
		return err
	}
	return a.render(w, r, http.StatusOK, viewQualityReport, "quality", data)
}

// reportPDF downloads the report as PDF.
func (a *app) reportPDF(w http.ResponseWriter, r *http.Request) error {
	rep, data, err := a.buildReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WritePDF(&buf); err != nil {
		return err
	}
	return download(w, reportFileName(rep, data, "pdf"), "application/pdf", buf.Bytes())
}

// reportXLSX downloads the report as an Excel workbook.
func (a *app) reportXLSX(w http.ResponseWriter, r *http.Request) error {
	rep, data, err := a.buildReport(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rep.WriteXLSX(&buf); err != nil {
		return err
	}
	return download(w, reportFileName(rep, data, "xlsx"), xlsxType, buf.Bytes())
}

// reportFileName is "jaarverslag klachten SmartPLUS 2026.pdf" or
// "managementrapportage klachten SmartPLUS 2026-01-01 tot 2026-06-30.pdf".
func reportFileName(rep *report.Report, data reportData, ext string) string {
	if data.Yearly {
		return fmt.Sprintf("jaarverslag klachten %s %d.%s", rep.Organisation, data.Year, ext)
	}
	return fmt.Sprintf("managementrapportage klachten %s %s tot %s.%s", rep.Organisation, data.From, data.To, ext)
}

package report_test

import (
	"context"
	"io"
	"runtime"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
	"github.com/gegrond/gegrond/internal/store"
)

// The wiring a service or handler does for the yearly report and the
// register of one organisation: stream the year from the store, fold on
// every core, add up, render. regulation resolves a case's regulation
// revision (service.Service knows them); current is the version in force
// at the end of the year.
func Example() {
	var (
		ctx            context.Context
		st             *store.Store
		orgID          string
		current        *reglement.Reglement
		regulation     func(revision int) (*reglement.Reglement, error)
		pdf, xlsx, csv io.Writer
	)
	from, to, today := calendar.D(2026, 1, 1), calendar.D(2026, 12, 31), calendar.D(2027, 1, 15)

	measures, err := st.ListMeasures(ctx, orgID, store.MeasureFilter{Year: 2026})
	if err != nil {
		return
	}
	b, err := report.NewBuilder(report.Options{Kind: report.Yearly, Organisation: "SmartPLUS Resources B.V.",
		Reglement: current, From: from, To: to, AsOf: today})
	if err != nil {
		return
	}
	b.AddMeasures(measures...)
	register := report.NewRegister("SmartPLUS Resources B.V.", current, report.RegisterFilter{Category: "traagheid"}, today)
	linked := report.MeasuresByCase(measures)

	err = report.FoldHistories(runtime.GOMAXPROCS(0), today, func(emit func(report.History) error) error {
		return st.CaseHistories(ctx, orgID, from, to, func(rec store.CaseRecord, events []complaint.Event) error {
			return emit(report.History{Number: rec.Number, Events: events})
		})
	}, regulation, func(c report.Case) error {
		b.Add(c)
		register.Add(c, linked[c.Number])
		return nil
	})
	if err != nil {
		return
	}
	rep := b.Report() // the page: rep's tables, and report.SVGBarChart of each of rep.Charts()
	_ = rep.WritePDF(pdf)
	_ = rep.WriteXLSX(xlsx)
	_ = register.WriteCSV(csv)
}

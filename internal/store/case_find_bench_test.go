package store_test

import (
	"fmt"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// BenchmarkFindCasesByDeadline measures the screens' query on an
// organisation with 100,000 cases (and another organisation with 1,000
// that must not slow it down), on each engine.
func BenchmarkFindCasesByDeadline(b *testing.B) {
	const n = 100_000
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			bb := setup(b, e.NewDSN(b))
			for org, count := range map[string]int{bb.orgA: n, bb.orgB: 1000} {
				if err := bb.st.BulkInsertCases(bb.ctx, org, 2026, benchCases(count)); err != nil {
					b.Fatal(err)
				}
			}
			for _, bm := range []struct {
				name   string
				filter store.CaseFilter
			}{
				{"open by deadline", store.CaseFilter{OpenOnly: true, Limit: 50}},
				{"open by deadline page 100", store.CaseFilter{OpenOnly: true, Limit: 50, Offset: 99 * 50}},
				{"overdue", store.CaseFilter{OverdueOn: calendar.D(2026, 3, 2), Limit: 50}},
				{"due this week", store.CaseFilter{OpenOnly: true, DueBy: calendar.D(2026, 3, 8), Limit: 50}},
				{"handler's open cases", store.CaseFilter{HandlerID: "h3", OpenOnly: true, Limit: 50}},
				{"unassigned", store.CaseFilter{Unassigned: true, OpenOnly: true, Limit: 50}},
				{"text among open cases", store.CaseFilter{Text: "klager 4242", OpenOnly: true, Limit: 50}},
			} {
				b.Run(bm.name, func(b *testing.B) {
					for b.Loop() {
						cases, err := bb.st.FindCases(bb.ctx, bb.orgA, bm.filter)
						if err != nil {
							b.Fatal(err)
						}
						if len(cases) == 0 {
							b.Fatal("no cases found")
						}
					}
				})
			}
		})
	}
}

// benchCases returns n projections spread the way a busy organisation's
// are: a tenth closed, deadlines over a year, some without one, twenty
// handlers and a fifth unassigned.
func benchCases(n int) []store.Projection {
	ps := make([]store.Projection, n)
	start := calendar.D(2026, 1, 1)
	for i := range ps {
		p := store.Projection{
			State:           "handling",
			ReceivedOn:      start.AddDays(i % 365),
			NextDeadline:    start.AddDays((i * 7919) % 365),
			ComplainantName: fmt.Sprintf("Klager %d", i),
			SearchText:      fmt.Sprintf("Klager %d cliënt", i),
		}
		switch {
		case i%10 == 0:
			p.State, p.Closed, p.NextDeadline = "closed", true, calendar.Date{}
		case i%7 == 0:
			p.NextDeadline = calendar.Date{}
		}
		if i%5 != 0 {
			p.HandlerID = fmt.Sprintf("h%d", i%20)
		}
		ps[i] = p
	}
	return ps
}

package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// history is what CaseHistories handed over for one case.
type history struct {
	rec    store.CaseRecord
	events []complaint.Event
}

// histories collects CaseHistories of a period.
func (b *testBundle) histories(t *testing.T, orgID string, from, to calendar.Date) []history {
	t.Helper()
	var out []history
	err := b.st.CaseHistories(b.ctx, orgID, from, to, func(rec store.CaseRecord, evs []complaint.Event) error {
		out = append(out, history{rec, evs})
		return nil
	})
	if err != nil {
		t.Fatalf("CaseHistories: %v", err)
	}
	return out
}

// addEvents appends n note events to a case, keeping its projection.
func (b *testBundle) addEvents(t *testing.T, orgID, number string, n int) {
	t.Helper()
	rec, _, err := b.st.GetCase(b.ctx, orgID, number)
	if err != nil {
		t.Fatal(err)
	}
	_, err = b.st.UpdateCase(b.ctx, orgID, number, func(h []complaint.Event) ([]complaint.Event, store.Projection, error) {
		var evs []complaint.Event
		for i := range n {
			evs = append(evs, event("note_added", len(h)+i, fmt.Sprintf(`{"text":"note %d"}`, len(h)+i+1)))
		}
		return evs, rec.Projection, nil
	})
	if err != nil {
		t.Fatalf("UpdateCase: %v", err)
	}
}

func TestCaseHistoriesPeriodOrderAndTenancy(t *testing.T) {
	t.Parallel()
	D := calendar.D
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		// Created out of date order: the stream orders by receipt.
		for _, c := range []struct {
			on   calendar.Date
			name string
		}{
			{D(2026, 1, 31), "Last day of January"}, // 2026-0001
			{D(2025, 12, 31), "Before the period"},  // 2025-0001
			{D(2026, 1, 1), "First day"},            // 2026-0002
			{D(2026, 2, 1), "After the period"},     // 2026-0003
			{D(2026, 1, 15), "Middle"},              // 2026-0004
			{D(2026, 1, 1), "First day, second"},    // 2026-0005
		} {
			b.mustCreate(t, b.orgA, received(c.on, c.name))
		}
		b.mustCreate(t, b.orgB, received(D(2026, 1, 15), "Other organisation"))
		b.addEvents(t, b.orgA, "2026-0004", 3)
		b.addEvents(t, b.orgA, "2026-0001", 1)

		got := b.histories(t, b.orgA, D(2026, 1, 1), D(2026, 1, 31))
		var numbers []string
		for _, h := range got {
			numbers = append(numbers, h.rec.Number)
			if h.rec.OrgID != b.orgA {
				t.Errorf("case %s of %s in the stream of %s", h.rec.Number, h.rec.OrgID, b.orgA)
			}
		}
		want := []string{"2026-0002", "2026-0005", "2026-0004", "2026-0001"}
		if !slices.Equal(numbers, want) {
			t.Fatalf("numbers = %v, want %v (period bounds included, by receipt then number)", numbers, want)
		}

		// Each case comes whole: its record as GetCase gives it, and every
		// event in order.
		for _, h := range got {
			rec, evs, err := b.st.GetCase(b.ctx, b.orgA, h.rec.Number)
			if err != nil {
				t.Fatal(err)
			}
			if h.rec.ComplainantName != rec.ComplainantName || h.rec.SearchText != rec.SearchText ||
				h.rec.ReceivedOn != rec.ReceivedOn || !h.rec.UpdatedAt.Equal(rec.UpdatedAt) || h.rec.ID != rec.ID {
				t.Errorf("record of %s = %+v, want %+v", h.rec.Number, h.rec, rec)
			}
			var gs, ws map[string]any
			if json.Unmarshal(h.rec.Summary, &gs) != nil || json.Unmarshal(rec.Summary, &ws) != nil || fmt.Sprint(gs) != fmt.Sprint(ws) {
				t.Errorf("summary of %s = %s, want %s", h.rec.Number, h.rec.Summary, rec.Summary)
			}
			if len(h.events) != len(evs) {
				t.Fatalf("case %s: %d events, want %d", h.rec.Number, len(h.events), len(evs))
			}
			for i, e := range h.events {
				w := evs[i]
				if e.Seq != i+1 || e.Type != w.Type || !e.At.Equal(w.At) || e.Actor != w.Actor || string(e.Payload) != string(w.Payload) {
					t.Errorf("case %s event %d = %+v, want %+v", h.rec.Number, i+1, e, w)
				}
			}
		}
		if n := len(got[2].events); n != 4 {
			t.Errorf("2026-0004 has %d events, want 4", n)
		}

		// The other organisation sees only its own case.
		other := b.histories(t, b.orgB, D(2000, 1, 1), D(2099, 12, 31))
		if len(other) != 1 || other[0].rec.ComplainantName != "Other organisation" {
			t.Errorf("organisation B streams %+v", other)
		}
		// A day's period holds that day.
		if one := b.histories(t, b.orgA, D(2026, 2, 1), D(2026, 2, 1)); len(one) != 1 || one[0].rec.Number != "2026-0003" {
			t.Errorf("period of 1 February: %+v", one)
		}
		if none := b.histories(t, "no-such-org", D(2000, 1, 1), D(2099, 12, 31)); len(none) != 0 {
			t.Errorf("unknown organisation streams %d cases", len(none))
		}
	})
}

func TestCaseHistoriesRefusesAndStops(t *testing.T) {
	t.Parallel()
	D := calendar.D
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		for range 3 {
			b.mustCreate(t, b.orgA, received(D(2026, 1, 5), "Klager"))
		}
		noop := func(store.CaseRecord, []complaint.Event) error { return nil }
		wantCode(t, b.st.CaseHistories(b.ctx, b.orgA, D(2026, 2, 1), D(2026, 1, 1), noop), apperr.Invalid)
		wantCode(t, b.st.CaseHistories(b.ctx, b.orgA, calendar.Date{}, D(2026, 1, 1), noop), apperr.Invalid)

		stop := errors.New("stop")
		calls := 0
		err := b.st.CaseHistories(b.ctx, b.orgA, D(2026, 1, 1), D(2026, 12, 31), func(store.CaseRecord, []complaint.Event) error {
			calls++
			return stop
		})
		if !errors.Is(err, stop) || calls != 1 {
			t.Fatalf("err = %v after %d calls; want the callback's error after 1", err, calls)
		}
		// The store is usable after a stopped stream.
		if got := b.histories(t, b.orgA, D(2026, 1, 1), D(2026, 12, 31)); len(got) != 3 {
			t.Fatalf("%d cases after a stopped stream, want 3", len(got))
		}
	})
}

// The people of the generated histories.
var (
	benchReceiver = complaint.Caller{Actor: complaint.Actor{UserID: "u-r", Name: "Rita Receptie", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleReceiver}}
	benchHandler = complaint.Caller{Actor: complaint.Actor{UserID: "u-h", Name: "Hanna Handel", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleHandler}}
	benchBoard = complaint.Caller{Actor: complaint.Actor{UserID: "u-b", Name: "Bert Bestuur", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleBoard}}
)

// benchPatterns is the number of ways benchHistory runs a case.
const benchPatterns = 7

// benchHistory runs a SmartPLUS complaint received on the date through
// the real commands, one of benchPatterns ways: decided upheld or not
// upheld (on time or late), extended, not taken on, settled informally,
// settled on the spot, or still open.
func benchHistory(tb testing.TB, r *reglement.Reglement, on calendar.Date, pattern int) []complaint.Event {
	tb.Helper()
	at := func(d calendar.Date) time.Time { return time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.UTC) }
	incident := on.AddDays(-20)
	in := complaint.NewComplaint{Intake: complaint.Intake{
		Channel:     []reglement.Channel{reglement.ChannelEmail, reglement.ChannelPost, reglement.ChannelPhone}[pattern%3],
		ReceivedOn:  on,
		Complainant: complaint.Person{Name: "Klager", Email: "klager@example.nl"}, IncidentDate: &incident,
		Facts:              "De coach kwam afspraken niet na.",
		Category:           r.Categories[pattern%len(r.Categories)].ID,
		CommissioningParty: "UWV", CommissioningKind: []string{"uwv", "employer", "municipality"}[pattern%3],
	}}
	if pattern == 5 {
		in.SettledOnSpot = "Direct opgelost."
	}
	evs, err := complaint.Receive(r, in, benchReceiver, at(on))
	if err != nil {
		tb.Fatal(err)
	}
	do := func(d calendar.Date, who complaint.Caller, a complaint.Action, input string) {
		st, err := complaint.Fold(evs)
		if err != nil {
			tb.Fatal(err)
		}
		more, err := complaint.Decide(st, r, complaint.Command{Action: a, Input: json.RawMessage(input)}, who, at(d))
		if err != nil {
			tb.Fatalf("%s on %s: %v", a, d, err)
		}
		for i := range more {
			more[i].Seq = len(evs) + 1
			evs = append(evs, more[i])
		}
	}
	if pattern == 5 {
		return evs
	}
	do(on.AddDays(1+pattern%6), benchReceiver, complaint.ActAcknowledge, `{}`)
	do(on.AddDays(1+pattern%6), benchBoard, complaint.ActAssignHandler, `{"handler":{"name":"Hanna Handel","user_id":"u-h"}}`)
	if pattern == 6 {
		return evs
	}
	switch pattern {
	case 3:
		do(on.AddDays(9), benchHandler, complaint.ActDecideAdmissibility,
			`{"admissible":false,"ground":"insufficient_interest","motivation":"Kennelijk onvoldoende belang."}`)
		return evs
	case 4:
		do(on.AddDays(12), benchHandler, complaint.ActSettleInformally, `{"text":"Opgelost in een gesprek."}`)
		return evs
	}
	do(on.AddDays(7), benchHandler, complaint.ActDecideAdmissibility, `{"admissible":true}`)
	decided := on.AddDays([]int{15, 33, 50}[pattern%3])
	if pattern == 2 {
		do(on.AddDays(35), benchHandler, complaint.ActExtend,
			`{"new_due":"`+on.AddDays(60).String()+`","motivation":"Meer tijd nodig.","sent_to":["complainant"]}`)
	}
	do(decided, benchHandler, complaint.ActDecide, fmt.Sprintf(
		`{"points":[{"point":"Afspraken","judgment":%q,"motivation":"Zo bleek."}],"motivation":"Gewogen."}`,
		[]string{"upheld", "not_upheld"}[pattern%2]))
	do(decided, benchHandler, complaint.ActClose, `{}`)
	return evs
}

// benchYear returns n complaints received over 2026, the patterns of
// benchHistory in turn, a day's worth after another (histories are shared
// between cases with the same day and pattern: events carry no case
// number).
func benchYear(tb testing.TB, r *reglement.Reglement, n int) []store.NewCase {
	tb.Helper()
	pool := map[[2]int][]complaint.Event{}
	cases := make([]store.NewCase, n)
	start := calendar.D(2026, 1, 1)
	for i := range cases {
		key := [2]int{(i / benchPatterns) % 365, i % benchPatterns}
		evs, ok := pool[key]
		if !ok {
			evs = benchHistory(tb, r, start.AddDays(key[0]), key[1])
			pool[key] = evs
		}
		st, err := complaint.Fold(evs)
		if err != nil {
			tb.Fatal(err)
		}
		cases[i] = store.NewCase{Year: 2026, Events: evs, Projection: store.Projection{
			State: string(st.Phase), ReceivedOn: st.Intake.ReceivedOn, Closed: !st.IsOpen(),
			ComplainantName: "Klager", SearchText: "Klager", Summary: json.RawMessage(`{"revision":1}`),
		}}
	}
	return cases
}

// yearlyReport streams the organisation's 2026 into a yearly report, the
// way the service is meant to: CaseHistories reads while
// report.FoldHistories folds on every core.
func yearlyReport(tb testing.TB, b *testBundle, r *reglement.Reglement, threshold int) *report.Report {
	tb.Helper()
	builder, err := report.NewBuilder(report.Options{Kind: report.Yearly, Organisation: "SmartPLUS", Reglement: r,
		From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31), AsOf: calendar.D(2027, 1, 15), Threshold: threshold})
	if err != nil {
		tb.Fatal(err)
	}
	err = report.FoldHistories(runtime.GOMAXPROCS(0), calendar.D(2027, 1, 15), func(emit func(report.History) error) error {
		return b.st.CaseHistories(b.ctx, b.orgA, calendar.D(2026, 1, 1), calendar.D(2026, 12, 31),
			func(rec store.CaseRecord, evs []complaint.Event) error {
				return emit(report.History{Number: rec.Number, Events: evs})
			})
	}, func(int) (*reglement.Reglement, error) { return r, nil }, func(c report.Case) error {
		builder.Add(c)
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	return builder.Report()
}

// TestBulkHistoriesReport checks the benchmark's path on a small year:
// the bulk insert keeps the chain intact, and the report streamed from the
// store counts what was inserted, on both engines.
func TestBulkHistoriesReport(t *testing.T) {
	t.Parallel()
	r, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	const per = 50 // cases of each pattern
	year := benchYear(t, r, per*benchPatterns)
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		if err := b.st.BulkInsertHistories(b.ctx, b.orgA, year); err != nil {
			t.Fatal(err)
		}
		b.mustCreate(t, b.orgB, received(calendar.D(2026, 5, 1), "Andere organisatie"))
		b.mustVerify(t, b.orgA)
		rep := yearlyReport(t, b, r, 1)
		if rep.Complaints != len(year) || rep.ByChannel.Total.Value != len(year) {
			t.Fatalf("%d complaints reported, %d inserted", rep.Complaints, len(year))
		}
		// The patterns took turns.
		for _, want := range []struct {
			key string
			n   int
		}{{"inadmissible", per}, {"settled_informally", per}, {"settled_by_receiver", per}, {"open", per}, {"upheld", 2 * per}, {"not_upheld", per}} {
			if got := rowValue(rep.Outcomes, want.key); got != want.n {
				t.Errorf("outcome %s: %d, want %d", want.key, got, want.n)
			}
		}
		if rep.Extensions.Cases.Value != per {
			t.Errorf("%d extended, want %d", rep.Extensions.Cases.Value, per)
		}
	})
}

// TestCaseHistoriesPlan: SQLite reads a period in index order, with no
// sort of the whole period (PostgreSQL's plan depends on its statistics).
func TestCaseHistoriesPlan(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	plan, err := b.st.ExplainCaseHistories(b.ctx, b.orgA, "2026-01-01", "2026-12-31")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plan, "cases_received") || strings.Contains(plan, "TEMP B-TREE") {
		t.Errorf("plan:\n%s", plan)
	}
}

func rowValue(bd report.Breakdown, key string) int {
	for _, r := range bd.Rows {
		if r.Key == key {
			return r.Count.Value
		}
	}
	return -1
}

// BenchmarkYearlyReport measures the yearly report of an organisation
// with 100,000 complaints in a year (beside another organisation whose
// cases it must skip), on each engine: CaseHistories streams the year,
// every case is folded from its events and added up.
func BenchmarkYearlyReport(b *testing.B) {
	const n = 100_000
	r, err := reglement.Preset("smartplus")
	if err != nil {
		b.Fatal(err)
	}
	year := benchYear(b, r, n)
	other := benchYear(b, r, 5_000)
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			bb := setup(b, e.NewDSN(b))
			start := time.Now()
			if err := bb.st.BulkInsertHistories(bb.ctx, bb.orgA, year); err != nil {
				b.Fatal(err)
			}
			if err := bb.st.BulkInsertHistories(bb.ctx, bb.orgB, other); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: inserted %d cases in %s", e.Name, n+len(other), time.Since(start).Round(time.Millisecond))
			b.Run("yearly report", func(b *testing.B) {
				start := processCPU()
				for b.Loop() {
					if rep := yearlyReport(b, bb, r, 0); rep.Complaints != n {
						b.Fatalf("%d complaints, want %d", rep.Complaints, n)
					}
				}
				b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op")
			})
			b.Run("stream only", func(b *testing.B) {
				start := processCPU()
				defer func() { b.ReportMetric((processCPU()-start).Seconds()/float64(b.N), "cpu-s/op") }()
				for b.Loop() {
					count := 0
					err := bb.st.CaseHistories(bb.ctx, bb.orgA, calendar.D(2026, 1, 1), calendar.D(2026, 12, 31),
						func(store.CaseRecord, []complaint.Event) error { count++; return nil })
					if err != nil || count != n {
						b.Fatalf("%d cases, %v", count, err)
					}
				}
			})
		})
	}
}

// processCPU is the CPU time this process has used, user and system: on a
// busy machine a steadier measure than the wall clock (the PostgreSQL
// server's own time is not in it).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

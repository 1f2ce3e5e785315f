package report_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
)

// foldFixture returns n histories numbered 0001 onwards: every third one
// acknowledged and assigned, so that they take different times to fold.
func foldFixture(t *testing.T, n int) (*reglement.Reglement, []report.History) {
	t.Helper()
	r, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	var hs []report.History
	for i := range n {
		number := fmt.Sprintf("2026-%04d", i+1)
		b := receive(t, r, number, calendar.D(2026, 1, 5).AddDays(i%300), intake(reglement.ChannelEmail, "traagheid", "UWV", "uwv"))
		if i%3 == 0 {
			b.do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput)
		}
		hs = append(hs, report.History{Number: number, Events: b.events})
	}
	return r, hs
}

func TestFoldHistoriesKeepsOrder(t *testing.T) {
	t.Parallel()
	r, hs := foldFixture(t, 300)
	for _, workers := range []int{0, 1, 4} {
		var got []string
		err := report.FoldHistories(workers, calendar.D(2027, 1, 15), func(emit func(report.History) error) error {
			for _, h := range hs {
				if err := emit(h); err != nil {
					return err
				}
			}
			return nil
		}, func(int) (*reglement.Reglement, error) { return r, nil }, func(c report.Case) error {
			if c.Reglement != r || c.State.Number != c.Number {
				return fmt.Errorf("case %s folded without its regulation or number", c.Number)
			}
			got = append(got, c.Number)
			return nil
		})
		if err != nil {
			t.Fatalf("%d workers: %v", workers, err)
		}
		if len(got) != len(hs) {
			t.Fatalf("%d workers: %d cases, want %d", workers, len(got), len(hs))
		}
		for i, n := range got {
			if n != hs[i].Number {
				t.Fatalf("%d workers: case %d is %s, want %s", workers, i, n, hs[i].Number)
			}
		}
	}
}

func TestFoldHistoriesStops(t *testing.T) {
	t.Parallel()
	r, hs := foldFixture(t, 60)
	regulation := func(int) (*reglement.Reglement, error) { return r, nil }
	readAll := func(read *int) func(emit func(report.History) error) error {
		return func(emit func(report.History) error) error {
			for _, h := range hs {
				if err := emit(h); err != nil {
					return err
				}
				*read++
			}
			return nil
		}
	}
	stop := errors.New("stop")

	// An error of add stops the reader and is returned.
	read, added := 0, 0
	err := report.FoldHistories(3, calendar.Date{}, readAll(&read), regulation, func(c report.Case) error {
		if added++; added == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || added != 10 || read == len(hs) {
		t.Errorf("add's error: %v after %d added, %d read", err, added, read)
	}

	// An error of read is returned after the cases it emitted.
	added = 0
	err = report.FoldHistories(3, calendar.Date{}, func(emit func(report.History) error) error {
		for _, h := range hs[:5] {
			if err := emit(h); err != nil {
				return err
			}
		}
		return stop
	}, regulation, func(report.Case) error { added++; return nil })
	if !errors.Is(err, stop) || added != 5 {
		t.Errorf("read's error: %v after %d added", err, added)
	}

	// A damaged log names its case.
	damaged := append([]report.History{}, hs[:3]...)
	damaged[1] = report.History{Number: "2026-0002", Events: []complaint.Event{{Seq: 1, Type: "received", Payload: []byte(`{"kind":`)}}}
	err = report.FoldHistories(2, calendar.Date{}, func(emit func(report.History) error) error {
		for _, h := range damaged {
			if err := emit(h); err != nil {
				return err
			}
		}
		return nil
	}, regulation, func(report.Case) error { return nil })
	if err == nil || !strings.HasPrefix(err.Error(), "report: case 2026-0002:") {
		t.Errorf("damaged log: %v", err)
	}

	// An unknown regulation revision stops the fold.
	err = report.FoldHistories(2, calendar.Date{}, readAll(new(int)), func(int) (*reglement.Reglement, error) { return nil, stop },
		func(report.Case) error { return nil })
	if !errors.Is(err, stop) {
		t.Errorf("regulation's error: %v", err)
	}
}

// TestFoldHistoriesReport: a report and a register built through
// FoldHistories, whose workers compute the deadlines ahead, equal those
// built case by case.
func TestFoldHistoriesReport(t *testing.T) {
	t.Parallel()
	r, cases, hist := smartPLUSFixture(t)
	asOf := calendar.D(2027, 1, 15)
	o := report.Options{Kind: report.Yearly, Organisation: "SmartPLUS", Reglement: r,
		From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31), AsOf: asOf, Threshold: 1}
	direct, err := report.NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	directReg := report.NewRegister("SmartPLUS", r, report.RegisterFilter{}, asOf)
	for _, c := range cases {
		direct.Add(c)
		directReg.Add(c, nil)
	}
	folded, _ := report.NewBuilder(o)
	foldedReg := report.NewRegister("SmartPLUS", r, report.RegisterFilter{}, asOf)
	err = report.FoldHistories(2, asOf, func(emit func(report.History) error) error {
		for _, h := range hist {
			if err := emit(h); err != nil {
				return err
			}
		}
		return nil
	}, func(int) (*reglement.Reglement, error) { return r, nil }, func(c report.Case) error {
		folded.Add(c)
		foldedReg.Add(c, nil)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := dump(folded.Report()), dump(direct.Report()); got != want {
		t.Errorf("folded report differs:\n%s", lineDiff(got, want))
	}
	var a, b bytes.Buffer
	if err := foldedReg.WriteCSV(&a); err != nil {
		t.Fatal(err)
	}
	if err := directReg.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("folded register differs:\n%s", lineDiff(a.String(), b.String()))
	}
}

// BenchmarkFoldAndAdd measures the part of a yearly report after the
// store: folding a case's events, computing its deadlines and adding it,
// per case (the fixture's nine SmartPLUS cases, over and over), with the
// workers FoldHistories uses on this machine.
func BenchmarkFoldAndAdd(b *testing.B) {
	r, _, hist := smartPLUSFixture(b)
	asOf := calendar.D(2027, 1, 15)
	o := report.Options{Kind: report.Yearly, Reglement: r, From: calendar.D(2025, 1, 1), To: calendar.D(2026, 12, 31), AsOf: asOf}
	const perOp = 10_000
	for b.Loop() {
		builder, err := report.NewBuilder(o)
		if err != nil {
			b.Fatal(err)
		}
		err = report.FoldHistories(runtime.GOMAXPROCS(0), asOf, func(emit func(report.History) error) error {
			for i := range perOp {
				if err := emit(hist[i%len(hist)]); err != nil {
					return err
				}
			}
			return nil
		}, func(int) (*reglement.Reglement, error) { return r, nil }, func(c report.Case) error {
			builder.Add(c)
			return nil
		})
		if err != nil || builder.Report().Complaints != perOp {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*perOp), "µs/case")
}

package report_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/report"
)

// redacted returns the history as it is after erasure: every payload
// redacted and the case_erased event appended.
func redacted(t *testing.T, events []complaint.Event) []complaint.Event {
	t.Helper()
	out := make([]complaint.Event, 0, len(events)+1)
	for _, e := range events {
		p, err := complaint.Redact(e)
		if err != nil {
			t.Fatal(err)
		}
		e.Payload = p
		out = append(out, e)
	}
	erased, _ := json.Marshal(complaint.CaseErasedPayload{On: calendar.D(2027, 1, 14), Reason: complaint.ErasureRequest, Source: "AVG art. 17", Events: len(events)})
	return append(out, complaint.Event{Seq: len(events) + 1, Type: complaint.EvCaseErased,
		Actor: complaint.Actor{Name: "Fenna FG", Kind: "user"}, At: time.Date(2027, 1, 14, 9, 0, 0, 0, time.UTC), Payload: erased})
}

// Erasing case files leaves the yearly report's figures as they were: the
// redaction keeps what the report counts.
func TestYearlyReportUnchangedByErasure(t *testing.T) {
	t.Parallel()
	r, cases, hist := smartPLUSFixture(t)
	o := report.Options{Kind: report.Yearly, Organisation: "SmartPLUS", Reglement: r,
		From: calendar.D(2026, 1, 1), To: calendar.D(2026, 12, 31), AsOf: calendar.D(2027, 1, 15), Threshold: 1}
	before, err := report.NewBuilder(o)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := report.NewBuilder(o)
	for i, c := range cases {
		before.Add(c)
		evs := redacted(t, hist[i].Events)
		for _, e := range evs {
			for _, personal := range []string{"Fatima", "fatima@example.nl", "Jansen", "Dirk", "Bakkerij", "Achmea", "Gemeente Utrecht",
				"Hanna", "Uit het dossier", "Afspraken niet", "Excuses", "Opgelost in een gesprek", "Uitleg gegeven", "Jan Particulier"} {
				if strings.Contains(string(e.Payload), personal) {
					t.Errorf("case %s event %d (%s) keeps %q after redaction: %s", c.Number, e.Seq, e.Type, personal, e.Payload)
				}
			}
		}
		rc, err := report.NewCase(c.Number, evs, r)
		if err != nil {
			t.Fatalf("case %s does not fold after redaction: %v", c.Number, err)
		}
		if rc.State.ErasedOn == nil {
			t.Errorf("case %s: the erasure is not folded in", c.Number)
		}
		after.Add(rc)
	}
	before.AddMeasures(registerMeasures()...)
	after.AddMeasures(registerMeasures()...)
	got, want := dump(after.Report()), dump(before.Report())
	if got != want {
		t.Errorf("the yearly report changed by erasure:\n%s", lineDiff(got, want))
	}
	if !strings.Contains(want, "Klachten 8") {
		t.Fatalf("the fixture's report is not what this test expects:\n%s", want)
	}
}

package reglement

import (
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/gegrond/gegrond/internal/calendar"
)

func mustPreset(t testing.TB, id string) *Reglement {
	t.Helper()
	r, err := Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func due(t testing.TB, r *Reglement, received calendar.Date, step Step, kind Kind) calendar.Date {
	t.Helper()
	for _, d := range r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: received}) {
		if d.Step == step && d.Kind == kind {
			if d.Due == nil {
				t.Fatalf("%s %s %s has no date (anchor %s)", r.ID, step, kind, d.Anchor)
			}
			return *d.Due
		}
	}
	t.Fatalf("%s has no %s term of kind %s", r.ID, step, kind)
	return calendar.Date{}
}

func TestPresetTerms(t *testing.T) {
	t.Parallel()
	D := calendar.D
	tests := []struct {
		name     string
		preset   string
		received calendar.Date
		step     Step
		kind     Kind
		want     calendar.Date
	}{
		// NextBest
		{"NextBest Art. 5: ack within 2 working days", "nextbest", D(2026, 12, 22), StepAcknowledgement, Limit, D(2026, 12, 24)},
		{"NextBest Art. 5: ack over Christmas", "nextbest", D(2026, 12, 24), StepAcknowledgement, Limit, D(2026, 12, 29)},
		{"NextBest Art. 5: received on Saturday counts from Monday", "nextbest", D(2026, 12, 19), StepAcknowledgement, Limit, D(2026, 12, 22)},
		{"NextBest Art. 5: Good Friday is a working day, Easter Monday not", "nextbest", D(2026, 4, 2), StepAcknowledgement, Limit, D(2026, 4, 7)},
		{"NextBest Art. 5: over Whit Monday 2026", "nextbest", D(2026, 5, 22), StepAcknowledgement, Limit, D(2026, 5, 27)},
		{"NextBest Art. 6 lid 3: non-handling notice within 3 weeks", "nextbest", D(2026, 12, 4), StepAdmissibilityNotice, Limit, D(2026, 12, 28)},
		{"NextBest Art. 9 lid 1: decision aim 4 weeks", "nextbest", D(2026, 11, 23), StepDecision, Aim, D(2026, 12, 21)},
		{"NextBest Art. 9 lid 2: at most 4 weeks postponement", "nextbest", D(2026, 11, 23), StepDecisionExtended, Limit, D(2027, 1, 18)},
		// Standergroep
		{"Standergroep Procedure 3: ack within 5 working days over Christmas", "standergroep", D(2026, 12, 22), StepAcknowledgement, Limit, D(2026, 12, 30)},
		{"Standergroep Procedure 3: ack over Ascension 2026", "standergroep", D(2026, 5, 11), StepAcknowledgement, Limit, D(2026, 5, 19)},
		{"Standergroep Procedure 4: decision within 21 working days over New Year", "standergroep", D(2026, 12, 22), StepDecision, Limit, D(2027, 1, 22)},
		{"Standergroep Procedure 4: non-handling notice within 21 working days", "standergroep", D(2026, 12, 22), StepAdmissibilityNotice, Limit, D(2027, 1, 22)},
		// Work 2 Work
		{"Work 2 Work 5.1.3: notice within 3 working days over King's Day 2025", "work2work", D(2025, 4, 24), StepAcknowledgement, Limit, D(2025, 4, 29)},
		{"Work 2 Work 5.1.3: over Liberation Day 2025", "work2work", D(2025, 5, 1), StepAcknowledgement, Limit, D(2025, 5, 7)},
		{"Work 2 Work 5.1.3: 5 May 2026 is a working day", "work2work", D(2026, 4, 30), StepAcknowledgement, Limit, D(2026, 5, 5)},
		{"Work 2 Work 5.1.3: handling aim 2 weeks", "work2work", D(2026, 11, 23), StepDecision, Aim, D(2026, 12, 7)},
		{"Work 2 Work 5.1.3: handling limit 4 weeks, ending on Boxing Day moves on", "work2work", D(2026, 11, 28), StepDecision, Limit, D(2026, 12, 28)},
		// SmartPLUS
		{"SmartPLUS Punt 5: ack within five calendar days, Saturday moves to Monday", "smartplus", D(2026, 12, 21), StepAcknowledgement, Limit, D(2026, 12, 28)},
		{"SmartPLUS Punt 7: decision within 6 weeks", "smartplus", D(2026, 3, 20), StepDecision, Limit, D(2026, 5, 1)},
		{"SmartPLUS Toelichting Punt 7: own aim 4 weeks, ending on King's Day", "smartplus", D(2026, 3, 30), StepDecision, Aim, D(2026, 4, 28)},
		{"SmartPLUS Punt 7: non-handling notice within 4 weeks", "smartplus", D(2026, 3, 30), StepAdmissibilityNotice, Limit, D(2026, 4, 28)},
		// Best Match
		{"Best Match section 5: ack aim 5 working days", "bestmatch", D(2026, 12, 22), StepAcknowledgement, Aim, D(2026, 12, 30)},
		{"Best Match section 4: ack limit circa 7 working days", "bestmatch", D(2026, 12, 22), StepAcknowledgement, Limit, D(2027, 1, 4)},
		{"Best Match section 4: start within 12 working days", "bestmatch", D(2026, 12, 22), StepHandlingStart, Limit, D(2027, 1, 11)},
		{"Best Match section 5: three-way talk aim 4 weeks", "bestmatch", D(2026, 11, 23), StepHearing, Aim, D(2026, 12, 21)},
		{"Best Match section 4: three-way talk limit 8 weeks", "bestmatch", D(2026, 11, 23), StepHearing, Limit, D(2027, 1, 18)},
		{"Best Match section 4: decision 3 months, month end on a Sunday", "bestmatch", D(2026, 11, 30), StepDecision, Limit, D(2027, 3, 1)},
		{"Best Match section 4: decision 3 months onto 29 February", "bestmatch", D(2027, 11, 29), StepDecision, Limit, D(2028, 2, 29)},
		{"Best Match section 4: extension at most 3 more months", "bestmatch", D(2026, 11, 30), StepDecisionExtended, Limit, D(2027, 5, 31)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := mustPreset(t, tt.preset)
			if got := due(t, r, tt.received, tt.step, tt.kind); got != tt.want {
				t.Fatalf("received %s: %s %s due %s, want %s", tt.received, tt.step, tt.kind, got, tt.want)
			}
		})
	}
}

func TestLaterAnchorsHaveNoDate(t *testing.T) {
	t.Parallel()
	r := mustPreset(t, "bestmatch")
	received := calendar.D(2026, 11, 23)
	var sawAftercare, sawRetention bool
	for _, d := range r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: received}) {
		switch d.Step {
		case StepAftercare:
			sawAftercare = true
			if d.Due != nil || d.Anchor != AnchorDecision {
				t.Errorf("aftercare before a decision: due %v anchor %q", d.Due, d.Anchor)
			}
		case StepRetention:
			sawRetention = true
			if d.Due != nil || d.Anchor != AnchorClosing {
				t.Errorf("retention before closing: due %v anchor %q", d.Due, d.Anchor)
			}
		}
	}
	if !sawAftercare || !sawRetention {
		t.Fatalf("Best Match lists aftercare (%v) and retention (%v)", sawAftercare, sawRetention)
	}
	closed := calendar.D(2027, 3, 1)
	for _, d := range r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: received, AnchorClosing: closed}) {
		if d.Step == StepRetention {
			if d.Due == nil || *d.Due != calendar.D(2034, 3, 1) {
				t.Errorf("Best Match section 5: 7 years after closing on %s: got %v, want 2034-03-01", closed, d.Due)
			}
		}
	}
}

func TestExplanationNamesSkippedHolidaysAndSource(t *testing.T) {
	t.Parallel()
	r := mustPreset(t, "standergroep")
	for _, d := range r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: calendar.D(2026, 12, 22)}) {
		if d.Step != StepAcknowledgement {
			continue
		}
		for _, want := range []string{"5 werkdagen na ontvangst op 22-12-2026", "Eerste Kerstdag (25-12-2026)", "overgeslagen", d.Source} {
			if !strings.Contains(d.Explanation, want) {
				t.Errorf("explanation %q lacks %q", d.Explanation, want)
			}
		}
		return
	}
	t.Fatal("no acknowledgement deadline")
}

func TestTimeBar(t *testing.T) {
	t.Parallel()
	D := calendar.D
	tests := []struct {
		name               string
		preset             string
		incident, received calendar.Date
		barred, applies    bool
	}{
		{"Standergroep: received exactly 6 months after the incident is in time", "standergroep", D(2026, 1, 15), D(2026, 7, 15), false, true},
		{"Standergroep: a day later is out of time", "standergroep", D(2026, 1, 15), D(2026, 7, 16), true, true},
		{"NextBest Art. 6 lid 2b: one year from 29 February", "nextbest", D(2024, 2, 29), D(2025, 2, 28), false, true},
		{"NextBest Art. 6 lid 2b: more than a year", "nextbest", D(2024, 2, 29), D(2025, 3, 1), true, true},
		{"SmartPLUS Punt 8: more than a year", "smartplus", D(2025, 1, 10), D(2026, 1, 11), true, true},
		{"Best Match has no time limit on incidents", "bestmatch", D(2015, 1, 1), D(2026, 1, 1), false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			barred, g, applies := mustPreset(t, tt.preset).TimeBar(tt.incident, tt.received)
			if barred != tt.barred || applies != tt.applies {
				t.Fatalf("TimeBar = barred %v applies %v, want %v %v", barred, applies, tt.barred, tt.applies)
			}
			if barred && (g == nil || g.Source == "") {
				t.Fatalf("a time bar must name its ground and source, got %+v", g)
			}
		})
	}
}

func TestDeadlineProperties(t *testing.T) {
	t.Parallel()
	ps, err := Presets()
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		r := ps[rapid.IntRange(0, len(ps)-1).Draw(t, "preset")]
		received := calendar.D(2020, 1, 1).AddDays(rapid.IntRange(0, 365*20).Draw(t, "received"))
		later := received.AddDays(rapid.IntRange(1, 60).Draw(t, "later"))
		a := r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: received})
		b := r.Deadlines(map[Anchor]calendar.Date{AnchorReceived: later})
		if len(a) != len(b) {
			t.Fatalf("deadline count changed with the receipt date")
		}
		for i := range a {
			if a[i].Due == nil {
				continue
			}
			if !r.WorkCalendar().IsWorkingDay(*a[i].Due) {
				t.Fatalf("%s %s %s due %s is not a working day", r.ID, a[i].Step, a[i].Kind, a[i].Due)
			}
			if b[i].Due.Before(*a[i].Due) {
				t.Fatalf("%s %s: receipt moved later (%s -> %s) but due moved earlier (%s -> %s)", r.ID, a[i].Step, received, later, a[i].Due, b[i].Due)
			}
			if a[i].Due.Before(received) || *a[i].Due == received {
				t.Fatalf("%s %s due %s is not after receipt %s", r.ID, a[i].Step, a[i].Due, received)
			}
		}
	})
}

func BenchmarkDeadlines(b *testing.B) {
	r := mustPreset(b, "bestmatch")
	anchors := map[Anchor]calendar.Date{AnchorReceived: calendar.D(2026, 12, 22), AnchorDecision: calendar.D(2027, 2, 1), AnchorClosing: calendar.D(2027, 3, 1)}
	b.ReportAllocs()
	for b.Loop() {
		if len(r.Deadlines(anchors)) == 0 {
			b.Fatal("no deadlines")
		}
	}
}

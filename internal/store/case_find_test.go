package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// findFixture creates six cases in organisation A (and one in B that must
// never show) and returns their numbers' last digits by name.
func findFixture(t *testing.T, b *testBundle) {
	t.Helper()
	cases := []struct {
		name, state, handler string
		deadline             calendar.Date
		closed               bool
	}{
		{"Jan Jansen", "handling", "h1", calendar.D(2026, 3, 10), false},
		{"Cliënt Één Bakker", "received", "", calendar.D(2026, 3, 5), false},
		{"Piet 100% Zeker", "handling", "h2", calendar.Date{}, false},
		{"Gesloten Zaak", "closed", "h1", calendar.Date{}, true},
		{"Marie_Curie", "received", "", calendar.D(2026, 3, 5), false},
		{"Oud Dossier", "handling", "h1", calendar.D(2026, 2, 20), false},
	}
	for _, c := range cases {
		in := received(calendar.D(2026, 2, 2), c.name)
		in.Projection.State, in.Projection.HandlerID, in.Projection.NextDeadline, in.Projection.Closed =
			c.state, c.handler, c.deadline, c.closed
		b.mustCreate(t, b.orgA, in)
	}
	in := received(calendar.D(2026, 2, 2), "Jan Jansen van B")
	in.Projection.NextDeadline = calendar.D(2026, 1, 1)
	b.mustCreate(t, b.orgB, in)
}

func TestFindCases(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		filter store.CaseFilter
		want   []int // last digits of the numbers 2026-000N, in order
	}{
		{"all cases by deadline, those without one last, then by number", store.CaseFilter{}, []int{6, 2, 5, 1, 3, 4}},
		{"open only leaves closed cases out", store.CaseFilter{OpenOnly: true}, []int{6, 2, 5, 1, 3}},
		{"state", store.CaseFilter{State: "received"}, []int{2, 5}},
		{"handler", store.CaseFilter{HandlerID: "h1"}, []int{6, 1, 4}},
		{"unassigned", store.CaseFilter{Unassigned: true}, []int{2, 5}},
		{"due by a date includes that date", store.CaseFilter{DueBy: calendar.D(2026, 3, 5)}, []int{6, 2, 5}},
		{"overdue: a deadline before today", store.CaseFilter{OverdueOn: calendar.D(2026, 3, 2)}, []int{6}},
		{"overdue: a deadline today is not overdue yet", store.CaseFilter{OverdueOn: calendar.D(2026, 3, 5)}, []int{6}},
		{"overdue: the day after the deadline", store.CaseFilter{OverdueOn: calendar.D(2026, 3, 6)}, []int{6, 2, 5}},
		{"text ignores case", store.CaseFilter{Text: "JANSEN"}, []int{1}},
		{"text ignores diacritics: client finds Cliënt", store.CaseFilter{Text: "client een"}, []int{2}},
		{"text with diacritics finds them too", store.CaseFilter{Text: "  Cliënt  Één "}, []int{2}},
		{"a percent sign in the text is no wildcard", store.CaseFilter{Text: "100%"}, []int{3}},
		{"an underscore in the text is no wildcard", store.CaseFilter{Text: "marie_"}, []int{5}},
		{"text that matches nothing", store.CaseFilter{Text: "de vries"}, nil},
		{"limit and offset page through the order", store.CaseFilter{Limit: 2, Offset: 1}, []int{2, 5}},
		{"filters combine", store.CaseFilter{OpenOnly: true, HandlerID: "h1", DueBy: calendar.D(2026, 3, 31)}, []int{6, 1}},
	}
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		findFixture(t, b)
		for _, tt := range tests {
			cases, err := b.st.FindCases(b.ctx, b.orgA, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var got []int
			for _, c := range cases {
				if c.OrgID != b.orgA {
					t.Fatalf("%s: case of %s", tt.name, c.OrgID)
				}
				got = append(got, c.SeqInYear)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
			// CountCases counts what FindCases lists, paging aside.
			unpaged := tt.filter
			unpaged.Limit, unpaged.Offset = 0, 0
			all, err := b.st.FindCases(b.ctx, b.orgA, unpaged)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := b.st.CountCases(b.ctx, b.orgA, tt.filter); err != nil || n != len(all) {
				t.Errorf("%s: CountCases = %d, %v; want %d", tt.name, n, err, len(all))
			}
		}
		_, err := b.st.FindCases(b.ctx, b.orgA, store.CaseFilter{HandlerID: "h1", Unassigned: true})
		wantCode(t, err, apperr.Invalid)
		_, err = b.st.CountCases(b.ctx, b.orgA, store.CaseFilter{HandlerID: "h1", Unassigned: true})
		wantCode(t, err, apperr.Invalid)
	})
}

func TestFindCasesReturnsTheProjection(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		in := received(calendar.D(2026, 2, 27), "Cliënt Één")
		in.Projection.HandlerID, in.Projection.NextDeadlineStep = "h1", "acknowledge"
		want := b.mustCreate(t, b.orgA, in)
		cases, err := b.st.FindCases(b.ctx, b.orgA, store.CaseFilter{})
		if err != nil || len(cases) != 1 {
			t.Fatalf("FindCases = %v, %v", cases, err)
		}
		got := cases[0]
		if got.ID != want.ID || got.Number != "2026-0001" || got.ReceivedOn != calendar.D(2026, 2, 27) ||
			got.NextDeadline != calendar.D(2026, 3, 4) || got.NextDeadlineStep != "acknowledge" || got.HandlerID != "h1" ||
			got.Closed || got.ComplainantName != "Cliënt Één" || got.SearchText != "client een" ||
			!strings.Contains(string(got.Summary), `"channel"`) || !got.CreatedAt.Equal(want.CreatedAt) {
			t.Fatalf("FindCases returned %+v, created %+v", got, want)
		}
	})
}

func TestFindCasesReadsTheDeadlineIndexInOrder(t *testing.T) {
	t.Parallel()
	// Listing open and closed cases together sorts: the index keeps them
	// apart. That is the archive, not a daily screen.
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		findFixture(t, b)
		for _, tt := range []struct {
			filter store.CaseFilter
			index  string
		}{
			{store.CaseFilter{OpenOnly: true}, "cases_deadline"},
			{store.CaseFilter{OverdueOn: calendar.D(2026, 3, 2)}, "cases_deadline"},
			{store.CaseFilter{OpenOnly: true, DueBy: calendar.D(2026, 3, 31), Text: "jansen"}, "cases_deadline"},
			{store.CaseFilter{OpenOnly: true, HandlerID: "h1"}, "cases_handler"},
			// Either index serves unassigned cases in order; the planner picks.
			{store.CaseFilter{OpenOnly: true, Unassigned: true}, "cases_"},
		} {
			plan, err := b.st.ExplainFindCases(b.ctx, b.orgA, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(plan, tt.index) || strings.Contains(plan, "TEMP B-TREE") || strings.Contains(plan, "Sort") {
				t.Errorf("FindCases(%+v) does not read %s in order:\n%s", tt.filter, tt.index, plan)
			}
		}
	})
}

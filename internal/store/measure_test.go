package store_test

import (
	"slices"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// measureBundle is a store with two organisations, two cases in A and
// three in B, a quality officer and a board member in A, and a user of B only.
type measureBundle struct {
	*testBundle
	quality store.Who // member of A
	board   store.Who // member of A
	outside store.Who // member of B only
}

func measureSetup(t *testing.T, dsn string) *measureBundle {
	t.Helper()
	b := &measureBundle{testBundle: setup(t, dsn)}
	for _, u := range []struct {
		who  *store.Who
		org  string
		role string
		name string
	}{
		{&b.quality, b.orgA, "quality_officer", "Kees Kwaliteit"},
		{&b.board, b.orgA, "board", "Dina Directie"},
		{&b.outside, b.orgB, "handler", "Bert Buiten"},
	} {
		user, err := b.st.CreateUser(b.ctx, store.User{Email: u.name[:4] + "@example.nl", Name: u.name})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.st.AddMembership(b.ctx, u.org, user.ID, u.role); err != nil {
			t.Fatal(err)
		}
		*u.who = store.Who{UserID: user.ID, Name: user.Name}
	}
	b.mustCreate(t, b.orgA, received(calendar.D(2026, 1, 5), "Klager Een"))  // 2026-0001
	b.mustCreate(t, b.orgA, received(calendar.D(2026, 1, 6), "Klager Twee")) // 2026-0002
	for range 3 {                                                            // 2026-0001 to 2026-0003 of B
		b.mustCreate(t, b.orgB, received(calendar.D(2026, 1, 7), "Klager B"))
	}
	return b
}

// proposal is a valid new measure, proposed on 2 February 2026.
func (b *measureBundle) proposal() store.NewMeasure {
	return store.NewMeasure{
		Description: "Coaches bevestigen elke afspraak schriftelijk",
		Kind:        store.MeasurePreventive,
		Owner:       b.quality,
		DueOn:       calendar.D(2026, 3, 31),
		ProposedBy:  b.quality,
		ProposedOn:  calendar.D(2026, 2, 2),
		Cases:       []string{"2026-0002", " 2026-0001", "2026-0002"},
	}
}

func (b *measureBundle) mustCreateMeasure(t *testing.T, in store.NewMeasure) store.Measure {
	t.Helper()
	m, err := b.st.CreateMeasure(b.ctx, b.orgA, in)
	if err != nil {
		t.Fatalf("CreateMeasure: %v", err)
	}
	return m
}

func TestMeasureLifecycle(t *testing.T) {
	t.Parallel()
	D := calendar.D
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := measureSetup(t, dsn)
		m := b.mustCreateMeasure(t, b.proposal())
		if m.Number != 1 || m.State != store.MeasureProposed || !slices.Equal(m.Cases, []string{"2026-0001", "2026-0002"}) {
			t.Fatalf("created %+v; want number 1, proposed, two distinct cases", m)
		}
		second := b.mustCreateMeasure(t, store.NewMeasure{Description: "Klachtenfolder herzien", Kind: store.MeasureCorrective,
			Owner: store.Who{Name: "Team communicatie"}, ProposedBy: b.quality, ProposedOn: D(2026, 2, 3)})
		if second.Number != 2 || len(second.Cases) != 0 || !second.DueOn.IsZero() || second.Owner.UserID != "" {
			t.Fatalf("second measure %+v", second)
		}

		// Work 2 Work 5.2.5: the board decides on the proposal.
		m, err := b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, By: b.board, On: D(2026, 2, 9), Note: "Akkoord"})
		if err != nil {
			t.Fatal(err)
		}
		if m.State != store.MeasureDecided || m.DecidedBy != b.board || m.DecidedOn != D(2026, 2, 9) || m.DecisionNote != "Akkoord" {
			t.Fatalf("after the decision: %+v", m)
		}
		if m, err = b.st.CompleteMeasure(b.ctx, b.orgA, m.ID, D(2026, 3, 20), "Werkinstructie aangepast"); err != nil {
			t.Fatal(err)
		}
		// Work 2 Work 5.3.2: the yearly review.
		review := store.MeasureReview{Year: 2026, Effective: true, Motivation: "Geen klachten meer over vergeten afspraken",
			ReviewedBy: b.board, ReviewedOn: D(2027, 1, 20)}
		if _, err = b.st.ReviewMeasure(b.ctx, b.orgA, m.ID, review); err != nil {
			t.Fatal(err)
		}
		earlier := store.MeasureReview{Year: 2026, Effective: false, Motivation: "Nog niet overal", Adjustment: "Herhalen in teamoverleg",
			ReviewedBy: b.quality, ReviewedOn: D(2026, 12, 1)}
		_, err = b.st.ReviewMeasure(b.ctx, b.orgA, m.ID, earlier)
		wantCode(t, err, apperr.Conflict) // once per year

		got, err := b.st.GetMeasure(b.ctx, b.orgA, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != store.MeasureDone || got.DoneOn != D(2026, 3, 20) || got.DoneNote != "Werkinstructie aangepast" ||
			got.ProposedBy != b.quality || got.ProposedOn != D(2026, 2, 2) || got.Owner != b.quality ||
			got.DueOn != D(2026, 3, 31) || got.Kind != store.MeasurePreventive || got.CreatedAt.IsZero() {
			t.Fatalf("GetMeasure = %+v", got)
		}
		if !slices.Equal(got.Cases, []string{"2026-0001", "2026-0002"}) {
			t.Errorf("cases = %v", got.Cases)
		}
		if len(got.Reviews) != 1 || got.Reviews[0] != review {
			t.Errorf("reviews = %+v, want [%+v]", got.Reviews, review)
		}

		// A rejection needs a reason and ends the measure.
		_, err = b.st.DecideMeasure(b.ctx, b.orgA, second.ID, store.MeasureDecision{By: b.board, On: D(2026, 2, 9)})
		wantCode(t, err, apperr.Invalid)
		second, err = b.st.DecideMeasure(b.ctx, b.orgA, second.ID, store.MeasureDecision{By: b.board, On: D(2026, 2, 9), Note: "Folder wordt al vervangen"})
		if err != nil || second.State != store.MeasureRejected {
			t.Fatalf("rejection: %+v, %v", second, err)
		}
		_, err = b.st.CompleteMeasure(b.ctx, b.orgA, second.ID, D(2026, 3, 1), "")
		wantCode(t, err, apperr.Conflict)
		_, err = b.st.ReviewMeasure(b.ctx, b.orgA, second.ID, review)
		wantCode(t, err, apperr.Conflict)
	})
}

func TestMeasureRefusals(t *testing.T) {
	t.Parallel()
	D := calendar.D
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := measureSetup(t, dsn)
		for _, tt := range []struct {
			name   string
			mutate func(*store.NewMeasure)
			field  string
		}{
			{"no description", func(m *store.NewMeasure) { m.Description = "  " }, "description"},
			{"unknown kind", func(m *store.NewMeasure) { m.Kind = "curative" }, "kind"},
			{"no date of proposal", func(m *store.NewMeasure) { m.ProposedOn = calendar.Date{} }, "proposed_on"},
			{"due before the proposal", func(m *store.NewMeasure) { m.DueOn = D(2026, 1, 1) }, "due_on"},
			{"owner without a name", func(m *store.NewMeasure) { m.Owner = store.Who{UserID: b.quality.UserID} }, "owner.name"},
			{"owner of another organisation", func(m *store.NewMeasure) { m.Owner = b.outside }, "owner.user_id"},
			{"proposer of another organisation", func(m *store.NewMeasure) { m.ProposedBy = b.outside }, "proposed_by.user_id"},
			{"unknown case", func(m *store.NewMeasure) { m.Cases = []string{"2026-0009"} }, "cases"},
			// 2026-0003 exists in B only.
			{"a case number of the other organisation only", func(m *store.NewMeasure) { m.Cases = []string{"2026-0003"} }, "cases"},
		} {
			in := b.proposal()
			tt.mutate(&in)
			_, err := b.st.CreateMeasure(b.ctx, b.orgA, in)
			wantCode(t, err, apperr.Invalid)
			if e, _ := err.(*apperr.Error); e == nil || e.Field != tt.field {
				t.Errorf("%s: error %v, want field %s", tt.name, err, tt.field)
			}
		}
		if _, err := b.st.CreateMeasure(b.ctx, "no-such-org", b.proposal()); apperr.CodeOf(err) != apperr.NotFound {
			t.Errorf("measure of an unknown organisation: %v", err)
		}
		if ms, err := b.st.ListMeasures(b.ctx, b.orgA, store.MeasureFilter{}); err != nil || len(ms) != 0 {
			t.Fatalf("refused measures were stored: %v %v", ms, err)
		}

		m := b.mustCreateMeasure(t, b.proposal())
		_, err := b.st.CompleteMeasure(b.ctx, b.orgA, m.ID, D(2026, 3, 1), "")
		wantCode(t, err, apperr.Conflict) // the board decides first
		_, err = b.st.ReviewMeasure(b.ctx, b.orgA, m.ID, store.MeasureReview{Year: 2026, Effective: true, Motivation: "x", ReviewedBy: b.board, ReviewedOn: D(2026, 12, 1)})
		wantCode(t, err, apperr.Conflict)
		_, err = b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, By: b.board, On: D(2026, 1, 1)})
		wantCode(t, err, apperr.Invalid) // before the proposal
		_, err = b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, By: b.outside, On: D(2026, 2, 9)})
		wantCode(t, err, apperr.Invalid) // not a member
		_, err = b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, On: D(2026, 2, 9)})
		wantCode(t, err, apperr.Invalid) // nobody
		if _, err := b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, By: b.board, On: D(2026, 2, 9)}); err != nil {
			t.Fatal(err)
		}
		_, err = b.st.DecideMeasure(b.ctx, b.orgA, m.ID, store.MeasureDecision{Approved: true, By: b.board, On: D(2026, 2, 10)})
		wantCode(t, err, apperr.Conflict) // decided already
		_, err = b.st.CompleteMeasure(b.ctx, b.orgA, m.ID, D(2026, 2, 8), "")
		wantCode(t, err, apperr.Invalid) // before the decision
		for _, r := range []store.MeasureReview{
			{Year: 2026, Effective: false, Motivation: "Werkt niet", ReviewedBy: b.board, ReviewedOn: D(2026, 12, 1)}, // no adjustment
			{Year: 2026, Effective: true, ReviewedBy: b.board, ReviewedOn: D(2026, 12, 1)},                            // no motivation
			{Year: 2027, Effective: true, Motivation: "x", ReviewedBy: b.board, ReviewedOn: D(2026, 12, 1)},           // a year not over
			{Year: 2025, Effective: true, Motivation: "x", ReviewedBy: b.board, ReviewedOn: D(2026, 12, 1)},           // before the proposal
			{Year: 2026, Effective: true, Motivation: "x", ReviewedOn: D(2026, 12, 1)},                                // nobody
		} {
			_, err = b.st.ReviewMeasure(b.ctx, b.orgA, m.ID, r)
			wantCode(t, err, apperr.Invalid)
		}

		// Tenancy: organisation B cannot see or change A's measure.
		_, err = b.st.GetMeasure(b.ctx, b.orgB, m.ID)
		wantCode(t, err, apperr.NotFound)
		_, err = b.st.CompleteMeasure(b.ctx, b.orgB, m.ID, D(2026, 3, 1), "")
		wantCode(t, err, apperr.NotFound)
		_, err = b.st.ReviewMeasure(b.ctx, b.orgB, m.ID, store.MeasureReview{Year: 2026, Effective: true, Motivation: "x", ReviewedBy: b.outside, ReviewedOn: D(2026, 12, 1)})
		wantCode(t, err, apperr.NotFound)
		if ms, err := b.st.ListMeasures(b.ctx, b.orgB, store.MeasureFilter{}); err != nil || len(ms) != 0 {
			t.Errorf("organisation B lists %v, %v", ms, err)
		}
		_, err = b.st.ListMeasures(b.ctx, b.orgA, store.MeasureFilter{State: "open"})
		wantCode(t, err, apperr.Invalid)
	})
}

func TestListMeasures(t *testing.T) {
	t.Parallel()
	D := calendar.D
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := measureSetup(t, dsn)
		type step struct {
			decide, reject bool
			doneOn         calendar.Date
		}
		// Numbers 1..6, created in this order.
		for _, m := range []struct {
			owner    store.Who
			proposed calendar.Date
			due      calendar.Date
			cases    []string
			step     step
		}{
			{b.quality, D(2025, 11, 3), D(2026, 1, 31), []string{"2026-0001"}, step{decide: true}},            // 1 decided, overdue from 1 Feb
			{b.board, D(2026, 1, 12), D(2026, 3, 1), nil, step{}},                                             // 2 proposed, overdue from 2 Mar
			{b.quality, D(2025, 6, 2), D(2025, 9, 1), nil, step{decide: true, doneOn: D(2025, 12, 1)}},        // 3 done in 2025
			{b.quality, D(2026, 2, 2), D(2026, 2, 20), []string{"2026-0002"}, step{reject: true}},             // 4 rejected
			{store.Who{Name: "Extern bureau"}, D(2026, 2, 2), calendar.Date{}, []string{"2026-0001"}, step{}}, // 5 proposed, no due date
			{b.board, D(2025, 10, 1), D(2026, 2, 1), nil, step{decide: true, doneOn: D(2026, 1, 20)}},         // 6 done in 2026
		} {
			in := store.NewMeasure{Description: "Maatregel", Kind: store.MeasureCorrective, Owner: m.owner, DueOn: m.due,
				ProposedBy: b.quality, ProposedOn: m.proposed, Cases: m.cases}
			created := b.mustCreateMeasure(t, in)
			if m.step.decide || m.step.reject {
				d := store.MeasureDecision{Approved: m.step.decide, By: b.board, On: m.proposed.AddDays(7), Note: "besluit"}
				if _, err := b.st.DecideMeasure(b.ctx, b.orgA, created.ID, d); err != nil {
					t.Fatal(err)
				}
			}
			if !m.step.doneOn.IsZero() {
				if _, err := b.st.CompleteMeasure(b.ctx, b.orgA, created.ID, m.step.doneOn, ""); err != nil {
					t.Fatal(err)
				}
			}
		}
		for _, tt := range []struct {
			name   string
			filter store.MeasureFilter
			want   []int
		}{
			{"all, by due date, those without one last", store.MeasureFilter{}, []int{3, 1, 6, 4, 2, 5}},
			{"state", store.MeasureFilter{State: store.MeasureDone}, []int{3, 6}},
			{"owner", store.MeasureFilter{OwnerUserID: b.board.UserID}, []int{6, 2}},
			{"overdue: open measures due before the date", store.MeasureFilter{OverdueOn: D(2026, 3, 2)}, []int{1, 2}},
			{"overdue: due on the date is not overdue yet", store.MeasureFilter{OverdueOn: D(2026, 3, 1)}, []int{1}},
			{"overdue: due the day before", store.MeasureFilter{OverdueOn: D(2026, 2, 1)}, []int{1}},
			{"overdue for the owner's dashboard", store.MeasureFilter{OverdueOn: D(2026, 12, 31), OwnerUserID: b.quality.UserID}, []int{1}},
			{"year: alive in 2026", store.MeasureFilter{Year: 2026}, []int{1, 6, 4, 2, 5}},
			{"year: alive in 2025", store.MeasureFilter{Year: 2025}, []int{3, 1, 6}},
			{"linked to a case", store.MeasureFilter{CaseNumber: "2026-0001"}, []int{1, 5}},
		} {
			ms, err := b.st.ListMeasures(b.ctx, b.orgA, tt.filter)
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			var got []int
			for _, m := range ms {
				got = append(got, m.Number)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
			}
		}
		// Listed measures carry their links.
		ms, err := b.st.ListMeasures(b.ctx, b.orgA, store.MeasureFilter{CaseNumber: "2026-0001"})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(ms[0].Cases, []string{"2026-0001"}) || ms[1].Owner.Name != "Extern bureau" {
			t.Errorf("details: %+v", ms)
		}
		if !ms[0].OverdueOn(D(2026, 2, 1)) || ms[0].OverdueOn(D(2026, 1, 31)) || ms[1].OverdueOn(D(2030, 1, 1)) {
			t.Error("Measure.OverdueOn disagrees with the filter")
		}
	})
}

package complaint

import (
	"slices"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

var complainantFatima = ComplainantCaller()

func TestComplainantRequestsFollowTheRegulation(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		preset  string
		action  Action
		allowed bool
	}{
		{"SmartPLUS Punt 6: inspection on request", "smartplus", ActRequestInspection, true},
		{"SmartPLUS Punt 6: hearing on request", "smartplus", ActRequestHearing, true},
		{"Standergroep: no inspection step", "standergroep", ActRequestInspection, false},
		{"Work 2 Work: no hearing step", "work2work", ActRequestHearing, false},
		{"NextBest Art. 10: withdrawal", "nextbest", ActWithdraw, true},
		{"SmartPLUS: no withdrawal", "smartplus", ActWithdraw, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t, tc.preset, calendar.D(2026, 3, 9), nil)
			got := slices.Contains(Allowed(b.state(), b.r, complainantFatima, b.now), tc.action)
			if got != tc.allowed {
				t.Fatalf("complainant may %s: %v, want %v", tc.action, got, tc.allowed)
			}
			input := map[string]string{"text": "Graag."}
			if tc.action == ActWithdraw {
				input = map[string]string{"reason": "Opgelost."}
			}
			err := b.try(complainantFatima, tc.action, input)
			if tc.allowed != (err == nil) {
				t.Fatalf("%s: %v", tc.action, err)
			}
			// Staff never ask on the complainant's behalf through these.
			if slices.Contains(ComplainantOnly, tc.action) {
				if err := b.try(handlerAnna, tc.action, map[string]string{}); err == nil {
					t.Fatalf("a handler took %s", tc.action)
				}
			}
		})
	}
}

func TestComplainantTakesNoStaffAction(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 3, 9), nil)
	for _, a := range ActionOrder {
		if slices.Contains(ComplainantActions, a) {
			continue
		}
		if slices.Contains(Allowed(b.state(), b.r, complainantFatima, b.now), a) {
			t.Errorf("the complainant may %s", a)
		}
	}
	if err := b.try(complainantFatima, ActAddNote, map[string]string{"text": "x"}); apperr.CodeOf(err) != apperr.Forbidden {
		t.Fatalf("add_note by the complainant: %v", err)
	}
	// A staff member holding no role is not the complainant either.
	if (Caller{Actor: Actor{Name: "x", Kind: ActorComplainant}, Roles: []reglement.Role{"handler"}}).IsComplainant() {
		t.Fatal("a caller with a staff role counts as complainant")
	}
}

func TestComplainantInputMarksUntilStaffActs(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 3, 9), nil)
	if s := b.state(); s.ComplainantInputSince != nil {
		t.Fatal("the complaint itself marks the case")
	}
	b.do(complainantFatima, ActRequestInspection, map[string]string{"text": "Graag."})
	first := b.state().ComplainantInputSince
	if first == nil {
		t.Fatal("no mark after the complainant's request")
	}
	b.do(complainantFatima, ActRequestHearing, map[string]string{})
	if s := b.state(); s.ComplainantInputSince == nil || !s.ComplainantInputSince.Equal(*first) {
		t.Fatalf("the mark moved: %v, want %v", s.ComplainantInputSince, first)
	}
	b.do(handlerAnna, ActGrantInspection, map[string]any{})
	if s := b.state(); s.ComplainantInputSince != nil || s.InspectionRequestedOn != nil {
		t.Fatalf("after the handler acted: mark %v, request %v", s.ComplainantInputSince, s.InspectionRequestedOn)
	}
}

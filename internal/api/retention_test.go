package api

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestRetentionAndErasure(t *testing.T) {
	t.Parallel()
	b := setup(t, storetest.SQLite(t))
	ctx := context.Background()
	// Fleur is the data protection officer of SmartPLUS.
	u, err := b.store.CreateUser(ctx, store.User{Email: "dpo@smartplus.test", Name: "Fleur Gegevens"})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.store.AddMembership(ctx, "smartplus", u.ID, "data_protection_officer"); err != nil {
		t.Fatal(err)
	}
	tok, err := b.store.CreateToken(ctx, "smartplus", u.ID, "api tests")
	if err != nil {
		t.Fatal(err)
	}
	b.users["smartplus/dpo"], b.tokens["smartplus/dpo"] = u, tok
	number := b.createCase(t, "smartplus/receiver", smartplusComplaint()).Number

	if res := b.do(t, request{method: "GET", path: "/retention", who: "smartplus/handler"}); res.status != http.StatusForbidden {
		t.Errorf("handler lists retention: %d", res.status)
	}
	var ov struct {
		Retention struct {
			Source string `json:"source"`
		} `json:"retention"`
		Due          []any `json:"due"`
		Undetermined []any `json:"undetermined"`
	}
	b.ok(t, request{method: "GET", path: "/retention", who: "smartplus/dpo"}, http.StatusOK, &ov)
	if ov.Retention.Source == "" || ov.Due == nil || ov.Undetermined == nil {
		t.Errorf("overview %+v", ov)
	}

	path := "/cases/" + number + "/erase"
	for name, tc := range map[string]struct {
		who    string
		body   any
		status int
		want   string
	}{
		"handler":                {"smartplus/handler", map[string]any{"reason": "erasure_request", "note": "x"}, http.StatusForbidden, ""},
		"request without a note": {"smartplus/dpo", map[string]any{"reason": "erasure_request"}, http.StatusBadRequest, "note"},
		"no retention period":    {"smartplus/dpo", map[string]any{"reason": "retention_ended"}, http.StatusBadRequest, "retention_not_set"},
		"unknown field":          {"smartplus/dpo", map[string]any{"reason": "erasure_request", "note": "x", "all": true}, http.StatusBadRequest, "all"},
	} {
		res := b.do(t, request{method: "POST", path: path, who: tc.who, body: tc.body})
		if res.status != tc.status || !strings.Contains(string(res.body), tc.want) {
			t.Errorf("%s: %d %s, want %d", name, res.status, res.body, tc.status)
		}
	}
	if v := b.getCase(t, "smartplus/handler", number); v.Case.Erasure != nil {
		t.Fatal("a refused erasure erased the case")
	}

	var v struct {
		Case struct {
			Erasure *complaint.CaseErasedPayload `json:"erasure"`
			Intake  struct {
				Facts string `json:"facts"`
			} `json:"intake"`
		} `json:"case"`
	}
	b.ok(t, request{method: "POST", path: path, who: "smartplus/dpo",
		body: map[string]any{"reason": "erasure_request", "note": "Verzoek per brief van 1 maart, geen wettelijke plicht tot bewaren."}}, http.StatusOK, &v)
	if v.Case.Erasure == nil || strings.Contains(v.Case.Intake.Facts, "jobcoach") {
		t.Fatalf("after erasure: %+v", v.Case)
	}
	if res := b.do(t, request{method: "POST", path: "/cases/" + number + "/actions/add_note", who: "smartplus/handler",
		body: map[string]any{"text": "nog iets"}}); res.status != http.StatusConflict {
		t.Errorf("an erased case took a note: %d %s", res.status, res.body)
	}
}

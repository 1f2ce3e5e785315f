package web

import (
	"context"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
)

// TestComplainantIsToldOnlyTermsThatRun: the portal names the decision
// after an extension only once the decision was extended, and then
// instead of the first decision terms; an aim reads as an aim.
func TestComplainantIsToldOnlyTermsThatRun(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	n := b.cases["ontime"]
	b.act(t, "smartplus/board", n, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"user_id": b.users["smartplus/handler"].ID, "name": "Hans Handler"}})
	token, _, err := b.svc.IssuePortalLink(ctx, "smartplus", n, "klager@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	page := b.client(t).ok("/portaal/" + token).body
	if strings.Contains(page, "na verlenging") {
		t.Errorf("the portal promises an extension nobody decided:\n%s", page)
	}
	if !strings.Contains(page, "streven: ") || !strings.Contains(page, "uiterlijk ") {
		t.Errorf("the portal does not tell the aim from the limit:\n%s", page)
	}
	b.act(t, "smartplus/handler", n, complaint.ActExtend, map[string]any{"new_due": "2026-05-15", "motivation": "Wij horen eerst de coach.", "sent_to": []string{"complainant"}})
	page = b.client(t).ok("/portaal/" + token).body
	if !strings.Contains(page, "na verlenging") || strings.Contains(page, "<strong>Besluit</strong>") {
		t.Errorf("after the extension the portal shows:\n%s", page)
	}
}

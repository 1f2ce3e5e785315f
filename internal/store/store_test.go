package store_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// testBundle is what most tests start from: an open store with two
// organisations.
type testBundle struct {
	ctx  context.Context
	st   *store.Store
	orgA string
	orgB string
}

// now is the store's clock in the tests.
var now = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func setup(t testing.TB, dsn string) *testBundle {
	t.Helper()
	ctx := t.Context()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return now }
	b := &testBundle{ctx: ctx, st: st, orgA: "org-a", orgB: "org-b"}
	for _, id := range []string{b.orgA, b.orgB} {
		if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: id, Name: "Organisation " + id}); err != nil {
			t.Fatalf("CreateOrganisation %s: %v", id, err)
		}
	}
	return b
}

// event returns an event of type typ at the given minute of 2 March 2026.
func event(typ string, minute int, payload string) complaint.Event {
	return complaint.Event{
		Type:    complaint.EventType(typ),
		Actor:   complaint.Actor{UserID: "u1", Name: "Anna de Vries", Kind: "user"},
		At:      time.Date(2026, 3, 2, 10, minute, 0, 123456789, time.UTC),
		Payload: json.RawMessage(payload),
	}
}

// received returns a new case received on the date, as complaint would
// describe it after its first event.
func received(on calendar.Date, name string) store.NewCase {
	return store.NewCase{
		Year: on.Year,
		Projection: store.Projection{
			State:           "received",
			ReceivedOn:      on,
			NextDeadline:    on.AddDays(5),
			ComplainantName: name,
			SearchText:      name,
			Summary:         json.RawMessage(`{"channel":"web"}`),
		},
		Events: []complaint.Event{event("received", 0, fmt.Sprintf(`{"complainant":%q}`, name))},
	}
}

// mustCreate creates a case or fails the test.
func (b *testBundle) mustCreate(t *testing.T, orgID string, in store.NewCase) store.CaseRecord {
	t.Helper()
	rec, err := b.st.CreateCase(b.ctx, orgID, in)
	if err != nil {
		t.Fatalf("CreateCase: %v", err)
	}
	return rec
}

// wantCode fails the test unless err has the code.
func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if got := apperr.CodeOf(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// mustVerify fails the test unless the organisation's chain is intact.
func (b *testBundle) mustVerify(t *testing.T, orgID string) store.VerifyReport {
	t.Helper()
	rep, err := b.st.VerifyChain(b.ctx, orgID)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if !rep.Intact {
		t.Fatalf("chain of %s not intact: %s %s", orgID, rep.Kind, rep.Message)
	}
	return rep
}

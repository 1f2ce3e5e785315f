package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestPortalLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
		hash := store.HashPortalToken("token-one")
		if len(hash) != 64 || strings.Contains(hash, "token") {
			t.Fatalf("hash %q", hash)
		}
		_, err := b.st.CreatePortalLink(b.ctx, b.orgA, rec.Number, "not-a-hash", "jan@example.nl", now.Add(time.Hour))
		wantCode(t, err, "invalid")
		_, err = b.st.CreatePortalLink(b.ctx, b.orgB, rec.Number, hash, "jan@example.nl", now.Add(time.Hour))
		wantCode(t, err, "not_found")

		l, err := b.st.CreatePortalLink(b.ctx, b.orgA, rec.Number, hash, "jan@example.nl", now.Add(time.Hour))
		if err != nil || l.CaseNumber != rec.Number || !l.ExpiresAt.Equal(now.Add(time.Hour)) {
			t.Fatalf("create: %+v %v", l, err)
		}
		got, err := b.st.PortalLinkByToken(b.ctx, hash, now)
		if err != nil || got.OrgID != b.orgA || got.CaseID != rec.ID || got.Email != "jan@example.nl" || !got.LastUsedAt.Equal(now) {
			t.Fatalf("by token: %+v %v", got, err)
		}
		_, err = b.st.PortalLinkByToken(b.ctx, hash, now.Add(time.Hour))
		wantCode(t, err, "not_found")
		_, err = b.st.PortalLinkByToken(b.ctx, store.HashPortalToken("other"), now)
		wantCode(t, err, "not_found")

		// A second link revokes the first.
		second := store.HashPortalToken("token-two")
		if _, err := b.st.CreatePortalLink(b.ctx, b.orgA, rec.Number, second, "jan@example.nl", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		_, err = b.st.PortalLinkByToken(b.ctx, hash, now)
		wantCode(t, err, "not_found")

		// Complainant input marks the case for the screens.
		marked := func() int {
			n, err := b.st.CountCases(b.ctx, b.orgA, store.CaseFilter{OpenOnly: true, ComplainantInput: true})
			if err != nil {
				t.Fatal(err)
			}
			found, err := b.st.FindCases(b.ctx, b.orgA, store.CaseFilter{ComplainantInput: true})
			if err != nil || len(found) != n {
				t.Fatalf("find %d, count %d: %v", len(found), n, err)
			}
			return n
		}
		if marked() != 0 {
			t.Fatal("a new case is marked")
		}
		input := now.Add(-time.Minute)
		if _, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			p := rec.Projection
			p.ComplainantInputAt = input
			return []complaint.Event{event("statement_of_view_added", 5, `{}`)}, p, nil
		}); err != nil {
			t.Fatal(err)
		}
		if marked() != 1 {
			t.Fatal("complainant input is not marked")
		}
		if c, _, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number); !c.ComplainantInputAt.Equal(input) {
			t.Fatalf("input at %v, want %v", c.ComplainantInputAt, input)
		}

		// Archiving revokes the live link in the same transaction.
		if _, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			p := rec.Projection
			p.State, p.Closed = store.StateArchived, true
			return []complaint.Event{event("archived", 6, `{}`)}, p, nil
		}); err != nil {
			t.Fatal(err)
		}
		_, err = b.st.PortalLinkByToken(b.ctx, second, now)
		wantCode(t, err, "not_found")
		links, err := b.st.PortalLinks(b.ctx, b.orgA, rec.Number)
		if err != nil || len(links) != 2 || links[0].RevokedAt.IsZero() || links[1].RevokedAt.IsZero() {
			t.Fatalf("links: %+v %v", links, err)
		}
		_, err = b.st.CreatePortalLink(b.ctx, b.orgA, rec.Number, store.HashPortalToken("three"), "jan@example.nl", now.Add(time.Hour))
		wantCode(t, err, "conflict")
		b.mustVerify(t, b.orgA)
	})
}

package store_test

import (
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// chainFixture gives organisation A two cases whose events interleave:
//
//	org_seq 1: 2026-0001 event 1    org_seq 4: 2026-0001 event 3
//	org_seq 2: 2026-0002 event 1    org_seq 5: 2026-0002 event 2
//	org_seq 3: 2026-0001 event 2
//
// and organisation B one case, which no tampering with A may disturb.
func chainFixture(t *testing.T, b *testBundle) (c1, c2 store.CaseRecord) {
	t.Helper()
	c1 = b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
	c2 = b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Piet Pietersen"))
	b.mustCreate(t, b.orgB, received(calendar.D(2026, 3, 2), "Klaas Klaassen"))
	add := func(c store.CaseRecord, evs ...complaint.Event) {
		t.Helper()
		_, err := b.st.UpdateCase(b.ctx, b.orgA, c.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			return evs, c.Projection, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	add(c1, event("acknowledged", 10, `{"letter":"ack"}`), event("handler_assigned", 11, `{"handler":"h1"}`))
	add(c2, event("acknowledged", 12, `{"letter":"ack"}`))
	if rep := b.mustVerify(t, b.orgA); rep.Checked != 5 {
		t.Fatalf("fixture has %d events, want 5", rep.Checked)
	}
	return c1, c2
}

func TestVerifyChainFindsTampering(t *testing.T) {
	t.Parallel()
	const (
		caseOne = `(SELECT id FROM cases WHERE org_id = 'org-a' AND number = '2026-0001')`
		orgA    = `org_id = 'org-a'`
	)
	tests := []struct {
		name   string
		sql    []string
		kind   string
		orgSeq int64
		// number and seq name the event reported, when the test says.
		number string
		seq    int
	}{
		{"a changed payload", []string{
			`UPDATE events SET payload = '{"complainant":"Iemand Anders"}' WHERE ` + orgA + ` AND org_seq = 3`,
		}, store.Changed, 3, "2026-0001", 2},
		{"a changed event type", []string{
			`UPDATE events SET type = 'withdrawn' WHERE ` + orgA + ` AND org_seq = 3`,
		}, store.Changed, 3, "", 0},
		{"a changed actor", []string{
			`UPDATE events SET actor = '{"name":"Iemand Anders","kind":"user"}' WHERE ` + orgA + ` AND org_seq = 3`,
		}, store.Changed, 3, "", 0},
		{"a changed time", []string{
			`UPDATE events SET at = (SELECT at FROM events WHERE ` + orgA + ` AND org_seq = 1) WHERE ` + orgA + ` AND org_seq = 3`,
		}, store.Changed, 3, "", 0},
		{"an event moved to another case", []string{
			`UPDATE events SET case_id = (SELECT id FROM cases WHERE org_id = 'org-a' AND number = '2026-0002'), seq = 3
				WHERE ` + orgA + ` AND org_seq = 4`,
		}, store.Changed, 4, "", 0},
		{"an event removed", []string{
			`DELETE FROM events WHERE ` + orgA + ` AND org_seq = 3`,
		}, store.Removed, 3, "", 0},
		{"the last event removed", []string{
			`DELETE FROM events WHERE ` + orgA + ` AND org_seq = 5`,
		}, store.Removed, 5, "", 0},
		{"an event removed and the rest renumbered to close the gap", []string{
			`DELETE FROM events WHERE ` + orgA + ` AND org_seq = 3`,
			`UPDATE events SET org_seq = 3, seq = 2 WHERE ` + orgA + ` AND org_seq = 4`,
			`UPDATE events SET org_seq = 4 WHERE ` + orgA + ` AND org_seq = 5`,
			`UPDATE organisations SET last_event_seq = 4 WHERE id = 'org-a'`,
		}, store.Removed, 3, "", 0},
		{"two events of different cases swapped", []string{
			`UPDATE events SET org_seq = -1 WHERE ` + orgA + ` AND org_seq = 2`,
			`UPDATE events SET org_seq = 2 WHERE ` + orgA + ` AND org_seq = 3`,
			`UPDATE events SET org_seq = 3 WHERE ` + orgA + ` AND org_seq = -1`,
		}, store.Reordered, 2, "2026-0001", 2},
		{"two events of one case swapped", []string{
			`UPDATE events SET seq = -1 WHERE case_id = ` + caseOne + ` AND seq = 2`,
			`UPDATE events SET seq = 2 WHERE case_id = ` + caseOne + ` AND seq = 3`,
			`UPDATE events SET seq = 3 WHERE case_id = ` + caseOne + ` AND seq = -1`,
		}, store.Reordered, 3, "2026-0001", 3},
		{"a forged event appended", []string{
			`INSERT INTO events (org_id, case_id, seq, org_seq, type, payload, payload_salt, payload_digest, erased, actor, at, prev_hash, hash)
				SELECT org_id, case_id, seq + 1, org_seq + 1, 'withdrawn', payload, payload_salt, payload_digest, erased, actor, at, hash, hash
				FROM events WHERE ` + orgA + ` AND org_seq = 5`,
		}, store.Changed, 6, "", 0},
		{"the chain head moved back", []string{
			`UPDATE organisations SET last_event_seq = 4, last_hash = (SELECT hash FROM events WHERE ` + orgA + ` AND org_seq = 4)
				WHERE id = 'org-a'`,
		}, store.Changed, 5, "", 0},
		{"an erased payload faked on an event that was not erased", []string{
			`UPDATE events SET payload = '{"complainant":"Iemand Anders"}', erased = TRUE WHERE ` + orgA + ` AND org_seq = 2`,
		}, store.Changed, 2, "2026-0002", 1},
		{"a payload erased without the erasure recorded", []string{
			`UPDATE events SET payload = '{}', erased = TRUE WHERE ` + orgA + ` AND org_seq IN (1, 3)`,
		}, store.Changed, 3, "2026-0001", 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, dsn string) {
				b := setup(t, dsn)
				chainFixture(t, b)
				if err := b.st.DropAppendOnlyTriggers(b.ctx); err != nil {
					t.Fatal(err)
				}
				for _, q := range tt.sql {
					if err := b.st.ExecRaw(b.ctx, q); err != nil {
						t.Fatalf("tamper: %v\n%s", err, q)
					}
				}
				rep, err := b.st.VerifyChain(b.ctx, b.orgA)
				if err != nil {
					t.Fatal(err)
				}
				if tt.kind == "" {
					// What erasure allows cannot be told from erasure: the
					// original is gone by design. Documented, and pinned here.
					if !rep.Intact {
						t.Fatalf("report = %+v, want intact", rep)
					}
					return
				}
				if rep.Intact || rep.Kind != tt.kind || rep.OrgSeq != tt.orgSeq || rep.Message == "" {
					t.Fatalf("report = %+v, want %s at %d", rep, tt.kind, tt.orgSeq)
				}
				if tt.number != "" && (rep.CaseNumber != tt.number || rep.Seq != tt.seq) {
					t.Fatalf("report names case %s event %d, want %s event %d", rep.CaseNumber, rep.Seq, tt.number, tt.seq)
				}
				t.Log(rep.Message)
				b.mustVerify(t, b.orgB)
			})
		})
	}
}

func TestEventsAreAppendOnly(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		chainFixture(t, b)
		for _, q := range []string{
			`DELETE FROM events WHERE org_id = 'org-a' AND org_seq = 3`,
			`UPDATE events SET type = 'withdrawn' WHERE org_id = 'org-a' AND org_seq = 3`,
			`UPDATE events SET payload = '{}' WHERE org_id = 'org-a' AND org_seq = 3`,
		} {
			if err := b.st.ExecRaw(b.ctx, q); err == nil {
				t.Errorf("the database allowed: %s", q)
			}
		}
		b.mustVerify(t, b.orgA)
	})
}

func TestErasureVerifiesAndTheChainGoesOn(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		c1, c2 := chainFixture(t, b)
		if _, err := b.st.EraseCase(b.ctx, b.orgA, c1.Number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
			return erasure(history), nil
		}); err != nil {
			t.Fatal(err)
		}
		_, evs, err := b.st.GetCase(b.ctx, b.orgA, c1.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 4 || evs[3].Type != complaint.EvCaseErased {
			t.Fatalf("events after erasure: %+v", evs)
		}
		if rep := b.mustVerify(t, b.orgA); rep.Checked != 6 {
			t.Fatalf("verified %d events, want 6", rep.Checked)
		}

		// An erased case takes no more events.
		_, err = b.st.UpdateCase(b.ctx, b.orgA, c1.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("note_added", 20, `{}`)}, c1.Projection, nil
		})
		wantCode(t, err, apperr.Conflict)

		// The chain goes on after an erasure, and still guards the rest.
		_, err = b.st.UpdateCase(b.ctx, b.orgA, c2.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("decided", 20, `{"outcome":"founded"}`)}, c2.Projection, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		b.mustVerify(t, b.orgA)
		if err := b.st.DropAppendOnlyTriggers(b.ctx); err != nil {
			t.Fatal(err)
		}
		if err := b.st.ExecRaw(b.ctx, `UPDATE events SET payload = '{"outcome":"unfounded"}' WHERE org_id = 'org-a' AND org_seq = 7`); err != nil {
			t.Fatal(err)
		}
		if rep, err := b.st.VerifyChain(b.ctx, b.orgA); err != nil || rep.Kind != store.Changed || rep.OrgSeq != 7 {
			t.Fatalf("tampering after an erasure: report %+v, %v", rep, err)
		}
	})
}

func TestVerifyChainOfAnEmptyOrganisation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		if rep := b.mustVerify(t, b.orgA); rep.Checked != 0 {
			t.Fatalf("report = %+v", rep)
		}
		_, err := b.st.VerifyChain(b.ctx, "org-x")
		wantCode(t, err, apperr.NotFound)
	})
}

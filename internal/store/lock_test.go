package store_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// TestCaseChangesRaceWithJobsAndLinks runs case changes (which lock the
// case, then the organisation's chain head) against writes that only
// refer to the same case and organisation by foreign key: a job enqueued
// apart (the reminder scheduler) and a portal link. On PostgreSQL a
// foreign-key check takes a KEY SHARE lock on the rows it refers to; row
// locks that also block KEY SHARE (FOR UPDATE) made these deadlock (seen
// as a 500 on a case action while the job runner scheduled reminders).
func TestCaseChangesRaceWithJobsAndLinks(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Zoë"))
		const rounds = 60
		var wg sync.WaitGroup
		errs := make(chan error, 3*rounds)
		wg.Add(3)
		go func() {
			defer wg.Done()
			for i := range rounds {
				_, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, error) {
					return []complaint.Event{event("note_added", len(h), `{}`)}, rec.Projection, nil
				})
				if err != nil {
					errs <- fmt.Errorf("update %d: %w", i, err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range rounds {
				_, err := b.st.Enqueue(b.ctx, b.orgA, store.Job{Kind: "reminder", CaseID: rec.ID, Payload: json.RawMessage(`{}`), RunAt: t0})
				if err != nil {
					errs <- fmt.Errorf("enqueue %d: %w", i, err)
				}
			}
		}()
		go func() {
			defer wg.Done()
			for i := range rounds {
				hash := fmt.Sprintf("%064x", i+1)
				if _, err := b.st.CreatePortalLink(b.ctx, b.orgA, rec.Number, hash, "zoe@example.nl", t0.AddDate(0, 3, 0)); err != nil {
					errs <- fmt.Errorf("portal link %d: %w", i, err)
				}
			}
		}()
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		_, evs, err := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if err != nil || len(evs) != rounds+1 {
			t.Fatalf("%d events (%v), want %d", len(evs), err, rounds+1)
		}
		b.mustVerify(t, b.orgA)
	})
}

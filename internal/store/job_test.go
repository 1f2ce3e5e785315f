package store_test

import (
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestJobsEnqueuedWithTheChangeThatCausesThem(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		in := received(calendar.D(2026, 3, 2), "Zoë")
		in.Jobs = []store.Job{{Kind: "welcome", Payload: json.RawMessage(`{"n":1}`), UniqueKey: "welcome", RunAt: t0}}
		rec := b.mustCreate(t, b.orgA, in)
		jobs, err := b.st.CaseJobs(b.ctx, b.orgA, rec.ID)
		if err != nil || len(jobs) != 1 || jobs[0].CaseID != rec.ID || jobs[0].State != store.JobQueued || jobs[0].MaxAttempts != store.DefaultMaxAttempts {
			t.Fatalf("job of the new case: %+v %v", jobs, err)
		}

		// A change whose fn fails enqueues nothing; one that succeeds
		// enqueues its jobs with its events.
		boom := errors.New("refused")
		_, err = b.st.UpdateCaseWithJobs(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, []store.Job, error) {
			return nil, store.Projection{}, []store.Job{{Kind: "never"}}, boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("fn's error: %v", err)
		}
		_, err = b.st.UpdateCaseWithJobs(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, []store.Job, error) {
			return []complaint.Event{event("note_added", 1, `{}`)}, rec.Projection,
				[]store.Job{{Kind: "after", RunAt: t0}, {Kind: "welcome", UniqueKey: "welcome", RunAt: t0}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		// A job that the store refuses rolls back the events with it.
		_, err = b.st.UpdateCaseWithJobs(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, []store.Job, error) {
			return []complaint.Event{event("note_added", 2, `{}`)}, rec.Projection, []store.Job{{Kind: ""}}, nil
		})
		if err == nil {
			t.Fatal("a job without kind must be refused")
		}
		_, evs, _ := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		jobs, _ = b.st.CaseJobs(b.ctx, b.orgA, rec.ID)
		if len(evs) != 2 || len(jobs) != 2 {
			t.Fatalf("%d events, %d jobs; want 2 and 2 (the repeated unique key and the refused change add none)", len(evs), len(jobs))
		}
		// The plain UpdateCase still works as before.
		if _, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, error) {
			return []complaint.Event{event("note_added", 3, `{}`)}, rec.Projection, nil
		}); err != nil {
			t.Fatal(err)
		}
		b.mustVerify(t, b.orgA)
	})
}

func TestUniqueKeysPerOrganisation(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		j := store.Job{Kind: "reminder", UniqueKey: "deadline:x:ack:limit:2026-03-04:reminder", RunAt: t0}
		// The key once, and a job without key every time.
		for i, want := range []int{2, 1} {
			n, err := b.st.Enqueue(b.ctx, b.orgA, j, j, store.Job{Kind: "no key", RunAt: t0})
			if err != nil {
				t.Fatal(err)
			}
			if n != want {
				t.Fatalf("round %d: %d inserted, want %d", i, n, want)
			}
		}
		// The same key in another organisation is another job.
		if n, err := b.st.Enqueue(b.ctx, b.orgB, j); err != nil || n != 1 {
			t.Fatalf("org B: %d %v", n, err)
		}
		// Done, the key still holds.
		got, err := b.st.Claim(b.ctx, t0, 10, time.Minute, "reminder")
		if err != nil || len(got) != 2 {
			t.Fatalf("claim: %d %v", len(got), err)
		}
		for _, g := range got {
			if err := b.st.Complete(b.ctx, g, t0); err != nil {
				t.Fatal(err)
			}
		}
		if n, _ := b.st.Enqueue(b.ctx, b.orgA, j); n != 0 {
			t.Fatal("a done job's key must keep its deadline from a second reminder")
		}
	})
}

func TestClaimLeaseRetryFail(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		if _, err := b.st.Enqueue(b.ctx, b.orgA,
			store.Job{Kind: "send", RunAt: t0.Add(time.Minute), MaxAttempts: 3},
			store.Job{Kind: "send", RunAt: t0.Add(time.Hour)},
			store.Job{Kind: "other", RunAt: t0},
		); err != nil {
			t.Fatal(err)
		}
		if got, _ := b.st.Claim(b.ctx, t0, 10, time.Minute, "send"); len(got) != 0 {
			t.Fatalf("claimed %d jobs before their time", len(got))
		}
		got, err := b.st.Claim(b.ctx, t0.Add(2*time.Minute), 10, 5*time.Minute, "send")
		if err != nil || len(got) != 1 {
			t.Fatalf("claim: %d %v", len(got), err)
		}
		j := got[0]
		if j.State != store.JobRunning || j.Attempts != 1 || !j.LockedUntil.Equal(t0.Add(7*time.Minute)) {
			t.Fatalf("claimed: %+v", j)
		}
		// Held by its lease: not claimed again.
		if again, _ := b.st.Claim(b.ctx, t0.Add(3*time.Minute), 10, time.Minute, "send"); len(again) != 0 {
			t.Fatal("a leased job was claimed twice")
		}
		// Retry: queued again for later, the error kept.
		if err := b.st.Retry(b.ctx, j, t0.Add(10*time.Minute), "451 try later"); err != nil {
			t.Fatal(err)
		}
		if err := b.st.Complete(b.ctx, j, t0); !errors.Is(err, store.ErrLeaseLost) {
			t.Fatalf("completing a job that was put back: %v", err)
		}
		got, _ = b.st.Claim(b.ctx, t0.Add(10*time.Minute), 10, time.Minute, "send")
		if len(got) != 1 || got[0].Attempts != 2 || got[0].LastError != "451 try later" {
			t.Fatalf("second claim: %+v", got)
		}
		// The worker dies: the lease runs out and another worker claims it.
		stale := got[0]
		got, _ = b.st.Claim(b.ctx, t0.Add(12*time.Minute), 10, time.Minute, "send")
		if len(got) != 1 || got[0].ID != stale.ID || got[0].Attempts != 3 {
			t.Fatalf("rescue: %+v", got)
		}
		if err := b.st.Complete(b.ctx, stale, t0); !errors.Is(err, store.ErrLeaseLost) || apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("the dead worker's claim: %v", err)
		}
		if err := b.st.Fail(b.ctx, got[0], t0.Add(13*time.Minute), "550 no such mailbox"); err != nil {
			t.Fatal(err)
		}
		failed, err := b.st.FailedJobs(b.ctx, b.orgA)
		if err != nil || len(failed) != 1 || failed[0].LastError != "550 no such mailbox" || !failed[0].DoneAt.Equal(t0.Add(13*time.Minute)) {
			t.Fatalf("failed jobs: %+v %v", failed, err)
		}
		if other, _ := b.st.FailedJobs(b.ctx, b.orgB); len(other) != 0 {
			t.Fatal("tenancy: org B sees A's failed jobs")
		}
		// Postpone does not count the claim.
		got, _ = b.st.Claim(b.ctx, t0.Add(2*time.Hour), 10, time.Minute)
		if len(got) != 2 {
			t.Fatalf("all kinds: %d", len(got))
		}
		if err := b.st.Postpone(b.ctx, got[0], t0.Add(3*time.Hour), "no mail server"); err != nil {
			t.Fatal(err)
		}
		pj, _ := b.st.GetJob(b.ctx, b.orgA, got[0].ID)
		if pj.Attempts != 0 || pj.State != store.JobQueued || !pj.RunAt.Equal(t0.Add(3*time.Hour)) {
			t.Fatalf("postponed: %+v", pj)
		}
		stats, err := b.st.JobStats(b.ctx, b.orgA)
		if err != nil || stats["send"][store.JobFailed] != 1 {
			t.Fatalf("stats %v %v", stats, err)
		}
	})
}

// TestClaimSharesWork runs workers side by side: every job is claimed by
// exactly one of them.
func TestClaimSharesWork(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		// A second handle on the database: another process.
		other, err := store.Open(b.ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { other.Close() })
		const n = 60
		var jobs []store.Job
		for range n {
			jobs = append(jobs, store.Job{Kind: "work", RunAt: t0})
		}
		if _, err := b.st.Enqueue(b.ctx, b.orgA, jobs...); err != nil {
			t.Fatal(err)
		}
		var (
			mu   sync.Mutex
			seen = map[string]int{}
			wg   sync.WaitGroup
		)
		for w := range 6 {
			st := b.st
			if w%2 == 1 {
				st = other
			}
			wg.Go(func() {
				for {
					got, err := st.Claim(b.ctx, t0, 3, time.Minute)
					if err != nil {
						t.Error(err)
						return
					}
					if len(got) == 0 {
						return
					}
					for _, j := range got {
						mu.Lock()
						seen[j.ID]++
						mu.Unlock()
						if err := st.Complete(b.ctx, j, t0); err != nil {
							t.Error(err)
						}
					}
				}
			})
		}
		wg.Wait()
		if len(seen) != n {
			t.Fatalf("%d of %d jobs claimed", len(seen), n)
		}
		for id, c := range seen {
			if c != 1 {
				t.Fatalf("job %s claimed %d times", id, c)
			}
		}
	})
}

func TestPruneJobsKeepsOpenCasesKeys(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		open := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Open"))
		closedIn := received(calendar.D(2026, 3, 2), "Closed")
		closedIn.Projection.Closed = true
		closed := b.mustCreate(t, b.orgA, closedIn)
		if _, err := b.st.Enqueue(b.ctx, b.orgA,
			store.Job{Kind: "r", CaseID: open.ID, UniqueKey: "a", RunAt: t0},
			store.Job{Kind: "r", CaseID: closed.ID, UniqueKey: "b", RunAt: t0},
			store.Job{Kind: "scan", UniqueKey: "c", RunAt: t0},
			store.Job{Kind: "later", RunAt: t0.Add(time.Hour)},
		); err != nil {
			t.Fatal(err)
		}
		got, _ := b.st.Claim(b.ctx, t0, 10, time.Minute)
		for _, j := range got {
			if err := b.st.Complete(b.ctx, j, t0); err != nil {
				t.Fatal(err)
			}
		}
		n, err := b.st.PruneJobs(b.ctx, t0.Add(time.Minute))
		if err != nil || n != 2 {
			t.Fatalf("pruned %d (%v), want the closed case's and the case-less one", n, err)
		}
		if left, _ := b.st.CaseJobs(b.ctx, b.orgA, open.ID); len(left) != 1 {
			t.Fatal("the open case's done job must stay")
		}
	})
}

package store_test

import (
	"sync"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestMigrationsIdempotentOnReopen(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
		b.st.Close()
		for range 2 {
			st, err := store.Open(b.ctx, dsn)
			if err != nil {
				t.Fatalf("reopen: %v", err)
			}
			got, evs, err := st.GetCase(b.ctx, b.orgA, rec.Number)
			if err != nil || got.ID != rec.ID || len(evs) != 1 {
				t.Fatalf("after reopening: %+v, %d events, %v", got, len(evs), err)
			}
			st.Close()
		}
	})
}

func TestMigrationsWhenProcessesStartAtOnce(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		const n = 6
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for range n {
			wg.Go(func() {
				st, err := store.Open(t.Context(), dsn)
				if err != nil {
					errs <- err
					return
				}
				st.Close()
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Errorf("Open beside others: %v", err)
		}
		b := setup(t, dsn)
		b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
	})
}

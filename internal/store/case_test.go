package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

func TestCreateCaseNumbers(t *testing.T) {
	t.Parallel()
	type step struct {
		org  string // "a" or "b"
		year int
		want string
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"numbers count up per organisation and year from 0001", []step{
			{"a", 2026, "2026-0001"}, {"a", 2026, "2026-0002"}, {"a", 2026, "2026-0003"},
		}},
		{"a new year starts again at 0001 and the old year goes on", []step{
			{"a", 2026, "2026-0001"}, {"a", 2026, "2026-0002"}, {"a", 2027, "2027-0001"}, {"a", 2026, "2026-0003"},
		}},
		{"organisations number independently", []step{
			{"a", 2026, "2026-0001"}, {"b", 2026, "2026-0001"}, {"a", 2026, "2026-0002"}, {"b", 2026, "2026-0002"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, dsn string) {
				b := setup(t, dsn)
				for i, s := range tt.steps {
					org := b.orgA
					if s.org == "b" {
						org = b.orgB
					}
					rec := b.mustCreate(t, org, received(calendar.D(s.year, 3, 2), "Jan Jansen"))
					if rec.Number != s.want || rec.OrgID != org || rec.Year != s.year {
						t.Fatalf("step %d: case %s of %s in %d, want %s", i+1, rec.Number, rec.OrgID, rec.Year, s.want)
					}
				}
			})
		})
	}
}

func TestCreateCaseConcurrentNumbersUnique(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		const workers, each = 8, 5
		var (
			wg      sync.WaitGroup
			mu      sync.Mutex
			numbers []string
		)
		for w := range workers {
			wg.Go(func() {
				for i := range each {
					rec, err := b.st.CreateCase(b.ctx, b.orgA, received(calendar.D(2026, 3, 2), fmt.Sprintf("Klager %d-%d", w, i)))
					if err != nil {
						t.Errorf("CreateCase: %v", err)
						return
					}
					mu.Lock()
					numbers = append(numbers, rec.Number)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		slices.Sort(numbers)
		var want []string
		for i := range workers * each {
			want = append(want, fmt.Sprintf("2026-%04d", i+1))
		}
		if !slices.Equal(numbers, want) {
			t.Fatalf("numbers = %v, want %v", numbers, want)
		}
		rep := b.mustVerify(t, b.orgA)
		if rep.Checked != workers*each {
			t.Fatalf("chain has %d events, want %d", rep.Checked, workers*each)
		}
	})
}

func TestCreateCaseIdempotencyKey(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		in := received(calendar.D(2026, 3, 2), "Jan Jansen")
		in.IdempotencyKey = "form-7f3a"
		first := b.mustCreate(t, b.orgA, in)
		if first.Replayed {
			t.Fatal("first CreateCase reports a replay")
		}
		again := b.mustCreate(t, b.orgA, in)
		if !again.Replayed || again.ID != first.ID || again.Number != first.Number {
			t.Fatalf("repeat = %+v, want case %s replayed", again, first.Number)
		}
		_, evs, err := b.st.GetCase(b.ctx, b.orgA, first.Number)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != 1 {
			t.Fatalf("case has %d events after a replay, want 1", len(evs))
		}
		if next := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Piet Pietersen")); next.Number != "2026-0002" {
			t.Fatalf("next case after a replay is %s, want 2026-0002", next.Number)
		}
		// Keys belong to an organisation: the same key elsewhere is another case.
		other := b.mustCreate(t, b.orgB, in)
		if other.Replayed || other.ID == first.ID {
			t.Fatalf("key of organisation A replayed in B: %+v", other)
		}
		b.mustVerify(t, b.orgA)
	})
}

func TestCreateCaseRejects(t *testing.T) {
	t.Parallel()
	// Events and projections are made by the calling code: their faults
	// are bugs there (Internal); a year out of range may come from a date
	// a person typed (Invalid).
	ok := received(calendar.D(2026, 3, 2), "Jan Jansen")
	tests := []struct {
		name   string
		org    string
		change func(*store.NewCase)
		want   apperr.Code
	}{
		{"a case without events", "org-a", func(c *store.NewCase) { c.Events = nil }, apperr.Internal},
		{"an event without a type", "org-a", func(c *store.NewCase) { c.Events[0].Type = "" }, apperr.Internal},
		{"an event without a time", "org-a", func(c *store.NewCase) { c.Events[0].At = time.Time{} }, apperr.Internal},
		{"an event numbered out of order", "org-a", func(c *store.NewCase) { c.Events[0].Seq = 2 }, apperr.Internal},
		{"a payload that is not JSON", "org-a", func(c *store.NewCase) { c.Events[0].Payload = json.RawMessage(`{`) }, apperr.Internal},
		{"a case without a state", "org-a", func(c *store.NewCase) { c.Projection.State = "" }, apperr.Internal},
		{"a case without a date of receipt", "org-a", func(c *store.NewCase) { c.Projection.ReceivedOn = calendar.Date{} }, apperr.Internal},
		{"a year out of range", "org-a", func(c *store.NewCase) { c.Year = 0 }, apperr.Invalid},
		{"an organisation that does not exist", "org-x", func(*store.NewCase) {}, apperr.NotFound},
	}
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		for _, tt := range tests {
			in := ok
			in.Events = slices.Clone(ok.Events)
			tt.change(&in)
			_, err := b.st.CreateCase(b.ctx, tt.org, in)
			if apperr.CodeOf(err) != tt.want {
				t.Errorf("%s: error %v, want code %s", tt.name, err, tt.want)
			}
		}
		if cases, err := b.st.FindCases(b.ctx, b.orgA, store.CaseFilter{}); err != nil || len(cases) != 0 {
			t.Fatalf("rejected cases were stored: %v %v", cases, err)
		}
	})
}

func TestUpdateCase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
		var seen []complaint.Event
		upd, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
			seen = history
			p := rec.Projection
			p.State, p.HandlerID, p.NextDeadline, p.NextDeadlineStep = "handling", "u-handler", calendar.D(2026, 4, 13), "decision"
			return []complaint.Event{event("acknowledged", 5, `{}`), event("handler_assigned", 6, `{"handler":"u-handler"}`)}, p, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(seen) != 1 || seen[0].Seq != 1 || seen[0].Type != "received" {
			t.Fatalf("fn saw history %+v, want the received event", seen)
		}
		if upd.State != "handling" || upd.HandlerID != "u-handler" || upd.NextDeadline != calendar.D(2026, 4, 13) {
			t.Fatalf("projection after update = %+v", upd.Projection)
		}
		got, evs, err := b.st.GetCase(b.ctx, b.orgA, rec.Number)
		if err != nil {
			t.Fatal(err)
		}
		if got.State != "handling" || got.HandlerID != "u-handler" || got.NextDeadlineStep != "decision" ||
			!got.UpdatedAt.Equal(evs[2].At) || !got.CreatedAt.Equal(evs[0].At) {
			t.Fatalf("stored case = %+v", got)
		}
		var types []string
		for i, e := range evs {
			if e.Seq != i+1 {
				t.Fatalf("event %d has seq %d", i, e.Seq)
			}
			types = append(types, string(e.Type))
		}
		if !slices.Equal(types, []string{"received", "acknowledged", "handler_assigned"}) {
			t.Fatalf("events = %v", types)
		}
		if string(evs[2].Payload) != `{"handler":"u-handler"}` || evs[2].Actor.Name != "Anna de Vries" {
			t.Fatalf("event 3 = %+v", evs[2])
		}
		// Times keep microseconds: what PostgreSQL stores.
		if evs[0].At.Nanosecond() != 123456000 {
			t.Fatalf("event time %v, want microseconds kept", evs[0].At)
		}
		b.mustVerify(t, b.orgA)
	})
}

func TestUpdateCaseRollsBackOnError(t *testing.T) {
	t.Parallel()
	refused := errors.New("the accused employee may not handle the complaint")
	tests := []struct {
		name string
		fn   func(p store.Projection) ([]complaint.Event, store.Projection, error)
		want func(t *testing.T, err error)
	}{
		{"an error of fn is returned unchanged and nothing is written",
			func(p store.Projection) ([]complaint.Event, store.Projection, error) {
				p.State = "handling"
				return []complaint.Event{event("acknowledged", 5, `{}`)}, p, refused
			},
			func(t *testing.T, err error) {
				if err != refused {
					t.Fatalf("error = %v, want fn's error itself", err)
				}
			}},
		{"an apperr of fn keeps its code",
			func(p store.Projection) ([]complaint.Event, store.Projection, error) {
				return nil, p, apperr.New(apperr.Forbidden, "not your case")
			},
			func(t *testing.T, err error) { wantCode(t, err, apperr.Forbidden) }},
		{"a misnumbered event from fn is a bug of the caller and writes nothing",
			func(p store.Projection) ([]complaint.Event, store.Projection, error) {
				p.State = "handling"
				e := event("acknowledged", 5, `{}`)
				e.Seq = 7
				return []complaint.Event{event("noted", 4, `{}`), e}, p, nil
			},
			func(t *testing.T, err error) { wantCode(t, err, apperr.Internal) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			storetest.Each(t, func(t *testing.T, dsn string) {
				b := setup(t, dsn)
				rec := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Jan Jansen"))
				_, err := b.st.UpdateCase(b.ctx, b.orgA, rec.Number, func([]complaint.Event) ([]complaint.Event, store.Projection, error) {
					return tt.fn(rec.Projection)
				})
				tt.want(t, err)
				got, evs, err := b.st.GetCase(b.ctx, b.orgA, rec.Number)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs) != 1 || got.State != "received" || !got.UpdatedAt.Equal(rec.UpdatedAt) {
					t.Fatalf("after a failed update: state %s, %d events", got.State, len(evs))
				}
				if rep := b.mustVerify(t, b.orgA); rep.Checked != 1 {
					t.Fatalf("chain has %d events, want 1", rep.Checked)
				}
				// The chain head did not move: the next case links on.
				b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Piet Pietersen"))
				b.mustVerify(t, b.orgA)
			})
		})
	}
}

func TestTenancy(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		a := b.mustCreate(t, b.orgA, received(calendar.D(2026, 3, 2), "Geheim Persoon"))

		t.Run("organisation B cannot read A's case", func(t *testing.T) {
			_, _, err := b.st.GetCase(b.ctx, b.orgB, a.Number)
			wantCode(t, err, apperr.NotFound)
		})
		t.Run("organisation B cannot change A's case", func(t *testing.T) {
			called := false
			_, err := b.st.UpdateCase(b.ctx, b.orgB, a.Number, func(h []complaint.Event) ([]complaint.Event, store.Projection, error) {
				called = true
				return nil, store.Projection{State: "closed", ReceivedOn: a.ReceivedOn, Closed: true}, nil
			})
			wantCode(t, err, apperr.NotFound)
			if called {
				t.Fatal("fn saw A's history through organisation B")
			}
		})
		t.Run("organisation B cannot erase A's case", func(t *testing.T) {
			_, err := b.st.EraseCase(b.ctx, b.orgB, a.Number, func(_ store.CaseRecord, history []complaint.Event) (store.Erasure, error) {
				return erasure(history), nil
			})
			wantCode(t, err, apperr.NotFound)
		})
		t.Run("FindCases of B never returns A's case", func(t *testing.T) {
			for _, f := range []store.CaseFilter{{}, {Text: "geheim"}, {OpenOnly: true}, {OverdueOn: calendar.D(2030, 1, 1)}} {
				cases, err := b.st.FindCases(b.ctx, b.orgB, f)
				if err != nil || len(cases) != 0 {
					t.Fatalf("FindCases(B, %+v) = %v, %v", f, cases, err)
				}
			}
		})
		t.Run("B's case with the same number is B's own", func(t *testing.T) {
			bc := b.mustCreate(t, b.orgB, received(calendar.D(2026, 3, 2), "Ander Persoon"))
			if bc.Number != a.Number {
				t.Fatalf("B's first case is %s, want %s", bc.Number, a.Number)
			}
			got, _, err := b.st.GetCase(b.ctx, b.orgB, a.Number)
			if err != nil || got.ID != bc.ID || got.ComplainantName != "Ander Persoon" {
				t.Fatalf("GetCase(B) = %+v, %v", got, err)
			}
			got, _, err = b.st.GetCase(b.ctx, b.orgA, a.Number)
			if err != nil || got.ID != a.ID {
				t.Fatalf("GetCase(A) = %+v, %v", got, err)
			}
		})
		b.mustVerify(t, b.orgA)
		b.mustVerify(t, b.orgB)
	})
}

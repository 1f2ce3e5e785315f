package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

var benchCases = flag.Int("benchcases", 100_000, "cases stored for BenchmarkOpenCasesByDeadline")

// benchOrg prepares an organisation under the SmartPLUS regulation with
// one member (receiver and handler) on the database, and returns the
// member's API token.
func benchOrg(tb testing.TB, dsn, orgID string) (*store.Store, store.User, string) {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	p, err := reglement.Preset("smartplus")
	if err != nil {
		tb.Fatal(err)
	}
	src, _ := reglement.PresetSource("smartplus")
	if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: orgID, Name: "Bench " + orgID}); err != nil {
		tb.Fatal(err)
	}
	if _, err := st.SaveRegulation(ctx, orgID, store.Regulation{ValidFrom: p.ValidFrom, YAML: string(src)}); err != nil {
		tb.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Email: "bench@" + orgID + ".example", Name: "Bench " + orgID})
	if err != nil {
		tb.Fatal(err)
	}
	for _, role := range []reglement.Role{reglement.RoleReceiver, reglement.RoleHandler} {
		if err := st.AddMembership(ctx, orgID, u.ID, string(role)); err != nil {
			tb.Fatal(err)
		}
	}
	token, err := st.CreateToken(ctx, orgID, u.ID, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	return st, u, token
}

// benchIntake is a SmartPLUS complaint with the fields it requires.
func benchIntake(i int, today calendar.Date) complaint.NewComplaint {
	received := today.AddDays(-(i % 60))
	incident := received.AddDays(-7)
	return complaint.NewComplaint{Intake: complaint.Intake{
		Channel:      reglement.ChannelEmail,
		ReceivedOn:   received,
		IncidentDate: &incident,
		Complainant:  complaint.Person{Name: fmt.Sprintf("Klager %d", i), Email: fmt.Sprintf("k%d@mail.example", i)},
		Facts:        "De coach kwam drie keer niet opdagen.",
	}}
}

// BenchmarkCreateComplaintHTTP measures the throughput of creating a
// complaint over HTTP on a running server: POST /api/v1/cases with an
// Idempotency-Key, from several clients at once.
func BenchmarkCreateComplaintHTTP(b *testing.B) {
	for _, e := range storetest.Engines() {
		b.Run(e.Name, func(b *testing.B) {
			dsn := e.NewDSN(b)
			_, _, token := benchOrg(b, dsn, "bench")
			srv := startServer(b, dsn, "--no-demo")
			today := calendar.FromTime(time.Now().In(amsterdam))
			var seq atomic.Int64
			c := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			b.SetParallelism(2) // 2 × GOMAXPROCS clients
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					body, _ := json.Marshal(map[string]any{
						"channel":       "email",
						"complainant":   map[string]any{"name": fmt.Sprintf("Klager %d", i), "email": fmt.Sprintf("k%d@mail.example", i)},
						"incident_date": today.AddDays(-7),
						"facts":         "De coach kwam drie keer niet opdagen.",
					})
					req, _ := http.NewRequest("POST", srv.url+"/api/v1/cases", bytes.NewReader(body))
					req.Header.Set("Authorization", "Bearer "+token)
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%d-%d", b.N, i))
					resp, err := c.Do(req)
					if err != nil {
						b.Error(err)
						return
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						b.Errorf("create: %d", resp.StatusCode)
						return
					}
				}
			})
			b.StopTimer()
			srv.stop()
		})
	}
}

// BenchmarkOpenCasesByDeadline measures the case list screen's query,
// GET /api/v1/cases?open=true (the first 100 open cases by next
// deadline), on an organisation with -benchcases stored cases.
//
// The store has no bulk import, so the cases are made through
// service.CreateCase, as the API would: some 3 ms each, so 100,000 take
// minutes. Both engines are filled at once, before the timed part.
func BenchmarkOpenCasesByDeadline(b *testing.B) {
	engines := storetest.Engines()
	dsns := make([]string, len(engines))
	tokens := make([]string, len(engines))
	var wg sync.WaitGroup
	for i, e := range engines {
		dsns[i] = e.NewDSN(b)
		st, u, token := benchOrg(b, dsns[i], "bench")
		tokens[i] = token
		wg.Go(func() {
			start := time.Now()
			if err := fillCases(st, u, "bench", *benchCases); err != nil {
				b.Errorf("%s: %v", e.Name, err)
			}
			b.Logf("%s: %d cases stored in %s", e.Name, *benchCases, time.Since(start).Round(time.Second))
		})
	}
	wg.Wait()
	if b.Failed() {
		return
	}
	for i, e := range engines {
		b.Run(e.Name, func(b *testing.B) {
			srv := startServer(b, dsns[i], "--no-demo")
			c := srv.client(tokens[i])
			var list struct {
				Cases []json.RawMessage `json:"cases"`
			}
			b.ResetTimer()
			for range b.N {
				if code := c.do("GET", "/api/v1/cases?open=true", nil, &list); code != http.StatusOK || len(list.Cases) != min(100, *benchCases) {
					b.Fatalf("open cases: %d, %d cases", code, len(list.Cases))
				}
			}
			b.StopTimer()
			srv.stop()
		})
	}
}

// fillCases creates n cases through the service, from four goroutines.
func fillCases(st *store.Store, u store.User, orgID string, n int) error {
	ctx := context.Background()
	loc := amsterdam
	svc := service.New(st, time.Now, loc)
	caller := service.CallerFor(u, []string{string(reglement.RoleReceiver)})
	today := calendar.FromTime(time.Now().In(loc))
	var (
		next  atomic.Int64
		wg    sync.WaitGroup
		first atomic.Value
	)
	for range 4 {
		wg.Go(func() {
			for {
				i := int(next.Add(1))
				if i > n || first.Load() != nil {
					return
				}
				if _, _, err := svc.CreateCase(ctx, orgID, caller, benchIntake(i, today), ""); err != nil {
					first.CompareAndSwap(nil, err)
					return
				}
			}
		})
	}
	wg.Wait()
	if err, _ := first.Load().(error); err != nil {
		return err
	}
	return nil
}

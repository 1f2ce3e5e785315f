package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

var crashCycles = flag.Int("crashcycles", 20, "kill-and-restart cycles of TestCrashRecovery per engine")

// crashOrg is the organisation the crash test works in.
const crashOrg = "crash"

// TestCrashRecovery runs the real server under concurrent writes and
// kills it with SIGKILL at random moments, again and again, on the same
// database. After every restart, whatever the server answered with a 2xx
// must be there: the case, with the events of every acknowledged action;
// no case number twice; a retried create (same Idempotency-Key) never a
// second case; and an intact hash chain.
func TestCrashRecovery(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		seed := rand.Uint64()
		t.Logf("seed %d (kill moments and choices)", seed)
		h := newCrashHarness(t, dsn, seed)
		defer h.stop() // on a failed cycle too: the workers end

		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() { h.worker(w) })
		}
		rng := rand.New(rand.NewPCG(seed, 1))
		for cycle := range *crashCycles {
			srv := startServer(t, dsn, "--no-demo")
			h.check(t, srv, false)
			h.up(srv.url)
			time.Sleep(time.Duration(20+rng.IntN(300)) * time.Millisecond)
			h.down()
			srv.kill()
			h.waitIdle()
			if t.Failed() {
				t.Fatalf("stopped after cycle %d", cycle)
			}
		}
		h.stop()
		wg.Wait()

		srv := startServer(t, dsn, "--no-demo")
		h.check(t, srv, true)
		if code := srv.stop(); code != exitOK {
			t.Errorf("exit code after SIGTERM = %d\n%s", code, srv.stderr)
		}
		l := &h.ledger
		t.Logf("%d cycles: %d cases acknowledged by the server, %d acknowledgements, %d notes; %d requests cut off by a kill",
			*crashCycles, len(l.created), len(l.acknowledged), l.notes, l.cutOff)
		if len(l.created) < *crashCycles {
			t.Errorf("only %d creates answered in %d cycles: the test barely ran", len(l.created), *crashCycles)
		}
	})
}

// crashHarness holds the server's address for the workers and what the
// server acknowledged.
type crashHarness struct {
	t     *testing.T
	st    *store.Store
	token string
	seed  uint64

	mu       sync.Mutex
	cond     *sync.Cond
	url      string
	running  bool
	stopped  bool
	inflight int

	ledger ledger
}

// ledger is what the server answered with success, by the workers'
// account.
type ledger struct {
	mu sync.Mutex
	// created maps an idempotency key to the case number answered.
	created map[string]string
	// pending are keys whose create got no answer: retried later.
	pending []string
	numbers []string
	// acknowledged holds the cases whose acknowledgement was answered 200
	// (true) or refused as done already (false: an earlier request that
	// lost its answer did it).
	acknowledged map[string]bool
	// noted maps a case to the texts of its notes answered 200.
	noted map[string][]string
	notes int
	// touched are the cases with an answer since the last check.
	touched map[string]bool
	cutOff  int
}

func newCrashHarness(t *testing.T, dsn string, seed uint64) *crashHarness {
	ctx := t.Context()
	st, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src, err := reglement.PresetSource("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	p, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: crashOrg, Name: "Crash B.V."}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SaveRegulation(ctx, crashOrg, store.Regulation{ValidFrom: p.ValidFrom, YAML: string(src)}); err != nil {
		t.Fatal(err)
	}
	u, err := st.CreateUser(ctx, store.User{Email: "werk@crash.example", Name: "Werk Crash"})
	if err != nil {
		t.Fatal(err)
	}
	for _, role := range []reglement.Role{reglement.RoleHandler, reglement.RoleReceiver} {
		if err := st.AddMembership(ctx, crashOrg, u.ID, string(role)); err != nil {
			t.Fatal(err)
		}
	}
	token, err := st.CreateToken(ctx, crashOrg, u.ID, "crash test")
	if err != nil {
		t.Fatal(err)
	}
	h := &crashHarness{t: t, st: st, token: token, seed: seed, ledger: ledger{
		created: map[string]string{}, acknowledged: map[string]bool{}, noted: map[string][]string{}, touched: map[string]bool{}}}
	h.cond = sync.NewCond(&h.mu)
	return h
}

// up lets the workers send to the server at url.
func (h *crashHarness) up(url string) {
	h.mu.Lock()
	h.url, h.running = url, true
	h.mu.Unlock()
	h.cond.Broadcast()
}

// down stops the workers from sending new requests.
func (h *crashHarness) down() {
	h.mu.Lock()
	h.running = false
	h.mu.Unlock()
}

// waitIdle waits for the requests in flight to end.
func (h *crashHarness) waitIdle() {
	h.mu.Lock()
	for h.inflight > 0 {
		h.cond.Wait()
	}
	h.mu.Unlock()
}

// stop ends the workers.
func (h *crashHarness) stop() {
	h.mu.Lock()
	h.stopped = true
	h.mu.Unlock()
	h.cond.Broadcast()
}

// begin waits for a running server and returns its address; ok is false
// when the test is done.
func (h *crashHarness) begin() (url string, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for !h.running && !h.stopped {
		h.cond.Wait()
	}
	if h.stopped {
		return "", false
	}
	h.inflight++
	return h.url, true
}

func (h *crashHarness) end() {
	h.mu.Lock()
	h.inflight--
	h.mu.Unlock()
	h.cond.Broadcast()
}

// errCutOff is a request that got no answer: the server died under it.
var errCutOff = errors.New("no answer")

// post sends one API request; a transport error is errCutOff.
func (h *crashHarness) post(c *http.Client, url, path string, body any, key string) (int, []byte, error) {
	b, _ := json.Marshal(body)
	req, err := http.NewRequest("POST", url+path, bytes.NewReader(b))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+h.token)
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", errCutOff, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, fmt.Errorf("%w: %v", errCutOff, err)
	}
	return resp.StatusCode, data, nil
}

// worker creates cases (retrying unanswered creates with their key),
// acknowledges them and adds notes, recording every success.
func (h *crashHarness) worker(w int) {
	rng := rand.New(rand.NewPCG(h.seed, uint64(w)+2))
	c := &http.Client{Timeout: 20 * time.Second}
	incident := time.Now().In(amsterdam).AddDate(0, 0, -3).Format(time.DateOnly)
	l := &h.ledger
	for n := 0; ; n++ {
		url, ok := h.begin()
		if !ok {
			return
		}
		l.mu.Lock()
		var key, number string
		op := rng.IntN(10)
		switch {
		case len(l.pending) > 0 && op < 5:
			key, l.pending = l.pending[0], l.pending[1:]
		case len(l.numbers) == 0 || op < 4:
			key = fmt.Sprintf("w%d-%d", w, n)
		default:
			number = l.numbers[rng.IntN(len(l.numbers))]
		}
		_, acknowledged := l.acknowledged[number]
		l.mu.Unlock()

		switch {
		case key != "":
			h.create(c, url, key, incident)
		case !acknowledged:
			h.act(c, url, number, complaint.ActAcknowledge, map[string]any{"via": "email"}, "")
		default:
			text := fmt.Sprintf("notitie %d-%d", w, n)
			h.act(c, url, number, complaint.ActAddNote, map[string]any{"text": text}, text)
		}
		h.end()
	}
}

func (h *crashHarness) create(c *http.Client, url, key, incident string) {
	l := &h.ledger
	intake := map[string]any{
		"channel":       "email",
		"complainant":   map[string]any{"name": "Crash " + key, "email": key + "@mail.example"},
		"incident_date": incident,
		"facts":         "Klacht " + key,
	}
	code, data, err := h.post(c, url, "/api/v1/cases", intake, key)
	l.mu.Lock()
	defer l.mu.Unlock()
	if err != nil {
		l.pending = append(l.pending, key)
		l.cutOff++
		return
	}
	if code != http.StatusCreated && code != http.StatusOK {
		h.t.Errorf("create %s: %d %s", key, code, data)
		return
	}
	var v caseView
	if err := json.Unmarshal(data, &v); err != nil || v.Number == "" {
		h.t.Errorf("create %s: answer %s: %v", key, data, err)
		return
	}
	if prev, ok := l.created[key]; ok && prev != v.Number {
		h.t.Errorf("create %s answered case %s, and case %s before", key, v.Number, prev)
	}
	if _, ok := l.created[key]; !ok {
		l.numbers = append(l.numbers, v.Number)
	}
	l.created[key] = v.Number
	l.touched[v.Number] = true
}

func (h *crashHarness) act(c *http.Client, url, number string, action complaint.Action, input any, note string) {
	l := &h.ledger
	code, data, err := h.post(c, url, "/api/v1/cases/"+number+"/actions/"+string(action), input, "")
	l.mu.Lock()
	defer l.mu.Unlock()
	switch {
	case err != nil:
		l.cutOff++
	case code == http.StatusOK && action == complaint.ActAcknowledge:
		l.acknowledged[number] = true
		l.touched[number] = true
	case code == http.StatusConflict && action == complaint.ActAcknowledge && bytes.Contains(data, []byte(`"reason":"done"`)):
		// An earlier acknowledgement lost its answer but was done.
		if _, ok := l.acknowledged[number]; !ok {
			l.acknowledged[number] = false
		}
	case code == http.StatusOK:
		l.noted[number] = append(l.noted[number], note)
		l.notes++
		l.touched[number] = true
	default:
		h.t.Errorf("%s on %s: %d %s", action, number, code, data)
	}
}

// check compares the database with the ledger. Every answered create is
// checked each time (one listing); the events of the cases with an answer
// since the last check, and of all cases when full is set (at the end),
// so that a cycle stays short however many cases pile up.
func (h *crashHarness) check(t *testing.T, srv *server, full bool) {
	t.Helper()
	ctx := t.Context()
	l := &h.ledger
	l.mu.Lock()
	defer l.mu.Unlock()

	byName := map[string][]string{}
	seen := map[string]bool{}
	for offset := 0; ; offset += store.MaxLimit {
		recs, err := h.st.FindCases(ctx, crashOrg, store.CaseFilter{Limit: store.MaxLimit, Offset: offset})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs {
			if seen[r.Number] {
				t.Errorf("case number %s twice", r.Number)
			}
			seen[r.Number] = true
			byName[r.ComplainantName] = append(byName[r.ComplainantName], r.Number)
		}
		if len(recs) < store.MaxLimit {
			break
		}
	}
	for name, numbers := range byName {
		if len(numbers) > 1 {
			t.Errorf("%s: cases %v from one idempotency key", name, numbers)
		}
	}
	for key, number := range l.created {
		if got := byName["Crash "+key]; !slices.Equal(got, []string{number}) {
			t.Errorf("create %s was answered with case %s; the database has %v", key, number, got)
		}
	}

	deep := l.numbers
	if !full {
		deep = slices.Sorted(maps.Keys(l.touched))
	}
	for _, number := range deep {
		_, events, err := h.st.GetCase(ctx, crashOrg, number)
		if err != nil {
			t.Errorf("case %s: %v", number, err)
			continue
		}
		notes := map[string]int{}
		acked := false
		for _, e := range events {
			switch e.Type {
			case complaint.EvAcknowledged:
				acked = true
			case complaint.EvNoteAdded:
				var p complaint.Dated
				if err := json.Unmarshal(e.Payload, &p); err != nil {
					t.Errorf("case %s event %d: %v", number, e.Seq, err)
				}
				notes[p.Text]++
			}
		}
		if l.acknowledged[number] && !acked {
			t.Errorf("case %s: the acknowledgement was answered but has no event", number)
		}
		for _, text := range l.noted[number] {
			if notes[text] != 1 {
				t.Errorf("case %s: note %q answered 200 is there %d times", number, text, notes[text])
			}
		}
	}
	clear(l.touched)

	// The restarted server serves what was answered before.
	if len(l.numbers) > 0 {
		var v caseView
		number := l.numbers[len(l.numbers)-1]
		if code := srv.client(h.token).do("GET", "/api/v1/cases/"+number, nil, &v); code != http.StatusOK || v.Number != number {
			t.Errorf("GET case %s after restart = %d", number, code)
		}
	}
	code, out, errOut := runInProcess(t, nil, "audit", "verify", "--org", crashOrg, "--database", srv.dsn)
	if code != exitOK || !strings.Contains(out, "chain intact") {
		t.Errorf("audit verify after restart = %d: %s%s", code, out, errOut)
	}
}

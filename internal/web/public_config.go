package web

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// PublicConfig configures the public complaint form at
// /o/{organisation}/klacht.
// The evidence uploads go to the service's document store
// (service.SetDocuments); without one the form says to send evidence
// later.
type PublicConfig struct {
	// RateLimit is how many complaints one address may send per
	// RateWindow; 0 is 5 per 10 minutes.
	RateLimit  int
	RateWindow time.Duration
}

// publicState is what the public form keeps between requests.
type publicState struct {
	limiter *rateLimiter
}

func newPublicState(cfg PublicConfig) *publicState {
	p := &publicState{}
	limit, window := cfg.RateLimit, cfg.RateWindow
	if limit <= 0 {
		limit = 5
	}
	if window <= 0 {
		window = 10 * time.Minute
	}
	p.limiter = newRateLimiter(limit, window)
	return p
}

// rateLimiter counts requests per client address in memory: at most
// limit in any window. It forgets addresses whose requests are older than
// the window.
type rateLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	seen   map[string][]time.Time
}

func newRateLimiter(limit int, window time.Duration) *rateLimiter {
	return &rateLimiter{limit: limit, window: window, seen: map[string][]time.Time{}}
}

// allow records a request from key at now and reports whether it is
// within the limit.
func (rl *rateLimiter) allow(key string, now time.Time) bool {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	cutoff := now.Add(-rl.window)
	for k, ts := range rl.seen { // keep the map small
		if len(ts) > 0 && ts[len(ts)-1].Before(cutoff) {
			delete(rl.seen, k)
		}
	}
	ts := rl.seen[key]
	kept := ts[:0]
	for _, t := range ts {
		if t.After(cutoff) {
			kept = append(kept, t)
		}
	}
	if len(kept) >= rl.limit {
		rl.seen[key] = kept
		return false
	}
	rl.seen[key] = append(kept, now)
	return true
}

// clientAddress is the address a request came from: the connection's,
// without the port. Headers such as X-Forwarded-For are not trusted.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

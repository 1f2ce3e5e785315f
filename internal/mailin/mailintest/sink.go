// Package mailintest is a mailin.Sink for tests that behaves as the real
// one must: it parses each message, keeps it once per (organisation,
// Message-ID) however often it is delivered, and can be told to fail, so
// that tests of the sources can see that nothing is lost or doubled.
package mailintest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/mailin"
)

// Delivery is one message the Sink kept.
type Delivery struct {
	OrgID      string
	Message    *mailin.Message
	ReceivedAt time.Time
	// Times counts the deliveries of this message, the first included.
	Times int
}

// ErrFailed is what a failing Sink returns.
var ErrFailed = errors.New("mailintest: delivery failed on purpose")

// Sink keeps messages in memory. The zero value is ready to use.
type Sink struct {
	// Limits are passed to mailin.Parse.
	Limits mailin.Limits
	// Fail, when set, is asked before each delivery; an error it returns
	// is returned without keeping the message.
	Fail func(orgID string, m *mailin.Message) error
	// AfterCommit, when set, is called after a message was kept and
	// before Deliver returns: where a test simulates a crash.
	AfterCommit func(orgID string, m *mailin.Message)

	mu       sync.Mutex
	kept     []*Delivery
	byKey    map[[2]string]*Delivery
	attempts int
	notify   chan struct{}
}

// Deliver implements mailin.Sink. A message Parse refuses is kept too,
// under a key made of its size, as the real Sink keeps its raw bytes.
func (s *Sink) Deliver(ctx context.Context, orgID string, raw []byte, receivedAt time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m, err := mailin.ParseBytes(raw, s.Limits)
	if err != nil {
		m = &mailin.Message{MessageID: "unparsed:" + mailin.ReasonOf(err), Raw: raw}
	}
	s.mu.Lock()
	s.attempts++
	fail := s.Fail
	s.mu.Unlock()
	if fail != nil {
		if err := fail(orgID, m); err != nil {
			return err
		}
	}
	s.mu.Lock()
	if s.byKey == nil {
		s.byKey = map[[2]string]*Delivery{}
	}
	key := [2]string{orgID, m.MessageID}
	if d, ok := s.byKey[key]; ok {
		d.Times++
	} else {
		d := &Delivery{OrgID: orgID, Message: m, ReceivedAt: receivedAt, Times: 1}
		s.byKey[key] = d
		s.kept = append(s.kept, d)
	}
	if s.notify != nil {
		close(s.notify)
		s.notify = nil
	}
	after := s.AfterCommit
	s.mu.Unlock()
	if after != nil {
		after(orgID, m)
	}
	return nil
}

// Kept returns the messages kept, in order of first delivery.
func (s *Sink) Kept() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.kept))
	for i, d := range s.kept {
		out[i] = *d
	}
	return out
}

// Attempts counts the calls of Deliver that got past parsing, failed
// ones included.
func (s *Sink) Attempts() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.attempts
}

// WaitFor waits until at least n messages are kept, or ctx ends; it
// returns what is kept then.
func (s *Sink) WaitFor(ctx context.Context, n int) []Delivery {
	for {
		s.mu.Lock()
		if len(s.kept) >= n {
			s.mu.Unlock()
			return s.Kept()
		}
		if s.notify == nil {
			s.notify = make(chan struct{})
		}
		ch := s.notify
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return s.Kept()
		}
	}
}

var _ mailin.Sink = (*Sink)(nil)

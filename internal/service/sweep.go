package service

import (
	"context"
	"log/slog"
	"time"
)

// SweepGrace is how old an unreferenced evidence file must be before
// SweepDocuments removes it: longer than any transaction that writes a
// file first and commits its row after (an e-mail delivery, a public
// form), so a file whose row is still on its way is never taken.
const SweepGrace = time.Hour

// SetLogger gives the service a logger for what it cannot return: a file
// clean-up that failed, a virus found in an attachment. Without one it
// logs to slog.Default.
func (s *Service) SetLogger(l *slog.Logger) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.logger = l
}

func (s *Service) log() *slog.Logger {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.logger == nil {
		return slog.Default()
	}
	return s.logger
}

// SweepDocuments removes the evidence files that no row references and
// that are older than SweepGrace: what a crash between writing a file and
// committing its row left behind (e-mail attachments, public form and
// portal uploads), and the files of an erased case that the erasure could
// not delete after its commit. It returns the ids removed; without a
// document store it does nothing.
func (s *Service) SweepDocuments(ctx context.Context) ([]string, error) {
	return s.SweepDocumentsBefore(ctx, s.now().Add(-SweepGrace))
}

// SweepDocumentsBefore is SweepDocuments for the files last written before
// cutoff; pass a time an hour or more ago, so that a file whose
// transaction still runs stays.
func (s *Service) SweepDocumentsBefore(ctx context.Context, cutoff time.Time) ([]string, error) {
	docs, _ := s.Documents()
	if docs == nil {
		return nil, nil
	}
	// The references are read before the files are listed: a file older
	// than cutoff whose row commits after this read would need a
	// transaction longer than SweepGrace.
	refs, err := s.store.ReferencedBlobs(ctx)
	if err != nil {
		return nil, err
	}
	return docs.Sweep(ctx, func(id string) (bool, error) { return refs[id], nil }, cutoff)
}

// RunDocumentSweeper calls SweepDocuments every interval until ctx ends,
// logging what it removed.
func (s *Service) RunDocumentSweeper(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		removed, err := s.SweepDocuments(ctx)
		if err != nil && ctx.Err() == nil {
			s.log().Error("evidence files: sweep", "err", err)
		}
		if len(removed) > 0 {
			s.log().Info("evidence files: removed unreferenced files", "count", len(removed), "ids", removed)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

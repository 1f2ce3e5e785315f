package report

import (
	"errors"
	"fmt"
	"sync"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// History is a case's stored history as store.CaseHistories hands it.
type History struct {
	Number string
	Events []complaint.Event
}

// errStopped tells the reader that the fold stopped on an error of its
// own.
var errStopped = errors.New("report: folding stopped")

// FoldHistories folds the histories read produces into cases and hands
// them to add, in the order read produced them. read calls emit for each
// history (inside store.CaseHistories, say); emit returns an error when
// folding has stopped, which read should return. regulation returns the
// regulation of a case's revision (complaint.Intake.ReglementRevision).
// asOf is the date the register or report is drawn up: the workers compute
// each case's deadlines on it (Case.Deadlines), so that add has little
// left to do; the zero date leaves that to add.
//
// Reading, folding and adding overlap: read runs on its own goroutine,
// workers goroutines fold (decoding the events' JSON is most of the work of
// a report), and add runs on the caller's. At most a few cases per worker
// are in memory at once. The first error of read, regulation or add stops
// everything and is returned. add runs while read still reads: with
// store.CaseHistories as read, neither emit's caller nor add may call the
// store.
func FoldHistories(workers int, asOf calendar.Date, read func(emit func(History) error) error,
	regulation func(revision int) (*reglement.Reglement, error), add func(Case) error) error {
	workers = max(1, workers)
	type job struct {
		h    History
		done chan folded
	}
	var (
		jobs    = make(chan job)
		order   = make(chan chan folded, 4*workers)
		stop    = make(chan struct{})
		readErr error
		wg      sync.WaitGroup
	)
	// The reader: each history gets a slot in order, then goes to a worker.
	go func() {
		defer close(order)
		defer close(jobs)
		readErr = read(func(h History) error {
			slot := make(chan folded, 1)
			select {
			case order <- slot:
			case <-stop:
				return errStopped
			}
			select {
			case jobs <- job{h, slot}:
				return nil
			case <-stop:
				return errStopped
			}
		})
	}()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.done <- foldOne(j.h, regulation, asOf)
			}
		}()
	}
	var err error
	for slot := range order {
		if err != nil {
			// Draining after a stop: a slot may wait for a job the
			// reader never sent.
			continue
		}
		r := <-slot
		if err = r.err; err == nil {
			err = add(r.c)
		}
		if err != nil {
			close(stop)
		}
	}
	wg.Wait()
	if err != nil {
		return err
	}
	return readErr
}

// folded is a folded case, or why it could not be folded.
type folded struct {
	c   Case
	err error
}

// foldOne folds one history under its own regulation.
func foldOne(h History, regulation func(int) (*reglement.Reglement, error), asOf calendar.Date) folded {
	st, err := complaint.Fold(h.Events)
	if err != nil {
		return folded{err: fmt.Errorf("report: case %s: %w", h.Number, err)}
	}
	st.Number = h.Number
	r, err := regulation(st.Intake.ReglementRevision)
	if err != nil {
		return folded{err: err}
	}
	c := Case{Number: h.Number, State: st, Reglement: r}
	c.cacheDeadlines(asOf)
	return folded{c: c}
}

package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// JobState is where a job stands.
type JobState string

// The states of a job.
const (
	// JobQueued waits for its run_at.
	JobQueued JobState = "queued"
	// JobRunning is claimed by a worker until its lease (LockedUntil) runs
	// out; after that another worker may claim it again.
	JobRunning JobState = "running"
	// JobDone is finished. Done jobs are kept: their unique keys are what
	// keeps a reminder from going out twice.
	JobDone JobState = "done"
	// JobFailed failed for good: it is shown on the dashboard (FailedJobs).
	JobFailed JobState = "failed"
)

// DefaultMaxAttempts is how often a job is tried when it sets no
// MaxAttempts of its own.
const DefaultMaxAttempts = 8

// Job is a unit of work in the durable job queue: sending a letter, a
// reminder, a digest. It is inserted in the same transaction as the change
// that causes it (NewCase.Jobs, UpdateCaseWithJobs, CreateLetter) and run
// by a worker that claims it (Claim) and then completes, retries or fails
// it. A job may run twice (a worker that died after doing the work but
// before completing it): every worker must be safe to repeat.
type Job struct {
	ID    string
	OrgID string
	// CaseID is the case the job is about, "" for none.
	CaseID string
	// Kind names the worker that runs the job.
	Kind string
	// Payload is the worker's input as JSON; empty is {}. PostgreSQL keeps
	// it as jsonb: it comes back equal in meaning, not byte for byte.
	Payload json.RawMessage
	// UniqueKey, when not empty, is unique per organisation: enqueueing a
	// job with a key in use inserts nothing, whatever the state of the job
	// that holds it.
	UniqueKey string
	// RunAt is the earliest time the job runs; zero is the store's now.
	RunAt time.Time
	// Attempts counts the claims so far; MaxAttempts bounds them (0 is
	// DefaultMaxAttempts).
	Attempts    int
	MaxAttempts int
	State       JobState
	// LastError is the error of the last attempt that failed.
	LastError string
	// LockedUntil is the end of the current claim's lease.
	LockedUntil time.Time
	CreatedAt   time.Time
	// DoneAt is when the job was completed or failed for good.
	DoneAt time.Time
}

// ErrLeaseLost is returned by Complete, Retry and Fail when the job is no
// longer held by the claim the caller has: its lease ran out and another
// worker claimed it, or it was finished already.
var ErrLeaseLost = apperr.New(apperr.Conflict, "the job's claim has lapsed; another worker holds or finished it").WithReason("lease_lost")

// NewID returns a new random identifier, for a record the caller must name
// before storing it (a letter that its send job points at).
func NewID() string { return newID() }

// Enqueue inserts jobs of the organisation in one transaction, outside any
// case change (the reminder scheduler). It returns how many were inserted:
// a job whose unique key is in use is left out.
func (s *Store) Enqueue(ctx context.Context, orgID string, jobs ...Job) (int, error) {
	n := 0
	err := s.write(ctx, func(t *tx) error {
		n = 0
		for _, j := range jobs {
			ok, err := enqueue(ctx, t, orgID, j)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, wrap("enqueue", err)
	}
	return n, nil
}

// enqueue inserts one job in the transaction, reporting whether it was
// inserted (false: its unique key is in use).
func enqueue(ctx context.Context, t *tx, orgID string, j Job) (bool, error) {
	if strings.TrimSpace(j.Kind) == "" {
		return false, errors.New("a job has no kind")
	}
	if len(j.Payload) == 0 {
		j.Payload = json.RawMessage(`{}`)
	}
	if !json.Valid(j.Payload) {
		return false, fmt.Errorf("job %s: the payload is not valid JSON", j.Kind)
	}
	if j.RunAt.IsZero() {
		j.RunAt = t.now
	}
	if j.MaxAttempts <= 0 {
		j.MaxAttempts = DefaultMaxAttempts
	}
	res, err := t.exec(ctx, `INSERT INTO jobs
		(id, org_id, case_id, kind, payload, unique_key, run_at, attempts, max_attempts, state, last_error, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'queued', '', ?)
		ON CONFLICT (org_id, unique_key) DO NOTHING`,
		newID(), orgID, nullString(j.CaseID), j.Kind, string(j.Payload), nullString(j.UniqueKey),
		t.d.timeArg(j.RunAt), j.MaxAttempts, t.d.timeArg(t.now))
	if err != nil {
		return false, fmt.Errorf("enqueue %s: %w", j.Kind, err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

// Claim takes up to limit jobs that are due at now, of the given kinds (all
// kinds when none are given), for a lease: they are running until
// now+lease, and their attempt count goes up by one. Due are queued jobs
// whose run_at has come and running jobs whose lease ran out (their worker
// died). The jobs come earliest run_at first.
//
// Claim serves every organisation: the workers run for all of them. On
// PostgreSQL the jobs are chosen FOR NO KEY UPDATE SKIP LOCKED, so that workers in
// several processes claim different jobs without waiting for each other;
// on SQLite the single writer connection orders the claims.
func (s *Store) Claim(ctx context.Context, now time.Time, limit int, lease time.Duration, kinds ...string) ([]Job, error) {
	if limit <= 0 {
		return nil, nil
	}
	if lease <= 0 {
		return nil, errors.New("store: claim: the lease must be positive")
	}
	due := `((state = 'queued' AND run_at <= ?) OR (state = 'running' AND locked_until <= ?))`
	kindCond := ""
	if len(kinds) > 0 {
		kindCond = " AND kind IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(kinds)), ", ") + ")"
	}
	dueArgs := func(d *dialect) []any {
		args := []any{d.timeArg(now), d.timeArg(now)}
		for _, k := range kinds {
			args = append(args, k)
		}
		return args
	}
	// A look on the readers first: a poll that finds nothing due does not
	// take the writer (on SQLite the one write lock the screens need too).
	found := false
	err := s.read(ctx, func(t *tx) error {
		var one int
		err := t.queryRow(ctx, `SELECT 1 FROM jobs WHERE `+due+kindCond+` LIMIT 1`, dueArgs(t.d)...).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		found = err == nil
		return err
	})
	if err != nil || !found {
		return nil, wrap("claim jobs", err)
	}
	var jobs []Job
	err = s.write(ctx, func(t *tx) error {
		jobs = jobs[:0]
		args := append([]any{t.d.timeArg(now.Add(lease))}, dueArgs(t.d)...)
		args = append(args, limit)
		rows, err := t.query(ctx, `UPDATE jobs SET state = 'running', attempts = attempts + 1, locked_until = ?
			WHERE id IN (SELECT id FROM jobs WHERE `+due+kindCond+`
				ORDER BY run_at, id LIMIT ?`+skipLocked(t.d)+`)
			RETURNING `+jobColumns, args...)
		if err != nil {
			return err
		}
		jobs, err = collect(rows, scanJob)
		return err
	})
	if err != nil {
		return nil, wrap("claim jobs", err)
	}
	slices.SortFunc(jobs, func(a, b Job) int {
		if c := a.RunAt.Compare(b.RunAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return jobs, nil
}

// skipLocked is the row-lock suffix of Claim's choice of jobs.
func skipLocked(d *dialect) string {
	if d.engine == enginePostgres {
		return " FOR NO KEY UPDATE SKIP LOCKED"
	}
	return ""
}

// Complete marks a claimed job done. j is the job as Claim returned it: its
// attempt count identifies the claim, so a worker whose lease ran out and
// whose job another worker claimed gets ErrLeaseLost.
func (s *Store) Complete(ctx context.Context, j Job, now time.Time) error {
	return s.finishJob(ctx, "complete job", j, `state = 'done', locked_until = NULL, done_at = ?`, jobTime(now))
}

// Retry puts a claimed job back in the queue to run again at runAt,
// recording why this attempt failed.
func (s *Store) Retry(ctx context.Context, j Job, runAt time.Time, reason string) error {
	return s.finishJob(ctx, "retry job", j, `state = 'queued', locked_until = NULL, run_at = ?, last_error = ?`, jobTime(runAt), reason)
}

// Postpone puts a claimed job back in the queue to run at runAt without
// counting the claim as an attempt: the job could not start (no mail
// server is configured), which says nothing about the job.
func (s *Store) Postpone(ctx context.Context, j Job, runAt time.Time, reason string) error {
	return s.finishJob(ctx, "postpone job", j, `state = 'queued', locked_until = NULL, run_at = ?, last_error = ?, attempts = attempts - 1`, jobTime(runAt), reason)
}

// Fail marks a claimed job failed for good, with the reason.
func (s *Store) Fail(ctx context.Context, j Job, now time.Time, reason string) error {
	return s.finishJob(ctx, "fail job", j, `state = 'failed', locked_until = NULL, done_at = ?, last_error = ?`, jobTime(now), reason)
}

// jobTime marks a time argument of finishJob, converted there for the
// engine.
type jobTime time.Time

func (s *Store) finishJob(ctx context.Context, op string, j Job, set string, args ...any) error {
	err := s.write(ctx, func(t *tx) error {
		for i, a := range args {
			if v, ok := a.(jobTime); ok {
				args[i] = t.d.timeArg(time.Time(v))
			}
		}
		args = append(args, j.ID, j.Attempts)
		res, err := t.exec(ctx, `UPDATE jobs SET `+set+` WHERE id = ? AND state = 'running' AND attempts = ?`, args...)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return ErrLeaseLost
		}
		return nil
	})
	return wrap(op, err)
}

// FailedJobs returns the organisation's jobs that failed for good, the
// latest first, for the dashboard.
func (s *Store) FailedJobs(ctx context.Context, orgID string) ([]Job, error) {
	return s.jobs(ctx, "failed jobs", `WHERE org_id = ? AND state = 'failed' ORDER BY done_at DESC, id`, orgID)
}

// CaseJobs returns the jobs of a case in the organisation, by run_at.
func (s *Store) CaseJobs(ctx context.Context, orgID, caseID string) ([]Job, error) {
	return s.jobs(ctx, "case jobs", `WHERE org_id = ? AND case_id = ? ORDER BY run_at, id`, orgID, caseID)
}

// GetJob returns one job of the organisation.
func (s *Store) GetJob(ctx context.Context, orgID, id string) (Job, error) {
	jobs, err := s.jobs(ctx, "get job", `WHERE org_id = ? AND id = ?`, orgID, id)
	if err != nil {
		return Job{}, err
	}
	if len(jobs) == 0 {
		return Job{}, apperr.New(apperr.NotFound, "job %s does not exist", id)
	}
	return jobs[0], nil
}

// JobStats counts an organisation's jobs by kind and state.
func (s *Store) JobStats(ctx context.Context, orgID string) (map[string]map[JobState]int, error) {
	out := map[string]map[JobState]int{}
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT kind, state, COUNT(*) FROM jobs WHERE org_id = ? GROUP BY kind, state`, orgID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				kind  string
				state JobState
				n     int
			)
			if err := rows.Scan(&kind, &state, &n); err != nil {
				return err
			}
			if out[kind] == nil {
				out[kind] = map[JobState]int{}
			}
			out[kind][state] = n
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("job stats", err)
	}
	return out, nil
}

// OpenCasesChangedSince returns the organisation's open cases changed at
// or after since (their last event), by number: what the reminder scan
// between its daily full scans looks at.
func (s *Store) OpenCasesChangedSince(ctx context.Context, orgID string, since time.Time) ([]CaseRecord, error) {
	var cases []CaseRecord
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+caseColumns+` FROM cases WHERE org_id = ? AND NOT closed AND updated_at >= ?
			ORDER BY number`, orgID, t.d.timeArg(since))
		if err != nil {
			return err
		}
		cases, err = collect(rows, scanCase)
		return err
	})
	if err != nil {
		return nil, wrap("cases changed since", err)
	}
	return cases, nil
}

// PruneJobs deletes done jobs finished before the time that can no longer
// matter: those of no case, and those of closed cases. Done jobs of open
// cases stay: their unique keys keep a reminder from going out twice.
// Failed jobs stay until a person has seen them.
func (s *Store) PruneJobs(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.write(ctx, func(t *tx) error {
		res, err := t.exec(ctx, `DELETE FROM jobs WHERE state = 'done' AND done_at < ?
			AND (case_id IS NULL OR case_id IN (SELECT id FROM cases WHERE closed))`, t.d.timeArg(before))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, wrap("prune jobs", err)
	}
	return int(n), nil
}

func (s *Store) jobs(ctx context.Context, op, where string, args ...any) ([]Job, error) {
	var jobs []Job
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+jobColumns+` FROM jobs `+where, args...)
		if err != nil {
			return err
		}
		jobs, err = collect(rows, scanJob)
		return err
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return jobs, nil
}

// jobColumns are the columns scanJob reads, in its order.
const jobColumns = `id, org_id, COALESCE(case_id, ''), kind, payload, COALESCE(unique_key, ''), run_at, attempts,
	max_attempts, state, last_error, locked_until, created_at, done_at`

func scanJob(row scanner) (Job, error) {
	var (
		j       Job
		payload []byte
	)
	err := row.Scan(&j.ID, &j.OrgID, &j.CaseID, &j.Kind, &payload, &j.UniqueKey, timeColumn{&j.RunAt}, &j.Attempts,
		&j.MaxAttempts, &j.State, &j.LastError, timeColumn{&j.LockedUntil}, timeColumn{&j.CreatedAt}, timeColumn{&j.DoneAt})
	if errors.Is(err, sql.ErrNoRows) {
		return j, err
	}
	j.Payload = json.RawMessage(payload)
	return j, err
}

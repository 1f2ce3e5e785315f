// Package jobs runs Gegrond's background work from the durable job queue in
// the store: it sends letters by e-mail, reminds handlers before a term
// runs out, tells the handler and the board when a limit passed unmet, and
// sends each person a daily digest of what is due.
//
// Jobs live in the jobs table, inserted in the same transaction as the
// change that causes them (a letter with its send job) or by the reminder
// scan, which derives them from each open case's deadlines with unique
// keys: a reminder is enqueued once per deadline, whatever the number of
// scans, restarts or processes. A Runner claims due jobs (on PostgreSQL
// with FOR NO KEY UPDATE SKIP LOCKED, so that any number of gegrond serve
// processes share the work), runs each, and completes it, retries it with
// exponential backoff, or fails it for good after its last attempt. A job
// may run twice (a process that died after sending but before completing):
// every worker checks first whether its work is done.
//
// The Runner reads the service's clock, never its own: tests move time
// by moving that clock and calling RunDue.
package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// The job kinds.
const (
	// KindSendLetter e-mails a letter (service.SendLetter enqueues it).
	KindSendLetter = service.JobSendLetter
	// KindReminderScan derives the reminder, overdue and digest jobs of one
	// organisation from its open cases. Every runner enqueues a full scan
	// per organisation per day and one of the recently changed cases per
	// hour; the unique keys let one of each in, whatever the number of
	// processes.
	KindReminderScan = "reminder_scan"
	// KindReminder reminds the handler that a term ends soon.
	KindReminder = "deadline_reminder"
	// KindOverdue tells the handler and the board that a limit passed.
	KindOverdue = "deadline_overdue"
	// KindDigest sends one person the day's digest.
	KindDigest = "daily_digest"
)

// Mailer sends e-mail; *mail.Sender is one.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// Config tunes a Runner. Zero fields take the defaults.
type Config struct {
	// Interval is how often the runner looks for due jobs when nothing
	// wakes it (default 2 s).
	Interval time.Duration
	// Lease is how long a claimed job is the runner's before another may
	// claim it again (default 5 min); longer than any job takes.
	Lease time.Duration
	// Batch is how many jobs one claim takes (default 10).
	Batch int
	// BackoffBase and BackoffMax shape the retries: attempt n waits
	// BackoffBase·2^(n-1), at most BackoffMax (defaults 1 min and 1 h).
	BackoffBase time.Duration
	BackoffMax  time.Duration
	// ReminderDays is how many working days before a term the handler is
	// reminded (default 2); an organisation's letters.reminder_days
	// setting overrides it.
	ReminderDays int
	// MorningHour is the hour of the organisation's day from which
	// reminders, overdue notices and digests go out (default 7).
	MorningHour int
	// DigestDays is how many working days ahead the digest looks (default
	// 5).
	DigestDays int
	// NoticeFrom is the sender of reminders and digests; empty is the
	// organisation's complaint address.
	NoticeFrom mail.Address
	// PortalBase is the address people reach the server at, the start of
	// the complainants' personal links (https://klachten.example.nl).
	PortalBase string
}

func (c Config) withDefaults() Config {
	if c.Interval <= 0 {
		c.Interval = 2 * time.Second
	}
	if c.Lease <= 0 {
		c.Lease = 5 * time.Minute
	}
	if c.Batch <= 0 {
		c.Batch = 10
	}
	if c.BackoffBase <= 0 {
		c.BackoffBase = time.Minute
	}
	if c.BackoffMax <= 0 {
		c.BackoffMax = time.Hour
	}
	if c.ReminderDays <= 0 {
		c.ReminderDays = 2
	}
	if c.MorningHour <= 0 || c.MorningHour > 23 {
		c.MorningHour = 7
	}
	if c.DigestDays <= 0 {
		c.DigestDays = 5
	}
	return c
}

// Runner claims and runs due jobs.
type Runner struct {
	svc    *service.Service
	st     *store.Store
	mailer Mailer
	cfg    Config
	log    *slog.Logger

	workers map[string]worker
	kinds   []string // the kinds this runner claims
	wake    chan struct{}

	mu       sync.Mutex
	lastScan string // the hour the scans were last enqueued
}

// worker runs one kind of job. fail, when set, is told that a job failed
// for good.
type worker struct {
	run  func(ctx context.Context, j store.Job) error
	fail func(ctx context.Context, j store.Job, reason string)
	// retried, when set, is told that an attempt failed and the job will
	// be tried again.
	retried func(ctx context.Context, j store.Job, reason string)
}

// New returns a runner on the service. mailer nil means no mail server is
// configured: letters and reminders are stored and wait in the queue
// until a runner with a mailer takes them, and this runner only runs the
// reminder scans. log nil discards the log.
func New(svc *service.Service, mailer Mailer, cfg Config, log *slog.Logger) *Runner {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	r := &Runner{svc: svc, st: svc.Store(), mailer: mailer, cfg: cfg.withDefaults(), log: log, wake: make(chan struct{}, 1)}
	r.workers = map[string]worker{
		KindReminderScan: {run: r.scan},
	}
	if mailer != nil {
		r.workers[KindSendLetter] = worker{run: r.sendLetter, fail: r.letterFailed, retried: r.letterRetried}
		r.workers[KindReminder] = worker{run: r.remind}
		r.workers[KindOverdue] = worker{run: r.remind}
		r.workers[KindDigest] = worker{run: r.digest}
		r.workers[KindPortalLink] = worker{run: r.sendPortalLink}
	}
	for k := range r.workers {
		r.kinds = append(r.kinds, k)
	}
	return r
}

// Mails reports whether the runner sends e-mail.
func (r *Runner) Mails() bool { return r.mailer != nil }

// now is the service's clock, in the organisations' zone.
func (r *Runner) now() time.Time { return r.svc.Now() }

// Wake makes a running Run look for due jobs at once, for a caller that
// just enqueued one.
func (r *Runner) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Run runs due jobs until ctx ends, looking every Interval and whenever
// Wake is called. A job in progress when ctx ends is finished first (its
// mail is not cut off halfway); claimed jobs not yet started go back to
// the queue. Errors of the database are logged and tried again.
func (r *Runner) Run(ctx context.Context) error {
	if r.mailer == nil {
		r.log.Warn("no mail server configured: letters and reminders are stored and wait in the job queue")
	}
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		if _, err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("job queue", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		case <-r.wake:
		}
	}
}

// RunDue enqueues the hour's reminder scans (once per hour and process;
// the unique keys keep other processes' from doubling them) and runs the
// jobs due now until none is left. It returns how many jobs it ran.
func (r *Runner) RunDue(ctx context.Context) (int, error) {
	if err := r.enqueueScans(ctx); err != nil {
		return 0, err
	}
	ran := 0
	for ctx.Err() == nil {
		jobs, err := r.st.Claim(ctx, r.now(), r.cfg.Batch, r.cfg.Lease, r.kinds...)
		if err != nil {
			return ran, err
		}
		if len(jobs) == 0 {
			return ran, nil
		}
		for i, j := range jobs {
			if ctx.Err() != nil {
				r.release(jobs[i:])
				return ran, nil
			}
			r.RunJob(ctx, j)
			ran++
		}
	}
	return ran, nil
}

// release puts claimed jobs that were not started back in the queue.
func (r *Runner) release(jobs []store.Job) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for _, j := range jobs {
		if err := r.st.Postpone(ctx, j, r.now(), j.LastError); err != nil {
			r.log.Warn("release job", "job", j.ID, "err", err)
		}
	}
}

// Permanent marks an error that trying again will not cure: the job fails
// at once.
func Permanent(err error) error { return &permanentError{err} }

type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// RunJob runs one job that the caller claimed (store.Claim) and records
// its outcome: done, queued again after a backoff, or failed for good. The
// job runs to its end even when ctx ends meanwhile, within its lease.
func (r *Runner) RunJob(ctx context.Context, j store.Job) {
	jctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.cfg.Lease)
	defer cancel()
	w, ok := r.workers[j.Kind]
	log := r.log.With("job", j.ID, "kind", j.Kind, "org", j.OrgID, "attempt", j.Attempts)
	var err error
	switch {
	case !ok:
		err = Permanent(fmt.Errorf("no worker for job kind %q", j.Kind))
	case j.Attempts > j.MaxAttempts:
		// Claimed again and again without finishing: its worker keeps
		// dying on it.
		err = Permanent(fmt.Errorf("gave up after %d attempts that did not finish (last error: %s)", j.MaxAttempts, j.LastError))
	default:
		err = r.protect(jctx, w, j)
	}
	now := r.now()
	var perm *permanentError
	switch {
	case err == nil:
		err = r.st.Complete(jctx, j, now)
	case errors.As(err, &perm) || j.Attempts >= j.MaxAttempts:
		reason := err.Error()
		log.Warn("job failed for good", "err", reason)
		if err = r.st.Fail(jctx, j, now, reason); err == nil && w.fail != nil {
			w.fail(jctx, j, reason)
		}
	default:
		reason := err.Error()
		at := now.Add(r.backoff(j.Attempts))
		log.Info("job will be retried", "err", reason, "at", at)
		if err = r.st.Retry(jctx, j, at, reason); err == nil && w.retried != nil {
			w.retried(jctx, j, reason)
		}
	}
	if err != nil {
		log.Warn("record job outcome", "err", err)
	}
}

// protect runs a worker, turning a panic into an error of the attempt: one
// bad job must not stop the runner.
func (r *Runner) protect(ctx context.Context, w worker, j store.Job) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("worker panicked: %v", v)
		}
	}()
	return w.run(ctx, j)
}

// backoff is the wait before attempt n+1: BackoffBase·2^(n-1), at most
// BackoffMax.
func (r *Runner) backoff(attempt int) time.Duration {
	d := r.cfg.BackoffBase
	for i := 1; i < attempt && d < r.cfg.BackoffMax; i++ {
		d *= 2
	}
	return min(d, r.cfg.BackoffMax)
}

// enqueueScans enqueues a reminder scan per organisation for the current
// hour, once per hour in this process.
func (r *Runner) enqueueScans(ctx context.Context) error {
	now := r.now()
	hour := now.Format("2006-01-02T15")
	r.mu.Lock()
	done := r.lastScan == hour
	r.mu.Unlock()
	if done {
		return nil
	}
	orgs, err := r.st.ListOrganisations(ctx)
	if err != nil {
		return err
	}
	// The day's first scan reads every open case; the hourly ones those
	// changed within the last day, which covers every change since the
	// full scan even when the process was down for hours.
	full := scanPayload{}
	recent := scanPayload{ChangedSince: now.Add(-25 * time.Hour)}
	for _, o := range orgs {
		if _, err := r.st.Enqueue(ctx, o.ID,
			store.Job{Kind: KindReminderScan, Payload: mustJSON(full), UniqueKey: KindReminderScan + ":" + now.Format("2006-01-02"), RunAt: now, MaxAttempts: 3},
			store.Job{Kind: KindReminderScan, Payload: mustJSON(recent), UniqueKey: KindReminderScan + ":" + hour, RunAt: now, MaxAttempts: 3},
		); err != nil {
			return err
		}
	}
	r.mu.Lock()
	r.lastScan = hour
	r.mu.Unlock()
	return nil
}

// at is the time of hour on day d in the organisations' zone.
func (r *Runner) at(d calendar.Date, hour int) time.Time {
	return time.Date(d.Year, d.Month, d.Day, hour, 0, 0, 0, r.now().Location())
}

func decode(j store.Job, v any) error {
	if err := json.Unmarshal(j.Payload, v); err != nil {
		return Permanent(fmt.Errorf("job %s (%s): payload: %w", j.ID, j.Kind, err))
	}
	return nil
}

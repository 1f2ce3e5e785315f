package jobs_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mail/mailtest"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// ackCase receives a SmartPLUS complaint and assigns Anna; it returns the
// case number and the acknowledgement's recipient.
func (b *testBundle) ackCase() (string, letter.Recipient) {
	b.t.Helper()
	number := b.receive("Ëlif Çelik")
	b.assign(number)
	v := b.view(number)
	return number, letter.Recipients(reglement.LetterAcknowledgement, v.Case, v.Policy)[0]
}

// letterMails are the letters the mail server received (not the
// reminders and digests).
func (b *testBundle) letterMails() []mailtest.Message {
	var out []mailtest.Message
	for _, m := range b.smtp.Messages(b.t) {
		if m.Header.Get("X-Gegrond-Letter") != "" {
			out = append(out, m)
		}
	}
	return out
}

// sendJob returns the send job of a letter.
func (b *testBundle) sendJob(l store.Letter) store.Job {
	b.t.Helper()
	js, err := b.st.CaseJobs(b.ctx, b.org, l.CaseID)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, j := range js {
		if j.Kind == jobs.KindSendLetter && strings.Contains(string(j.Payload), l.ID) {
			return j
		}
	}
	b.t.Fatalf("no send job for letter %s", l.ID)
	return store.Job{}
}

func (b *testBundle) letter(id string) store.Letter {
	b.t.Helper()
	l, err := b.st.GetLetter(b.ctx, b.org, id)
	if err != nil {
		b.t.Fatal(err)
	}
	return l
}

func TestTemporaryRefusalIsRetriedWithBackoff(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number, to := b.ackCase()
		b.smtp.RefuseNextTo(to.Email, mailtest.Temporary(), mailtest.Temporary())
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		start := b.clock.Now()
		b.runDue()
		j := b.sendJob(l)
		if j.State != store.JobQueued || j.Attempts != 1 || !j.RunAt.Equal(start.Add(time.Minute)) || !strings.Contains(j.LastError, "451") {
			t.Fatalf("after the first refusal: %+v", j)
		}
		if got := b.letter(l.ID); got.State != store.LetterQueued || !strings.Contains(got.Error, "451") {
			t.Fatalf("the letter shows why it waits: %+v", got.State)
		}
		// Nothing happens before the backoff has passed.
		b.clock.set(start.Add(59 * time.Second))
		b.runDue()
		if j := b.sendJob(l); j.Attempts != 1 {
			t.Fatalf("retried before its time: %+v", j)
		}
		b.clock.set(start.Add(time.Minute))
		b.runDue()
		if j := b.sendJob(l); j.Attempts != 2 || !j.RunAt.Equal(start.Add(3*time.Minute)) {
			t.Fatalf("second attempt waits twice as long: %+v", j)
		}
		b.clock.set(start.Add(3 * time.Minute))
		b.runDue()
		got := b.letter(l.ID)
		if got.State != store.LetterSent || got.Error != "" {
			t.Fatalf("third attempt: %+v %q", got.State, got.Error)
		}
		if j := b.sendJob(l); j.State != store.JobDone || j.Attempts != 3 {
			t.Fatalf("job: %+v", j)
		}
		if n := len(b.letterMails()); n != 1 {
			t.Fatalf("%d e-mails", n)
		}
		if v := b.view(number); v.Case.AcknowledgedOn == nil {
			t.Fatal("the acknowledgement is recorded once delivered")
		}
	})
}

func TestPermanentFailureShowsOnCaseAndDashboard(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number, to := b.ackCase()

		// A 550 fails the letter at once.
		b.smtp.RefuseNextTo(to.Email, mailtest.Permanent())
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		b.runDue()
		if got := b.letter(l.ID); got.State != store.LetterFailed || !strings.Contains(got.Error, "550") {
			t.Fatalf("after a 550: %s %q", got.State, got.Error)
		}
		failed, err := b.st.FailedJobs(b.ctx, b.org)
		if err != nil || len(failed) != 1 || failed[0].Attempts != 1 {
			t.Fatalf("dashboard: %+v %v", failed, err)
		}
		v := b.view(number)
		if v.Case.AcknowledgedOn != nil {
			t.Fatal("a failed acknowledgement is no acknowledgement")
		}
		last := v.Events[len(v.Events)-1]
		if last.Type != complaint.EvNoteAdded || !strings.Contains(string(last.Payload), "kon niet per e-mail worden verzonden") {
			t.Fatalf("the case's timeline shows the failure: %s %s", last.Type, last.Payload)
		}

		// Temporary refusals, every time: failed after the last attempt.
		refusals := make([]*smtp.SMTPError, store.DefaultMaxAttempts)
		for i := range refusals {
			refusals[i] = mailtest.Temporary()
		}
		b.smtp.RefuseNextTo(to.Email, refusals...)
		l2, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= store.DefaultMaxAttempts; i++ {
			b.runDue()
			j := b.sendJob(l2)
			if j.Attempts != i {
				t.Fatalf("round %d: %d attempts", i, j.Attempts)
			}
			if i < store.DefaultMaxAttempts && j.State != store.JobQueued {
				t.Fatalf("round %d: %s", i, j.State)
			}
			b.clock.set(b.clock.Now().Add(2 * time.Hour))
		}
		if got := b.letter(l2.ID); got.State != store.LetterFailed {
			t.Fatalf("after %d temporary refusals: %s", store.DefaultMaxAttempts, got.State)
		}
		if failed, _ := b.st.FailedJobs(b.ctx, b.org); len(failed) != 2 {
			t.Fatalf("dashboard: %d failed jobs", len(failed))
		}

		// The handler sends it again once the mailbox works.
		if _, err := b.svc.ResendLetter(b.ctx, b.org, l2.ID, b.handler.caller); err != nil {
			t.Fatal(err)
		}
		b.runDue()
		if got := b.letter(l2.ID); got.State != store.LetterSent {
			t.Fatalf("resent: %s", got.State)
		}
		if n := len(b.letterMails()); n != 1 {
			t.Fatalf("%d e-mails", n)
		}
	})
}

// asMissing reports whether err is a *letter.MissingError.
func asMissing(err error, target **letter.MissingError) bool { return errors.As(err, target) }

func TestJobRunTwiceSendsOnce(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number, to := b.ackCase()
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		claimed, err := b.st.Claim(b.ctx, b.clock.Now(), 10, time.Minute, jobs.KindSendLetter)
		if err != nil || len(claimed) != 1 {
			t.Fatalf("claim: %d %v", len(claimed), err)
		}
		// The same job, run twice: as after a worker died between sending
		// and completing.
		b.runner.RunJob(b.ctx, claimed[0])
		b.runner.RunJob(b.ctx, claimed[0])
		if n := len(b.letterMails()); n != 1 {
			t.Fatalf("the job ran twice and sent %d e-mails", n)
		}
		v := b.view(number)
		acks := 0
		for _, e := range v.Events {
			if e.Type == complaint.EvAcknowledged {
				acks++
			}
		}
		if acks != 1 {
			t.Fatalf("%d acknowledged events", acks)
		}

		// A worker that claimed a job and died: after its lease another
		// one sends it, once.
		l2, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAccusedNotice,
			letter.Recipients(reglement.LetterAccusedNotice, v.Case, v.Policy)[0], "")
		if err != nil {
			t.Fatal(err)
		}
		if dead, _ := b.st.Claim(b.ctx, b.clock.Now(), 10, time.Minute, jobs.KindSendLetter); len(dead) != 1 {
			t.Fatal("the dying worker claims the job")
		}
		b.runDue()
		if got := b.letter(l2.ID); got.State != store.LetterQueued {
			t.Fatal("a leased job was taken from its worker")
		}
		b.clock.set(b.clock.Now().Add(time.Minute))
		b.runDue()
		if got := b.letter(l2.ID); got.State != store.LetterSent {
			t.Fatalf("after the lease: %s", got.State)
		}
		if n := len(b.letterMails()); n != 2 {
			t.Fatalf("%d e-mails", n)
		}
		if got := b.letter(l.ID); got.State != store.LetterSent {
			t.Fatalf("first letter: %s", got.State)
		}
	})
}

func TestMissingContentIsRefusedAndNothingQueued(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number := b.receive("Ëlif Çelik")
		v := b.view(number)
		to := letter.Recipients(reglement.LetterAcknowledgement, v.Case, v.Policy)[0]
		// SmartPLUS Punt 5: the acknowledgement names the handler; none is
		// assigned yet.
		_, err := b.svc.SendLetter(b.ctx, b.org, number, b.board.caller, reglement.LetterAcknowledgement, to, "")
		var missing *letter.MissingError
		if !asMissing(err, &missing) || apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("want a conflict listing what is missing, got %v", err)
		}
		if len(missing.Items) != 1 || missing.Items[0].Item != "handler_name" || missing.Items[0].Action != complaint.ActAssignHandler ||
			!strings.Contains(missing.Items[0].Source, "Punt 5") {
			t.Fatalf("missing: %+v", missing.Items)
		}
		// The decision before it is taken.
		if _, err := b.svc.SendLetter(b.ctx, b.org, number, b.board.caller, reglement.LetterDecision, to, ""); !asMissing(err, &missing) {
			t.Fatalf("decision before deciding: %v", err)
		}
		ls, _ := b.svc.Letters(b.ctx, b.org, number)
		js, _ := b.st.CaseJobs(b.ctx, b.org, v.Record.ID)
		js = slices.DeleteFunc(js, func(j store.Job) bool { return j.Kind == jobs.KindPortalLink })
		if len(ls) != 0 || len(js) != 0 {
			t.Fatalf("a refused letter left %d letters and %d jobs", len(ls), len(js))
		}
		b.runDue()
		if n := len(b.letterMails()); n != 0 {
			t.Fatalf("%d e-mails", n)
		}
	})
}

func TestWithoutMailServerLettersWait(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{noMail: true})
		if b.runner.Mails() {
			t.Fatal("a runner without mailer mails")
		}
		number, to := b.ackCase()
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		b.runDue()
		b.clock.set(b.clock.Now().Add(48 * time.Hour))
		b.runDue()
		if j := b.sendJob(l); j.State != store.JobQueued || j.Attempts != 0 {
			t.Fatalf("without a mail server the job waits untouched: %+v", j)
		}
		if got := b.letter(l.ID); got.State != store.LetterQueued || len(got.PDF) == 0 {
			t.Fatalf("the letter is stored: %+v", got.State)
		}
		// Reminders wait too; the scan itself ran.
		stats, _ := b.st.JobStats(b.ctx, b.org)
		if stats[jobs.KindReminderScan][store.JobDone] == 0 || stats[jobs.KindReminder][store.JobQueued] == 0 {
			t.Fatalf("stats: %v", stats)
		}

		// A process with a mail server takes over.
		srv := mailtest.Start(t)
		sender, err := mail.NewSender(srv.Config())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := jobs.New(b.svc, sender, jobs.Config{}, nil).RunDue(b.ctx); err != nil {
			t.Fatal(err)
		}
		if got := b.letter(l.ID); got.State != store.LetterSent {
			t.Fatalf("sent by the other process: %s", got.State)
		}
		if n := len(srv.Received()); n < 1 {
			t.Fatal("nothing received")
		}
		if stats, _ := b.st.JobStats(b.ctx, b.org); stats[jobs.KindReminder][store.JobQueued] == 0 {
			t.Fatalf("the reminders of later days still wait: %v", stats)
		}
	})
}

func TestPostedLetterCountsWhenMarked(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number, to := b.ackCase()
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, store.LetterPost)
		if err != nil {
			t.Fatal(err)
		}
		b.runDue()
		if n := len(b.letterMails()); n != 0 {
			t.Fatal("a letter by post is not e-mailed")
		}
		if v := b.view(number); v.Case.AcknowledgedOn != nil {
			t.Fatal("not acknowledged before it is posted")
		}
		b.at(calendar.D(2026, 11, 25), 11)
		if _, err := b.svc.MarkPosted(b.ctx, b.org, l.ID, b.handler.caller, calendar.D(2026, 11, 26)); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("posted tomorrow: %v", err)
		}
		got, err := b.svc.MarkPosted(b.ctx, b.org, l.ID, b.handler.caller, calendar.D(2026, 11, 24))
		if err != nil || got.State != store.LetterPosted || got.PostedOn != calendar.D(2026, 11, 24) {
			t.Fatalf("posted: %+v %v", got, err)
		}
		v := b.view(number)
		if v.Case.AcknowledgedOn == nil || *v.Case.AcknowledgedOn != calendar.D(2026, 11, 24) {
			t.Fatalf("the acknowledgement counts as given on the posting date: %v", v.Case.AcknowledgedOn)
		}
		last := v.Events[len(v.Events)-1]
		if !strings.Contains(string(last.Payload), `"via":"post"`) {
			t.Fatalf("via post: %s", last.Payload)
		}
		// Marked twice: nothing more.
		if _, err := b.svc.MarkPosted(b.ctx, b.org, l.ID, b.handler.caller, calendar.D(2026, 11, 24)); err != nil {
			t.Fatal(err)
		}
		if n := len(b.view(number).Events); n != len(v.Events) {
			t.Fatalf("marking twice added %d events", n-len(v.Events))
		}
	})
}

// recordingMailer records what it is asked to send.
type recordingMailer struct {
	mu   sync.Mutex
	sent []sentMail
	now  func() time.Time
	hook func(mail.Message)
}

type sentMail struct {
	at  time.Time
	msg mail.Message
}

func (m *recordingMailer) Send(_ context.Context, msg mail.Message) error {
	m.mu.Lock()
	m.sent = append(m.sent, sentMail{at: m.now(), msg: msg})
	hook := m.hook
	m.mu.Unlock()
	if hook != nil {
		hook(msg)
	}
	return nil
}

func (m *recordingMailer) all() []sentMail {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sentMail(nil), m.sent...)
}

func TestRunStopsGracefully(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		sent := make(chan mail.Message, 16)
		rec := &recordingMailer{hook: func(m mail.Message) { sent <- m }}
		b := setup(t, dsn, "smartplus", setupOptions{mailer: rec, cfg: jobs.Config{Interval: time.Hour}})
		rec.now = b.clock.Now
		number, to := b.ackCase()
		ctx, cancel := context.WithCancel(b.ctx)
		done := make(chan error, 1)
		go func() { done <- b.runner.Run(ctx) }()
		l, err := b.svc.SendLetter(b.ctx, b.org, number, b.handler.caller, reglement.LetterAcknowledgement, to, "")
		if err != nil {
			t.Fatal(err)
		}
		b.runner.Wake()
		for {
			select {
			case m := <-sent:
				if !strings.Contains(m.MessageID, l.ID) {
					continue // a reminder
				}
			case <-time.After(20 * time.Second):
				t.Fatal("the woken runner did not send the letter")
			}
			break
		}
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("Run did not stop")
		}
		// The letter's delivery was recorded before Run returned.
		if got := b.letter(l.ID); got.State != store.LetterSent {
			t.Fatalf("letter %s", got.State)
		}
	})
}

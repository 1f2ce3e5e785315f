package smtpsource_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/mailin/mailintest"
	"github.com/gegrond/gegrond/internal/mailin/smtpsource"
)

var now = time.Date(2026, 3, 2, 9, 14, 3, 0, time.FixedZone("CET", 3600))

const complaint = "Message-ID: <smtp.1@example.nl>\r\nFrom: Els <els@example.nl>\r\nTo: klachten@nextbest.test\r\n" +
	"Subject: Klacht\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMijn coach kwam niet.\r\n"

type testBundle struct {
	addr string
	sink *mailintest.Sink
}

func setup(t *testing.T, change ...func(*smtpsource.Config)) *testBundle {
	t.Helper()
	b := &testBundle{sink: &mailintest.Sink{}}
	cfg := smtpsource.Config{
		Domain: "mx.gegrond.test",
		Recipients: smtpsource.StaticRecipients(map[string]string{
			"klachten@nextbest.test":   "org-nextbest",
			"Info@Standergroep.test":   "org-stander",
			"klachten2@nextbest.test ": "org-nextbest",
		}),
		MaxMessageBytes: 4096,
		Now:             func() time.Time { return now },
		Logger:          slog.New(slog.NewTextHandler(io.Discard, nil)),
	}
	for _, c := range change {
		c(&cfg)
	}
	srv, err := smtpsource.New(cfg, b.sink)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		srv.Close()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	b.addr = ln.Addr().String()
	return b
}

// send delivers one message over SMTP and returns the error of the step
// that failed: RCPT errors for each recipient, then DATA's.
func (b *testBundle) send(t *testing.T, from string, to []string, msg string) (rcptErrs []error, dataErr error) {
	t.Helper()
	c, err := smtp.Dial(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Hello("mail.example.nl"); err != nil {
		t.Fatal(err)
	}
	if err := c.Mail(from, nil); err != nil {
		t.Fatal(err)
	}
	accepted := 0
	for _, rcpt := range to {
		err := c.Rcpt(rcpt, nil)
		rcptErrs = append(rcptErrs, err)
		if err == nil {
			accepted++
		}
	}
	if accepted == 0 {
		return rcptErrs, nil
	}
	w, err := c.Data()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, msg); err != nil {
		return rcptErrs, err
	}
	dataErr = w.Close()
	c.Quit()
	return rcptErrs, dataErr
}

func code(err error) int {
	var e *smtp.SMTPError
	if errors.As(err, &e) {
		return e.Code
	}
	if err == nil {
		return 250
	}
	return -1
}

func TestAcceptsMailForAComplaintAddress(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rcpt, err := b.send(t, "els@example.nl", []string{"Klachten@NextBest.test"}, complaint)
	if rcpt[0] != nil || err != nil {
		t.Fatalf("RCPT %v, DATA %v", rcpt[0], err)
	}
	kept := b.sink.Kept()
	if len(kept) != 1 {
		t.Fatalf("%d kept", len(kept))
	}
	d := kept[0]
	if d.OrgID != "org-nextbest" || !d.ReceivedAt.Equal(now) || d.Message.MessageID != "smtp.1@example.nl" || d.Message.Text != "Mijn coach kwam niet." {
		t.Errorf("kept %q %v %q %q", d.OrgID, d.ReceivedAt, d.Message.MessageID, d.Message.Text)
	}
	raw := string(d.Message.Raw)
	if !strings.HasSuffix(raw, complaint) {
		t.Errorf("the message is not kept as sent:\n%s", raw)
	}
	trace := strings.TrimSuffix(raw, complaint)
	for _, want := range []string{"Return-Path: <els@example.nl>\r\n", "Received: from mail.example.nl (127.0.0.1:", "by mx.gegrond.test", "for <klachten@nextbest.test>; Mon, 02 Mar 2026 09:14:03 +0100\r\n"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace fields lack %q:\n%s", want, trace)
		}
	}
}

func TestRefusesOtherRecipients(t *testing.T) {
	t.Parallel()
	b := setup(t)
	rcpt, err := b.send(t, "els@example.nl", []string{"directeur@nextbest.test", "klachten@nextbest.test"}, complaint)
	if code(rcpt[0]) != 550 || rcpt[1] != nil || err != nil {
		t.Fatalf("RCPT %v, %v; DATA %v", rcpt[0], rcpt[1], err)
	}
	if kept := b.sink.Kept(); len(kept) != 1 || kept[0].OrgID != "org-nextbest" {
		t.Fatalf("kept %v", kept)
	}
	rcpt, _ = b.send(t, "els@example.nl", []string{"nobody@elsewhere.test"}, complaint)
	if code(rcpt[0]) != 550 {
		t.Errorf("unknown recipient: %v", rcpt[0])
	}
}

func TestDeliversOncePerOrganisation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test", "klachten2@nextbest.test", "info@standergroep.test"}, complaint)
	if err != nil {
		t.Fatal(err)
	}
	kept := b.sink.Kept()
	if len(kept) != 2 || kept[0].OrgID != "org-nextbest" || kept[1].OrgID != "org-stander" || kept[0].Times != 1 {
		t.Fatalf("kept %+v", kept)
	}
}

func TestAnswers451WhenTheSinkFails(t *testing.T) {
	t.Parallel()
	b := setup(t)
	var mu sync.Mutex
	down := true
	b.sink.Fail = func(string, *mailin.Message) error {
		mu.Lock()
		defer mu.Unlock()
		if down {
			return mailintest.ErrFailed
		}
		return nil
	}
	if _, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, complaint); code(err) != 451 {
		t.Fatalf("DATA %v; want 451", err)
	}
	if len(b.sink.Kept()) != 0 {
		t.Fatal("kept although the Sink failed")
	}
	// The sending server tries again later, and then it is kept once.
	mu.Lock()
	down = false
	mu.Unlock()
	for range 2 {
		if _, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, complaint); err != nil {
			t.Fatalf("retry: %v", err)
		}
	}
	if kept := b.sink.Kept(); len(kept) != 1 || kept[0].Times != 2 {
		t.Fatalf("kept %d; want one message", len(kept))
	}
}

func TestAnswers451WhenRecipientsCannotBeLookedUp(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *smtpsource.Config) {
		c.Recipients = func(context.Context, string) (string, bool, error) { return "", false, errors.New("database down") }
	})
	rcpt, _ := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, complaint)
	if code(rcpt[0]) != 451 {
		t.Fatalf("RCPT %v; want 451", rcpt[0])
	}
}

func TestRefusesMessagesOverTheSizeLimit(t *testing.T) {
	t.Parallel()
	b := setup(t)
	big := complaint + strings.Repeat("x", 5000) + "\r\n"
	if _, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, big); code(err) != 552 {
		t.Fatalf("DATA %v; want 552", err)
	}
	if len(b.sink.Kept()) != 0 || b.sink.Attempts() != 0 {
		t.Fatal("a message over the limit reached the Sink")
	}
	// A sender that announces the size is refused at MAIL FROM.
	c, err := smtp.Dial(b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.Mail("els@example.nl", &smtp.MailOptions{Size: 5000}); code(err) != 552 {
		t.Errorf("MAIL FROM SIZE=5000: %v", err)
	}
	// The same connection still takes a message of the right size.
	if _, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, complaint); err != nil {
		t.Fatal(err)
	}
}

func TestBouncesAreMarkedAsAutoReplies(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if _, err := b.send(t, "", []string{"klachten@nextbest.test"}, complaint); err != nil {
		t.Fatal(err)
	}
	kept := b.sink.Kept()
	if len(kept) != 1 || kept[0].Message.AutoReplyReason() != "bounce" {
		t.Fatalf("kept %d; a null sender must read as a bounce", len(kept))
	}
}

func TestHeaderInjectionThroughTheEnvelopeIsHarmless(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// A bare CR in EHLO, which a line-based reader keeps in the name.
	conn, err := net.Dial("tcp", b.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	script := "EHLO evil\rX-Injected: yes\r\nMAIL FROM:<els@example.nl>\r\nRCPT TO:<klachten@nextbest.test>\r\nDATA\r\n" +
		complaint + ".\r\nQUIT\r\n"
	if _, err := io.WriteString(conn, script); err != nil {
		t.Fatal(err)
	}
	reply, _ := io.ReadAll(conn)
	if !bytes.Contains(reply, []byte("250 2.0.0")) {
		t.Fatalf("not accepted:\n%s", reply)
	}
	kept := b.sink.Kept()
	if len(kept) != 1 {
		t.Fatalf("%d kept", len(kept))
	}
	if _, ok := kept[0].Message.Header["X-Injected"]; ok || bytes.Contains(kept[0].Message.Raw, []byte("\rX-Injected")) {
		t.Errorf("injected field in\n%q", kept[0].Message.Raw)
	}
}

func TestNewChecksItsConfig(t *testing.T) {
	t.Parallel()
	if _, err := smtpsource.New(smtpsource.Config{}, &mailintest.Sink{}); err == nil {
		t.Error("a server without recipients")
	}
	if _, err := smtpsource.New(smtpsource.Config{Recipients: smtpsource.StaticRecipients(nil)}, nil); err == nil {
		t.Error("a server without a sink")
	}
}

func TestLongLines(t *testing.T) {
	t.Parallel()
	b := setup(t, func(c *smtpsource.Config) { c.MaxMessageBytes = 1 << 20 })
	// A whole HTML body on one line, longer than RFC 5321 allows, still
	// reaches the Sink: a complaint is worth more than the rule.
	long := complaint + strings.Repeat("x", 5000) + "\r\n"
	if _, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, long); err != nil {
		t.Fatalf("a 5000-character line: %v", err)
	}
	// A line that no mailer writes is refused for good (500), not 451
	// forever. go-smtp closes the connection at once, so the client may
	// see the reset before the answer.
	absurd := complaint + strings.Repeat("x", 100<<10) + "\r\n"
	_, err := b.send(t, "els@example.nl", []string{"klachten@nextbest.test"}, absurd)
	if c := code(err); c == 250 || c/100 == 4 {
		t.Fatalf("a 100 KiB line: %v; want a permanent refusal", err)
	}
	if n := len(b.sink.Kept()); n != 1 {
		t.Errorf("%d kept", n)
	}
}

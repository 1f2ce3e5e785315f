package jobs_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"

	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/mailin"
	"github.com/gegrond/gegrond/internal/mailin/smtpsource"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// TestReplyToAcknowledgementLandsOnItsCase sends the acknowledgement
// through a real SMTP server, then has the complainant answer it through
// the SMTP receiver of complaint mail with a subject that no longer names
// the case: the reply is found by the letter's Message-ID (which carries
// our reply token) and by the token alone when the letter's own
// Message-ID is not quoted, and lands on the same case, never on the
// triage list.
func TestReplyToAcknowledgementLandsOnItsCase(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn, "smartplus", setupOptions{})
		number := b.receive("Ëlif Çelik")
		b.assign(number)
		ack := b.sendLetters(number, b.handler, reglement.LetterAcknowledgement)[0]
		sent := b.messageOf(ack)
		tok, ok := mailin.ParseMessageID(sent.MessageID)
		if !ok || tok.OrgID != b.org || tok.CaseNumber != number || tok.Nonce != ack.ID {
			t.Fatalf("the acknowledgement's Message-ID %q carries no reply token for case %s: %+v", sent.MessageID, number, tok)
		}
		if ack.MessageID != sent.MessageID {
			t.Fatalf("the letter records Message-ID %q, the mail carried %q", ack.MessageID, sent.MessageID)
		}

		addr := receiver(t, b)
		reply := func(id, inReplyTo string) string {
			return "Message-ID: <" + id + ">\r\nFrom: Elif Celik <elif@example.test>\r\nTo: klachten@smartplus.test\r\n" +
				"Subject: Re: uw brief\r\nIn-Reply-To: <" + inReplyTo + ">\r\nReferences: <" + inReplyTo + ">\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\n\r\nDank u, ik heb nog een vraag.\r\n"
		}
		other, err := mailin.NewMessageID(b.org, number, "smartplus.test")
		if err != nil {
			t.Fatal(err)
		}
		smtpSend(t, addr, "klachten@smartplus.test", reply("reply.1@example.test", sent.MessageID))
		smtpSend(t, addr, "klachten@smartplus.test", reply("reply.2@example.test", other))

		inbox, err := b.svc.Inbox(b.ctx, b.org, b.board.caller, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(inbox) != 2 {
			t.Fatalf("%d messages stored, want the 2 replies", len(inbox))
		}
		for _, m := range inbox {
			if m.State != store.InboundAttached || m.CaseNumber != number {
				t.Errorf("reply %s: state %s on case %q, want attached to %s", m.MessageID, m.State, m.CaseNumber, number)
			}
		}
		var got []string
		for _, e := range b.view(number).Events {
			if e.Type == complaint.EvMessageReceived {
				var p complaint.MessageReceivedPayload
				if err := json.Unmarshal(e.Payload, &p); err != nil {
					t.Fatal(err)
				}
				got = append(got, p.MessageID)
			}
		}
		if strings.Join(got, " ") != "reply.1@example.test reply.2@example.test" {
			t.Errorf("message_received events on case %s: %v", number, got)
		}
	})
}

// receiver starts the SMTP receiver of complaint mail for the bundle's
// organisations, delivering into its service, and returns its address.
func receiver(t *testing.T, b *testBundle) string {
	t.Helper()
	srv, err := smtpsource.New(smtpsource.Config{
		Domain: "mx.gegrond.test", Recipients: b.svc.ComplaintAddressOrg, Now: b.svc.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, b.svc.MailSink())
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
	return ln.Addr().String()
}

// smtpSend delivers one message over SMTP, failing the test when any step
// is refused.
func smtpSend(t *testing.T, addr, to, msg string) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail("elif@example.test", []string{to}, strings.NewReader(msg)); err != nil {
		t.Fatalf("deliver to %s: %v", to, err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

package service_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/mailin/smtpsource"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

const complaintAddress = "klachten@acme.test"

// complaintMail is a complaint with a PDF and a program attached.
const complaintMail = "From: =?utf-8?q?Zo=C3=AB_=C3=87elik?= <Zoe@Example.nl>\r\n" +
	"To: " + complaintAddress + "\r\n" +
	"Subject: Klacht over mijn coach\r\n" +
	"Message-ID: <complaint-1@example.nl>\r\n" +
	"Date: Tue, 10 Mar 2026 09:58:00 +0100\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=\"b1\"\r\n" +
	"\r\n" +
	"--b1\r\n" +
	"Content-Type: text/plain; charset=utf-8\r\n" +
	"\r\n" +
	"Mijn coach kwam drie keer niet opdagen.\r\n" +
	"--b1\r\n" +
	"Content-Type: application/pdf; name=\"verslag.pdf\"\r\n" +
	"Content-Disposition: attachment; filename=\"verslag.pdf\"\r\n" +
	"\r\n" +
	"%PDF-1.4\r\n1 0 obj << >> endobj\r\ntrailer << >>\r\n%%EOF\r\n" +
	"--b1\r\n" +
	"Content-Type: application/octet-stream; name=\"factuur.exe\"\r\n" +
	"Content-Disposition: attachment; filename=\"factuur.exe\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\r\n" +
	"--b1--\r\n"

func mail(headers, body string) string {
	return "From: Zoë Çelik <zoe@example.nl>\r\nTo: " + complaintAddress + "\r\n" + headers +
		"Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
}

// serveMail starts the SMTP receiver on the service, the organisation's
// complaint address looked up from the store, and returns its address.
func serveMail(t *testing.T, b *bundle) string {
	t.Helper()
	ctx := context.Background()
	org, err := b.st.GetOrganisation(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	org.Settings = json.RawMessage(`{"letters":{"complaint_email":"` + complaintAddress + `"}}`)
	if _, err := b.st.UpdateOrganisation(ctx, org); err != nil {
		t.Fatal(err)
	}
	srv, err := smtpsource.New(smtpsource.Config{
		Domain: "mx.gegrond.test", Recipients: b.svc.ComplaintAddressOrg,
		Now:    func() time.Time { return *b.clock },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	}, b.svc.MailSink())
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func sendMail(t *testing.T, addr, to, msg string) error {
	t.Helper()
	return smtp.SendMail(addr, nil, "zoe@example.nl", []string{to}, []byte(msg))
}

func inbox(t *testing.T, b *bundle, state store.InboundState) []store.Inbound {
	t.Helper()
	list, err := b.svc.Inbox(context.Background(), "acme", b.handler, state)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestMailBecomesACaseFromItsArrivalDate(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		addr := serveMail(t, b)
		arrival := calendar.FromTime(*b.clock)
		if err := sendMail(t, addr, "nobody@acme.test", complaintMail); err == nil {
			t.Fatal("mail to an unknown address was accepted")
		}
		// Delivered twice (the sender did not see our 250): one message.
		for range 2 {
			if err := sendMail(t, addr, "Klachten@ACME.test", complaintMail); err != nil {
				t.Fatal(err)
			}
		}
		list := inbox(t, b, store.InboundToTriage)
		if len(list) != 1 {
			t.Fatalf("triage list holds %d messages, want 1", len(list))
		}
		m := list[0]
		if m.FromName != "Zoë Çelik" || m.FromAddr != "zoe@example.nl" || m.Subject != "Klacht over mijn coach" || len(m.Attachments) != 2 {
			t.Fatalf("message: %+v", m)
		}
		if a := m.Attachments[0]; a.Name != "verslag.pdf" || a.Quarantined {
			t.Fatalf("pdf: %+v", a)
		}
		if a := m.Attachments[1]; a.Name != "factuur.exe" || !a.Quarantined || a.QuarantineReason != "file_type_not_allowed" {
			t.Fatalf("program not quarantined with its reason: %+v", a)
		}
		if other, _ := b.st.ListInbox(ctx, "other", ""); len(other) != 0 {
			t.Fatalf("the other organisation got mail: %+v", other)
		}

		// Triaged three days later: the clock runs from the arrival.
		*b.clock = b.clock.AddDate(0, 0, 3)
		if _, err := b.svc.TriageInbound(ctx, "acme", m.ID, b.handler, service.TriageInput{As: "not_complaint"}); apperr.CodeOf(err) != apperr.Invalid {
			t.Fatalf("not_complaint without a reason: %v", err)
		}
		incident := arrival.AddDays(-7)
		in := service.TriageInput{As: "complaint", Intake: &complaint.Intake{ContactPerson: "Dirk Smit", IncidentDate: &incident}}
		res, err := b.svc.TriageInbound(ctx, "acme", m.ID, b.handler, in)
		if err != nil {
			t.Fatal(err)
		}
		c := res.Case
		if res.Message.State != store.InboundComplaint || res.Message.CaseNumber != c.Number {
			t.Fatalf("message after triage: %+v", res.Message)
		}
		it := c.Case.Intake
		if it.ReceivedOn != arrival || it.Channel != reglement.ChannelEmail || it.Complainant.Name != "Zoë Çelik" ||
			it.Complainant.Email != "zoe@example.nl" || !strings.Contains(it.Facts, "drie keer niet") {
			t.Fatalf("intake: %+v", it)
		}
		// The same deadlines as a complaint registered on the arrival date.
		ref, _, err := b.svc.CreateCase(ctx, "acme", b.board, intake(arrival), "")
		if err != nil {
			t.Fatal(err)
		}
		if len(c.Deadlines) == 0 || len(c.Deadlines) != len(ref.Deadlines) {
			t.Fatalf("deadlines: %+v", c.Deadlines)
		}
		for i := range c.Deadlines {
			if c.Deadlines[i].Due != nil && *c.Deadlines[i].Due != *ref.Deadlines[i].Due {
				t.Fatalf("deadline %s due %s, want %s (from the arrival date)", c.Deadlines[i].Step, c.Deadlines[i].Due, ref.Deadlines[i].Due)
			}
		}
		var docs []string
		for _, e := range c.Events {
			if e.Type == complaint.EvDocumentAdded {
				var p complaint.DocumentPayload
				_ = json.Unmarshal(e.Payload, &p)
				docs = append(docs, p.Name)
			}
		}
		if len(docs) != 1 || docs[0] != "verslag.pdf" {
			t.Fatalf("documents on the case: %v (the quarantined file stays with the message)", docs)
		}
		// A retry of the same triage opens no second case.
		again, err := b.svc.TriageInbound(ctx, "acme", m.ID, b.handler, in)
		if err != nil || again.Case.Number != c.Number || len(again.Case.Events) != len(c.Events) {
			t.Fatalf("retry: %v", err)
		}
		if _, err := b.svc.TriageInbound(ctx, "acme", m.ID, b.handler, service.TriageInput{As: "not_complaint", Reason: "x"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("second decision: %v", err)
		}

		// A reply naming the case lands on it.
		reply := mail("Subject: Re: uw klacht, dossier "+c.Number+"\r\nMessage-ID: <reply-1@example.nl>\r\nIn-Reply-To: <unknown@elsewhere>\r\n", "Hierbij de gevraagde gegevens.")
		for range 2 {
			if err := sendMail(t, addr, complaintAddress, reply); err != nil {
				t.Fatal(err)
			}
		}
		after, err := b.svc.Case(ctx, "acme", c.Number, b.handler)
		if err != nil {
			t.Fatal(err)
		}
		var got []complaint.MessageReceivedPayload
		for _, e := range after.Events {
			if e.Type == complaint.EvMessageReceived {
				var p complaint.MessageReceivedPayload
				_ = json.Unmarshal(e.Payload, &p)
				got = append(got, p)
			}
		}
		if len(got) != 1 || got[0].MessageID != "reply-1@example.nl" || got[0].InboundID == "" {
			t.Fatalf("message_received events: %+v", got)
		}
		attached := inbox(t, b, store.InboundAttached)
		if len(attached) != 1 || attached[0].CaseNumber != c.Number || len(inbox(t, b, store.InboundToTriage)) != 0 {
			t.Fatalf("attached: %+v", attached)
		}
	})
}

func TestAutoReplyNeverOpensACase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		b := setup(t, dsn)
		ctx := context.Background()
		ooo := mail("Subject: Afwezig\r\nMessage-ID: <ooo-1@example.nl>\r\nAuto-Submitted: auto-replied\r\n", "Ik ben afwezig tot maandag.")
		if err := b.svc.DeliverMail(ctx, "acme", []byte(ooo), *b.clock); err != nil {
			t.Fatal(err)
		}
		if n := len(inbox(t, b, store.InboundToTriage)); n != 0 {
			t.Fatalf("auto-reply on the triage list: %d", n)
		}
		list := inbox(t, b, store.InboundNotComplaint)
		if len(list) != 1 || list[0].AutoReplyReason != "auto-submitted" {
			t.Fatalf("auto-reply not kept: %+v", list)
		}
		if _, err := b.svc.TriageInbound(ctx, "acme", list[0].ID, b.handler, service.TriageInput{As: "complaint"}); apperr.CodeOf(err) != apperr.Conflict {
			t.Fatalf("auto-reply triaged as a complaint: %v", err)
		}
		if cases, _ := b.svc.Cases(ctx, "acme", store.CaseFilter{}); len(cases) != 0 {
			t.Fatalf("cases: %d", len(cases))
		}
		// Unreadable mail is kept raw for a person.
		if err := b.svc.DeliverMail(ctx, "acme", nil, *b.clock); err != nil {
			t.Fatal(err)
		}
		if l := inbox(t, b, store.InboundToTriage); len(l) != 1 || l[0].ParseProblem == "" {
			t.Fatalf("unreadable: %+v", l)
		}
		// Only those who handle complaints see the mail.
		nobody := complaint.Caller{Actor: complaint.Actor{Name: "X"}, Roles: []reglement.Role{"accused_employee"}}
		if _, err := b.svc.Inbox(ctx, "acme", nobody, ""); apperr.CodeOf(err) != apperr.Forbidden {
			t.Fatalf("inbox for another role: %v", err)
		}
	})
}

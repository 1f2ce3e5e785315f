package main

import (
	"encoding/base64"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"

	"github.com/gegrond/gegrond/internal/mail/mailtest"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// mailAddr waits for the server's log line of its SMTP receiver and
// returns the address it listens on.
func (s *server) mailAddr() string {
	s.t.Helper()
	re := regexp.MustCompile(`receiving complaint mail.*addr=([0-9.:\[\]]+)`)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := re.FindStringSubmatch(s.stderr.String()); m != nil {
			return m[1]
		}
	}
	s.t.Fatalf("the server logged no mail receiver:\n%s", s.stderr)
	return ""
}

// smtpDeliver hands one message to an SMTP server, as a mail provider
// forwarding to Gegrond does.
func smtpDeliver(t *testing.T, addr, from, to, msg string) {
	t.Helper()
	c, err := smtp.Dial(addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.SendMail(from, []string{to}, strings.NewReader(msg)); err != nil {
		t.Fatalf("deliver to %s: %v", to, err)
	}
	if err := c.Quit(); err != nil {
		t.Fatal(err)
	}
}

// TestMailToDemoOrganisationBecomesCaseAndReplyJoinsIt is issue 8's "done
// when": an e-mail to a demo organisation's complaint address, forwarded
// to `gegrond serve --mail-listen`, appears on the triage list with its
// attachment (kept encrypted), opens a case whose clock runs from the
// arrival date, and the complainant's reply to the acknowledgement,
// which Gegrond sent through its mail server, lands on the same case.
func TestMailToDemoOrganisationBecomesCaseAndReplyJoinsIt(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		out := mailtest.Start(t)
		cfg := out.Config()
		key := base64.StdEncoding.EncodeToString([]byte(strings.Repeat("k", 32)))
		srv := startServer(t, dsn, "--mail-listen", "127.0.0.1:0", "--mail-domain", "mx.gegrond.test",
			"--smtp-host", cfg.Host, "--smtp-port", strconv.Itoa(cfg.Port), "--smtp-tls", "none",
			"--smtp-from", "Gegrond <noreply@gegrond.test>", "--master-key", key, "--blob-dir", t.TempDir())
		api := srv.client(srv.tokens["nextbest"])
		mx := srv.mailAddr()

		// NextBest Art. 4: complaints by e-mail to info@next-best.nl.
		complaintMail := "From: Sanne de Wit <sanne@mail.example>\r\nTo: info@next-best.nl\r\n" +
			"Subject: Klacht over mijn jobcoach\r\nMessage-ID: <e2e-complaint-1@mail.example>\r\n" +
			"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
			"--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nMijn jobcoach kwam twee afspraken niet na.\r\n" +
			"--b\r\nContent-Type: application/pdf; name=\"agenda.pdf\"\r\nContent-Disposition: attachment; filename=\"agenda.pdf\"\r\n\r\n" +
			"%PDF-1.4\r\n1 0 obj << >> endobj\r\ntrailer << >>\r\n%%EOF\r\n--b--\r\n"
		smtpDeliver(t, mx, "sanne@mail.example", "info@next-best.nl", complaintMail)
		arrival := time.Now().In(amsterdam).Format(time.DateOnly)

		var inbox struct {
			Messages []struct {
				ID          string `json:"id"`
				Subject     string `json:"subject"`
				ReceivedAt  string `json:"received_at"`
				Attachments []struct {
					Name        string `json:"name"`
					BlobID      string `json:"blob_id"`
					Quarantined bool   `json:"quarantined"`
				} `json:"attachments"`
			} `json:"messages"`
		}
		if code := api.do("GET", "/api/v1/inbox?state=to_triage", nil, &inbox); code != http.StatusOK {
			t.Fatalf("GET /inbox = %d", code)
		}
		if len(inbox.Messages) != 1 || inbox.Messages[0].Subject != "Klacht over mijn jobcoach" {
			t.Fatalf("triage list: %+v", inbox)
		}
		m := inbox.Messages[0]
		if len(m.Attachments) != 1 || m.Attachments[0].Name != "agenda.pdf" || m.Attachments[0].Quarantined || m.Attachments[0].BlobID == "" {
			t.Fatalf("attachments on the triage list: %+v", m.Attachments)
		}

		incident := time.Now().In(amsterdam).AddDate(0, 0, -10).Format(time.DateOnly)
		var triaged struct {
			Case struct {
				Number string `json:"number"`
				Case   struct {
					Intake struct {
						ReceivedOn string `json:"received_on"`
						Channel    string `json:"channel"`
					} `json:"intake"`
				} `json:"case"`
			} `json:"case"`
		}
		intake := map[string]any{"incident_date": incident, "contact_person": "Noor Visser", "client_name": "Sanne de Wit",
			"service": "jobcoaching", "commissioning_party": "UWV", "desired_outcome": "Een andere coach."}
		if code := api.do("POST", "/api/v1/inbox/"+m.ID+"/triage", map[string]any{"as": "complaint", "intake": intake}, &triaged); code != http.StatusCreated {
			t.Fatalf("triage = %d", code)
		}
		number := triaged.Case.Number
		if in := triaged.Case.Case.Intake; in.ReceivedOn != arrival || in.Channel != "email" {
			t.Fatalf("case %s: received on %s by %s, want %s by email", number, in.ReceivedOn, in.Channel, arrival)
		}

		// The acknowledgement goes out by e-mail; Sanne answers it.
		var me struct {
			User struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"user"`
		}
		api.do("GET", "/api/v1/me", nil, &me)
		if code := api.do("POST", "/api/v1/cases/"+number+"/actions/assign_handler",
			map[string]any{"handler": map[string]any{"name": me.User.Name, "user_id": me.User.ID,
				"email": "klachten@next-best.nl", "phone": "030 123 45 67"}}, nil); code != http.StatusOK {
			t.Fatalf("assign handler = %d:\n%s", code, srv.stderr)
		}
		if code := api.do("POST", "/api/v1/cases/"+number+"/letters", map[string]any{"kind": "acknowledgement", "channel": "email"}, nil); code != http.StatusCreated {
			t.Fatalf("acknowledgement letter = %d", code)
		}
		var ack mailtest.Message
		for deadline := time.Now().Add(time.Minute); ack.MessageID == "" && time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			for _, msg := range out.Messages(t) {
				if len(msg.To) == 1 && msg.To[0].Address == "sanne@mail.example" && msg.Header.Get("X-Gegrond-Letter") == "acknowledgement" {
					ack = msg
				}
			}
		}
		if ack.MessageID == "" {
			t.Fatalf("the acknowledgement never reached the mail server:\n%s", srv.stderr)
		}
		reply := "From: Sanne de Wit <sanne@mail.example>\r\nTo: info@next-best.nl\r\nSubject: Re: ontvangen\r\n" +
			"Message-ID: <e2e-reply-1@mail.example>\r\nIn-Reply-To: <" + ack.MessageID + ">\r\nReferences: <" + ack.MessageID + ">\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n\r\nDank u. Hierbij nog een aanvulling.\r\n"
		smtpDeliver(t, mx, "sanne@mail.example", "info@next-best.nl", reply)

		var view struct {
			Events []struct {
				Type string `json:"type"`
			} `json:"events"`
		}
		if code := api.do("GET", "/api/v1/cases/"+number, nil, &view); code != http.StatusOK {
			t.Fatalf("GET case = %d", code)
		}
		received := 0
		for _, e := range view.Events {
			if e.Type == "message_received" {
				received++
			}
		}
		if received != 1 {
			t.Fatalf("case %s has %d message_received events, want the reply", number, received)
		}
		if code := api.do("GET", "/api/v1/inbox?state=to_triage", nil, &inbox); code != http.StatusOK || len(inbox.Messages) != 0 {
			t.Fatalf("the reply waits on the triage list: %d %+v", code, inbox)
		}
		if code := srv.stop(); code != exitOK {
			t.Errorf("stop = %d:\n%s", code, srv.stderr)
		}
	})
}

package web

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
)

// inboxRoles: the receiver, the handler, the board and administrators see
// and triage incoming mail.
const inboxRoles = "inboxRoles"

func init() {
	routeAllows[inboxRoles] = []string{"receiver", "handler", "board", "administrator"}
	for _, pattern := range []string{"GET /postvak", "GET /postvak/{id}", "POST /postvak/{id}/triage"} {
		entry := routeAccess[pattern]
		entry.who = inboxRoles
		routeAccess[pattern] = entry
	}
}

// deliver puts a message on org's triage list, as the mail sources do,
// and returns its id.
func (b *testBundle) deliver(t *testing.T, org, messageID, subject string, at time.Time) string {
	t.Helper()
	raw := "From: Zoë Çelik <zoe@example.nl>\r\nTo: klachten@example.test\r\n" +
		"Subject: " + subject + "\r\nMessage-ID: <" + messageID + ">\r\n" +
		"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n" +
		"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
		"Mijn coach kwam drie keer niet opdagen. <script>x</script>\r\n" +
		"--b1\r\nContent-Type: application/octet-stream; name=\"factuur.exe\"\r\n" +
		"Content-Disposition: attachment; filename=\"factuur.exe\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		"TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\r\n--b1--\r\n"
	ctx := context.Background()
	if err := b.svc.DeliverMail(ctx, org, []byte(raw), at); err != nil {
		t.Fatal(err)
	}
	list, err := b.store.ListInbox(ctx, org, store.InboundToTriage)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.MessageID == messageID {
			return m.ID
		}
	}
	t.Fatalf("message %s not on the triage list", messageID)
	return ""
}

func TestInboxTriage(t *testing.T) {
	t.Parallel()
	b := setup(t)
	arrived := time.Date(2026, 3, 5, 14, 5, 0, 0, amsterdam)
	msg := b.deliver(t, "smartplus", "web-1@example.nl", "Klacht over mijn coach", arrived)
	spam := b.deliver(t, "smartplus", "web-2@example.nl", "Goedkope horloges", arrived)
	foreign := b.deliver(t, "bestmatch", "web-3@example.nl", "Elders", arrived)

	c := b.signedIn(t, "smartplus/receiver")
	list := c.ok("/postvak")
	for _, want := range []string{"Postvak", `href="/postvak/` + msg + `"`, "Klacht over mijn coach", "05-03-2026 14:05", "Zoë Çelik", "Te beoordelen"} {
		if !strings.Contains(list.body, want) {
			t.Errorf("inbox lacks %q", want)
		}
	}
	if strings.Contains(list.body, "Elders") {
		t.Error("the inbox lists another organisation's message")
	}
	page := c.ok("/postvak/" + msg)
	for _, want := range []string{"klachten@example.test", "factuur.exe", "In quarantaine:", "&lt;script&gt;x&lt;/script&gt;", `value="complaint"`, `value="not_complaint"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("message page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "<script>x") {
		t.Error("the body is not escaped")
	}

	// Geen klacht without a reason: the error next to the field.
	res := c.post("/postvak/"+spam+"/triage", values("as", "not_complaint", "reason", ""))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `id="f-reason-error"`) {
		t.Fatalf("no reason: %d\n%s", res.status, res.body)
	}
	res = c.post("/postvak/"+spam+"/triage", values("as", "not_complaint", "reason", "spam"))
	if res.status != http.StatusSeeOther || res.location() != "/postvak" {
		t.Fatalf("not a complaint: %d to %q\n%s", res.status, res.location(), res.body)
	}
	if p := c.ok("/postvak?status=not_complaint"); !strings.Contains(p.body, "Goedkope horloges") {
		t.Error("the not-complaint list lacks the message")
	}

	// Klacht: to the new case, received on the day the message arrived.
	form := values("as", "complaint", "reason", "")
	for _, f := range []string{"contact_person", "client_name", "commissioning_party", "service", "incident_place", "desired_outcome", "complainant.phone"} {
		form.Set(f, "x")
	}
	form.Set("incident_date", "2026-03-01")
	res = c.post("/postvak/"+msg+"/triage", form)
	m := regexp.MustCompile(`^/zaken/([0-9-]+)$`).FindStringSubmatch(res.location())
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("complaint: %d to %q\n%s", res.status, res.location(), res.body)
	}
	caller, err := b.svc.Caller(context.Background(), "smartplus", b.users["smartplus/receiver"].ID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := b.svc.Case(context.Background(), "smartplus", m[1], caller)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Case.Intake.ReceivedOn; got != calendar.D(2026, 3, 5) {
		t.Errorf("received on %v, want 2026-03-05", got)
	}
	c.ok("/zaken/" + m[1])

	// Another organisation's message is not found; a quality officer and
	// no session are refused.
	if r := c.get("/postvak/" + foreign); r.status != http.StatusNotFound {
		t.Errorf("foreign message: %d, want 404", r.status)
	}
	if r := c.post("/postvak/"+foreign+"/triage", values("as", "not_complaint", "reason", "x")); r.status != http.StatusNotFound {
		t.Errorf("foreign triage: %d, want 404", r.status)
	}
	if r := b.signedIn(t, "smartplus/quality_officer").get("/postvak"); r.status != http.StatusForbidden {
		t.Errorf("quality officer: %d, want 403", r.status)
	}
	if r := b.client(t).get("/postvak"); r.status != http.StatusFound {
		t.Errorf("no session: %d, want 302", r.status)
	}
}

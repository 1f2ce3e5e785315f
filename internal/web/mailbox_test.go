package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func init() {
	routeAccess["GET /beheer/postvak"] = struct {
		who  string
		form url.Values
	}{adminsOnly, nil}
	routeAccess["POST /beheer/postvak"] = struct {
		who  string
		form url.Values
	}{adminsOnly, nil}
}

func TestMailboxSettings(t *testing.T) {
	t.Parallel()
	b := setup(t)
	form := url.Values{"host": {"imap.smartplus.test"}, "port": {"993"}, "security": {"tls"}, "username": {"klachten"},
		"password": {"z33r-geheim"}, "mailbox": {"INBOX"}, "processed": {"Verwerkt"}, "enabled": {"ja"}}
	if r := b.signedIn(t, "smartplus/handler").post("/beheer/postvak", form); r.status != http.StatusForbidden {
		t.Fatalf("handler: %d", r.status)
	}
	admin := b.signedIn(t, "smartplus/administrator")
	// Without a master key the password is refused with a clear message.
	if r := admin.post("/beheer/postvak", form); r.status == http.StatusSeeOther || !strings.Contains(r.body, "GEGROND_MASTER_KEY") {
		t.Fatalf("without key: %d", r.status)
	}
	if err := b.svc.SetMailboxKey(bytes.Repeat([]byte{7}, 32)); err != nil {
		t.Fatal(err)
	}
	if r := admin.post("/beheer/postvak", form); r.status != http.StatusSeeOther {
		t.Fatalf("save: %d %s", r.status, r.body)
	}
	m, err := b.store.GetMailSource(context.Background(), "smartplus")
	if err != nil || m.Host != "imap.smartplus.test" || !m.Enabled || m.ProcessedMailbox != "Verwerkt" || bytes.Contains(m.PasswordEnc, []byte("z33r")) {
		t.Fatalf("stored: %+v %v", m, err)
	}
	page := admin.ok("/beheer/postvak")
	if strings.Contains(page.body, "z33r-geheim") || !strings.Contains(page.body, "opgeslagen") {
		t.Fatalf("page shows the password or not that one is saved")
	}
	bad := url.Values{"host": {"imap.smartplus.test"}, "port": {"x"}, "security": {"tls"}, "username": {"klachten"}}
	if r := admin.post("/beheer/postvak", bad); r.status != http.StatusBadRequest {
		t.Fatalf("bad port: %d", r.status)
	}
}

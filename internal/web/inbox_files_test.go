package web

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/store"
)

func init() {
	for _, pattern := range []string{"GET /postvak/{id}/html", "GET /postvak/{id}/bijlagen/{position}"} {
		entry := routeAccess[pattern]
		entry.who = inboxRoles
		routeAccess[pattern] = entry
	}
}

// htmlMail has a text and an HTML body; the HTML tries everything a
// hostile or tracking mail does.
const htmlMail = "From: Zoë Çelik <zoe@example.nl>\r\nTo: klachten@example.test\r\nSubject: Opgemaakt\r\n" +
	"Message-ID: <html-1@example.nl>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n" +
	"--a\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nDe tekstversie van mijn klacht.\r\n" +
	"--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" +
	"<html><head><script>alert(1)</script><style>body{background:url(https://tracker.example/bg.png)}</style></head>" +
	"<body><p onclick=\"steal()\">Mijn <b>opgemaakte</b> klacht.</p>" +
	"<img src=\"https://tracker.example/pixel.gif\" width=\"1\" height=\"1\">" +
	"<img src=\"x\" onerror=\"alert(2)\"><iframe src=\"https://evil.example/\"></iframe>" +
	"<a href=\"javascript:alert(3)\">klik</a> <a href=\"https://example.nl/info\">info</a></body></html>\r\n" +
	"--a--\r\n"

func TestInboxHTMLBodyIsSandboxed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if err := b.svc.DeliverMail(ctx, "smartplus", []byte(htmlMail), time.Date(2026, 3, 5, 14, 5, 0, 0, amsterdam)); err != nil {
		t.Fatal(err)
	}
	list, err := b.store.ListInbox(ctx, "smartplus", store.InboundToTriage)
	if err != nil || len(list) != 1 {
		t.Fatalf("inbox: %v %+v", err, list)
	}
	msg := list[0].ID
	c := b.signedIn(t, "smartplus/handler")

	page := c.ok("/postvak/" + msg)
	for _, want := range []string{`<iframe class="gg-mailhtml"`, `src="/postvak/` + msg + `/html"`, `sandbox="allow-popups allow-popups-to-escape-sandbox"`, "Toon als tekst"} {
		if !strings.Contains(page.body, want) {
			t.Errorf("message page lacks %q", want)
		}
	}
	if strings.Contains(page.body, "opgemaakte") || strings.Contains(page.body, "tracker.example") {
		t.Error("the HTML body is put into the page itself instead of its frame")
	}
	if csp := page.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("the page's own policy changed: %q", csp)
	}

	body := c.ok("/postvak/" + msg + "/html")
	if !strings.Contains(body.body, "<b>opgemaakte</b>") || !strings.Contains(body.body, `href="https://example.nl/info"`) {
		t.Errorf("the sanitised HTML lost the message:\n%s", body.body)
	}
	for _, bad := range []string{"<script", "alert", "onerror", "onclick", "tracker.example", "evil.example", "javascript:", "<style", "<iframe"} {
		if strings.Contains(strings.ToLower(body.body), bad) {
			t.Errorf("the HTML body carries %q:\n%s", bad, body.body)
		}
	}
	h := body.header
	csp := h.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "img-src data:", "sandbox", "frame-ancestors 'self'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("the HTML body's policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "allow-scripts") || strings.Contains(csp, "allow-same-origin") || strings.Contains(csp, "script-src") {
		t.Errorf("the HTML body's policy lets scripts run: %q", csp)
	}
	if h.Get("X-Frame-Options") != "SAMEORIGIN" || !strings.HasPrefix(h.Get("Content-Type"), "text/html") || h.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("headers: %v", h)
	}

	text := c.ok("/postvak/" + msg + "?weergave=tekst")
	if !strings.Contains(text.body, "De tekstversie van mijn klacht.") || strings.Contains(text.body, "<iframe") || !strings.Contains(text.body, `id="show-html"`) {
		t.Errorf("text view:\n%s", text.body)
	}
	if r := b.signedIn(t, "smartplus/quality_officer").get("/postvak/" + msg + "/html"); r.status != http.StatusForbidden {
		t.Errorf("quality officer: %d, want 403", r.status)
	}
}

func TestInboxAttachmentDownload(t *testing.T) {
	t.Parallel()
	b := setup(t)
	msg := b.deliver(t, "smartplus", "files-1@example.nl", "Met bijlage", time.Date(2026, 3, 5, 14, 5, 0, 0, amsterdam))
	foreign := b.deliver(t, "bestmatch", "files-2@example.nl", "Elders", time.Date(2026, 3, 5, 14, 5, 0, 0, amsterdam))
	c := b.signedIn(t, "smartplus/receiver")

	page := c.ok("/postvak/" + msg)
	if !strings.Contains(page.body, `href="/postvak/`+msg+`/bijlagen/1"`) {
		t.Errorf("the message page does not link its attachment")
	}
	// Quarantined: first the warning with the reason, no file.
	warn := c.ok("/postvak/" + msg + "/bijlagen/1")
	for _, want := range []string{"Bijlage in quarantaine: factuur.exe", "dit soort bestand is als bewijsstuk niet toegestaan", `href="/postvak/` + msg + `/bijlagen/1?bevestigd=1"`} {
		if !strings.Contains(warn.body, want) {
			t.Errorf("warning page lacks %q", want)
		}
	}
	if strings.Contains(warn.header.Get("Content-Disposition"), "attachment") || strings.Contains(warn.body, "MZ\x90") {
		t.Error("the quarantined file was sent without the warning")
	}
	file := c.ok("/postvak/" + msg + "/bijlagen/1?bevestigd=1")
	h := file.header
	if !strings.HasPrefix(file.body, "MZ") || !strings.Contains(h.Get("Content-Disposition"), "attachment") ||
		h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Content-Security-Policy"), "sandbox") {
		t.Errorf("download: %v %q", h, file.body[:min(len(file.body), 20)])
	}
	for _, path := range []string{"/postvak/" + msg + "/bijlagen/2", "/postvak/" + msg + "/bijlagen/0", "/postvak/" + msg + "/bijlagen/x", "/postvak/" + foreign + "/bijlagen/1?bevestigd=1"} {
		if r := c.get(path); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.status)
		}
	}
	if r := b.signedIn(t, "smartplus/quality_officer").get("/postvak/" + msg + "/bijlagen/1?bevestigd=1"); r.status != http.StatusForbidden {
		t.Errorf("quality officer: %d, want 403", r.status)
	}
}

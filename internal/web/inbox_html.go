package web

import (
	"html"
	"io"
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// mailHTMLPolicy is the Content-Security-Policy of a message's HTML
// body: nothing loads (no scripts, no remote images or tracking pixels,
// no fonts, no frames), only inline styles and data: images show, and the
// document runs sandboxed in an opaque origin. Links may open in a new
// tab, which escapes the sandbox: a person clicks them on purpose. It may
// be framed by our own pages only.
const mailHTMLPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; " +
	"form-action 'none'; base-uri 'none'; sandbox allow-popups allow-popups-to-escape-sandbox"

// inboxHTML serves the sanitised HTML body of a message (mailin's
// SanitizeHTML already dropped scripts, event handlers, styles and remote
// images) as a document of its own, for the message page's sandboxed
// frame. The policy above holds even if the sanitiser missed something.
func (a *app) inboxHTML(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	m, err := a.svc.InboundMessage(r.Context(), id.OrgID(), r.PathValue("id"), id.Caller())
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Security-Policy", mailHTMLPolicy)
	h.Set("X-Frame-Options", "SAMEORIGIN")
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	// The body is sanitised HTML, well nested; it is written as it is.
	if _, err := io.WriteString(w, `<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>`+
		html.EscapeString(m.Subject)+`</title></head><body>`+m.HTML+`</body></html>`); err != nil {
		a.log.Warn("web: sending a message's HTML stopped", "err", err)
	}
	return nil
}

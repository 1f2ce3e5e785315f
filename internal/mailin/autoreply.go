package mailin

import (
	"strings"
)

// AutoReply reports whether the message was sent by a machine rather
// than a person: an out-of-office reply, a bounce, a mailing list, or a
// letter of our own coming back. Gegrond never answers such a message
// automatically (RFC 3834), so that two autoresponders cannot loop; the
// message is still kept and shown.
func (m *Message) AutoReply() bool { return m.AutoReplyReason() != "" }

// AutoReplyReason names why AutoReply is true, or returns "":
// "auto-submitted" (RFC 3834 Auto-Submitted other than "no"),
// "precedence" (bulk, junk, list, auto_reply), "x-autoreply" (X-Autoreply,
// X-Autorespond), "bounce" (a null Return-Path or a delivery report),
// "own-letter" (our OwnHeader or another X-Gegrond- field, or our own
// Message-ID).
func (m *Message) AutoReplyReason() string {
	get := func(k string) string { return strings.ToLower(strings.TrimSpace(m.Header.Get(k))) }
	if v := get("Auto-Submitted"); v != "" && !strings.HasPrefix(v, "no") {
		return "auto-submitted"
	}
	switch strings.Trim(get("Precedence"), `"`) {
	case "bulk", "junk", "list", "auto_reply", "auto-reply":
		return "precedence"
	}
	for _, k := range []string{"X-Autoreply", "X-Autorespond", "X-Autoresponse"} {
		if _, ok := m.Header[k]; ok && get(k) != "no" {
			return "x-autoreply"
		}
	}
	if rp, ok := m.Header["Return-Path"]; ok && len(rp) > 0 && strings.Trim(strings.TrimSpace(rp[0]), "<> ") == "" {
		return "bounce"
	}
	if ct, _ := parseMediaType(m.Header.Get("Content-Type")); ct == "multipart/report" {
		return "bounce"
	}
	// OwnHeader, or any other of ours: the mail package's staff notices
	// carry X-Gegrond-Notice, and a digest sent to the complaint address
	// must not become a complaint.
	for k := range m.Header {
		if strings.HasPrefix(k, "X-Gegrond-") {
			return "own-letter"
		}
	}
	if _, ok := ParseMessageID(m.MessageID); ok {
		return "own-letter"
	}
	return ""
}

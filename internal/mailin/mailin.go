// Package mailin turns e-mail that reaches an organisation's complaint
// address into something Gegrond can act on: Parse reads a raw message,
// whatever shape it arrives in, into a normalised Message (decoded headers,
// a plain text body, a sanitised HTML body, attachments, threading
// references); Sink is where the sources in the subpackages (imapsource,
// smtpsource) deliver the raw bytes, and CaseNumberIn, ReplyToken and
// NewMessageID let a reply find the case it belongs to.
//
// The package does no storage. The caller's Sink commits a message
// (deduplicated by organisation and Message-ID) and only then does a
// source tell the mail server the message was processed, so that a crash
// in between leads to a second delivery that the Sink recognises, never to
// a lost or a duplicated complaint.
package mailin

import (
	"bytes"
	"context"
	"io"
	"net/textproto"
	"time"
)

// Sink receives every message a source reads, raw, as it came from the
// mail server: the evidence. Deliver commits the message, in one
// transaction and deduplicated by (orgID, Message-ID) as Parse computes
// it, and returns nil only after the commit. A source marks a message
// processed on the server only after a nil return, so Deliver must accept
// the same message again and then do nothing.
//
// An error means "try again later": the IMAP source leaves the message on
// the server for its next round, the SMTP receiver answers 451 so the
// sending server retries. A message that cannot be parsed is therefore no
// reason for an error: the Sink keeps its raw bytes for a person to look
// at (see ReasonOf for why Parse refused it).
type Sink interface {
	Deliver(ctx context.Context, orgID string, raw []byte, receivedAt time.Time) error
}

// SinkFunc adapts a function to Sink.
type SinkFunc func(ctx context.Context, orgID string, raw []byte, receivedAt time.Time) error

// Deliver calls f.
func (f SinkFunc) Deliver(ctx context.Context, orgID string, raw []byte, receivedAt time.Time) error {
	return f(ctx, orgID, raw, receivedAt)
}

// OwnHeader marks mail that Gegrond sends itself (the mail package's
// letters and notices carry it); a message with it is never treated as a
// new complaint and never answered automatically, so two Gegrond
// installations, or one and its own mailbox, cannot loop.
const OwnHeader = "X-Gegrond-Letter"

// Message is a parsed e-mail.
type Message struct {
	// MessageID is the Message-ID without angle brackets; when the message
	// has none, a synthetic one derived from its content (SyntheticID is
	// then true), so that the same message delivered twice has the same ID.
	MessageID   string
	SyntheticID bool
	// InReplyTo and References are Message-IDs without angle brackets, in
	// header order (References: oldest first).
	InReplyTo  []string
	References []string

	From    []Address
	ReplyTo []Address
	To      []Address
	Cc      []Address
	// Subject is decoded (RFC 2047) to UTF-8, unfolded and trimmed.
	Subject string
	// Date is the Date header; zero when missing or unreadable. The time the
	// message reached us is the source's receivedAt, not this.
	Date time.Time

	// Text is the plain text body: the text/plain alternative where there
	// is one, otherwise the HTML converted to text.
	Text string
	// HTML is the HTML body sanitised for display (SanitizeHTML): no
	// scripts, styles, frames, forms, event handlers or remote images;
	// inline images as src="cid:..."; empty when the message has no HTML.
	HTML string

	// Attachments are the files of the message, inline images and
	// forwarded messages included, in the order they appear.
	Attachments []Attachment

	// Header holds every header field of the top-level message, keys in
	// canonical form, values unfolded and converted to UTF-8 but otherwise
	// as sent (encoded-words not decoded).
	Header textproto.MIMEHeader

	// Problems lists what was odd but not fatal (an unknown charset, a
	// missing boundary), in words a handler can read, for the triage screen.
	Problems []string

	// Raw is the message exactly as read: the evidence to store.
	Raw []byte
}

// Address is a mailbox: a display name (decoded) and an address.
type Address struct {
	Name  string
	Email string
}

// String formats the address for display: `Name <email>` or `email`.
func (a Address) String() string {
	if a.Name == "" {
		return a.Email
	}
	return a.Name + " <" + a.Email + ">"
}

// Attachment is a file carried by a message.
type Attachment struct {
	// Filename is the decoded file name without any directory part; a name
	// is made up ("bijlage-3.pdf", "bericht-2.eml", numbered by position)
	// when the message gives none.
	Filename string
	// ContentType is the declared media type, lower case, without
	// parameters ("application/pdf"). Decide what a file is by its content
	// (mimetype), never by this or the name.
	ContentType string
	// Size is the decoded size in bytes.
	Size int64
	// Content is the decoded content, at most Limits.MaxAttachmentBytes.
	Content []byte
	// Inline is true for parts meant to be shown in the body, such as
	// images the HTML refers to by ContentID.
	Inline bool
	// ContentID is the Content-ID without angle brackets, if any.
	ContentID string
	// TNEF is true for Outlook's winmail.dat (application/ms-tnef): kept
	// as received, not decoded; the handler may ask for the files again.
	TNEF bool
	// Nested is true for a forwarded message (message/rfc822), whose raw
	// bytes are Content; NestedSubject is its decoded subject. Parse the
	// Content to read it.
	Nested        bool
	NestedSubject string
}

// Open returns a reader of the attachment's content.
func (a Attachment) Open() io.Reader { return bytes.NewReader(a.Content) }

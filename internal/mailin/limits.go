package mailin

import (
	"errors"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Limits bound what Parse accepts, so that a hostile or broken message
// cannot exhaust memory or time. A zero field takes its default.
type Limits struct {
	// MaxMessageBytes bounds the raw message (default 50 MiB: a complaint
	// with scanned documents is large, and base64 adds a third).
	MaxMessageBytes int64
	// MaxParts bounds the number of MIME parts, containers included
	// (default 500).
	MaxParts int
	// MaxDepth bounds how deeply multipart parts nest (default 20; real
	// mail rarely goes past 5).
	MaxDepth int
	// MaxAttachmentBytes bounds one decoded attachment (default 35 MiB).
	MaxAttachmentBytes int64
}

// The default limits.
const (
	DefaultMaxMessageBytes    = 50 << 20
	DefaultMaxParts           = 500
	DefaultMaxDepth           = 20
	DefaultMaxAttachmentBytes = 35 << 20
)

// withDefaults fills the zero fields.
func (l Limits) withDefaults() Limits {
	if l.MaxMessageBytes <= 0 {
		l.MaxMessageBytes = DefaultMaxMessageBytes
	}
	if l.MaxParts <= 0 {
		l.MaxParts = DefaultMaxParts
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxAttachmentBytes <= 0 {
		l.MaxAttachmentBytes = DefaultMaxAttachmentBytes
	}
	return l
}

// The reasons Parse gives for refusing a message: stable, for logs, tests
// and the screen that shows an unreadable message. Every error of Parse is
// an *apperr.Error with one of them.
const (
	ReasonTooLarge           = "message_too_large"
	ReasonTooManyParts       = "too_many_parts"
	ReasonTooDeep            = "too_deep"
	ReasonAttachmentTooLarge = "attachment_too_large"
	ReasonEmpty              = "empty_message"
	ReasonRead               = "read_failed"
)

// Reasons lists every reason Parse may give.
var Reasons = []string{ReasonTooLarge, ReasonTooManyParts, ReasonTooDeep, ReasonAttachmentTooLarge, ReasonEmpty, ReasonRead}

// ReasonOf returns the stable reason of a Parse error, or "" when err is
// nil or carries none.
func ReasonOf(err error) string {
	var e *apperr.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

// limitError is an invalid-input error with a reason.
func limitError(reason, format string, args ...any) error {
	return apperr.New(apperr.Invalid, format, args...).WithReason(reason)
}

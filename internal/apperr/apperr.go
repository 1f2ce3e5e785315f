// Package apperr is Gegrond's error vocabulary: a small set of codes that
// every layer uses, so that the API and the screens can map an error to a
// status and show its message to a person.
package apperr

import (
	"errors"
	"fmt"
)

// Code classifies an error. The codes are part of the API.
type Code string

// The error codes.
const (
	Invalid   Code = "invalid"
	NotFound  Code = "not_found"
	Conflict  Code = "conflict"
	Forbidden Code = "forbidden"
	Internal  Code = "internal"
)

// Error is an error with a code, a message a person can act on, and
// optionally the field it concerns.
type Error struct {
	Code    Code
	Message string
	// Field names the input field at fault, for forms and API clients.
	Field string
	// Reason is a stable machine-readable detail under Code, such as
	// "accused_handler" or "extension_beyond_maximum".
	Reason string
}

// Error returns the message.
func (e *Error) Error() string {
	if e.Field != "" {
		return e.Field + ": " + e.Message
	}
	return e.Message
}

// New returns an error with code and a formatted message.
func New(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Field returns an invalid-input error about one field.
func Field(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithReason sets the stable reason of e and returns it.
func (e *Error) WithReason(reason string) *Error {
	e.Reason = reason
	return e
}

// CodeOf returns the code of err: the code of the first *Error in its
// chain, Internal for any other error, and "" for nil.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// MessageOf returns the message to show for err: the message of an *Error,
// or "Internal error." for anything else (which must be logged instead).
func MessageOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

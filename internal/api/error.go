package api

import (
	"errors"
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
)

// Codes of the API's own, beside apperr's: they arise at the HTTP edge
// and never in the core.
const (
	// codeUnauthorized: no token, or one the store does not know.
	codeUnauthorized apperr.Code = "unauthorized"
	// codeMethodNotAllowed: the path exists, the method does not.
	codeMethodNotAllowed apperr.Code = "method_not_allowed"
	// codeTooLarge: the request body exceeds maxBody.
	codeTooLarge apperr.Code = "too_large"
)

// problemKind is how one error code is answered.
type problemKind struct {
	status int
	title  string
}

// problems is THE table from error codes to HTTP statuses. Invalid input
// is 400, whether the JSON is malformed or a value breaks a rule of the
// regulation: one code, one status; a client tells the cases apart by
// "field" and "reason", not by 400 versus 422.
var problems = map[apperr.Code]problemKind{
	apperr.Invalid:       {http.StatusBadRequest, "Invalid request"},
	codeUnauthorized:     {http.StatusUnauthorized, "Unauthorized"},
	apperr.Forbidden:     {http.StatusForbidden, "Forbidden"},
	apperr.NotFound:      {http.StatusNotFound, "Not found"},
	codeMethodNotAllowed: {http.StatusMethodNotAllowed, "Method not allowed"},
	apperr.Conflict:      {http.StatusConflict, "Conflict"},
	codeTooLarge:         {http.StatusRequestEntityTooLarge, "Request too large"},
	apperr.Internal:      {http.StatusInternalServerError, "Internal error"},
}

// problemTypeBase prefixes a code to make a problem's type URI.
const problemTypeBase = "https://gegrond.nl/problems/"

// problem is an RFC 9457 problem details object with Gegrond's extension
// members code, reason and field.
type problem struct {
	Type   string      `json:"type"`
	Title  string      `json:"title"`
	Status int         `json:"status"`
	Detail string      `json:"detail"`
	Code   apperr.Code `json:"code"`
	// Reason is the stable detail under Code (apperr.Error.Reason).
	Reason string `json:"reason,omitempty"`
	// Field names the input at fault.
	Field string `json:"field,omitempty"`
}

// errInternalPanic is answered when a handler panics; the panic is logged.
var errInternalPanic = errors.New("api: handler panicked")

// writeError answers err as a problem. An internal error shows only
// "Internal error." and is logged with the request; the others carry the
// message a person can act on.
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := apperr.CodeOf(err)
	kind, ok := problems[code]
	if !ok {
		a.log.Error("api: error code missing from the status table", "code", code, "err", err)
		code, kind = apperr.Internal, problems[apperr.Internal]
	}
	p := problem{Type: problemTypeBase + string(code), Title: kind.title, Status: kind.status, Code: code}
	if code == apperr.Internal {
		p.Detail = "Internal error."
		a.log.Error("api: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	} else {
		var e *apperr.Error
		errors.As(err, &e)
		p.Detail, p.Reason, p.Field = e.Message, e.Reason, e.Field
	}
	if code == codeUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="gegrond"`)
	}
	if err := writeBody(w, "application/problem+json", kind.status, p); err != nil {
		a.log.Error("api: write problem", "err", err)
	}
}

package web

import (
	"errors"
	"net/http"

	"github.com/gegrond/gegrond/internal/apperr"
)

// The errors of the web layer itself.
var (
	errForbidden   = apperr.New(apperr.Forbidden, "you may not use this page").WithReason("forbidden")
	errNotFound    = apperr.New(apperr.NotFound, "this page does not exist").WithReason("page_not_found")
	errCrossOrigin = apperr.New(apperr.Forbidden, "a form from another site was refused").WithReason("cross_origin")
	errPanic       = errors.New("web: handler panicked")
)

// statuses is THE table from error codes to HTTP statuses of the screens,
// as in the API.
var statuses = map[apperr.Code]int{
	apperr.Invalid:   http.StatusBadRequest,
	apperr.NotFound:  http.StatusNotFound,
	apperr.Conflict:  http.StatusConflict,
	apperr.Forbidden: http.StatusForbidden,
	apperr.Internal:  http.StatusInternalServerError,
}

// statusOf returns the status of err.
func statusOf(err error) int {
	if s, ok := statuses[apperr.CodeOf(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorText is the message to show for err in l: the catalogue's message
// for its reason ("error.<reason>") when there is one, else the error's
// own message, else (internal errors) a generic one.
func errorText(l lang, err error) string {
	var e *apperr.Error
	if !errors.As(err, &e) {
		return l.t("error.internal")
	}
	if e.Reason != "" && hasMessage("error."+e.Reason) {
		return l.t("error." + e.Reason)
	}
	return e.Message
}

// errorPage is the data of the error view.
type errorPage struct {
	Status  int
	Title   string
	Message string
}

// renderError shows err as an error page. An internal error is logged
// with the request and shown as "something went wrong".
func (a *app) renderError(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	if status == http.StatusInternalServerError {
		a.log.Error("web: internal error", "method", r.Method, "path", RedactPath(r.URL.Path), "err", err)
	}
	l := requestLang(r)
	data := errorPage{Status: status, Title: l.t("error.title." + titleKey(status)), Message: errorText(l, err)}
	if rerr := a.render(w, r, status, viewError, "", data); rerr != nil {
		a.log.Error("web: render error page", "err", rerr)
		http.Error(w, http.StatusText(status), status)
	}
}

// titleKey picks the title of an error page by status.
func titleKey(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "invalid"
	case http.StatusForbidden:
		return "forbidden"
	case http.StatusNotFound:
		return "not_found"
	case http.StatusConflict:
		return "conflict"
	}
	return "internal"
}

var viewError = view("error")

// notFound answers a path no route has.
func (a *app) notFound(w http.ResponseWriter, r *http.Request) error { return errNotFound }

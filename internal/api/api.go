// Package api is Gegrond's JSON API under /api/v1: it authenticates a
// bearer token, parses the request, calls the service and renders the
// answer. Errors are RFC 9457 problem details (see error.go); the routes
// are listed in one place, below, and described by openapi.json.
package api

import (
	"log/slog"
	"net/http"

	"github.com/gegrond/gegrond/internal/service"
)

// Prefix is the path every route of the API starts with. The server mounts
// the handler at Prefix + "/".
const Prefix = "/api/v1"

// API serves the JSON API of one service.
type API struct {
	svc *service.Service
	log *slog.Logger
	mux *http.ServeMux
}

// handlerFunc handles one route. who is the authenticated caller, nil on a
// public route. An error is rendered as a problem by serve.
type handlerFunc func(w http.ResponseWriter, r *http.Request, who *principal) error

// route is one entry of the route table.
type route struct {
	// pattern is a ServeMux pattern with its method.
	pattern string
	handle  handlerFunc
	// public routes need no token.
	public bool
}

// routes lists every route of the API. openapi.json describes the same
// set; TestOpenAPIDescribesEveryRoute keeps the two together.
func (a *API) routes() []route {
	return []route{
		{pattern: "GET " + Prefix + "/cases", handle: a.listCases},
		{pattern: "POST " + Prefix + "/cases", handle: a.createCase},
		{pattern: "GET " + Prefix + "/cases/{number}", handle: a.getCase},
		{pattern: "POST " + Prefix + "/cases/{number}/actions/{action}", handle: a.act},
		{pattern: "GET " + Prefix + "/cases/{number}/documents/{id}", handle: a.getDocument},
		{pattern: "POST " + Prefix + "/cases/{number}/erase", handle: a.eraseCase},
		{pattern: "GET " + Prefix + "/retention", handle: a.getRetention},
		{pattern: "POST " + Prefix + "/cases/{number}/letters", handle: a.sendLetter},
		{pattern: "GET " + Prefix + "/cases/{number}/letters", handle: a.listLetters},
		{pattern: "GET " + Prefix + "/letters/{id}", handle: a.getLetter},
		{pattern: "GET " + Prefix + "/letters/{id}/pdf", handle: a.getLetterPDF},
		{pattern: "POST " + Prefix + "/letters/{id}/posted", handle: a.markLetterPosted},
		{pattern: "POST " + Prefix + "/letters/{id}/resend", handle: a.resendLetter},
		{pattern: "GET " + Prefix + "/jobs/failed", handle: a.failedJobs},
		{pattern: "GET " + Prefix + "/inbox", handle: a.listInbox},
		{pattern: "GET " + Prefix + "/inbox/{id}", handle: a.getInbound},
		{pattern: "POST " + Prefix + "/inbox/{id}/triage", handle: a.triageInbound},
		{pattern: "GET " + Prefix + "/reglement", handle: a.getReglement},
		{pattern: "GET " + Prefix + "/me", handle: a.getMe},
		// The description of the API holds no personal data.
		{pattern: "GET " + Prefix + "/openapi.json", handle: a.getOpenAPI, public: true},
	}
}

// New returns the API handler. It expects full paths starting with
// Prefix; the server mounts it at Prefix + "/".
func New(svc *service.Service, log *slog.Logger) http.Handler {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &API{svc: svc, log: log, mux: http.NewServeMux()}
	for _, rt := range a.routes() {
		a.mux.Handle(rt.pattern, a.serve(rt))
	}
	// Anything else is an unknown route or a wrong method, answered as a
	// problem rather than ServeMux's plain text.
	a.mux.Handle("/", a.serve(route{handle: a.noRoute, public: true}))
	return a.mux
}

// serve wraps a route's handler: common headers, authentication, errors
// and panics rendered as problems.
func (a *API) serve(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		// Cases hold personal data: nothing is kept by caches on the way.
		h.Set("Cache-Control", "no-store")
		h.Set("X-Content-Type-Options", "nosniff")
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				a.log.Error("api: panic", "method", r.Method, "path", r.URL.Path, "panic", v)
				a.writeError(w, r, errInternalPanic)
			}
		}()
		var who *principal
		if !rt.public {
			var err error
			if who, err = a.authenticate(r); err != nil {
				a.writeError(w, r, err)
				return
			}
		}
		if err := rt.handle(w, r, who); err != nil {
			a.writeError(w, r, err)
		}
	})
}

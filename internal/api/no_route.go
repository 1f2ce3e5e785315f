package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
)

// probeMethods are the methods tried to tell a wrong method from an
// unknown path.
var probeMethods = []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete}

// noRoute answers a request no route takes: 405 with Allow when the path
// is known under another method, else 404. The route table stays the one
// source: the methods are found by asking the mux.
func (a *API) noRoute(w http.ResponseWriter, r *http.Request, _ *principal) error {
	var allowed []string
	for _, m := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := a.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) == 0 {
		return apperr.New(apperr.NotFound, "no route %s; see %s/openapi.json", r.URL.Path, Prefix).WithReason("no_route")
	}
	if slices.Contains(allowed, http.MethodGet) {
		allowed = append(allowed, http.MethodHead)
	}
	w.Header().Set("Allow", strings.Join(allowed, ", "))
	return &apperr.Error{Code: codeMethodNotAllowed,
		Message: "method " + r.Method + " is not allowed on " + r.URL.Path + "; allowed: " + strings.Join(allowed, ", ")}
}

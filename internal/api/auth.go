package api

import (
	"net/http"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// principal is who a request acts for: a user of one organisation, with
// their roles there. Every request is scoped to that organisation.
type principal struct {
	orgID  string
	user   store.User
	roles  []string
	caller complaint.Caller
}

// authenticate reads "Authorization: Bearer <token>" and looks the token
// up. A missing or unknown token is unauthorized; a token whose user lost
// every role in the organisation is forbidden, as the store says.
func (a *API) authenticate(r *http.Request) (*principal, error) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return nil, &apperr.Error{Code: codeUnauthorized,
			Message: "send an API token in the header Authorization: Bearer <token>"}
	}
	orgID, u, roles, err := a.svc.Store().UserByToken(r.Context(), token)
	if apperr.CodeOf(err) == apperr.NotFound {
		return nil, &apperr.Error{Code: codeUnauthorized, Message: "the API token is unknown or was revoked"}
	}
	if err != nil {
		return nil, err
	}
	return &principal{orgID: orgID, user: u, roles: roles, caller: service.CallerFor(u, roles)}, nil
}

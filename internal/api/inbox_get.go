package api

import (
	"net/http"
)

// getInbound answers one message of the organisation's inbox; another
// organisation's message is not found.
func (a *API) getInbound(w http.ResponseWriter, r *http.Request, who *principal) error {
	m, err := a.svc.InboundMessage(r.Context(), who.orgID, r.PathValue("id"), who.caller)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, m)
}

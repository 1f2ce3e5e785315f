package api

import "net/http"

// getCase answers one case of the caller's organisation with its
// deadlines and the actions the caller may take now. Another
// organisation's case is not found.
func (a *API) getCase(w http.ResponseWriter, r *http.Request, who *principal) error {
	view, err := a.svc.Case(r.Context(), who.orgID, r.PathValue("number"), who.caller)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

package api

import (
	"net/http"
)

// getRetention lists, for the data protection officer and administrators,
// the closed cases whose retention period ended and those the regulation
// sets no period for (service.Retention). Others get 403.
func (a *API) getRetention(w http.ResponseWriter, r *http.Request, who *principal) error {
	ov, err := a.svc.Retention(r.Context(), who.orgID, who.caller)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ov)
}

// eraseInput is the body of POST /cases/{number}/erase.
type eraseInput struct {
	// Reason is retention_ended or erasure_request (AVG art. 17).
	Reason string `json:"reason"`
	// Note says when the request came in and how it was weighed; required
	// with erasure_request.
	Note string `json:"note,omitempty"`
}

// eraseCase erases a case's personal data (service.EraseCase): every
// payload redacted, a chained case_erased appended, letters and e-mails
// emptied, files deleted. It cannot be undone.
func (a *API) eraseCase(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in eraseInput
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	view, err := a.svc.EraseCase(r.Context(), who.orgID, r.PathValue("number"), who.caller, in.Reason, in.Note)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

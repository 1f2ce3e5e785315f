package api

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/service"
)

// triageInbound records the decision on a message of the triage list:
// POST /inbox/{id}/triage with {"as": "complaint"|"remark"|"not_complaint",
// "reason": "...", "intake": {...}}. A complaint or remark answers 201
// with the message and the case it opened; not_complaint answers 200.
func (a *API) triageInbound(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	var in service.TriageInput
	if err := decodeStrict(body, &in); err != nil {
		return err
	}
	res, err := a.svc.TriageInbound(r.Context(), who.orgID, r.PathValue("id"), who.caller, in)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if res.Case != nil {
		w.Header().Set("Location", Prefix+"/cases/"+res.Case.Number)
		status = http.StatusCreated
	}
	return writeJSON(w, status, res)
}

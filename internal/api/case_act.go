package api

import (
	"encoding/json"
	"net/http"

	"github.com/gegrond/gegrond/internal/complaint"
)

// act performs an action on a case: POST /cases/{number}/actions/{action}
// with the action's input as the body (empty for an action without
// input). The core checks the input's fields, whether the action applies
// now and whether the caller's role may take it; the answer is the case
// after the action.
func (a *API) act(w http.ResponseWriter, r *http.Request, who *principal) error {
	body, err := readBody(w, r)
	if err != nil {
		return err
	}
	if err := checkObject(body); err != nil {
		return err
	}
	cmd := complaint.Command{Action: complaint.Action(r.PathValue("action")), Input: json.RawMessage(body)}
	if cmd.Action == complaint.ActAddDocument {
		var d complaint.DocumentPayload
		if json.Unmarshal(body, &d) == nil {
			if err := refuseFileFields("", d); err != nil {
				return err
			}
		}
	}
	view, err := a.svc.Act(r.Context(), who.orgID, r.PathValue("number"), who.caller, cmd)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, view)
}

package api

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/store"
)

// inboxList is the answer of GET /inbox.
type inboxList struct {
	Messages []store.Inbound `json:"messages"`
}

// listInbox answers the mail that reached the organisation's complaint
// address: GET /inbox?state=to_triage (all states without the parameter),
// oldest first, without raw bytes.
func (a *API) listInbox(w http.ResponseWriter, r *http.Request, who *principal) error {
	list, err := a.svc.Inbox(r.Context(), who.orgID, who.caller, store.InboundState(r.URL.Query().Get("state")))
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Inbound{}
	}
	return writeJSON(w, http.StatusOK, inboxList{Messages: list})
}

package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/store"
)

var viewInbox = view("inbox")

// inboxStates are the filters of the list, in their order.
var inboxStates = []store.InboundState{store.InboundToTriage, store.InboundComplaint, store.InboundRemark, store.InboundNotComplaint, store.InboundAttached}

// inboxRow is one message of the list.
type inboxRow struct {
	store.Inbound
	Quarantined int
}

// inboxListData is the list page.
type inboxListData struct {
	Status string
	States []store.InboundState
	Rows   []inboxRow
}

// inboxList lists the messages in one state: to_triage unless ?status=
// says otherwise.
func (a *app) inboxList(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	state := store.InboundState(r.URL.Query().Get("status"))
	if state == "" || !state.Valid() {
		state = store.InboundToTriage
	}
	list, err := a.svc.Inbox(r.Context(), id.OrgID(), id.Caller(), state)
	if err != nil {
		return err
	}
	d := inboxListData{Status: string(state), States: inboxStates}
	for _, m := range list {
		row := inboxRow{Inbound: m}
		for _, at := range m.Attachments {
			if at.Quarantined {
				row.Quarantined++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return a.render(w, r, http.StatusOK, viewInbox, "inbox", d)
}

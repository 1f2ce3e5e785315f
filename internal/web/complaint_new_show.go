package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// complaintNewShow shows the form to register a complaint on someone's
// behalf, with the fields of the regulation in force today.
func (a *app) complaintNewShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	today := a.svc.Today()
	reg, revision, err := a.svc.Regulation(ctx, id.OrgID(), today)
	if err != nil {
		return err
	}
	members, err := a.st.Members(ctx, id.OrgID())
	if err != nil {
		return err
	}
	data := newComplaintData(requestLang(r), reg, revision, members, newForm(), today)
	return a.render(w, r, http.StatusOK, viewComplaintNew, "new", data)
}

package api

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/reglement"
)

// reglementView is the regulation in force with its stored revision.
type reglementView struct {
	// Revision is the organisation's stored version number, which case
	// views cite (reglement.revision).
	Revision int `json:"revision"`
	*reglement.Reglement
}

// getReglement answers the organisation's regulation in force today.
func (a *API) getReglement(w http.ResponseWriter, r *http.Request, who *principal) error {
	reg, revision, err := a.svc.Regulation(r.Context(), who.orgID, a.svc.Today())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, reglementView{Revision: revision, Reglement: reg})
}

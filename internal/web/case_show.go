package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// caseShow shows a case file: where it stands, its parties, its terms
// with their explanations, the timeline, the documents and the actions
// the signed-in person may take now. An accused employee sees the
// limited file (see caseData).
func (a *app) caseShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	env, err := a.caseEnv(r.Context(), id, requestLang(r), r.PathValue("number"))
	if err != nil {
		return err
	}
	data := newCaseData(env, limitedFor(env, id), "", nil)
	return a.render(w, r, http.StatusOK, viewCase, "", data)
}

package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/service"
)

var viewRetention = view("retention")

// retentionData is the list of closed cases by retention.
type retentionData struct {
	service.RetentionOverview
	// Period is the regulation's period in words, empty when it sets none;
	// Then what happens after it.
	Period, Then string
}

// retentionList shows the closed cases whose retention period ended, and
// those whose period the regulation leaves open.
func (a *app) retentionList(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ov, err := a.svc.Retention(r.Context(), id.OrgID(), id.Caller())
	if err != nil {
		return err
	}
	l := requestLang(r)
	data := retentionData{RetentionOverview: ov}
	if p := ov.Retention.Period; p != nil {
		data.Period = l.t("retention.period", p.Amount, msgOr(l, "retention.unit."+string(p.Unit), string(p.Unit)))
	}
	if then := ov.Retention.Then; then != "" {
		data.Then = l.t("retention.then", msgOr(l, "retention.then."+then, then))
	}
	return a.render(w, r, http.StatusOK, viewRetention, "privacy", data)
}

package web

import (
	"net/http"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
)

var viewReglement = view("reglement")

// reglementData is the regulation page.
type reglementData struct {
	Title, Organisation, Version, ValidFrom string
	Revision                                int
	// InForce reports that the version shown is the one in force today.
	InForce  bool
	Sections []rgSection
	Versions []versionRow
	// IsAdmin offers the upload of a new version, and shows the version's
	// warnings.
	IsAdmin  bool
	Warnings []problemRow
}

// versionRow is one stored version of the regulation.
type versionRow struct {
	Revision  int
	ValidFrom string
	Status    string
	Shown     bool
}

// problemRow is one finding of reglement.Parse, for people.
type problemRow struct{ Where, Message string }

// reglementShow shows the organisation's regulation in readable words:
// the version in force today, or with ?versie=N a stored version; and the
// list of versions with the rule that a case keeps the version it came in
// under.
func (a *app) reglementShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	ctx := r.Context()
	l := requestLang(r)
	today := a.svc.Today()
	versions, err := a.st.Regulations(ctx, id.OrgID())
	if err != nil {
		return err
	}
	_, current, err := a.svc.Regulation(ctx, id.OrgID(), today)
	if err != nil && apperr.CodeOf(err) != apperr.Conflict {
		return err
	}
	shown := current
	if v := r.URL.Query().Get("versie"); v != "" {
		if shown, err = strconv.Atoi(v); err != nil {
			return apperr.New(apperr.NotFound, "no regulation version %q", v).WithReason("rg_no_version")
		}
	}
	data := reglementData{IsAdmin: id.Has(reglement.RoleAdmin), Revision: shown, InForce: shown == current}
	found := false
	for _, v := range versions {
		row := versionRow{Revision: v.Version, ValidFrom: formatDate(v.ValidFrom), Shown: v.Version == shown}
		switch {
		case v.Version == current:
			row.Status = l.t("rg.versions.now")
		case v.ValidFrom.After(today):
			row.Status = l.t("rg.versions.future")
		default:
			row.Status = l.t("rg.versions.past")
		}
		data.Versions = append(data.Versions, row)
		if v.Version != shown {
			continue
		}
		found = true
		reg, problems := reglement.Parse([]byte(v.YAML))
		if reg == nil {
			return apperr.New(apperr.Internal, "stored regulation %s/%d does not parse", id.OrgID(), v.Version)
		}
		data.Title, data.Organisation, data.Version, data.ValidFrom = reg.Title, reg.Organisation, reg.Version, formatDate(v.ValidFrom)
		if data.Title == "" {
			data.Title = l.t("rg.title")
		}
		data.Sections = reglementSections(l, reg)
		if data.IsAdmin {
			data.Warnings = problemRows(l, problems)
		}
	}
	if !found {
		return apperr.New(apperr.NotFound, "no regulation version %d", shown).WithReason("rg_no_version")
	}
	// Newest first: the version an administrator just saved is on top.
	for i, j := 0, len(data.Versions)-1; i < j; i, j = i+1, j-1 {
		data.Versions[i], data.Versions[j] = data.Versions[j], data.Versions[i]
	}
	return a.render(w, r, http.StatusOK, viewReglement, "reglement", data)
}

// problemRows writes the problems of a regulation file for people: where
// (line and field) and what.
func problemRows(l lang, problems []reglement.Problem) []problemRow {
	var out []problemRow
	for _, p := range problems {
		var where []string
		if p.Line > 0 {
			where = append(where, l.t("rgnew.line", p.Line))
		}
		if p.Field != "" {
			where = append(where, l.t("rgnew.field", p.Field))
		}
		out = append(out, problemRow{Where: joinNonEmpty(", ", where...), Message: p.Message})
	}
	return out
}

package web

import (
	"encoding/json"
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// orgTOTPUpdate lets an administrator require a second factor (TOTP) of
// the organisation's handlers, board and administrators, or stop
// requiring it. Whoever set one up keeps being asked for it.
func (a *app) orgTOTPUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	org, err := a.st.GetOrganisation(r.Context(), id.OrgID())
	if err != nil {
		return err
	}
	settings := map[string]any{}
	if len(org.Settings) > 0 {
		if err := json.Unmarshal(org.Settings, &settings); err != nil {
			return err
		}
	}
	require := f.Get("verplicht") == "ja"
	settings["require_totp"] = require
	if org.Settings, err = json.Marshal(settings); err != nil {
		return err
	}
	if _, err := a.st.UpdateOrganisation(r.Context(), org); err != nil {
		return err
	}
	a.log.Info("web: second factor requirement changed", "org", org.ID, "require_totp", require, "by", id.User.ID)
	if require {
		a.flash(w, "users.totp.required")
	} else {
		a.flash(w, "users.totp.optional")
	}
	a.redirect(w, r, "/gebruikers")
	return nil
}

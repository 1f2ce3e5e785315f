package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

// totpDoneData is the page after setting up the second factor: the
// recovery codes, shown this once.
type totpDoneData struct {
	Codes []string
}

// totpSetupSubmit checks a code of the pending secret, makes it the
// person's second factor and shows the recovery codes.
func (a *app) totpSetupSubmit(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	if id.Pending() == auth.StepVerify {
		a.redirect(w, r, pathSignInTOTP)
		return nil
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	l := requestLang(r)
	f.Require(l, "code")
	var token string
	var codes []string
	if f.Valid() {
		token, codes, err = a.auth.ConfirmEnrolment(r.Context(), id, f.Get("code"))
		if err != nil && !f.Fail(l, err) {
			return err
		}
	}
	if !f.Valid() {
		data, err := a.totpSetupData(r, id)
		if err != nil {
			return err
		}
		data.Form = f
		return a.render(w, r, http.StatusBadRequest, viewTOTPSetup, "account", data)
	}
	a.setSessionCookie(w, token)
	// The identity in the context is renewed in place: the page shows the
	// person signed in completely.
	return a.render(w, r, http.StatusOK, viewTOTPDone, "account", totpDoneData{Codes: codes})
}

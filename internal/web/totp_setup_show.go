package web

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/gegrond/gegrond/internal/auth"
)

var (
	viewTOTPSetup = view("totp_setup")
	viewTOTPDone  = view("totp_done")
)

// totpSetupData is the page to set up the second factor.
type totpSetupData struct {
	Form *form
	// QR is the otpauth URI as an inline SVG QR code.
	QR template.HTML
	// Secret is the key in groups of four, to type in by hand.
	Secret string
	// Required reports that the organisation requires the second factor
	// and the person cannot go on without it.
	Required bool
	// Replacing reports that the person has a second factor already.
	Replacing bool
}

// totpSetupShow offers a new TOTP secret as a QR code and as text.
func (a *app) totpSetupShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	if id.Pending() == auth.StepVerify {
		// Replacing the factor needs the old one passed first.
		a.redirect(w, r, pathSignInTOTP)
		return nil
	}
	data, err := a.totpSetupData(r, id)
	if err != nil {
		return err
	}
	data.Form = newForm()
	return a.render(w, r, http.StatusOK, viewTOTPSetup, "account", data)
}

// totpSetupData builds the page around the session's pending secret.
func (a *app) totpSetupData(r *http.Request, id *auth.Identity) (totpSetupData, error) {
	enr, err := a.auth.BeginEnrolment(r.Context(), id)
	if err != nil {
		return totpSetupData{}, err
	}
	svg, err := qrSVG(enr.URI, requestLang(r).t("totp.qr"))
	if err != nil {
		return totpSetupData{}, err
	}
	return totpSetupData{
		QR: svg, Secret: groupsOf4(enr.Secret),
		Required: id.Pending() == auth.StepEnrol, Replacing: id.HasTOTP,
	}, nil
}

// groupsOf4 writes a key in groups of four characters, easier to type.
func groupsOf4(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

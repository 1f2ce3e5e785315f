package web

import (
	"bytes"
	"cmp"
	"errors"
	"image/png"
	"io"
	"net/http"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

var viewLetterSettings = view("letter_settings")

// letterSettingsRoutes are the organisation's letter settings
// (letterhead, own wording, reminders): administrators only.
func (a *app) letterSettingsRoutes() []route {
	return []route{
		{"GET /beheer/brieven", a.letterSettingsShow, admins},
		{"POST /beheer/brieven", a.letterSettingsSave, admins},
	}
}

// letterSettingsData is the form with what is stored.
type letterSettingsData struct {
	Form *form
	// Kinds are the letter kinds the own wording can be set for.
	Kinds []wordingKind
	// Logo describes the stored logo ("120 × 40 px"); "" when none.
	Logo string
	// Fallback is the regulation's contact address used when no
	// complaint address is set.
	Fallback string
}

// wordingKind is one letter kind in the form, with its field names.
type wordingKind struct {
	Label          string
	Intro, Closing fieldView
	Open           bool
}

// maxLetterSettingsForm bounds the posted form: a logo at its limit and
// every wording field at its limit, with room to spare.
var maxLetterSettingsForm = letter.MaxLogoBytes + 2*len(reglement.LetterKinds)*letter.MaxWordingChars*4 + 64<<10

func newLetterSettingsData(l lang, f *form, o service.OrgLetters) letterSettingsData {
	d := letterSettingsData{Form: f}
	for _, k := range reglement.LetterKinds {
		wk := wordingKind{Label: kindName(l, k),
			Intro:   input(f, "wording."+string(k)+".intro", l.t("lettersettings.opening"), "textarea"),
			Closing: input(f, "wording."+string(k)+".closing", l.t("lettersettings.closing"), "textarea")}
		wk.Open = wk.Intro.Value != "" || wk.Closing.Value != "" || wk.Intro.Error != "" || wk.Closing.Error != ""
		d.Kinds = append(d.Kinds, wk)
	}
	if len(o.Settings.Logo) > 0 {
		if cfg, err := png.DecodeConfig(bytes.NewReader(o.Settings.Logo)); err == nil {
			d.Logo = strconv.Itoa(cfg.Width) + " × " + strconv.Itoa(cfg.Height) + " px"
		}
	}
	if o.Settings.ComplaintEmail == "" {
		d.Fallback = o.ComplaintEmail
	}
	return d
}

// letterSettingsShow shows the organisation's letter settings.
func (a *app) letterSettingsShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	o, err := a.svc.LetterSettings(r.Context(), id.OrgID())
	if err != nil {
		return err
	}
	f := newForm()
	v, s := f.Values, o.Settings
	v.Set("complaint_email", s.ComplaintEmail)
	v.Set("address", s.Address)
	v.Set("phone", s.Phone)
	v.Set("lang", cmp.Or(s.Lang, "nl"))
	if s.ReminderDays > 0 {
		v.Set("reminder_days", strconv.Itoa(s.ReminderDays))
	}
	for k, wd := range s.Wording {
		v.Set("wording."+string(k)+".intro", wd.Intro)
		v.Set("wording."+string(k)+".closing", wd.Closing)
	}
	return a.render(w, r, http.StatusOK, viewLetterSettings, "users", newLetterSettingsData(requestLang(r), f, o))
}

// letterSettingsSave checks and stores the settings (service.
// SaveLetterSettings); a refused form comes back filled in with the error
// next to its field, and nothing is stored. An empty logo field keeps the
// stored logo; "remove" removes it.
func (a *app) letterSettingsSave(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id := auth.FromContext(ctx)
	l := requestLang(r)
	o, err := a.svc.LetterSettings(ctx, id.OrgID())
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, int64(maxLetterSettingsForm))
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.Invalid, "the form is larger than %d bytes", maxLetterSettingsForm).WithReason("form_too_big")
		}
		return apperr.New(apperr.Invalid, "the form could not be read: %v", err).WithReason("form_unreadable")
	}
	f := &form{Values: r.PostForm, Errors: map[string]string{}}
	again := func(status int) error {
		return a.render(w, r, status, viewLetterSettings, "users", newLetterSettingsData(requestLang(r), f, o))
	}
	in := service.LetterSettings{
		ComplaintEmail: f.Get("complaint_email"), Address: f.Get("address"), Phone: f.Get("phone"),
		Lang: f.Get("lang"), Wording: map[reglement.LetterKind]letter.Wording{},
	}
	if d := f.Get("reminder_days"); d != "" {
		if in.ReminderDays, err = strconv.Atoi(d); err != nil {
			f.Errors["reminder_days"] = l.t("lettersettings.error.days")
		}
	}
	for _, k := range reglement.LetterKinds {
		in.Wording[k] = letter.Wording{Intro: f.Get("wording." + string(k) + ".intro"), Closing: f.Get("wording." + string(k) + ".closing")}
	}
	in.Logo = o.Settings.Logo
	if f.Get("remove_logo") != "" {
		in.Logo = nil
	}
	if file, _, err := r.FormFile("logo"); err == nil {
		data, err := io.ReadAll(io.LimitReader(file, letter.MaxLogoBytes+1))
		file.Close()
		switch {
		case err != nil:
			f.Errors["logo"] = l.t("lettersettings.error.logo_read")
		case len(data) > 0:
			in.Logo = data
		}
	}
	if !f.Valid() {
		return again(http.StatusBadRequest)
	}
	if _, err := a.svc.SaveLetterSettings(ctx, id.OrgID(), in); err != nil {
		var e *apperr.Error
		if errors.As(err, &e) && e.Field == "logo" {
			f.Errors["logo"] = errorText(l, err)
		} else if !f.Fail(l, err) {
			return err
		}
		return again(statusOf(err))
	}
	a.log.Info("web: letter settings saved", "org", id.OrgID(), "by", id.User.ID)
	a.flash(w, "lettersettings.saved")
	a.redirect(w, r, "/beheer/brieven")
	return nil
}

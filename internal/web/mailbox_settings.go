package web

import (
	"net/http"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

var viewMailbox = view("mailbox")

// mailboxData is the mailbox settings form with the stored status. The
// password is never sent back: HasPassword shows "••• (opgeslagen)".
type mailboxData struct {
	Form        *form
	HasPassword bool
	Source      store.MailSource
	Saved       bool
}

// mailboxShow shows the organisation's IMAP mailbox settings and status.
func (a *app) mailboxShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	data := mailboxData{Form: newForm()}
	m, err := a.svc.Mailbox(r.Context(), id.OrgID())
	switch {
	case err == nil:
		data.Saved, data.HasPassword, data.Source = true, len(m.PasswordEnc) > 0, m
		v := data.Form.Values
		v.Set("host", m.Host)
		v.Set("port", strconv.Itoa(m.Port))
		v.Set("security", m.Security)
		v.Set("username", m.Username)
		v.Set("mailbox", m.Mailbox)
		v.Set("processed", m.ProcessedMailbox)
		if m.Enabled {
			v.Set("enabled", "ja")
		}
	case apperr.CodeOf(err) == apperr.NotFound:
		data.Form.Values.Set("port", "993")
		data.Form.Values.Set("security", "tls")
		data.Form.Values.Set("mailbox", "INBOX")
	default:
		return err
	}
	return a.render(w, r, http.StatusOK, viewMailbox, "users", data)
}

// mailboxSave stores the settings; an empty password keeps the stored one.
func (a *app) mailboxSave(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	id := auth.FromContext(r.Context())
	l := requestLang(r)
	data := mailboxData{Form: f}
	if m, err := a.svc.Mailbox(r.Context(), id.OrgID()); err == nil {
		data.Saved, data.HasPassword, data.Source = true, len(m.PasswordEnc) > 0, m
	}
	f.Require(l, "host", "port", "username")
	port, perr := strconv.Atoi(f.Get("port"))
	if perr != nil && f.Err("port") == "" {
		f.Errors["port"] = l.t("mailbox.port.invalid")
	}
	if !f.Valid() {
		return a.render(w, r, http.StatusBadRequest, viewMailbox, "users", data)
	}
	_, err = a.svc.SaveMailbox(r.Context(), id.OrgID(), service.MailboxSettings{
		Host: f.Get("host"), Port: port, Security: f.Get("security"), Username: f.Get("username"),
		Password: f.Raw("password"), Mailbox: f.Get("mailbox"), ProcessedMailbox: f.Get("processed"),
		Enabled: f.Get("enabled") == "ja",
	})
	if err != nil {
		if !f.Fail(l, err) {
			return err
		}
		return a.render(w, r, statusOf(err), viewMailbox, "users", data)
	}
	a.log.Info("web: mailbox settings saved", "org", id.OrgID(), "by", id.User.ID)
	a.flash(w, "mailbox.saved")
	a.redirect(w, r, "/beheer/postvak")
	return nil
}

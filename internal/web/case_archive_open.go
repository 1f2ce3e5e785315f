package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/service"
)

var viewArchiveOpen = view("archive_open")

// archiveOpenData is the form "Openen met wachtwoord" for a
// password-protected ZIP and, after it was opened, what came out.
type archiveOpenData struct {
	// Name is the archive's file name; Action the form's target; Back
	// the page it was reached from; Case the case the files join.
	Name, Action, Back, Case string
	Form                     *form
	Result                   *service.ArchiveOpened
}

// caseArchiveOpenPath is the form that opens a ZIP document of a case.
func caseArchiveOpenPath(number, documentID string) string {
	return caseDocumentPath(number, documentID) + "/openen"
}

// caseArchiveOpenShow shows the password form for a document of the case.
func (a *app) caseArchiveOpenShow(w http.ResponseWriter, r *http.Request) error {
	number, docID := r.PathValue("number"), r.PathValue("id")
	id := auth.FromContext(r.Context())
	f, err := a.svc.OpenDocument(r.Context(), id.OrgID(), number, docID, id.Caller())
	if err != nil {
		return err
	}
	f.Body.Close()
	return a.render(w, r, http.StatusOK, viewArchiveOpen, "", archiveOpenData{Name: f.Name, Case: number,
		Action: caseArchiveOpenPath(number, docID), Back: "/zaken/" + url.PathEscape(number), Form: newForm()})
}

// caseArchiveOpen opens the archive with the typed password (never kept,
// never shown again) and shows what was added and what was refused.
func (a *app) caseArchiveOpen(w http.ResponseWriter, r *http.Request) error {
	number, docID := r.PathValue("number"), r.PathValue("id")
	id := auth.FromContext(r.Context())
	d := archiveOpenData{Case: number, Action: caseArchiveOpenPath(number, docID), Back: "/zaken/" + url.PathEscape(number)}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	d.Form = f
	res, err := a.svc.OpenArchiveDocument(r.Context(), id.OrgID(), number, docID, f.Values.Get("password"), id.Caller())
	return a.archiveOpened(w, r, d, res, err)
}

// inboxArchiveOpenPath is the form that opens a ZIP attachment of a
// message into the message's case.
func inboxArchiveOpenPath(messageID string, position int) string {
	return inboxAttachmentPath(messageID, position, false) + "/openen"
}

// inboxArchiveOpenShow shows the password form for an attachment.
func (a *app) inboxArchiveOpenShow(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	msgID := r.PathValue("id")
	pos, err := strconv.Atoi(r.PathValue("position"))
	if err != nil || pos < 1 {
		return apperr.New(apperr.NotFound, "no such attachment")
	}
	m, err := a.svc.InboundMessage(r.Context(), id.OrgID(), msgID, id.Caller())
	if err != nil {
		return err
	}
	f, err := a.svc.OpenInboundAttachment(r.Context(), id.OrgID(), msgID, pos, id.Caller())
	if err != nil {
		return err
	}
	f.Body.Close()
	return a.render(w, r, http.StatusOK, viewArchiveOpen, "inbox", archiveOpenData{Name: f.Name, Case: m.CaseNumber,
		Action: inboxArchiveOpenPath(msgID, pos), Back: "/postvak/" + msgID, Form: newForm()})
}

// inboxArchiveOpen opens an attachment's archive into the message's case.
func (a *app) inboxArchiveOpen(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	msgID := r.PathValue("id")
	pos, err := strconv.Atoi(r.PathValue("position"))
	if err != nil || pos < 1 {
		return apperr.New(apperr.NotFound, "no such attachment")
	}
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	d := archiveOpenData{Action: inboxArchiveOpenPath(msgID, pos), Back: "/postvak/" + msgID, Form: f}
	res, number, err := a.svc.OpenInboundArchive(r.Context(), id.OrgID(), msgID, pos, f.Values.Get("password"), id.Caller())
	d.Case = number
	return a.archiveOpened(w, r, d, res, err)
}

// archiveOpened renders the outcome: the form again with the error (a
// wrong password next to the field), or the list of files added and
// refused. The password is cleared from the form either way.
func (a *app) archiveOpened(w http.ResponseWriter, r *http.Request, d archiveOpenData, res service.ArchiveOpened, err error) error {
	l := requestLang(r)
	d.Name = res.Archive
	if err != nil {
		if !d.Form.Fail(l, err) {
			return err
		}
		d.Form.Values.Del("password")
		return a.render(w, r, statusOf(err), viewArchiveOpen, "", d)
	}
	d.Form.Values.Del("password")
	d.Result = &res
	return a.render(w, r, http.StatusOK, viewArchiveOpen, "", d)
}

package web

import (
	"net/http"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

var viewInboxAttachment = view("inbox_attachment")

// inboxAttachmentPath is the download of attachment position of an
// inbound message; confirmed skips the quarantine warning.
func inboxAttachmentPath(messageID string, position int, confirmed bool) string {
	p := "/postvak/" + messageID + "/bijlagen/" + strconv.Itoa(position)
	if confirmed {
		p += "?" + confirmParam + "=1"
	}
	return p
}

// confirmParam says the person read the quarantine warning.
const confirmParam = "bevestigd"

// inboxAttachmentData is the warning shown before a quarantined file is
// downloaded.
type inboxAttachmentData struct {
	MessageID  string
	Attachment store.InboundAttachment
	// Reason is the quarantine reason in the person's language.
	Reason   string
	Download string
	// OpenURL is "Openen met wachtwoord" for a ZIP of a message that went
	// to a case.
	OpenURL string
}

// inboxAttachment sends an attachment of an inbound message. A
// quarantined one broke the regulation's evidence rules (a program, a
// virus, a file too large): the person first sees why, and downloads it
// only from that warning page.
func (a *app) inboxAttachment(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	pos, err := strconv.Atoi(r.PathValue("position"))
	if err != nil || pos < 1 {
		return apperr.New(apperr.NotFound, "no such attachment")
	}
	msgID := r.PathValue("id")
	f, err := a.svc.OpenInboundAttachment(r.Context(), id.OrgID(), msgID, pos, id.Caller())
	if err != nil {
		return err
	}
	defer f.Body.Close()
	if f.Quarantined && r.URL.Query().Get(confirmParam) != "1" {
		l := requestLang(r)
		d := inboxAttachmentData{
			MessageID: msgID, Attachment: f.InboundAttachment,
			Reason:   quarantineReason(l, f.QuarantineReason),
			Download: inboxAttachmentPath(msgID, pos, true),
		}
		if service.IsArchiveCandidate(f.Name, f.MIME) {
			d.OpenURL = inboxArchiveOpenPath(msgID, pos)
		}
		return a.render(w, r, http.StatusOK, viewInboxAttachment, "inbox", d)
	}
	a.sendDocument(w, service.DocumentFile{
		DocumentPayload: complaint.DocumentPayload{DocumentID: "inbound:" + msgID + "/" + strconv.Itoa(pos),
			Name: f.Name, MIME: f.MIME, Size: f.Size},
		Body: f.Body,
	})
	return nil
}

// quarantineReason says in l why a file was quarantined; an unknown
// reason code is shown as it is.
func quarantineReason(l lang, reason string) string {
	return msgOr(l, "inbox.quarantine_reason."+reason, reason)
}

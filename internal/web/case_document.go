package web

import (
	"io"
	"net/http"
	"net/url"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/service"
)

// caseDocumentPath is the download of a document of a case file; the id
// is path-escaped (an e-mail attachment's id holds a slash).
func caseDocumentPath(number, documentID string) string {
	return "/zaken/" + url.PathEscape(number) + "/documenten/" + url.PathEscape(documentID)
}

// caseDocumentDownload sends a document of the case file to a member who
// may see it (service.OpenDocument decides, an accused employee only after
// inspection).
func (a *app) caseDocumentDownload(w http.ResponseWriter, r *http.Request) error {
	id := auth.FromContext(r.Context())
	f, err := a.svc.OpenDocument(r.Context(), id.OrgID(), r.PathValue("number"), r.PathValue("id"), id.Caller())
	if err != nil {
		return err
	}
	defer f.Body.Close()
	a.sendDocument(w, f)
	return nil
}

// sendDocument streams a stored document as a download: never shown
// inline, never sniffed, never cached, sandboxed should a browser open it
// anyway.
func (a *app) sendDocument(w http.ResponseWriter, f service.DocumentFile) {
	document.SetDownloadHeaders(w.Header(), f.Name, f.MIME, f.Size)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f.Body); err != nil {
		a.log.Warn("web: sending a document stopped", "document", f.DocumentID, "err", err)
	}
}

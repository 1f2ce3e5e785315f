package api

import (
	"io"
	"net/http"

	"github.com/gegrond/gegrond/internal/document"
)

// getDocument sends a document of a case file: the decrypted file as a
// download, for a caller who may see the case's documents (an accused
// employee only after inspection was granted). A document of another
// case or organisation, or one recorded without a file, is not found.
func (a *API) getDocument(w http.ResponseWriter, r *http.Request, who *principal) error {
	f, err := a.svc.OpenDocument(r.Context(), who.orgID, r.PathValue("number"), r.PathValue("id"), who.caller)
	if err != nil {
		return err
	}
	defer f.Body.Close()
	document.SetDownloadHeaders(w.Header(), f.Name, f.MIME, f.Size)
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f.Body); err != nil {
		a.log.Warn("api: sending a document stopped", "document", f.DocumentID, "err", err)
	}
	return nil
}

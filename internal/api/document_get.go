package api

import (
	"io"
	"net/http"
	"strconv"

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
	h := w.Header()
	ct := f.MIME
	if ct == "" {
		ct = "application/octet-stream"
	}
	h.Set("Content-Type", ct)
	if f.Size > 0 {
		h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	}
	h.Set("Content-Disposition", document.SafeContentDisposition(f.Name))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, f.Body); err != nil {
		a.log.Warn("api: sending a document stopped", "document", f.DocumentID, "err", err)
	}
	return nil
}

package api

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

// listLetters answers the letters of a case, in the order they were
// written, with the kinds its regulation asks for. Another organisation's
// case is not found.
func (a *API) listLetters(w http.ResponseWriter, r *http.Request, who *principal) error {
	number := r.PathValue("number")
	view, err := a.svc.Case(r.Context(), who.orgID, number, who.caller)
	if err != nil {
		return err
	}
	letters, err := a.svc.Letters(r.Context(), who.orgID, number)
	if err != nil {
		return err
	}
	out := letterList{Letters: make([]letterView, 0, len(letters)), Kinds: service.LetterKindsOf(view.Policy)}
	if out.Kinds == nil {
		out.Kinds = []reglement.LetterKind{}
	}
	for _, l := range letters {
		out.Letters = append(out.Letters, viewLetter(l))
	}
	return writeJSON(w, http.StatusOK, out)
}

// getLetter answers one letter of the caller's organisation; another
// organisation's letter is not found.
func (a *API) getLetter(w http.ResponseWriter, r *http.Request, who *principal) error {
	l, err := a.svc.Store().GetLetter(r.Context(), who.orgID, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, viewLetter(l))
}

// getLetterPDF answers a letter's PDF as it was stored when the letter was
// written, as a download named after the case, the kind and the date.
func (a *API) getLetterPDF(w http.ResponseWriter, r *http.Request, who *principal) error {
	l, err := a.svc.Store().GetLetter(r.Context(), who.orgID, r.PathValue("id"))
	if err != nil {
		return err
	}
	pdf, err := a.svc.LetterPDF(r.Context(), who.orgID, l)
	if err != nil {
		return err
	}
	// Opened in a browser tab after all, the document runs nothing.
	document.SetDownloadHeaders(w.Header(), service.LetterFileName(l), "application/pdf", int64(len(pdf)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		if _, err := w.Write(pdf); err != nil {
			a.log.Warn("api: write letter pdf", "letter", l.ID, "err", err)
		}
	}
	return nil
}

package web

import "net/http"

// caseRoutes are the routes of the case screens: the case file and its
// actions, a new complaint taken on someone's behalf, search, and the
// regulation. Every member of the organisation may use them; which action
// a person may take on a case is the core's to decide (service.Act), and
// an accused employee sees a limited case file (see caseData).
func (a *app) caseRoutes() []route {
	return []route{
		{"GET /zaken/{number}", a.caseFileShow, member},
		{"POST /zaken/{number}/acties/{action}", a.caseAct, member},
		{"GET /zaken/{number}/documenten/{id}", a.caseDocumentDownload, member},
		{"GET /zaken/{number}/documenten/{id}/openen", a.caseArchiveOpenShow, member},
		{"POST /zaken/{number}/documenten/{id}/openen", a.caseArchiveOpen, member},
		{"GET /zaken/nieuw", a.complaintNewRedirect, member},
		{"GET /klachten/nieuw", a.complaintNewShow, member},
		{"POST /klachten/nieuw", a.complaintNewSubmit, member},
		{"GET /zoeken", a.search, member},
		{"GET /reglement", a.reglementShow, member},
		{"GET /reglement/nieuw", a.reglementNewShow, admins},
		{"POST /reglement/nieuw", a.reglementNewSubmit, admins},
	}
}

// complaintNewRedirect sends the layout's "Nieuwe klacht" link
// (/zaken/nieuw) to the form at /klachten/nieuw.
func (a *app) complaintNewRedirect(w http.ResponseWriter, r *http.Request) error {
	a.redirect(w, r, pathComplaintNew)
	return nil
}

// pathComplaintNew is the form to register a complaint.
const pathComplaintNew = "/klachten/nieuw"

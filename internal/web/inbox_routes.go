package web

import (
	"github.com/gegrond/gegrond/internal/reglement"
)

// inboxAccess lets in the people who see and triage incoming mail: the
// receiver, the handler, the board and administrators (the service checks
// the same).
var inboxAccess = allow(reglement.RoleReceiver, reglement.RoleHandler, reglement.RoleBoard, reglement.RoleAdmin)

// inboxRoutes are the routes of Postvak: the messages that reached the
// organisation's complaint address, and their triage.
func (a *app) inboxRoutes() []route {
	return []route{
		{"GET /postvak", a.inboxList, inboxAccess},
		{"GET /postvak/{id}", a.inboxShow, inboxAccess},
		{"POST /postvak/{id}/triage", a.inboxTriage, inboxAccess},
		{"GET /postvak/{id}/html", a.inboxHTML, inboxAccess},
		{"GET /postvak/{id}/bijlagen/{position}", a.inboxAttachment, inboxAccess},
		{"GET /postvak/{id}/bijlagen/{position}/openen", a.inboxArchiveOpenShow, inboxAccess},
		{"POST /postvak/{id}/bijlagen/{position}/openen", a.inboxArchiveOpen, inboxAccess},
	}
}

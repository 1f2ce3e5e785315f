package web

// mailboxRoutes are the routes of the organisation's IMAP mailbox
// settings: administrators only.
func (a *app) mailboxRoutes() []route {
	return []route{
		{"GET /beheer/postvak", a.mailboxShow, admins},
		{"POST /beheer/postvak", a.mailboxSave, admins},
	}
}

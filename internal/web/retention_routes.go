package web

import "github.com/gegrond/gegrond/internal/reglement"

// retentionRoles: the data protection officer and administrators see the
// retention of case files and erase them (the service checks it again).
var retentionRoles = allow(reglement.RoleDPO, reglement.RoleAdmin)

// retentionRoutes are the data protection officer's screens.
func (a *app) retentionRoutes() []route {
	return []route{
		{"GET /privacy/bewaartermijnen", a.retentionList, retentionRoles},
		{"GET /privacy/bewaartermijnen/{number}", a.retentionEraseShow, retentionRoles},
		{"POST /privacy/bewaartermijnen/{number}", a.retentionErase, retentionRoles},
	}
}

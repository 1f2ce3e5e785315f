package web

import (
	"net/http"
	"slices"

	"github.com/gegrond/gegrond/internal/reglement"
)

// handlerFunc handles one route. An error is rendered by serve: an
// apperr code picks the status and the message (see error.go).
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// route is one entry of the route table.
type route struct {
	// pattern is a ServeMux pattern with its method.
	pattern string
	handle  handlerFunc
	access  access
}

// access says who may use a route. The zero value is no one: a route must
// say who may.
type access struct {
	// public routes need no session (sign-in, password reset, language).
	public bool
	// signIn routes are open to a session that still has to pass or set up
	// its second factor; every other route waits for it.
	signIn bool
	// anyMember lets every member of the current organisation in,
	// whatever their roles.
	anyMember bool
	// roles lets in the members holding one of these roles.
	roles []reglement.Role
}

// The access levels of the route table.
var (
	// public: anyone, signed in or not.
	public = access{public: true}
	// signingIn: a session in any state, also one that still owes its
	// second factor.
	signingIn = access{signIn: true, anyMember: true}
	// member: any member of the current organisation.
	member = access{anyMember: true}
	// admins: administrators of the current organisation.
	admins = allow(reglement.RoleAdmin)
)

// allow lets in the members holding any of the roles.
func allow(roles ...reglement.Role) access { return access{roles: roles} }

// routes lists every page and action of the staff application. Each route
// says who may use it; serve checks that on the server before the handler
// runs, and TestEveryRouteRefusesWhoIsNotAllowed walks this table with
// every role.
func (a *app) routes() []route {
	return slices.Concat([]route{
		// Signing in and out.
		{"GET /aanmelden", a.signInShow, public},
		{"POST /aanmelden", a.signInSubmit, public},
		{"GET /aanmelden/code", a.signInCodeShow, signingIn},
		{"POST /aanmelden/code", a.signInCodeSubmit, signingIn},
		{"POST /afmelden", a.signOut, signingIn},
		{"POST /afmelden/overal", a.signOutEverywhere, member},
		{"GET /wachtwoord/vergeten", a.passwordForgotShow, public},
		{"POST /wachtwoord/vergeten", a.passwordForgotSubmit, public},
		{"GET /wachtwoord/herstellen", a.passwordResetShow, public},
		{"POST /wachtwoord/herstellen", a.passwordResetSubmit, public},
		{"POST /taal", a.languageSwitch, public},

		// The signed-in person.
		{"GET /account", a.accountShow, member},
		{"GET /account/tweestaps", a.totpSetupShow, signingIn},
		{"POST /account/tweestaps", a.totpSetupSubmit, signingIn},
		{"GET /account/wachtwoord", a.passwordChangeShow, member},
		{"POST /account/wachtwoord", a.passwordChangeSubmit, member},
		{"POST /organisatie", a.orgSwitch, member},

		// Termijnen: the home page.
		{"GET /{$}", a.dashboard, member},

		// Gebruikers: administrators manage the organisation's people.
		{"GET /gebruikers", a.usersList, admins},
		{"GET /gebruikers/nieuw", a.userNewShow, admins},
		{"POST /gebruikers", a.userCreate, admins},
		{"GET /gebruikers/{id}", a.userEditShow, admins},
		{"POST /gebruikers/{id}/rollen", a.userRolesUpdate, admins},
		{"POST /gebruikers/{id}/verwijderen", a.userRemove, admins},
		{"POST /gebruikers/{id}/herstellink", a.userResetLink, admins},
		{"POST /gebruikers/{id}/tweestaps-herstellen", a.userTOTPReset, admins},
		{"POST /gebruikers/tweestaps-verplicht", a.orgTOTPUpdate, admins},
	}, a.caseRoutes(), a.letterRoutes(), a.publicRoutes(), a.portalRoutes(), a.qualityRoutes(),
		a.inboxRoutes(), a.mailboxRoutes(), a.letterSettingsRoutes(), a.retentionRoutes())
}

// Package web is Gegrond's staff web application: server-rendered HTML in
// Dutch (English on request), styled with the NL Design System, working
// without JavaScript and improved by htmx where it helps. It serves every
// path outside /api/v1/; cmd/gegrond mounts web.New(cfg) at "/".
//
// # Adding a screen
//
// One route table (routes.go), one handler per small file, one template
// per page, as in Miniflux. For a page "case file" at GET /zaken/{number}:
//
// First, routes.go: add the route with who may use it. The access levels
// are public (no session), member (any role in the current organisation),
// admins, allow(roles...), and signingIn (also a session that still owes
// its second factor: only the sign-in steps use it):
//
//	{"GET /zaken/{number}", a.caseShow, member},
//	{"POST /zaken/{number}/acties/{action}", a.caseAct, allow(reglement.RoleHandler, reglement.RoleBoard)},
//
// serve (serve.go) checks this before the handler runs: no session is a
// 302 to /aanmelden (and back afterwards), a missing role a 403 page.
// Then add the route to routeAccess in permission_test.go, which walks
// every route with every role and with no session; a route missing there
// fails the test.
//
// Second, case_show.go: the handler. It returns an error instead of
// writing one: an apperr code picks the status (error.go), NotFound for a
// case of another organisation included. The identity is in the context,
// never nil on a route that is not public:
//
//	var viewCaseFile = view("case_file") // checked at start-up
//
//	func (a *app) caseShow(w http.ResponseWriter, r *http.Request) error {
//		id := auth.FromContext(r.Context())
//		v, err := a.svc.Case(r.Context(), id.OrgID(), r.PathValue("number"), id.Caller())
//		if err != nil {
//			return err
//		}
//		return a.render(w, r, http.StatusOK, viewCaseFile, "deadlines", v)
//	}
//
// Always pass id.OrgID() and id.Caller() to the service: tenancy and the
// regulation's role rules are enforced there; id.Has(role) answers the
// screen's own questions.
//
// Third, templates/views/case_file.html defines "title" and "content";
// the view's data is .Data, the signed-in person .ID (*auth.Identity),
// the language .Lang. New fails when a view declared with view() has no
// template, when a template names an unknown message key, or an unknown
// static file.
//
// Fourth, messages: in your own file, such as messages_case.go:
//
//	func init() {
//		addMessages(map[string]msg{"case.title": {"Dossier %s", "Case %s"}})
//	}
//
// and in templates {{t "case.title" .Data.Number}}. Keys are unique across
// files (a duplicate panics at start); both languages are required. An
// apperr with Reason "x" shows the message "error.x" when the catalogue
// has one, else its own message (errorText).
//
// # Forms
//
// parseForm(w, r) reads a posted form (at most 64 KiB) into a *form.
// form.Require(lang, names...) marks empty fields; form.Fail(lang, err)
// puts an apperr.Field error next to its field (or above the form), and
// returns false for an internal error, which the handler returns. Render
// the form again with status 400 (statusOf(err) for a core error), or
// redirect after success with a.flash(w, "message.key") and a.redirect(w,
// r, path) (303 after a POST). Templates draw a field with
//
//	{{template "field" (input .Data.Form "name" (t "label.key") "text" "required" "autocomplete=off" "hint=...")}}
//
// which ties label, hint and error to the input (aria-describedby,
// aria-invalid), and the form's own error with {{template "formerror"
// .Data.Form.Error}}. Other partials: "alert" (dict "Kind" "info|ok|
// warning|error" "Text" ...), "sign" (a deadline's standing: overdue,
// soon, ok, none), "roles" (role checkboxes).
//
// Every state change is a POST form; http.CrossOriginProtection refuses
// one from another site (403), and the session cookie is SameSite=Lax. No
// token field is needed in forms.
//
// # Template functions
//
// t, static, date (22-12-2026 for a calendar.Date, *calendar.Date or
// time.Time), datetime, roleName, stateName, stepName, input, dict: see
// funcs.go. No inline script or style: the CSP forbids both. Put CSS in
// static/css/gegrond.css (classes prefixed gg-, beside the utrecht-
// classes of the NL Design System) and link static files with {{static
// "css/gegrond.css"}}, which gives the versioned URL (cached for a year).
//
// htmx (static/vendor/htmx.min.js, loaded on every page) is optional
// polish: a form works without it, and hx-get/hx-select/hx-target can
// swap a part of the page from the full page the server renders anyway
// (see the filter form of templates/views/dashboard.html). a.redirect
// answers an htmx request with HX-Redirect.
//
// # Navigation
//
// The layout's navigation links Termijnen (/), Zoeken (/zoeken), Nieuwe
// klacht (/zaken/nieuw), Reglement (/reglement), for the data
// protection officer and administrators Bewaartermijnen
// (/privacy/bewaartermijnen) and, for administrators, Gebruikers
// (/gebruikers). render's nav argument marks the current item:
// "deadlines", "search", "new", "reglement", "privacy", "users",
// "account".
//
// # Tests
//
// setup(t) (setup_test.go) starts the application on a fresh SQLite
// database with two organisations (smartplus, bestmatch), a person per
// role in smartplus ("smartplus/handler", ...; password testPassword),
// and cases that are overdue, due soon and on time (b.cases["overdue"]).
// eachEngine runs a test on SQLite and PostgreSQL. b.signedIn(t, who)
// returns a client with a session; client.get/post/ok do requests
// without following redirects.
//
// Browser tests use package webtest: webtest.Browser(t) starts headless
// Chromium, webtest.SignIn signs in, webtest.Axe fails the test on any
// WCAG 2.1 A/AA violation, webtest.Submit/WaitFor/Text/Visit drive the
// page (see browser_test.go).
package web

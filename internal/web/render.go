package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"text/template/parse"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
)

// templateFS holds the templates: templates/layout.html (the page around
// every view), templates/partials/*.html (pieces any view may use) and
// templates/views/NAME.html, one per page, each defining "title" and
// "content".
//
//go:embed templates
var templateFS embed.FS

// viewName names a view: templates/views/NAME.html.
type viewName string

// registeredViews are the views the handlers render. New fails when one
// of them has no template.
var registeredViews []viewName

// view declares a view that a handler renders, at package level:
//
//	var viewDashboard = view("dashboard")
//
// so that New can check at start-up that its template exists.
func view(name string) viewName {
	v := viewName(name)
	registeredViews = append(registeredViews, v)
	return v
}

// viewSet holds every view parsed once per language: the functions t and
// roleName speak the language of their set.
type viewSet struct {
	byLang map[lang]map[viewName]*template.Template
}

// loadViews parses the templates and checks them: every wanted view
// (registeredViews) exists, and every message key and static file the templates name
// exists.
func loadViews(st *staticFiles, want []viewName) (*viewSet, error) {
	files, err := fs.Glob(templateFS, "templates/views/*.html")
	if err != nil {
		return nil, err
	}
	partials, err := fs.Glob(templateFS, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	vs := &viewSet{byLang: map[lang]map[viewName]*template.Template{}}
	for _, l := range langs {
		base, err := template.New("layout.html").Funcs(funcs(l, st)).
			ParseFS(templateFS, append([]string{"templates/layout.html"}, partials...)...)
		if err != nil {
			return nil, fmt.Errorf("web: templates: %w", err)
		}
		set := map[viewName]*template.Template{}
		for _, f := range files {
			t, err := template.Must(base.Clone()).ParseFS(templateFS, f)
			if err != nil {
				return nil, fmt.Errorf("web: template %s: %w", f, err)
			}
			for _, block := range []string{"title", "content"} {
				if t.Lookup(block) == nil {
					return nil, fmt.Errorf("web: template %s does not define %q", f, block)
				}
			}
			set[viewName(strings.TrimSuffix(path.Base(f), ".html"))] = t
		}
		vs.byLang[l] = set
	}
	for _, v := range want {
		if vs.byLang[langNL][v] == nil {
			return nil, fmt.Errorf("web: view %q has no template templates/views/%s.html", v, v)
		}
	}
	for name, t := range vs.byLang[langNL] {
		if err := checkNames(t, st); err != nil {
			return nil, fmt.Errorf("web: view %s: %w", name, err)
		}
	}
	return vs, nil
}

// checkNames walks every template of t for calls of t, static and
// roleName with a constant argument, and checks that the message key or
// static file exists.
func checkNames(t *template.Template, st *staticFiles) error {
	var errs []error
	for _, tt := range t.Templates() {
		if tt.Tree == nil {
			continue
		}
		walk(tt.Tree.Root, func(cmd *parse.CommandNode) {
			if len(cmd.Args) < 2 {
				return
			}
			fn, ok := cmd.Args[0].(*parse.IdentifierNode)
			arg, ok2 := cmd.Args[1].(*parse.StringNode)
			if !ok || !ok2 {
				return
			}
			switch fn.Ident {
			case "t":
				if !hasMessage(arg.Text) {
					errs = append(errs, fmt.Errorf("template %s: unknown message key %q", tt.Name(), arg.Text))
				}
			case "static":
				if _, err := st.url(arg.Text); err != nil {
					errs = append(errs, fmt.Errorf("template %s: %w", tt.Name(), err))
				}
			}
		})
	}
	return errors.Join(errs...)
}

// walk calls fn for every command in the tree below n.
func walk(n parse.Node, fn func(*parse.CommandNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n == nil {
			return
		}
		for _, c := range n.Nodes {
			walk(c, fn)
		}
	case *parse.ActionNode:
		walk(n.Pipe, fn)
	case *parse.PipeNode:
		if n == nil {
			return
		}
		for _, c := range n.Cmds {
			walk(c, fn)
		}
	case *parse.CommandNode:
		fn(n)
		for _, a := range n.Args {
			walk(a, fn)
		}
	case *parse.IfNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.RangeNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.WithNode:
		walk(n.Pipe, fn)
		walk(n.List, fn)
		walk(n.ElseList, fn)
	case *parse.TemplateNode:
		walk(n.Pipe, fn)
	}
}

// page is what the layout and every view get: the view's own data in
// Data, and around it who is signed in, the language and the page's place
// in the navigation.
type page struct {
	Lang lang
	// ID is the signed-in person; nil on public pages.
	ID *auth.Identity
	// Nav is the navigation item to mark as current: "deadlines",
	// "search", "new", "reglement", "users", "account" or "".
	Nav string
	// Flash is a message key to show once (after a form).
	Flash string
	// Path is the request's path and query: where the language switch
	// returns to.
	Path string
	// Data is the view's own data.
	Data any
}

// IsAdmin reports whether the signed-in person administers the current
// organisation: the layout shows Gebruikers then.
func (p *page) IsAdmin() bool { return p.ID.Has(reglement.RoleAdmin) }

// render writes the view in the page layout with status. nav marks the
// navigation item of the page.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, v viewName, nav string, data any) error {
	l := requestLang(r)
	t := a.views.byLang[l][v]
	if t == nil {
		return fmt.Errorf("web: no view %q", v)
	}
	p := &page{Lang: l, ID: auth.FromContext(r.Context()), Nav: nav, Flash: a.takeFlash(w, r), Path: r.URL.RequestURI(), Data: data}
	// Rendered to a buffer first: a template error becomes an error page,
	// not half a page.
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		return fmt.Errorf("web: render %s: %w", v, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	if err != nil {
		a.log.Debug("web: write page", "err", err)
	}
	return nil
}

// SignedIn reports whether a person is signed in completely (second
// factor passed where owed): the layout shows the navigation then.
func (p *page) SignedIn() bool { return p.ID != nil && p.ID.Pending() == auth.StepNone }

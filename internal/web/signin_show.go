package web

import (
	"net/http"

	"github.com/gegrond/gegrond/internal/auth"
)

var viewSignIn = view("signin")

// signInData is the sign-in page.
type signInData struct {
	Form    *form
	Return  string
	Expired bool
}

// signInShow shows the sign-in form; a signed-in person goes home.
func (a *app) signInShow(w http.ResponseWriter, r *http.Request) error {
	if id := auth.FromContext(r.Context()); id != nil && id.Pending() == auth.StepNone {
		a.redirect(w, r, localPath(r.URL.Query().Get("terug"), pathHome))
		return nil
	}
	q := r.URL.Query()
	return a.render(w, r, http.StatusOK, viewSignIn, "", signInData{
		Form: newForm(), Return: localPath(q.Get("terug"), ""), Expired: q.Get("verlopen") == "1",
	})
}

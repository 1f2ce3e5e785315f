package web

import "net/http"

// languageSwitch stores the chosen language in a cookie and goes back to
// the page the person was on.
func (a *app) languageSwitch(w http.ResponseWriter, r *http.Request) error {
	f, err := parseForm(w, r)
	if err != nil {
		return err
	}
	if l, ok := parseLang(f.Get("taal")); ok {
		a.setLangCookie(w, l)
	}
	a.redirect(w, r, localPath(f.Get("terug"), pathHome))
	return nil
}

package web

import (
	"net/http"
	"time"
)

// sessionCookieName is the session cookie's name. Over TLS it carries the
// __Host- prefix: the browser then accepts it only Secure, for this host
// and path /, so that no other subdomain can set or shadow it.
func (a *app) sessionCookieName() string {
	if a.secure {
		return "__Host-gegrond_session"
	}
	return "gegrond_session"
}

// setSessionCookie gives the browser a session token. The cookie lives as
// long as the browser session; the server ends the session after the
// idle and absolute time-outs whatever the browser keeps.
func (a *app) setSessionCookie(w http.ResponseWriter, token string) {
	http.SetCookie(w, &http.Cookie{
		Name: a.sessionCookieName(), Value: token, Path: "/",
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}

// clearSessionCookie removes the session cookie.
func (a *app) clearSessionCookie(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{
		Name: a.sessionCookieName(), Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}

// langCookie keeps the chosen language, signed in or not.
const langCookie = "gegrond_lang"

func (a *app) setLangCookie(w http.ResponseWriter, l lang) {
	http.SetCookie(w, &http.Cookie{
		Name: langCookie, Value: string(l), Path: "/", MaxAge: int((365 * 24 * time.Hour).Seconds()),
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}

// flashCookie carries a message key across a redirect after a form: the
// next page shows it once. It holds a key of the catalogue, never text,
// so it cannot carry markup or a message of someone else's making.
const flashCookie = "gegrond_flash"

// flash sets the message the next page shows.
func (a *app) flash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{
		Name: flashCookie, Value: key, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode,
	})
}

// takeFlash returns the message key of the request and clears it; "" when
// none or unknown.
func (a *app) takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: a.secure, SameSite: http.SameSiteLaxMode})
	if _, ok := catalogue[c.Value]; !ok {
		return ""
	}
	return c.Value
}

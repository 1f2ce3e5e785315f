package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/password"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// Config is what the web application needs.
type Config struct {
	Service *service.Service
	Store   *store.Store
	Logger  *slog.Logger
	// Now is the clock; nil is time.Now.
	Now func() time.Time
	// SecureCookies marks the cookies Secure and sends HSTS: set it when
	// the application is served over TLS (directly or behind a proxy).
	SecureCookies bool
	// BaseURL is the address people reach the application at, such as
	// https://klachten.example.nl: the start of password reset links.
	BaseURL string

	// LoginDelay is passed to auth.Config: 0 is the default pause after a
	// failed sign-in, a negative value none (tests).
	LoginDelay time.Duration
	// PasswordParams are the argon2id parameters of new password hashes;
	// nil is password.Default. Tests pass cheaper ones.
	PasswordParams *password.Params

	// Mailer, when set, e-mails password reset links from MailFrom;
	// without it the links go to the server log for the administrator.
	Mailer   Mailer
	MailFrom mail.Address

	// Public configures the public complaint form (public_config.go);
	// the zero value serves the form without evidence uploads.
	Public PublicConfig
}

// app is the web application: configuration, parsed templates, static
// files and the route table, ready to serve.
type app struct {
	svc     *service.Service
	st      *store.Store
	log     *slog.Logger
	now     func() time.Time
	auth    *auth.Manager
	secure  bool
	baseURL string
	views   *viewSet
	static  *staticFiles
	mux     *http.ServeMux
	pub     *publicState
	// mailer sends the public form's confirmation; nil without a mail
	// server.
	mailer   Mailer
	mailFrom mail.Address
	// portalLimiter bounds the requests for a new portal link per client
	// address (portal_renew.go).
	portalLimiter *rateLimiter
}

// New returns the web application's handler. It serves every path outside
// /api/v1/; mount it at "/" beside the API. It parses the templates and
// indexes the static files now, so that a missing view, an unknown message
// key or a missing static file is an error here and not on a page.
func New(cfg Config) (http.Handler, error) {
	a, err := newApp(cfg)
	if err != nil {
		return nil, err
	}
	return a.handler(), nil
}

// newApp builds the application: New without the outer handler, for tests
// that walk the route table.
func newApp(cfg Config) (*app, error) {
	if cfg.Service == nil || cfg.Store == nil {
		return nil, errors.New("web: Config needs a Service and a Store")
	}
	a := &app{
		svc: cfg.Service, st: cfg.Store, log: cfg.Logger, now: cfg.Now,
		secure: cfg.SecureCookies, baseURL: strings.TrimRight(cfg.BaseURL, "/"),
	}
	a.pub = newPublicState(cfg.Public)
	a.portalLimiter = newRateLimiter(5, 10*time.Minute)
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.now == nil {
		a.now = time.Now
	}
	if a.baseURL != "" {
		if u, err := url.Parse(a.baseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("web: BaseURL %q is not an http(s) address", cfg.BaseURL)
		}
	}
	authCfg := auth.Config{Store: cfg.Store, Logger: a.log, Now: a.now,
		LoginDelay: cfg.LoginDelay, PasswordParams: cfg.PasswordParams}
	if cfg.Mailer != nil {
		authCfg.SendResetLink = resetMailer(cfg.Mailer, cfg.MailFrom)
		a.mailer, a.mailFrom = cfg.Mailer, cfg.MailFrom
	}
	a.auth = auth.New(authCfg)
	var err error
	if a.static, err = loadStatic(); err != nil {
		return nil, err
	}
	if a.views, err = loadViews(a.static, registeredViews); err != nil {
		return nil, err
	}
	a.mux = http.NewServeMux()
	for _, rt := range a.routes() {
		a.mux.Handle(rt.pattern, a.serve(rt))
	}
	a.mux.Handle("GET /static/", http.HandlerFunc(a.static.serve))
	a.mux.Handle("/", a.serve(route{handle: a.notFound, access: public}))
	return a, nil
}

// handler is the application with the protections around every request:
// the security headers, and http.CrossOriginProtection refusing a
// state-changing request (POST, ...) that a browser says comes from
// another site (Sec-Fetch-Site, Origin): the CSRF defence, with the
// SameSite=Lax session cookie as a second line.
func (a *app) handler() http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(a.crossOriginDenied))
	return a.securityHeaders(cop.Handler(a.mux))
}

// resetBase is the start of reset links: BaseURL, or the address of the
// request when BaseURL is not set.
func (a *app) resetBase(r *http.Request) string {
	if a.baseURL != "" {
		return a.baseURL
	}
	scheme := "http"
	if r.TLS != nil || a.secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

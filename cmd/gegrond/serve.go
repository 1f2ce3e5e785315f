package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	// The organisations' zone must load on a machine without a zone
	// database (a scratch container, Windows).
	_ "time/tzdata"

	"github.com/gegrond/gegrond/internal/api"
	"github.com/gegrond/gegrond/internal/demo"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/document/clamd"
	"github.com/gegrond/gegrond/internal/jobs"
	"github.com/gegrond/gegrond/internal/mail"
	"github.com/gegrond/gegrond/internal/mailin/smtpsource"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/web"
)

// zone is where the organisations are: its calendar date is "today" for
// every deadline.
const zone = "Europe/Amsterdam"

// Server timeouts. Requests are small JSON (the API reads at most 1 MiB);
// a client that takes longer than this to send one is gone or hostile.
const (
	readHeaderTimeout = 10 * time.Second
	readTimeout       = 60 * time.Second
	writeTimeout      = 60 * time.Second
	idleTimeout       = 2 * time.Minute
	// shutdownTimeout bounds the wait for requests in flight after
	// SIGTERM; orchestrators usually kill after 30 s.
	shutdownTimeout = 20 * time.Second
	// readyTimeout bounds the database check of /readyz.
	readyTimeout = 2 * time.Second
)

// serveConfig is what serve is told by flags and environment.
type serveConfig struct {
	addr      string
	database  string
	noDemo    bool
	logFormat string
	smtp      mail.Config
	// baseURL is where people reach the server; https:// turns on Secure
	// cookies and HSTS.
	baseURL       string
	secureCookies bool
	// mailListen is where the SMTP receiver of complaint mail listens
	// ("" is off); mailDomain is the name it greets with.
	mailListen, mailDomain string
	// blobDir, masterKey and clamd configure the evidence uploads of the
	// public complaint form (see documentStore).
	blobDir, masterKey, clamd string
}

// parseServe reads the flags of serve, with GEGROND_* variables as
// defaults: a flag given on the command line wins.
func parseServe(args []string, e env) (serveConfig, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	var c serveConfig
	fs.StringVar(&c.addr, "addr", envOr(e, "GEGROND_ADDR", ":8080"), "address to listen on (env GEGROND_ADDR)")
	databaseFlag(fs, &c.database, e)
	noDemo, err := envBool(e, "GEGROND_NO_DEMO")
	if err != nil {
		return c, err
	}
	fs.BoolVar(&c.noDemo, "no-demo", noDemo, "do not fill an empty database with demonstration data (env GEGROND_NO_DEMO)")
	fs.StringVar(&c.logFormat, "log-format", envOr(e, "GEGROND_LOG_FORMAT", "text"), "log format: text or json (env GEGROND_LOG_FORMAT)")
	smtpPort, err := envInt(e, "GEGROND_SMTP_PORT")
	if err != nil {
		return c, err
	}
	var smtpTLS string
	fs.StringVar(&c.baseURL, "base-url", envOr(e, "GEGROND_BASE_URL", ""), "address people reach the server at, e.g. https://klachten.example.nl (env GEGROND_BASE_URL)")
	fs.StringVar(&c.smtp.Host, "smtp-host", envOr(e, "GEGROND_SMTP_HOST", ""), "mail server for letters and reminders; without one they wait in the job queue (env GEGROND_SMTP_HOST)")
	fs.IntVar(&c.smtp.Port, "smtp-port", smtpPort, "mail server port; 0 is 587, or 465 with --smtp-tls=tls, 25 with none (env GEGROND_SMTP_PORT)")
	fs.StringVar(&c.smtp.User, "smtp-user", envOr(e, "GEGROND_SMTP_USER", ""), "mail server account (env GEGROND_SMTP_USER)")
	fs.StringVar(&c.smtp.Password, "smtp-password", envOr(e, "GEGROND_SMTP_PASSWORD", ""), "mail server password; prefer the environment, a flag shows in ps (env GEGROND_SMTP_PASSWORD)")
	fs.StringVar(&c.smtp.From, "smtp-from", envOr(e, "GEGROND_SMTP_FROM", ""), "sender of reminders and envelope sender of every e-mail, e.g. 'Gegrond <noreply@example.nl>' (env GEGROND_SMTP_FROM)")
	fs.StringVar(&smtpTLS, "smtp-tls", envOr(e, "GEGROND_SMTP_TLS", ""), "starttls (default), tls, opportunistic or none (env GEGROND_SMTP_TLS)")
	fs.StringVar(&c.mailListen, "mail-listen", envOr(e, "GEGROND_MAIL_LISTEN", ""), "address of the SMTP receiver for mail forwarded to the organisations' complaint addresses, e.g. :2525; empty is off (env GEGROND_MAIL_LISTEN)")
	fs.StringVar(&c.mailDomain, "mail-domain", envOr(e, "GEGROND_MAIL_DOMAIN", ""), "name the SMTP receiver greets with; empty is localhost (env GEGROND_MAIL_DOMAIN)")
	fs.StringVar(&c.blobDir, "blob-dir", envOr(e, "GEGROND_BLOB_DIR", ""), "directory of the encrypted evidence files, outside any web root; empty is gegrond-files beside the SQLite database (./gegrond-files by default) (env GEGROND_BLOB_DIR)")
	fs.StringVar(&c.masterKey, "master-key", envOr(e, "GEGROND_MASTER_KEY", ""), "base64 of the 32-byte key that wraps the evidence files' keys; prefer the environment (env GEGROND_MASTER_KEY)")
	fs.StringVar(&c.clamd, "clamd", envOr(e, "GEGROND_CLAMD", ""), "clamd address to scan uploads for viruses, e.g. unix:/run/clamav/clamd.ctl; empty is no scan (env GEGROND_CLAMD)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.secureCookies = strings.HasPrefix(c.baseURL, "https://")
	c.smtp.TLS = mail.TLSMode(smtpTLS)
	if err := c.smtp.Check(); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return c, fmt.Errorf("unknown log format %q; expected text or json", c.logFormat)
	}
	return c, nil
}

// runServe runs the web server until ctx ends (SIGTERM, SIGINT), then
// lets the requests in flight finish.
func runServe(ctx context.Context, args []string, e env) int {
	cfg, err := parseServe(args, e)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintf(e.stderr, "gegrond serve: %v\n", err)
		}
		return exitUsage
	}
	log := newLogger(e.stderr, cfg.logFormat)
	loc, err := time.LoadLocation(zone)
	if err != nil {
		log.Error("load time zone", "zone", zone, "err", err)
		return exitFailed
	}

	seeded := false
	if path, ok := newSQLiteFile(cfg.database); ok && !cfg.noDemo {
		if code := seedNewFile(ctx, path, loc, log, e, portalBase(cfg.baseURL, cfg.addr)); code != exitOK {
			return code
		}
		seeded = true
	}
	st, err := store.Open(ctx, cfg.database)
	if err != nil {
		log.Error("open database", "err", err)
		return exitFailed
	}
	defer st.Close()
	st.Now = e.now
	log.Info("database open", "engine", st.Engine())
	svc := service.New(st, e.now, loc)

	if !cfg.noDemo && !seeded {
		if code := seedDemo(ctx, svc, st, log, e, portalBase(cfg.baseURL, cfg.addr)); code != exitOK {
			return code
		}
	}

	docs, scanner, err := documentStore(cfg, log)
	if err != nil {
		log.Error("evidence files", "err", err)
		return exitFailed
	}
	svc.SetDocuments(docs, scanner)
	svc.SetLogger(log.With("component", "service"))
	if docs != nil {
		// Files a crash left between writing and committing.
		go svc.RunDocumentSweeper(ctx, service.SweepGrace)
	}
	if key := mailboxKey(cfg); key != nil {
		if err := svc.SetMailboxKey(key); err != nil {
			log.Error("mailbox key", "err", err)
			return exitFailed
		}
	}
	go svc.NewMailSupervisor(log.With("component", "mail-sources")).Run(ctx)
	sender, from, err := newMailer(cfg.smtp, log)
	if err != nil {
		log.Error("mail", "err", err)
		return exitFailed
	}
	webCfg := web.Config{Service: svc, Store: st, Logger: log, Now: e.now,
		SecureCookies: cfg.secureCookies, BaseURL: cfg.baseURL, MailFrom: from}
	var mailer jobs.Mailer
	if sender != nil {
		webCfg.Mailer, mailer = sender, sender
	}
	webHandler, err := web.New(webCfg)
	if err != nil {
		log.Error("web application", "err", err)
		return exitFailed
	}
	runner := jobs.New(svc, mailer, jobs.Config{NoticeFrom: from, PortalBase: portalBase(cfg.baseURL, cfg.addr)}, log.With("component", "jobs"))
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		runner.Run(ctx)
	}()

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		log.Error("listen", "addr", cfg.addr, "err", err)
		return exitFailed
	}
	srv := &http.Server{
		Handler:           logRequests(log, routes(svc, st, log, webHandler)),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	mailSrv, err := startMailReceiver(cfg, svc, log, served)
	if err != nil {
		log.Error("mail receiver", "addr", cfg.mailListen, "err", err)
		return exitFailed
	}
	if mailSrv != nil {
		defer mailSrv.Close()
	}
	fmt.Fprintf(e.stdout, "listening on http://%s\n", displayAddr(ln.Addr()))
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-served:
		log.Error("serve", "err", err)
		return exitFailed
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if mailSrv != nil {
		if err := mailSrv.Shutdown(sctx); err != nil {
			log.Error("shutdown: mail deliveries still running were cut off; their senders try again", "err", err)
		}
	}
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("shutdown: requests still running were cut off", "err", err)
		return exitFailed
	}
	select {
	case <-jobsDone:
	case <-sctx.Done():
		log.Error("shutdown: a job was still running; it runs again after its lease")
		return exitFailed
	}
	log.Info("stopped")
	return exitOK
}

// newSQLiteFile returns the path of dsn when it names a plain SQLite file
// (no URL, no parameters) that does not exist yet.
func newSQLiteFile(dsn string) (string, bool) {
	if dsn == "" || strings.Contains(dsn, "://") || strings.ContainsAny(dsn, "?") || strings.HasPrefix(dsn, "file:") || dsn == ":memory:" {
		return "", false
	}
	if _, err := os.Stat(dsn); !errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	return dsn, true
}

// seedNewFile makes a new SQLite database with the demo atomically: it
// seeds a side file and renames it into place only when the demo is
// complete, so a crash while seeding leaves no half demo behind (the next
// start seeds again, from scratch).
func seedNewFile(ctx context.Context, path string, loc *time.Location, log *slog.Logger, e env, portal string) int {
	tmp := path + ".seeding"
	for _, f := range []string{tmp, tmp + "-wal", tmp + "-shm", tmp + "-journal"} {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Error("demo data: remove an unfinished seed", "file", f, "err", err)
			return exitFailed
		}
	}
	st, err := store.Open(ctx, tmp)
	if err != nil {
		log.Error("open database", "err", err)
		return exitFailed
	}
	st.Now = e.now
	code := seedDemo(ctx, service.New(st, e.now, loc), st, log, e, portal)
	if err := st.Close(); err != nil && code == exitOK {
		log.Error("demo data: close", "err", err)
		code = exitFailed
	}
	if code != exitOK {
		return code
	}
	// Closing the last connection checkpointed the write-ahead log into
	// the file; make that durable, then move the file into place.
	if err := syncFile(tmp); err != nil {
		log.Error("demo data", "err", err)
		return exitFailed
	}
	if err := os.Rename(tmp, path); err != nil {
		log.Error("demo data: move into place", "err", err)
		return exitFailed
	}
	if err := syncFile(filepath.Dir(path)); err != nil {
		log.Warn("demo data: sync directory", "err", err)
	}
	return exitOK
}

// syncFile flushes a file or directory to stable storage.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// seedDemo fills an empty database with the demo and prints how to sign
// in, once: on stdout, never in the logs, which may travel further.
func seedDemo(ctx context.Context, svc *service.Service, st *store.Store, log *slog.Logger, e env, base string) int {
	start := time.Now()
	creds, err := demo.Seed(ctx, svc, st, e.now())
	switch {
	case errors.Is(err, demo.ErrNotEmpty):
		return exitOK
	case err != nil:
		log.Error("demo data", "err", err, "hint", "start with --no-demo to skip the demo")
		return exitFailed
	}
	log.Info("demo data created", "organisations", len(creds.Tokens), "took", time.Since(start).Round(time.Millisecond).String())
	fmt.Fprintf(e.stdout, "Demo login: %s / %s (every demo user has this password)\n", creds.Email, creds.Password)
	for _, t := range creds.Tokens {
		fmt.Fprintf(e.stdout, "Demo API token for %s: %s\n", t.OrgID, t.Token)
	}
	if link := demoPortalLink(ctx, svc, creds.Tokens, base); link != "" {
		fmt.Fprintf(e.stdout, "Demo complainant's portal: %s\n", link)
	}
	return exitOK
}

// demoPortalLink is a personal link to an open demo case, so that the
// complainant's side can be seen without a mail server; "" when no case
// has an e-mail address.
func demoPortalLink(ctx context.Context, svc *service.Service, orgs []demo.OrgToken, base string) string {
	for _, o := range orgs {
		recs, err := svc.Cases(ctx, o.OrgID, store.CaseFilter{OpenOnly: true, Limit: 20})
		if err != nil {
			return ""
		}
		for _, rec := range recs {
			if token, err := svc.IssuePortalLinkToCase(ctx, o.OrgID, rec.Number); err == nil {
				return strings.TrimRight(base, "/") + "/portaal/" + token
			}
		}
	}
	return ""
}

// routes lists what the server serves.
func routes(svc *service.Service, st *store.Store, log *slog.Logger, webHandler http.Handler) http.Handler {
	mux := http.NewServeMux()
	// Everything outside the API and the probes is the staff application.
	mux.Handle("/", webHandler)
	mux.Handle(api.Prefix+"/", api.New(svc, log))
	// /healthz: the process is alive and serving. It touches nothing else,
	// so that a slow database does not get the process restarted.
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		io.WriteString(w, "ok\n")
	})
	// /readyz: the process can do its work: the database answers.
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ctx, cancel := context.WithTimeout(r.Context(), readyTimeout)
		defer cancel()
		if err := ping(ctx, st); err != nil {
			log.Warn("not ready", "err", err)
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, "database unavailable\n")
			return
		}
		io.WriteString(w, "ready\n")
	})
	return mux
}

// ping checks that the database answers a query. The store has no Ping of
// its own: listing the organisations is its cheapest read (a handful of
// rows), and it passes through the same pool as every other read.
func ping(ctx context.Context, st *store.Store) error {
	_, err := st.ListOrganisations(ctx)
	return err
}

// statusWriter remembers the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests logs one line per request: method, path, status, size and
// duration. Never bodies, query strings or headers: they carry personal
// data and tokens.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		line := func(status int) {
			level := slog.LevelInfo
			if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
				level = slog.LevelDebug // probes every few seconds would drown the rest
			}
			log.LogAttrs(r.Context(), level, "request",
				slog.String("method", r.Method),
				// A complainant's personal link is a secret: never logged.
				slog.String("path", web.RedactPath(r.URL.Path)),
				slog.Int("status", status),
				slog.Int64("bytes", sw.bytes),
				slog.Float64("ms", float64(time.Since(start).Microseconds())/1000))
		}
		defer func() {
			if v := recover(); v != nil {
				// net/http closes the connection and logs the stack.
				line(http.StatusInternalServerError)
				panic(v)
			}
			if sw.status == 0 {
				sw.status = http.StatusOK // a handler that wrote nothing
			}
			line(sw.status)
		}()
		next.ServeHTTP(sw, r)
	})
}

// newLogger returns the server's structured logger on w.
func newLogger(w io.Writer, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// portalBase is the start of the complainants' personal links: the
// configured base URL, else this server on localhost (a demo).
func portalBase(baseURL, addr string) string {
	if baseURL != "" {
		return baseURL
	}
	if strings.HasPrefix(addr, ":") {
		return "http://localhost" + addr
	}
	return "http://" + addr
}

// displayAddr is the address a person can open: an unspecified host
// (":8080") is reachable on the loopback address.
func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP == nil || tcp.IP.IsUnspecified() {
		return net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return tcp.String()
}

// envOr returns the environment variable name, or def when it is unset.
func envOr(e env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// envBool reads a boolean environment variable; unset is false.
func envBool(e env, name string) (bool, error) {
	v := e.getenv(name)
	if v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s=%q is not true or false", name, v)
	}
	return b, nil
}

// databaseFlag defines --database, with GEGROND_DATABASE as default.
func databaseFlag(fs *flag.FlagSet, p *string, e env) {
	fs.StringVar(p, "database", envOr(e, "GEGROND_DATABASE", store.DefaultPath),
		"SQLite file or postgres:// URL (env GEGROND_DATABASE)")
}

// newMailer builds the SMTP sender for letters, reminders, digests and
// password reset links, or nil without a mail server: then letters and
// notices wait in the job queue for a process that has one, and reset
// links go to the log.
func newMailer(smtp mail.Config, log *slog.Logger) (*mail.Sender, mail.Address, error) {
	if !smtp.Enabled() {
		return nil, mail.Address{}, nil
	}
	sender, err := mail.NewSender(smtp)
	if err != nil {
		return nil, mail.Address{}, err
	}
	var from mail.Address
	if a, err := netmail.ParseAddress(smtp.From); err == nil {
		from = mail.Address{Name: a.Name, Email: a.Address}
	}
	log.Info("mail server", "host", smtp.Host, "port", smtp.Port, "tls", string(smtp.TLS))
	return sender, from, nil
}

// envInt reads a whole number from the environment; unset is 0.
func envInt(e env, name string) (int, error) {
	v := e.getenv(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("%s=%q is not a number", name, v)
	}
	return n, nil
}

// startMailReceiver starts the SMTP receiver of complaint mail when
// --mail-listen is set: it accepts mail for an organisation's complaint
// address (letters.complaint_email, else the regulation's contact
// e-mail), looked up in the store at each delivery, and hands it to the
// service. An error of Serve is sent on failed.
func startMailReceiver(cfg serveConfig, svc *service.Service, log *slog.Logger, failed chan<- error) (*smtpsource.Server, error) {
	if cfg.mailListen == "" {
		return nil, nil
	}
	m, err := smtpsource.New(smtpsource.Config{
		Domain: cfg.mailDomain, Recipients: svc.ComplaintAddressOrg,
		Now: svc.Now, Logger: log.With("component", "mailin"),
	}, svc.MailSink())
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", cfg.mailListen)
	if err != nil {
		return nil, err
	}
	go func() {
		if err := m.Serve(ln); err != nil {
			select {
			case failed <- fmt.Errorf("mail receiver: %w", err):
			default:
			}
		}
	}()
	log.Info("receiving complaint mail", "addr", ln.Addr().String())
	return m, nil
}

// documentStore sets up the evidence files (public form uploads, e-mail
// attachments, the portal): the encrypted store in --blob-dir under --master-key, and clamd when
// --clamd is given. Without a master key, the demo generates one and keeps
// it beside the SQLite database (gegrond-master.key, mode 0600); outside
// the demo, or on PostgreSQL, there is then no store (nil): the forms take
// no uploads.
func documentStore(cfg serveConfig, log *slog.Logger) (*document.Store, document.Scanner, error) {
	dir, file := ".", !strings.Contains(cfg.database, "://")
	if file {
		dir = filepath.Dir(cfg.database) // beside the SQLite database
	}
	if cfg.blobDir == "" {
		cfg.blobDir = filepath.Join(dir, "gegrond-files")
	}
	key := cfg.masterKey
	if key == "" && !cfg.noDemo && file {
		path := filepath.Join(dir, "gegrond-master.key")
		b, err := os.ReadFile(path)
		switch {
		case err == nil:
			key = strings.TrimSpace(string(b))
		case errors.Is(err, os.ErrNotExist):
			raw := make([]byte, document.MasterKeySize)
			rand.Read(raw)
			key = base64.StdEncoding.EncodeToString(raw)
			if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
				return nil, nil, err
			}
			log.Warn("demo: generated a master key for evidence files; set GEGROND_MASTER_KEY in production", "file", path)
		default:
			return nil, nil, err
		}
	}
	if key == "" {
		log.Warn("no --master-key: the public complaint form takes no evidence uploads")
		return nil, nil, nil
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != document.MasterKeySize {
		return nil, nil, fmt.Errorf("--master-key must be the base64 of %d bytes", document.MasterKeySize)
	}
	keys, err := document.NewKeyring("master", map[string][]byte{"master": raw})
	if err != nil {
		return nil, nil, err
	}
	docs, err := document.NewStore(cfg.blobDir, keys)
	if err != nil {
		return nil, nil, err
	}
	if cfg.clamd == "" {
		return docs, nil, nil
	}
	c, err := clamd.New(cfg.clamd)
	if err != nil {
		return nil, nil, err
	}
	return docs, c, nil
}

// mailboxKey is the master key's bytes (after publicConfig, which checks
// it and makes the demo's), sealing the IMAP mailbox passwords; nil when
// none is configured: the mailbox form then refuses to save a password.
func mailboxKey(cfg serveConfig) []byte {
	key := cfg.masterKey
	if key == "" && !cfg.noDemo && !strings.Contains(cfg.database, "://") {
		b, err := os.ReadFile(filepath.Join(filepath.Dir(cfg.database), "gegrond-master.key"))
		if err != nil {
			return nil
		}
		key = strings.TrimSpace(string(b))
	}
	raw, err := base64.StdEncoding.DecodeString(key)
	if err != nil || len(raw) != document.MasterKeySize {
		return nil
	}
	return raw
}

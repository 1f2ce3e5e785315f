package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"
)

// staticFS holds the style sheets, scripts and images of the screens: our
// own (static/css) and the vendored NL Design System and htmx files
// (static/vendor, copied from assets/node_modules by assets/vendor.mjs).
//
//go:embed static
var staticFS embed.FS

// staticFile is one static file, ready to serve.
type staticFile struct {
	name      string // path under static/, e.g. css/gegrond.css
	body      []byte
	gzipped   []byte // nil when compression does not pay
	ctype     string
	versioned string // the URL with the content hash, /static/css/gegrond.3f2a9c1b.css
}

// staticFiles indexes the static files by name and by versioned URL.
type staticFiles struct {
	byName map[string]*staticFile
	byURL  map[string]*staticFile
}

// loadStatic reads every static file, hashes it and compresses text.
func loadStatic() (*staticFiles, error) {
	s := &staticFiles{byName: map[string]*staticFile{}, byURL: map[string]*staticFile{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		sum := sha256.Sum256(body)
		f := &staticFile{name: name, body: body, ctype: mime.TypeByExtension(ext)}
		if f.ctype == "" {
			f.ctype = "text/plain; charset=utf-8" // licence files
		}
		f.versioned = "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:])[:12] + ext
		if strings.HasPrefix(f.ctype, "text/") || strings.Contains(f.ctype, "javascript") || strings.Contains(f.ctype, "svg") {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
			zw.Write(body)
			zw.Close()
			if b.Len() < len(body)*9/10 {
				f.gzipped = b.Bytes()
			}
		}
		s.byName[name] = f
		s.byURL[f.versioned] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: static files: %w", err)
	}
	return s, nil
}

// url returns the versioned URL of a static file, for templates; an
// unknown name is an error (and New checks every name in the templates).
func (s *staticFiles) url(name string) (string, error) {
	f, ok := s.byName[name]
	if !ok {
		return "", fmt.Errorf("web: no static file %q", name)
	}
	return f.versioned, nil
}

// serve answers GET /static/... A versioned URL is cached for a year: its
// name changes with its content. A plain name (/static/css/gegrond.css)
// is served too, for people and tools, but revalidated every time.
func (s *staticFiles) serve(w http.ResponseWriter, r *http.Request) {
	f, versioned := s.byURL[r.URL.Path]
	if !versioned {
		f = s.byName[strings.TrimPrefix(r.URL.Path, "/static/")]
	}
	if f == nil {
		w.Header().Set("Cache-Control", "no-store")
		http.NotFound(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Vary", "Accept-Encoding")
	if versioned {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache")
	}
	body := f.body
	if f.gzipped != nil && acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = f.gzipped
	}
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		coding, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
			continue
		}
		q = strings.ReplaceAll(q, " ", "")
		if q == "" {
			return true
		}
		v, err := strconv.ParseFloat(strings.TrimPrefix(q, "q="), 64)
		return err != nil || v > 0 // "gzip;q=0" refuses it
	}
	return false
}

package web

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// fuzzBoundary is the multipart boundary of the seeds; the fuzzer varies
// the Content-Type too, so it also tries bodies whose boundary does not
// match.
const fuzzBoundary = "gegrondfuzzgrens"

// fuzzForm builds a multipart body with the fixed boundary: text fields
// in a fixed order, then the files.
func fuzzForm(tb testing.TB, vals url.Values, files ...upload) []byte {
	tb.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(fuzzBoundary); err != nil {
		tb.Fatal(err)
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range vals[k] {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile(pubFieldEvidence, f.name)
		if err != nil {
			tb.Fatal(err)
		}
		w.Write(f.body)
	}
	mw.Close()
	return buf.Bytes()
}

// publicFuzzApp is the public form of webmatch (see setupPublic) on a
// fresh SQLite database, for a fuzz target: set up once per process with
// f, not per input.
type publicFuzzApp struct {
	app     *app
	handler http.Handler
	store   *store.Store
	blob    string
}

func newPublicFuzzApp(tb testing.TB) *publicFuzzApp {
	tb.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.SQLite(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	st.Now = func() time.Time { return fixedNow }
	src, err := reglement.PresetSource("bestmatch")
	if err != nil {
		tb.Fatal(err)
	}
	yaml := strings.Replace(string(src), "  channels:\n", "  channels:\n    - channel: web\n      source: \"test\"\n", 1)
	if _, err := st.CreateOrganisation(ctx, store.Organisation{ID: "webmatch", Name: "Web Match", ReglementID: "bestmatch"}); err != nil {
		tb.Fatal(err)
	}
	if _, err := st.SaveRegulation(ctx, "webmatch", store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: yaml}); err != nil {
		tb.Fatal(err)
	}
	svc := service.New(st, func() time.Time { return fixedNow }, amsterdam)
	keys, err := document.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, document.MasterKeySize)})
	if err != nil {
		tb.Fatal(err)
	}
	dir := tb.TempDir()
	docs, err := document.NewStore(dir, keys)
	if err != nil {
		tb.Fatal(err)
	}
	svc.SetDocuments(docs, nil)
	a, err := newApp(Config{Service: svc, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now: func() time.Time { return fixedNow }, LoginDelay: -1, PasswordParams: &cheap})
	if err != nil {
		tb.Fatal(err)
	}
	return &publicFuzzApp{app: a, handler: a.handler(), store: st, blob: dir}
}

// state is what the store holds: the case numbers, and the files by name
// (tmp/ included, as "tmp/<name>").
func (h *publicFuzzApp) state(t *testing.T) (cases map[string]bool, files map[string]bool) {
	t.Helper()
	recs, err := h.store.FindCases(context.Background(), "webmatch", store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	cases = map[string]bool{}
	for _, r := range recs {
		cases[r.Number] = true
	}
	files = map[string]bool{}
	err = filepath.WalkDir(h.blob, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			rel, _ := filepath.Rel(h.blob, path)
			files[filepath.ToSlash(rel)] = true
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return cases, files
}

// FuzzPublicSubmit sends arbitrary bodies and content types to the public
// form's real handler. Whatever arrives: never a 5xx (a panic is one: the
// application recovers it to a 500), and when no case is created, no
// file stays behind; when a case is created, the answer is its
// confirmation and the new files are exactly its documents.
func FuzzPublicSubmit(f *testing.F) {
	h := newPublicFuzzApp(f)
	ct := "multipart/form-data; boundary=" + fuzzBoundary
	valid := func() url.Values {
		v := validComplaint()
		v.Set(pubFieldKey, "fuzz-seed")
		return v
	}
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	honeypot := valid()
	honeypot.Set(pubFieldHoneypot, "http://spam")
	full := fuzzForm(f, valid(), upload{"bewijs.pdf", tinyPDF}, upload{"foto.png", samplePNGBytes(f)})
	seeds := []struct {
		ct   string
		body []byte
	}{
		{ct, full},
		{ct, fuzzForm(f, valid(), upload{"bewijs.pdf", tinyPDF})},
		{ct, fuzzForm(f, valid())},                                                             // evidence is required
		{ct, fuzzForm(f, valid(), upload{"bewijs.pdf", exe})},                                  // renamed executable
		{ct, fuzzForm(f, valid(), upload{"bewijs.pdf", tinyPDF}, upload{"leeg.pdf", nil})},     // an empty file
		{ct, fuzzForm(f, valid(), upload{"b.docx", docxBomb(f, 2)})},                           // a small bomb
		{ct, fuzzForm(f, honeypot, upload{"bewijs.pdf", tinyPDF})},                             // a robot
		{ct, fuzzForm(f, url.Values{"facts": {"\x00\xff\xfe"}}, upload{"../../etc", tinyPDF})}, // odd text and name
		{ct, full[:len(full)/2]},                                                               // cut off
		{ct, full[:len(full)-3]},                                                               // no closing boundary
		{"multipart/form-data; boundary=anders", full},                                         // the wrong boundary
		{"multipart/form-data", full},                                                          // no boundary
		{"application/x-www-form-urlencoded", []byte(valid().Encode())},
		{ct, []byte("--" + fuzzBoundary + "\r\nContent-Disposition: form-data; name=\"bewijs\"; filename=\"x.pdf\"\r\n\r\n%PDF")},
		{ct, []byte("--" + fuzzBoundary + "\r\nContent-Type: text/plain\r\n\r\n\r\n--" + fuzzBoundary + "--\r\n")},
		{ct, nil},
	}
	for _, s := range seeds {
		f.Add(s.ct, s.body)
	}
	f.Fuzz(func(t *testing.T, contentType string, body []byte) {
		// Every input gets a fresh rate limit: the fuzzer sends more than
		// any person.
		h.app.pub.limiter = newRateLimiter(1000, 10*time.Minute)
		casesBefore, filesBefore := h.state(t)
		req := httptest.NewRequest(http.MethodPost, "/o/webmatch/klacht", bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		rec := httptest.NewRecorder()
		h.handler.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("status %d:\n%.2000s", rec.Code, rec.Body.String())
		}
		casesAfter, filesAfter := h.state(t)
		var newCases, newFiles []string
		for n := range casesAfter {
			if !casesBefore[n] {
				newCases = append(newCases, n)
			}
		}
		for name := range filesAfter {
			if strings.HasPrefix(name, "tmp/") {
				t.Errorf("a temporary file stays behind: %s (status %d)", name, rec.Code)
			}
			if !filesBefore[name] {
				newFiles = append(newFiles, name)
			}
		}
		switch len(newCases) {
		case 0:
			if len(newFiles) != 0 {
				t.Fatalf("status %d, no case, but new files %v", rec.Code, newFiles)
			}
		case 1:
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), newCases[0]) {
				t.Fatalf("case %s created, but the answer is %d:\n%.2000s", newCases[0], rec.Code, rec.Body.String())
			}
			_, events, err := h.store.GetCase(context.Background(), "webmatch", newCases[0])
			if err != nil {
				t.Fatal(err)
			}
			st, err := complaint.Fold(events)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, d := range st.Documents {
				ids = append(ids, d.DocumentID)
			}
			slices.Sort(ids)
			slices.Sort(newFiles)
			if !slices.Equal(ids, newFiles) {
				t.Fatalf("case %s has documents %v, the store got files %v", newCases[0], ids, newFiles)
			}
		default:
			t.Fatalf("one request created cases %v", newCases)
		}
	})
}

// samplePNGBytes is a small PNG image.
func samplePNGBytes(tb testing.TB) []byte {
	tb.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

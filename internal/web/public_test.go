package web

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

func init() {
	routeAccess["GET /o/{organisation}/klacht"] = struct {
		who  string
		form url.Values
	}{everyone, nil}
	routeAccess["POST /o/{organisation}/klacht"] = struct {
		who  string
		form url.Values
	}{everyone, nil}
}

// publicBundle is the application with evidence uploads, and an
// organisation "webmatch" whose regulation is Best Match's with the web
// form as a channel (no preset has both).
type publicBundle struct {
	*testBundle
	app  *app
	url  string
	blob string
}

func setupPublic(t *testing.T) *publicBundle {
	t.Helper()
	b := setup(t)
	ctx := context.Background()
	src, err := reglement.PresetSource("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	yaml := strings.Replace(string(src), "  channels:\n", "  channels:\n    - channel: web\n      source: \"test\"\n", 1)
	if _, err := b.store.CreateOrganisation(ctx, store.Organisation{ID: "webmatch", Name: "Web Match", ReglementID: "bestmatch"}); err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.SaveRegulation(ctx, "webmatch", store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: yaml}); err != nil {
		t.Fatalf("save regulation: %v", err)
	}
	keys, err := document.NewKeyring("k1", map[string][]byte{"k1": bytes.Repeat([]byte{7}, document.MasterKeySize)})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	docs, err := document.NewStore(dir, keys)
	if err != nil {
		t.Fatal(err)
	}
	b.svc.SetDocuments(docs, nil)
	a, err := newApp(Config{Service: b.svc, Store: b.store, Logger: slog.New(slog.NewTextHandler(b.logs, nil)),
		Now: func() time.Time { return fixedNow }, LoginDelay: -1, PasswordParams: &cheap,
		Public: PublicConfig{RateLimit: 1000}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.handler())
	t.Cleanup(srv.Close)
	b.url = srv.URL // the clients of setup_test.go talk to this application
	return &publicBundle{testBundle: b, app: a, url: srv.URL, blob: dir}
}

// validComplaint is a complete complaint for webmatch.
func validComplaint() url.Values {
	return url.Values{
		"sleutel":           {"k-" + time.Now().Format("150405.000000000")},
		"complainant.name":  {"Sanne Klager"},
		"complainant.email": {"sanne@example.nl"},
		"facts":             {"De coach kwam niet opdagen."},
		"incident_date":     {"02-03-2026"},
		"incident_time":     {"10:00"},
		"incident_place":    {"Utrecht"},
		"accused_names":     {"Coach Jansen"},
		"desired_outcome":   {"Een nieuwe afspraak."},
		"correspondence":    {"email"},
		"privacy":           {"1"},
	}
}

type upload struct {
	name string
	body []byte
}

var tinyPDF = []byte("%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n")

// multipartBody builds a form with text fields first and files last, as a
// browser sends this form.
func multipartBody(t *testing.T, vals url.Values, files ...upload) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, err := mw.CreateFormFile("bewijs", f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.body)
	}
	mw.Close()
	return mw.FormDataContentType(), buf.Bytes()
}

func (p *publicBundle) post(t *testing.T, contentType string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, p.url+"/o/webmatch/klacht", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	return p.client(t).do(req)
}

func (p *publicBundle) submit(t *testing.T, vals url.Values, files ...upload) response {
	t.Helper()
	ct, body := multipartBody(t, vals, files...)
	return p.post(t, ct, bytes.NewReader(body))
}

// cases are the webmatch cases.
func (p *publicBundle) cases(t *testing.T) []store.CaseRecord {
	t.Helper()
	recs, err := p.store.FindCases(context.Background(), "webmatch", store.CaseFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// files are the regular files in the blob directory.
func (p *publicBundle) files(t *testing.T) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(p.blob, func(path string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			out = append(out, path)
		}
		return err
	})
	return out
}

func TestPublicFormShowsTheRegulation(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	res := p.client(t).ok("/o/webmatch/klacht")
	for _, want := range []string{"Een klacht indienen bij", "Duidelijke beschrijving van het voorval", "Medische of arbeidsdeskundige",
		`name="bewijs" type="file"`, `name="privacy"`, `name="website"`, "gemachtigde", `enctype="multipart/form-data"`} {
		if !strings.Contains(res.body, want) {
			t.Errorf("form lacks %q", want)
		}
	}
	if strings.Contains(res.body, "/zoeken") {
		t.Error("the public form shows staff navigation")
	}
	// A regulation without the web channel says how to complain instead.
	res = p.client(t).ok("/o/bestmatch/klacht")
	if !strings.Contains(res.body, "geen klacht indienen via dit formulier") || strings.Contains(res.body, `name="privacy"`) {
		t.Errorf("bestmatch form:\n%s", res.body)
	}
	if res := p.client(t).get("/o/nobody/klacht"); res.status != http.StatusNotFound {
		t.Errorf("unknown organisation: %d", res.status)
	}
}

func TestPublicSubmitWithPDFCreatesCaseAndDocument(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Uw zaaknummer is") {
		t.Fatalf("status %d:\n%s", res.status, res.body)
	}
	recs := p.cases(t)
	if len(recs) != 1 {
		t.Fatalf("%d cases, want 1", len(recs))
	}
	if !strings.Contains(res.body, recs[0].Number) || !strings.Contains(res.body, "Termijnen die nu lopen") {
		t.Errorf("confirmation lacks the number %s or the terms:\n%s", recs[0].Number, res.body)
	}
	_, events, err := p.store.GetCase(context.Background(), "webmatch", recs[0].Number)
	if err != nil {
		t.Fatal(err)
	}
	var docs int
	for _, e := range events {
		if e.Type == complaint.EvDocumentAdded {
			docs++
			if e.Actor.Kind != "complainant" {
				t.Errorf("document added by %+v", e.Actor)
			}
		}
		if e.Type == complaint.EvReceived && !strings.Contains(string(e.Payload), `"channel":"web"`) {
			t.Errorf("received: %s", e.Payload)
		}
	}
	if docs != 1 {
		t.Errorf("%d documents, want 1", docs)
	}
	files := p.files(t)
	if len(files) != 1 {
		t.Fatalf("blob files %v, want 1", files)
	}
	raw, err := os.ReadFile(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(raw, []byte("%PDF")) {
		t.Error("the stored file is not encrypted")
	}
}

func TestPublicSubmitRefusalsStoreNothing(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0}, 200)...)
	without := func(k string) url.Values { v := validComplaint(); v.Del(k); return v }
	with := func(k, val string) url.Values { v := validComplaint(); v.Set(k, val); return v }
	big := append(append([]byte{}, tinyPDF...), bytes.Repeat([]byte("a"), 10<<20)...)
	tests := []struct {
		name   string
		send   func() response
		status int
		want   string
	}{
		{"wrong type", func() response { return p.submit(t, validComplaint(), upload{"bewijs.pdf", exe}) }, 400, "PDF"},
		{"too large", func() response { return p.submit(t, validComplaint(), upload{"groot.pdf", big}) }, 400, "10 MB"},
		{"missing required field", func() response { return p.submit(t, without("facts"), upload{"b.pdf", tinyPDF}) }, 400, "Vul dit in."},
		{"bad e-mail", func() response { return p.submit(t, with("complainant.email", "sanne@"), upload{"b.pdf", tinyPDF}) }, 400, "geen geldig e-mailadres"},
		{"post without address", func() response { return p.submit(t, with("correspondence", "post"), upload{"b.pdf", tinyPDF}) }, 400, "Vul dan uw adres in"},
		{"no privacy", func() response { return p.submit(t, without("privacy"), upload{"b.pdf", tinyPDF}) }, 400, "Zet een vinkje"},
		{"honeypot", func() response { return p.submit(t, with("website", "http://spam"), upload{"b.pdf", tinyPDF}) }, 200, "Uw klacht is ontvangen"},
		{"malformed multipart", func() response {
			return p.post(t, "multipart/form-data; boundary=xyz", strings.NewReader("--xyz\r\nContent-Disposition: form-data; name=\"facts\"\r\n\r\nhalf"))
		}, 400, "Wij konden het formulier niet goed lezen"},
		{"not multipart", func() response {
			return p.post(t, "application/x-www-form-urlencoded", strings.NewReader(validComplaint().Encode()))
		}, 400, "Wij konden het formulier niet goed lezen"},
	}
	for _, tc := range tests {
		res := tc.send()
		if res.status != tc.status || !strings.Contains(res.body, tc.want) {
			t.Errorf("%s: status %d, want %d with %q:\n%.3000s", tc.name, res.status, tc.status, tc.want, res.body)
		}
		if tc.name == "missing required field" && !strings.Contains(res.body, "Sanne Klager") {
			t.Errorf("%s: the person's input is not kept", tc.name)
		}
		if n := len(p.cases(t)); n != 0 {
			t.Fatalf("%s: %d cases stored", tc.name, n)
		}
		if f := p.files(t); len(f) != 0 {
			t.Fatalf("%s: files left behind: %v", tc.name, f)
		}
	}
}

func TestPublicSubmitRateLimit(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	p.app.pub.limiter = newRateLimiter(5, 10*time.Minute)
	for i := range 5 {
		if res := p.submit(t, url.Values{}); res.status != http.StatusBadRequest {
			t.Fatalf("attempt %d: %d", i+1, res.status)
		}
	}
	res := p.submit(t, validComplaint(), upload{"b.pdf", tinyPDF})
	if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "te veel klachten") {
		t.Fatalf("sixth: %d:\n%s", res.status, res.body)
	}
	if n, f := len(p.cases(t)), p.files(t); n != 0 || len(f) != 0 {
		t.Fatalf("stored %d cases, files %v", n, f)
	}
}

func TestPublicFormHasOneInputPerName(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
	// NextBest asks contact details (Art. 4 lid 2a) and, separately, the
	// postal address when post is wanted (lid 2b): one address input.
	src, err := reglement.PresetSource("nextbest")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.CreateOrganisation(ctx, store.Organisation{ID: "nextbest", Name: "NextBest", ReglementID: "nextbest"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.store.SaveRegulation(ctx, "nextbest", store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(src)}); err != nil {
		t.Fatal(err)
	}
	res, err := http.Get(p.url + "/o/nextbest/klacht")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	if n := strings.Count(string(body), `name="complainant.address"`); n != 1 {
		t.Fatalf("%d inputs named complainant.address, want 1", n)
	}
	if !strings.Contains(string(body), `name="complainant.email"`) {
		t.Fatal("the contact details lost the e-mail address")
	}
}

package web

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// The refusals of the public form that need more than a table row: each
// sent as a browser sends the form (multipart, text fields first, files
// last), each asserting the message next to the field, the person's input
// shown again, and that nothing was stored: no case, no file in the store
// and none in its tmp/ directory (p.files walks both).

// evidenceErrorRe finds the message next to the evidence input.
var evidenceErrorRe = regexp.MustCompile(`id="f-bewijs-error">([^<]*)<`)

// evidenceError is the message shown next to the evidence input, or "".
func evidenceError(body string) string {
	m := evidenceErrorRe.FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// assertRefused checks a refusal: the status, the message next to the
// evidence input (when field is not empty), the general message, the
// person's input shown again, and nothing stored.
func (p *publicBundle) assertRefused(t *testing.T, res response, status int, field, general string) {
	t.Helper()
	if res.status != status {
		t.Errorf("status %d, want %d:\n%.3000s", res.status, status, res.body)
	}
	if field != "" {
		if got := evidenceError(res.body); !strings.Contains(got, field) {
			t.Errorf("message next to the evidence input %q, want it to contain %q", got, field)
		}
	}
	if general != "" && !strings.Contains(html.UnescapeString(res.body), general) {
		t.Errorf("page lacks the message %q:\n%.3000s", general, res.body)
	}
	assertInputKept(t, res.body)
	p.assertNothingStored(t)
}

// assertInputKept checks that the form came back with validComplaint's
// values filled in.
func assertInputKept(t *testing.T, body string) {
	t.Helper()
	for _, want := range []string{`value="Sanne Klager"`, `value="sanne@example.nl"`, "De coach kwam niet opdagen.",
		`value="02-03-2026"`, `value="Utrecht"`, "Coach Jansen", "Een nieuwe afspraak.", `name="privacy" value="1" checked`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form did not keep %s", want)
		}
	}
}

// assertNothingStored fails when webmatch has a case, or the document
// store (tmp/ included) holds a file.
func (p *publicBundle) assertNothingStored(t *testing.T) {
	t.Helper()
	if n := len(p.cases(t)); n != 0 {
		t.Errorf("%d cases stored, want none", n)
	}
	if f := p.files(t); len(f) != 0 {
		t.Errorf("files left behind: %v", f)
	}
}

// serve sends req straight to the application's handler: for bodies that
// are too large to send over a connection without racing the server's
// early answer.
func (p *publicBundle) serve(req *http.Request) response {
	rec := httptest.NewRecorder()
	p.app.handler().ServeHTTP(rec, req)
	return response{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
}

// docxBomb is a Word document whose text part unpacks to mib MiB of zeros
// from about a KiB per MiB; no large buffer is compressed or held.
func docxBomb(t testing.TB, mib int) []byte {
	t.Helper()
	var buf bytes.Buffer
	fw, err := flate.NewWriter(&buf, flate.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(make([]byte, 1<<20))
	fw.Flush()
	block := bytes.Clone(buf.Bytes())
	buf.Reset()
	fw.Close()
	stream := append(bytes.Repeat(block, mib), buf.Bytes()...)
	crc := crc32.NewIEEE()
	zero := make([]byte, 1<<20)
	for range mib {
		crc.Write(zero)
	}

	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	types := []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	for _, e := range []struct {
		hdr  zip.FileHeader
		data []byte
	}{
		{zip.FileHeader{Name: "[Content_Types].xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(types),
			CompressedSize64: uint64(len(types)), UncompressedSize64: uint64(len(types))}, types},
		{zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CRC32: crc.Sum32(),
			CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(mib) << 20}, stream},
	} {
		w, err := zw.CreateRaw(&e.hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// Best Match's evidence rule names formats and a size, not a number of
// files: the installation's default, document.DefaultMaxFiles (10),
// applies. The eleventh file is refused and the ten already stored are
// removed again.
func TestPublicSubmitTooManyFiles(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	reg, err := reglement.Preset("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	policy, err := publicPolicy(reg)
	if err != nil {
		t.Fatal(err)
	}
	if policy.MaxFiles != document.DefaultMaxFiles || document.DefaultMaxFiles != 10 {
		t.Fatalf("Best Match allows %d files (default %d); this test sends 11", policy.MaxFiles, document.DefaultMaxFiles)
	}
	var files []upload
	for i := range policy.MaxFiles + 1 {
		files = append(files, upload{fmt.Sprintf("bewijs-%d.pdf", i+1), tinyPDF})
	}
	res := p.submit(t, validComplaint(), files...)
	p.assertRefused(t, res, http.StatusBadRequest, "U kunt ten hoogste 10 bestanden meesturen.", "Uw klacht is nog niet verstuurd.")

	// Exactly the limit is accepted.
	res = p.submit(t, validComplaint(), files[:policy.MaxFiles]...)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Uw zaaknummer is") {
		t.Fatalf("ten files: status %d:\n%.3000s", res.status, res.body)
	}
	if n := len(p.files(t)); n != policy.MaxFiles {
		t.Errorf("%d files stored for ten, want ten", n)
	}
}

// A DOCX whose Word part unpacks to 200 MiB from 200 KiB is refused for
// its compression ratio, after a PDF of the same form was already stored:
// that one goes too.
func TestPublicSubmitDecompressionBomb(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	bomb := docxBomb(t, 200)
	if len(bomb) > 1<<20 {
		t.Fatalf("the bomb is %d bytes; it should be small", len(bomb))
	}
	res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}, upload{"verslag.docx", bomb})
	p.assertRefused(t, res, http.StatusBadRequest, `"verslag.docx" wordt uitgepakt meer dan 100 keer zo groot`, "Uw klacht is nog niet verstuurd.")
}

// A PDF holding the EICAR test string is refused by a real clamd with the
// local test signature (clamdtest: the test fails, not skips, when clamd
// cannot be started, unless GEGROND_TEST_SKIP_CLAMAV=1), and the virus is
// logged.
func TestPublicSubmitVirus(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	docs, _ := p.svc.Documents()
	p.svc.SetDocuments(docs, clamdtest.Shared(t))

	infected := append(append(bytes.Clone(tinyPDF), "\n% "...), clamdtest.EICAR()...)
	res := p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}, upload{"scan.pdf", infected})
	p.assertRefused(t, res, http.StatusBadRequest, `In "scan.pdf" is een virus gevonden.`, "Uw klacht is nog niet verstuurd.")
	if logs := p.logs.String(); !strings.Contains(logs, "virus refused") || !strings.Contains(logs, clamdtest.BodySignature) {
		t.Errorf("the virus is not logged with its signature:\n%s", logs)
	}

	// The same form with a clean file goes through the same scanner.
	res = p.submit(t, validComplaint(), upload{"bewijs.pdf", tinyPDF})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Uw zaaknummer is") {
		t.Fatalf("clean file: status %d:\n%.3000s", res.status, res.body)
	}
}

// A renamed executable is refused with a message naming the allowed
// types and what the name claims.
func TestPublicSubmitRenamedExecutable(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	exe := make([]byte, 512)
	copy(exe, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	exe[0x3c] = 0x80
	copy(exe[0x80:], "PE\x00\x00")
	res := p.submit(t, validComplaint(), upload{"rapport.pdf", exe})
	p.assertRefused(t, res, http.StatusBadRequest,
		`We kunnen "rapport.pdf" niet aannemen: dit soort bestand is niet toegestaan. U kunt deze soorten bestanden sturen: PDF, DOCX, PNG, JPG en MP4. De naam eindigt op .pdf, maar het bestand is geen PDF.`,
		"Uw klacht is nog niet verstuurd.")
}

// zeros yields zero bytes without end and counts what was read.
type zeros struct{ n int64 }

func (z *zeros) Read(b []byte) (int, error) {
	clear(b)
	z.n += int64(len(b))
	return len(b), nil
}

// A request larger than the form can ever be (every file at its limit and
// the text fields) is cut off while streaming: the person is told it was
// too large, the PDF already stored is removed, and the server stopped
// reading near the limit instead of taking the whole body.
func TestPublicSubmitRequestTooLarge(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	reg, err := reglement.Preset("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	policy, err := publicPolicy(reg)
	if err != nil {
		t.Fatal(err)
	}
	limit := int64(policy.MaxFiles)*(policy.MaxFileSize+64<<10) + maxPublicText

	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	for k, vs := range validComplaint() {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	w, _ := mw.CreateFormFile(pubFieldEvidence, "bewijs.pdf")
	w.Write(tinyPDF)
	mw.CreateFormFile(pubFieldEvidence, "film.mp4")
	body := &zeros{}
	sent := limit + 16<<20
	req := httptest.NewRequest(http.MethodPost, "/o/webmatch/klacht",
		io.MultiReader(&head, io.LimitReader(body, sent), strings.NewReader("\r\n--"+mw.Boundary()+"--\r\n")))
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res := p.serve(req)
	p.assertRefused(t, res, http.StatusRequestEntityTooLarge, "", "Wat u stuurde is te groot. Stuur minder of kleinere bestanden.")
	if body.n >= sent {
		t.Errorf("the server read all %d bytes; the limit is %d", body.n, limit)
	}
}

// A complaint about something older than the regulation's time limit is
// accepted and flagged for a person to decide, and the confirmation says
// so kindly. NextBest takes web complaints and has a limit of 12 months
// (Art. 6 lid 2b); the test clock is 10 March 2026.
func TestPublicSubmitTimeBarred(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ctx := context.Background()
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
	send := func(date string) (response, store.CaseRecord) {
		t.Helper()
		vals := url.Values{
			"sleutel":           {"k-" + date},
			"complainant.name":  {"Sanne Klager"},
			"complainant.email": {"sanne@example.nl"},
			"contact_person":    {"Jan Coach"},
			"incident_date":     {date},
			"facts":             {"De coach kwam niet opdagen."},
			"correspondence":    {"email"},
			"privacy":           {"1"},
		}
		ct, body := multipartBody(t, vals)
		req, err := http.NewRequest(http.MethodPost, p.url+"/o/nextbest/klacht", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", ct)
		res := p.client(t).do(req)
		if res.status != http.StatusOK || !strings.Contains(res.body, "Uw zaaknummer is") {
			t.Fatalf("incident on %s: status %d:\n%.3000s", date, res.status, res.body)
		}
		recs, err := p.store.FindCases(ctx, "nextbest", store.CaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, rec := range recs {
			if strings.Contains(res.body, rec.Number) {
				return res, rec
			}
		}
		t.Fatalf("incident on %s: the confirmation names none of the cases %v", date, recs)
		return res, store.CaseRecord{}
	}
	const note = "Wat u beschrijft, gebeurde langer geleden dan de klachtenregeling normaal toestaat."

	res, rec := send("01-02-2025")
	_, events, err := p.store.GetCase(ctx, "nextbest", rec.Number)
	if err != nil {
		t.Fatal(err)
	}
	st, err := complaint.Fold(events)
	if err != nil {
		t.Fatal(err)
	}
	if !st.Intake.TimeBarred || st.Intake.TimeBarGround != "older_than_one_year" {
		t.Errorf("intake time barred %v (ground %q), want flagged under older_than_one_year", st.Intake.TimeBarred, st.Intake.TimeBarGround)
	}
	if st.Admissibility != nil {
		t.Errorf("the case was decided (%+v); a person decides", st.Admissibility)
	}
	if !strings.Contains(html.UnescapeString(res.body), note) {
		t.Errorf("the confirmation lacks the explanation:\n%s", res.body)
	}

	// Within the limit: no flag, no note.
	res, rec = send("01-02-2026")
	_, events, err = p.store.GetCase(ctx, "nextbest", rec.Number)
	if err != nil {
		t.Fatal(err)
	}
	if st, err = complaint.Fold(events); err != nil {
		t.Fatal(err)
	}
	if st.Intake.TimeBarred || strings.Contains(html.UnescapeString(res.body), note) {
		t.Errorf("a recent incident is flagged (%v) or explained", st.Intake.TimeBarred)
	}
}

// With English chosen through the language switch, a refusal is in
// English: the message next to the field and the general one.
func TestPublicSubmitRefusalInEnglish(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	c := p.client(t)
	if res := c.post("/taal", url.Values{"taal": {"en"}, "terug": {"/o/webmatch/klacht"}}); res.status != http.StatusSeeOther && res.status != http.StatusFound {
		t.Fatalf("language switch: %d", res.status)
	}
	ct, body := multipartBody(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}, upload{"verslag.docx", docxBomb(t, 200)})
	req, err := http.NewRequest(http.MethodPost, p.url+"/o/webmatch/klacht", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	res := c.do(req)
	p.assertRefused(t, res, http.StatusBadRequest, `"verslag.docx" becomes more than 100 times larger when unpacked.`, "Your complaint has not been sent yet.")
	for _, dutch := range []string{"keer zo groot", "Uw klacht is nog niet verstuurd"} {
		if strings.Contains(res.body, dutch) {
			t.Errorf("the English page holds Dutch %q", dutch)
		}
	}
}

// The honeypot and the rate limit are in TestPublicSubmitRefusalsStoreNothing
// and TestPublicSubmitRateLimit, which assert no case and no file. A filled
// honeypot with files is told the complaint arrived; its files go.
func TestPublicSubmitHoneypotKeepsNoFiles(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	vals := validComplaint()
	vals.Set(pubFieldHoneypot, "http://spam.example")
	res := p.submit(t, vals, upload{"a.pdf", tinyPDF}, upload{"b.pdf", tinyPDF}, upload{"c.pdf", tinyPDF})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Uw klacht is ontvangen") || strings.Contains(res.body, "Uw zaaknummer is") {
		t.Errorf("honeypot: status %d:\n%.3000s", res.status, res.body)
	}
	p.assertNothingStored(t)
}

// A body that breaks off inside a file (a dropped connection on a phone)
// is the sender's problem, not the server's: the form comes back with the
// "could not read" message, and the file stored before it is removed.
func TestPublicSubmitCutOffInsideAFile(t *testing.T) {
	t.Parallel()
	p := setupPublic(t)
	ct, body := multipartBody(t, validComplaint(), upload{"bewijs.pdf", tinyPDF}, upload{"tweede.pdf", append(bytes.Clone(tinyPDF), bytes.Repeat([]byte("x"), 64<<10)...)})
	cut := body[:len(body)-32<<10]
	res := p.post(t, ct, bytes.NewReader(cut))
	p.assertRefused(t, res, http.StatusBadRequest, "", "Wij konden het formulier niet goed lezen.")
}

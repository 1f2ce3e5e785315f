package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

func TestRegulationPageIsReadableWithArticles(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := b.signedIn(t, "bestmatch/handler").ok("/reglement").body
	for _, want := range []string{
		"<h1 class=\"utrecht-heading-1\">Klachtenprocedure Best Match Re-integratie B.V.</h1>",
		"Dit is de versie die vandaag geldt.",
		`id="termijnen"`, `id="gronden"`, `id="stappen"`, `id="uitkomsten"`, `id="brieven"`,
		"5 werkdagen na ontvangst", "streeftermijn", "3 maanden na ontvangst", "uiterste termijn", "Sectie 4 (termijnentabel)", // terms
		"Mag, met ten hoogste 3 maanden.",                                    // extension
		"Medische of arbeidsdeskundige beoordelingen van derden", "Sectie 8", // grounds
		"Voorstel aan de directie (verplicht)", "Gesprek (hoor en wederhoor) (verplicht)", // steps
		"Gedeeltelijk gegrond", "Sectie 7", // outcomes
		"Ontvangstbevestiging", "Aan: klager.", "Het unieke dossiernummer.", // letters
		"84 maanden na de afsluiting", // retention
		"Een zaak houdt de versie die gold op de dag van ontvangst",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the regulation page lacks %q", want)
		}
	}
	if strings.Contains(body, "/reglement/nieuw") || strings.Contains(body, "Waarschuwingen") {
		t.Error("a handler is offered the upload or the warnings")
	}
	admin := b.signedIn(t, "bestmatch/administrator").ok("/reglement").body
	if !strings.Contains(admin, `href="/reglement/nieuw"`) || !strings.Contains(admin, "Waarschuwingen bij deze versie") {
		t.Error("an administrator is not offered the upload, or not shown the warnings")
	}
	if res := b.signedIn(t, "bestmatch/handler").get("/reglement?versie=9"); res.status != http.StatusNotFound {
		t.Errorf("an unknown version: %d", res.status)
	}
}

// multipartForm encodes fields and one file as multipart/form-data.
func multipartForm(t *testing.T, fields map[string]string, file string) (string, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	fw, err := w.CreateFormFile("bestand", "reglement.yaml")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte(file))
	w.Close()
	return w.FormDataContentType(), &buf
}

func (c *client) postMultipart(path string, fields map[string]string, file string) response {
	c.t.Helper()
	ctype, body := multipartForm(c.t, fields, file)
	req, _ := http.NewRequest(http.MethodPost, c.b.url+path, body)
	req.Header.Set("Content-Type", ctype)
	return c.do(req)
}

func TestAdministratorSavesANewRegulationVersion(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/administrator")
	form := c.ok("/reglement/nieuw").body
	if !strings.Contains(form, "id: smartplus") || !strings.Contains(form, "alleen voor klachten die vanaf die datum binnenkomen") {
		t.Fatal("the form does not start from the version in force, or does not say when a version applies")
	}
	src, _ := reglement.PresetSource("smartplus")
	good := strings.Replace(string(src), `version: "1"`, `version: "2"`, 1)

	// Errors: with line numbers and fields, nothing saved, the text kept.
	broken := strings.Replace(good, "unit: weeks", "unit: fortnights", 1)
	res := c.post("/reglement/nieuw", values("valid_from", "2026-04-01", "yaml", broken))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Het reglement is niet opgeslagen") ||
		!strings.Contains(res.body, "<strong>regel ") || !strings.Contains(res.body, "fortnights") {
		t.Fatalf("a broken regulation: %d\n%s", res.status, res.body)
	}
	// A date in the past, and a date before the text's own.
	res = c.post("/reglement/nieuw", values("valid_from", "09-03-2026", "yaml", good))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `id="f-valid_from-error">Kies vandaag of een latere datum`) {
		t.Fatalf("a date in the past: %d", res.status)
	}
	later := strings.Replace(good, `valid_from: "2020-01-01"`, `valid_from: "2026-05-01"`, 1)
	res = c.post("/reglement/nieuw", values("valid_from", "2026-04-01", "yaml", later))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "De tekst zelf gaat pas in op 01-05-2026") {
		t.Fatalf("a date before the text's own: %d", res.status)
	}

	// An upload with warnings only (no retention period): saved.
	res = c.postMultipart("/reglement/nieuw", map[string]string{"valid_from": "2026-04-01", "yaml": ""}, good)
	if res.status != http.StatusSeeOther || res.location() != "/reglement?versie=2" {
		t.Fatalf("a good upload: %d to %q\n%s", res.status, res.location(), res.body)
	}
	page := c.ok("/reglement?versie=2").body
	for _, want := range []string{"De nieuwe versie van het reglement is opgeslagen.", "Dit is niet de versie die vandaag geldt.", "gaat nog in", "retention.period", "geldig vanaf 01-04-2026"} {
		if !strings.Contains(page, want) {
			t.Errorf("after saving, the page lacks %q", want)
		}
	}
	// New cases take it from its date; today's still get version 1.
	if _, rev, _ := b.svc.Regulation(t.Context(), "smartplus", calendar.D(2026, 4, 1)); rev != 2 {
		t.Errorf("on 01-04-2026 version %d is in force, want 2", rev)
	}
	n := b.openCase(t, "smartplus/receiver", "2026-03-10", nil)
	if body := c.ok("/zaken/" + n).body; !strings.Contains(body, "(opgeslagen versie 1)") {
		t.Error("a case received today does not run under version 1")
	}
	// Only administrators.
	if res := b.signedIn(t, "smartplus/handler").post("/reglement/nieuw", values("valid_from", "2026-04-01", "yaml", good)); res.status != http.StatusForbidden {
		t.Errorf("a handler's upload: %d", res.status)
	}
}

package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/gegrond/gegrond/internal/report"
)

func TestSVGBarChart(t *testing.T) {
	t.Parallel()
	rep := smartPLUSReport(t, 2)
	charts := rep.Charts()
	if len(charts) != 5 {
		t.Fatalf("%d charts, want channel, category, commissioning party, outcome and terms", len(charts))
	}
	channel := charts[0]
	svg := report.SVGBarChart(channel)

	// Well-formed XML, with the title and description a screen reader
	// announces.
	dec := xml.NewDecoder(strings.NewReader(svg))
	var (
		root        xml.StartElement
		title, desc string
		rects       int
		texts       []string
		inText      string
	)
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root.Name.Local == "" {
				root = tok
			}
			inText = tok.Name.Local
			if tok.Name.Local == "rect" && strings.HasPrefix(attr(tok, "fill"), "url(#") {
				rects++
			}
		case xml.CharData:
			switch inText {
			case "title":
				if title == "" {
					title = string(tok)
				}
			case "desc":
				desc = string(tok)
			case "text":
				texts = append(texts, string(tok))
			}
		case xml.EndElement:
			inText = ""
		}
	}
	if root.Name.Local != "svg" || attr(root, "role") != "img" || attr(root, "aria-labelledby") != "kanaal-title kanaal-desc" {
		t.Errorf("root element %+v", root)
	}
	if title != "Klachten naar kanaal" {
		t.Errorf("title %q", title)
	}
	if want := "Staafdiagram: Klachten naar kanaal. E-mail: 3; Post: x; Telefoon: 2; Persoonlijk: < 2. Totaal: 8."; desc != want {
		t.Errorf("desc %q, want %q", desc, want)
	}
	// Bars for the shown counts only; every value written as text, so the
	// chart reads without colour.
	if rects != 2 {
		t.Errorf("%d hatched bars, want 2 (E-mail and Telefoon; Post and Persoonlijk are suppressed)", rects)
	}
	for _, want := range []string{"E-mail", "3", "Post", "x", "Telefoon", "2", "Persoonlijk", "< 2"} {
		if !contains(texts, want) {
			t.Errorf("no text %q in %v", want, texts)
		}
	}
	if strings.Contains(svg, "<script") || strings.Contains(svg, "href=\"http") {
		t.Error("the chart reaches outside itself")
	}
	golden(t, "chart_kanaal.svg", []byte(svg+"\n"))

	// The terms chart: shares out of 100, "–" without a bar where the base
	// is too small.
	terms := charts[4]
	if !terms.Percent || len(terms.Bars) != 4 || terms.Bars[0].Text != "71,4%" || !terms.Bars[1].Suppressed || terms.Bars[1].Text != "–" {
		t.Errorf("terms chart %+v", terms)
	}
	golden(t, "chart_termijnen.svg", []byte(report.SVGBarChart(terms)+"\n"))
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestYearlyReportPDF(t *testing.T) {
	t.Parallel()
	rep := smartPLUSReport(t, 0)
	var a, b bytes.Buffer
	if err := rep.WritePDF(&a); err != nil {
		t.Fatal(err)
	}
	if err := rep.WritePDF(&b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("the PDF is not deterministic")
	}
	text := pdfText(t, a.Bytes())
	for _, want := range []string{
		"Jaarverslag klachten 2026",
		"SmartPLUS Resources B.V.",
		"Periode: 01-01-2026 t/m 31-12-2026 · peildatum 15-01-2027",
		"1. Aantallen", "2. Klachten naar kanaal", "3. Klachten naar rubriek", "4. Klachten naar soort opdrachtgever",
		"5. Ontvankelijkheid", "6. Uitkomsten", "7. Termijnen", "8. Behandelduur (werkdagen)", "9. Verlengingen",
		"10. Maatregelen", "11. Doorverwijzingen", "Toelichting",
		"Manco’s in de serviceverlening in het algemeen",       // ’ survives: the font is embedded
		"De klacht gaat over handelen dat langer dan één jaar", // and ë and é
		"Figuur: Klachten naar kanaal",
		"Ontvangstbevestiging (uiterste termijn)", "71,4%",
		"Nationale Ombudsman", "Kleine aantallen worden afgeschermd",
		"Pagina 1 van",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	// Every figure of the handling time, and suppressed counts as "< 5".
	// pdftotext reads "< 5" as "<5".
	flat := strings.ReplaceAll(squash(text), "< ", "<")
	for _, want := range []string{"Mediaan 10", "90e percentiel 44", "Klachten 8", "E-mail <5", "Totaal 8", "Doeltreffend bevonden 1 (50,0%)"} {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF text lacks %q", want)
		}
	}
	for _, secret := range personalData {
		if strings.Contains(text, secret) {
			t.Errorf("the PDF holds %q", secret)
		}
	}
}

// squash joins runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// pdfText extracts the text of a PDF with pdftotext (poppler-utils).
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("GEGROND_TEST_SKIP_PDFTOTEXT") == "1" {
			t.Skip("pdftotext missing; skipped as GEGROND_TEST_SKIP_PDFTOTEXT=1 asks")
		}
		t.Fatal("pdftotext is missing: apt-get install -y poppler-utils, or set GEGROND_TEST_SKIP_PDFTOTEXT=1 to skip knowingly")
	}
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

func TestYearlyReportXLSX(t *testing.T) {
	t.Parallel()
	rep := smartPLUSReport(t, 0)
	var buf bytes.Buffer
	if err := rep.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Samenvatting,Verdelingen,Termijnen,Toelichting" {
		t.Fatalf("sheets %v", got)
	}
	find := func(sheet, label string) []string {
		t.Helper()
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if len(r) > 0 && r[0] == label {
				return r
			}
		}
		t.Fatalf("no row %q in %s", label, sheet)
		return nil
	}
	for _, c := range []struct {
		sheet, label string
		want         []string
	}{
		{report.SheetSummary, "Klachten", []string{"Klachten", "8"}},
		{report.SheetSummary, "Mediaan", []string{"Mediaan", "10"}},
		{report.SheetSummary, "90e percentiel", []string{"90e percentiel", "44"}},
		{report.SheetSummary, "Nog in behandeling op de peildatum", []string{"Nog in behandeling op de peildatum", "< 5"}},
		{report.SheetSummary, "Besloten door de directie", []string{"Besloten door de directie", "2"}},
		{report.SheetSummary, "Aandeel doeltreffend", []string{"Aandeel doeltreffend", "0.5"}},
		{report.SheetBreakdown, "E-mail", []string{"E-mail", "< 5"}},
		{report.SheetBreakdown, "Klachten naar kanaal", []string{"Klachten naar kanaal", "Aantal"}},
		{report.SheetTerms, "Ontvangstbevestiging (uiterste termijn)", []string{"Ontvangstbevestiging (uiterste termijn)", "5 dagen na ontvangst", "7", "0.714285714285714", "0"}},
		{report.SheetTerms, "Besluit (uiterste termijn)", []string{"Besluit (uiterste termijn)", "6 weken na ontvangst", "< 5", "–", "< 5"}},
	} {
		if got := find(c.sheet, c.label); strings.Join(got, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s row %q = %q, want %q", c.sheet, c.label, got, c.want)
		}
	}
	// The share is shown as a percentage.
	if v, _ := f.GetCellValue(report.SheetTerms, "D2"); v != "71.4%" {
		t.Errorf("share shown as %q, want 71.4%% (a Dutch spreadsheet writes 71,4%%)", v)
	}
	notes := find(report.SheetNotes, rep.Notes[2])
	if !strings.Contains(notes[0], "Kleine aantallen worden afgeschermd") {
		t.Errorf("notes %q", notes)
	}
}

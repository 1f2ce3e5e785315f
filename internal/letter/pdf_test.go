package letter

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/reglement"
)

// pdfText extracts the text of a PDF with poppler's pdftotext. Without
// pdftotext the test fails: a PDF check that silently never runs protects
// nothing. GEGROND_TEST_SKIP_PDFTOTEXT=1 skips it deliberately.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("GEGROND_TEST_SKIP_PDFTOTEXT") == "1" {
			t.Skip("pdftotext not installed and GEGROND_TEST_SKIP_PDFTOTEXT=1")
		}
		t.Fatal("pdftotext not found: install poppler-utils (apt-get install poppler-utils), or set GEGROND_TEST_SKIP_PDFTOTEXT=1 to skip")
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-layout", path, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

// testLogo is a small PNG.
func testLogo(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 120, 40))
	for x := range 120 {
		for y := range 40 {
			img.Set(x, y, color.RGBA{R: uint8(x * 2), G: 80, B: 160, A: 255})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestPDFHoldsTheLetter(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	for _, preset := range presets {
		for _, kind := range []reglement.LetterKind{reglement.LetterAcknowledgement, reglement.LetterDecision} {
			t.Run(preset+"_"+string(kind), func(t *testing.T) {
				t.Parallel()
				pc := cases[preset]
				lc := letterCase[kind]
				s := pc.snaps[lc.snap]
				org := testOrg
				org.Logo = testLogo(t)
				l, err := Compose(kind, s.st, pc.r, org, lc.to, s.on, Dutch)
				if err != nil {
					t.Fatal(err)
				}
				pdf, err := l.PDF()
				if err != nil {
					t.Fatal(err)
				}
				text := squash(pdfText(t, pdf))
				for _, want := range []string{caseNumber, "Ëlif Çelik", "Reïntegratie Zoë B.V.", squash(l.Subject), "Pagina 1 van"} {
					if !strings.Contains(text, want) {
						t.Errorf("PDF text lacks %q:\n%s", want, text)
					}
				}
				if strings.Contains(l.Text, "€ 500,00") && !strings.Contains(text, "€ 500,00") {
					t.Errorf("PDF text lacks € 500,00:\n%s", text)
				}
			})
		}
	}
	t.Run("the amount with its euro sign", func(t *testing.T) {
		t.Parallel()
		l := cases["standergroep"].compose(t, reglement.LetterAcknowledgement, Dutch)
		pdf, err := l.PDF()
		if err != nil {
			t.Fatal(err)
		}
		if text := pdfText(t, pdf); !strings.Contains(text, "€ 500,00") {
			t.Fatalf("PDF text lacks € 500,00:\n%s", text)
		}
	})
}

func TestRenderingIsDeterministic(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	again := casesFor(t)
	org := testOrg
	org.Logo = testLogo(t)
	for _, kind := range reglement.LetterKinds {
		t.Run(string(kind), func(t *testing.T) {
			t.Parallel()
			compose := func(pc presetCase) (Letter, []byte) {
				lc := letterCase[kind]
				s := pc.snaps[lc.snap]
				l, err := Compose(kind, s.st, pc.r, org, lc.to, s.on, Dutch)
				if err != nil {
					t.Fatal(err)
				}
				pdf, err := l.PDF()
				if err != nil {
					t.Fatal(err)
				}
				return l, pdf
			}
			l1, pdf1 := compose(cases["standergroep"])
			l2, pdf2 := compose(again["standergroep"])
			if l1.Text != l2.Text || l1.HTML != l2.HTML || l1.Subject != l2.Subject {
				t.Fatal("regenerating the letter gave another text")
			}
			if !bytes.Equal(pdf1, pdf2) {
				t.Fatalf("regenerating the letter gave another PDF (%d and %d bytes)", len(pdf1), len(pdf2))
			}
			pdf3, err := l1.PDF()
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(pdf1, pdf3) {
				t.Fatal("rendering the same letter twice gave another PDF")
			}
			if !bytes.HasPrefix(pdf1, []byte("%PDF-")) {
				t.Fatal("not a PDF")
			}
		})
	}
}

func TestPDFOfAnUncomposedLetter(t *testing.T) {
	t.Parallel()
	if _, err := (Letter{}).PDF(); err == nil {
		t.Fatal("a zero Letter has nothing to render")
	}
}

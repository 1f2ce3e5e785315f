package letter

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/gegrond/gegrond/internal/reglement"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/golden")

// TestGolden protects the text of every letter kind under every preset,
// written from the same case at fixed dates: a change of wording shows up
// as a diff to review (go test ./internal/letter -update rewrites them).
func TestGolden(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	for _, preset := range presets {
		for _, kind := range reglement.LetterKinds {
			langs := []string{Dutch}
			if preset == "smartplus" {
				langs = append(langs, English)
			}
			for _, lang := range langs {
				name := preset + "_" + string(kind)
				if lang != Dutch {
					name += "." + lang
				}
				t.Run(name, func(t *testing.T) {
					l := cases[preset].compose(t, kind, lang)
					golden(t, filepath.Join("testdata", "golden", name+".txt"), l.Text)
				})
			}
		}
	}
}

func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/letter -update to write it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs from the golden file; run go test ./internal/letter -update and review the diff\n--- got ---\n%s", path, got)
	}
}

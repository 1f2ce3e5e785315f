package document

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/reglement"
)

func TestPolicyFor(t *testing.T) {
	t.Parallel()
	t.Run("Best Match: PDF, DOCX, PNG, JPG, MP4, at most 10 MB, ten files", func(t *testing.T) {
		t.Parallel()
		p := bestMatch(t)
		if !slices.Equal(p.Formats, []string{"pdf", "docx", "png", "jpg", "mp4"}) || p.MaxFileSize != 10<<20 || p.MaxFiles != 10 || p.Source != "Sectie 3 (Vereisten)" {
			t.Fatalf("policy = %+v", p)
		}
		if p.Archive != DefaultArchiveLimits {
			t.Fatalf("archive limits = %+v; want the defaults", p.Archive)
		}
	})
	t.Run("no evidence rule: the default list and 10 MB", func(t *testing.T) {
		t.Parallel()
		p := defaultPolicy(t)
		if !slices.Equal(p.Formats, DefaultFormats) || p.MaxFileSize != 10<<20 {
			t.Fatalf("policy = %+v", p)
		}
	})
	t.Run("the installation's limits apply", func(t *testing.T) {
		t.Parallel()
		p, err := PolicyFor(&reglement.EvidenceRule{Formats: []string{"PDF", "pdf", "zip"}, MaxFileSizeMB: 25}, Limits{MaxFiles: 4, Archive: ArchiveLimits{MaxDepth: 1}})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Formats, []string{"pdf", "zip"}) || p.MaxFileSize != 25<<20 || p.MaxFiles != 4 || p.Archive.MaxDepth != 1 || p.Archive.MaxEntries != 1000 {
			t.Fatalf("policy = %+v", p)
		}
	})
	t.Run("an unmapped format is an internal error, not a silent refusal of everything", func(t *testing.T) {
		t.Parallel()
		_, err := PolicyFor(&reglement.EvidenceRule{Formats: []string{"pdf", "psd"}}, Limits{})
		if apperr.CodeOf(err) != apperr.Internal || !strings.Contains(err.Error(), "psd") {
			t.Fatalf("err = %v; want internal naming psd", err)
		}
	})
	t.Run("every preset's evidence rule maps", func(t *testing.T) {
		t.Parallel()
		presets, err := reglement.Presets()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range presets {
			if _, err := PolicyFor(r.Intake.Evidence, Limits{}); err != nil {
				t.Errorf("%s: %v", r.ID, err)
			}
		}
	})
}

// TestEveryRegulationFormatIsMapped protects the agreement with the
// reglement package: every format a regulation may name has content types
// here. reglement keeps its list unexported, so the test reads it from the
// validation message for an unknown format.
func TestEveryRegulationFormatIsMapped(t *testing.T) {
	t.Parallel()
	src, err := reglement.PresetSource("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	const line = "formats: [pdf, docx, png, jpg, mp4]"
	if !bytes.Contains(src, []byte(line)) {
		t.Fatalf("the Best Match preset no longer has %q; update this test", line)
	}
	_, problems := reglement.Parse(bytes.Replace(src, []byte(line), []byte("formats: [no-such-format]"), 1))
	var list string
	for _, p := range problems {
		if _, after, ok := strings.Cut(p.Message, "expected one of "); ok && strings.Contains(p.Message, "no-such-format") {
			list = after
		}
	}
	if list == "" {
		t.Fatalf("no problem lists the allowed formats: %v", problems)
	}
	names := strings.FieldsFunc(strings.ReplaceAll(list, " or ", ", "), func(r rune) bool { return r == ',' || r == ' ' })
	if len(names) < 10 {
		t.Fatalf("read %v from %q; the message format changed", names, list)
	}
	for _, n := range names {
		if _, ok := formats[n]; !ok {
			t.Errorf("format %q is allowed in regulations but has no content types in document.formats", n)
		}
	}
}

package document

import (
	"bytes"
	"context"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
)

var knownReasons = []string{
	ReasonTypeNotAllowed, ReasonTooLarge, ReasonEmpty, ReasonTooManyFiles,
	ReasonArchiveEntries, ReasonArchiveSize, ReasonArchiveRatio, ReasonArchiveDepth,
	ReasonArchiveDamaged, ReasonVirus, ReasonVirusScanFailed,
}

// FuzzCheck feeds arbitrary content through type detection and the archive
// walk: it must never panic, every outcome is an accepted document of an
// allowed format or a refusal with a known reason and a message, and no
// scratch file is left. Run longer with
//
//	go test -run '^$' -fuzz FuzzCheck -fuzztime 60s ./internal/document/
func FuzzCheck(f *testing.F) {
	seeds := [][]byte{
		samplePDF(), samplePNG(f), sampleJPEG(f), sampleMP4(100), sampleExe(), sampleELF(),
		sampleDocx(f), sampleODT(f), sampleXlsx(f),
		[]byte("gewone tekst\n"), clamdtest.EICAR(), {0, 1, 2, 3},
		zipOf(f, entry{name: "a.txt", data: []byte("a")}),
		zipRaw(f, aesEntry(f, "geheim.pdf", 64)),
		zipRaw(f, bombEntry(f, "nul.bin", 3)),
		nested(f, []byte("x"), 5),
		nested(f, sampleDocx(f), 2),
	}
	lying := bombEntry(f, "klein.txt", 2)
	lying.hdr.UncompressedSize64 = 100
	seeds = append(seeds, zipRaw(f, lying))
	z := zipOf(f, entry{name: "a.txt", data: bytes.Repeat([]byte("ab"), 3000)}, entry{name: "b/c.txt", data: []byte("c")})
	seeds = append(seeds, z[:len(z)-10], z[10:])
	for _, s := range seeds {
		f.Add("bestand.pdf", s)
	}

	tmp := f.TempDir()
	c := &Checker{TempDir: tmp}
	p := Policy{
		Formats:     slices.Sorted(maps.Keys(formats)),
		MaxFileSize: 1 << 20,
		Archive:     ArchiveLimits{MaxEntries: 64, MaxUncompressed: 8 << 20, MaxDepth: 3},
	}.withDefaults()

	f.Fuzz(func(t *testing.T, name string, data []byte) {
		doc, err := c.Check(context.Background(), p, Upload{Name: name, Body: bytes.NewReader(data)})
		if err != nil {
			var r *Refusal
			if !errors.As(err, &r) {
				t.Fatalf("Check(%d bytes) = %v (%T); want a refusal or a document", len(data), err, err)
			}
			if !slices.Contains(knownReasons, r.Reason) || r.Message("nl") == "" || r.Message("en") == "" {
				t.Fatalf("refusal without a known reason or message: %+v", r)
			}
			var ae *apperr.Error
			if !errors.As(err, &ae) || ae.Reason != r.Reason || ae.Field != FieldEvidence {
				t.Fatalf("refusal's apperr = %+v", ae)
			}
		} else {
			if doc.Format == "" || doc.MIME == "" || doc.Size != int64(len(data)) || doc.ID != "" {
				t.Fatalf("accepted document %+v", doc)
			}
			if _, ok := matchFormat([]string{doc.Format}, doc.MIME, true); !ok {
				t.Fatalf("accepted as %s with type %s", doc.Format, doc.MIME)
			}
		}
		if left := files(t, tmp); len(left) > 0 {
			t.Fatalf("scratch files left: %v", left)
		}
	})
}

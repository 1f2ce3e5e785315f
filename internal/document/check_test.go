package document

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/gabriel-vasile/mimetype"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/document/clamd"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
)

// TestAcceptRefuses covers every refusal that needs no virus scanner: each
// case checks the reason, the Dutch message, and that nothing was stored.
func TestAcceptRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		policy func(t testing.TB) Policy
		file   string
		body   func(t testing.TB) io.Reader
		reason string
		msg    []string
	}{
		{
			name:   "Best Match: a Windows program renamed to .pdf is refused, naming the allowed types",
			policy: bestMatch, file: "factuur.pdf",
			body:   func(testing.TB) io.Reader { return bytes.NewReader(sampleExe()) },
			reason: ReasonTypeNotAllowed,
			msg:    []string{`"factuur.pdf"`, "PDF, DOCX, PNG, JPG en MP4", "eindigt op .pdf, maar het bestand is geen PDF"},
		},
		{
			name:   "Best Match: a Linux program renamed to .jpg is refused",
			policy: bestMatch, file: "foto.jpg",
			body:   func(testing.TB) io.Reader { return bytes.NewReader(sampleELF()) },
			reason: ReasonTypeNotAllowed, msg: []string{"niet toegestaan", "geen JPG"},
		},
		{
			name:   "Best Match: plain text is not among its evidence formats",
			policy: bestMatch, file: "verklaring.txt",
			body:   func(testing.TB) io.Reader { return strings.NewReader("Ik verklaar hierbij dat ...\n") },
			reason: ReasonTypeNotAllowed, msg: []string{"PDF, DOCX, PNG, JPG en MP4"},
		},
		{
			name:   "Best Match: a ZIP archive is refused by type before it is unpacked",
			policy: bestMatch, file: "bewijs.zip",
			body:   func(t testing.TB) io.Reader { return bytes.NewReader(zipRaw(t, bombEntry(t, "nul.bin", 1024))) },
			reason: ReasonTypeNotAllowed, msg: []string{"niet toegestaan"},
		},
		{
			name:   "Best Match: a spreadsheet is not a Word document",
			policy: bestMatch, file: "overzicht.docx",
			body:   func(t testing.TB) io.Reader { return bytes.NewReader(sampleXlsx(t)) },
			reason: ReasonTypeNotAllowed, msg: []string{"geen DOCX"},
		},
		{
			name:   "Best Match: one byte over 10 MB is refused while streaming",
			policy: bestMatch, file: "video.mp4",
			body:   func(testing.TB) io.Reader { return &endless{prefix: sampleMP4(0)} },
			reason: ReasonTooLarge, msg: []string{`"video.mp4" is te groot`, "ten hoogste 10 MB"},
		},
		{
			name:   "an empty file is refused",
			policy: defaultPolicy, file: "leeg.pdf",
			body:   func(testing.TB) io.Reader { return strings.NewReader("") },
			reason: ReasonEmpty, msg: []string{"is leeg"},
		},
		{
			name:   "default policy: text with a NUL byte past the sniffed part is not text",
			policy: defaultPolicy, file: "notities.txt",
			body: func(testing.TB) io.Reader {
				return io.MultiReader(strings.NewReader(strings.Repeat("tekst ", 2000)), bytes.NewReader([]byte{0, 1, 2, 3}))
			},
			reason: ReasonTypeNotAllowed, msg: []string{"PDF, DOCX, ODT, PNG, JPG, HEIC, MP4, TXT en EML"},
		},
		{
			name:   "zip bomb: 1 GiB of zeros in 1 MB",
			policy: zipPolicy, file: "bewijs.zip",
			body:   func(t testing.TB) io.Reader { return bytes.NewReader(zipRaw(t, bombEntry(t, "nul.bin", 1024))) },
			reason: ReasonArchiveSize, msg: []string{"te groot", "256 MB"},
		},
		{
			name:   "zip bomb: 200 MiB of zeros passes the size limit but not the ratio",
			policy: zipPolicy, file: "bewijs.zip",
			body:   func(t testing.TB) io.Reader { return bytes.NewReader(zipRaw(t, bombEntry(t, "nul.bin", 200))) },
			reason: ReasonArchiveRatio, msg: []string{"meer dan 100 keer zo groot"},
		},
		{
			name:   "Best Match: docx bomb, a Word part of 200 MiB of zeros",
			policy: bestMatch, file: "klacht.docx",
			body: func(t testing.TB) io.Reader {
				types := []byte("<Types/>")
				ct := rawEntry{hdr: zip.FileHeader{
					Name: "[Content_Types].xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(types),
					CompressedSize64: uint64(len(types)), UncompressedSize64: uint64(len(types)),
				}, data: types}
				return bytes.NewReader(zipRaw(t, ct, bombEntry(t, "word/document.xml", 200)))
			},
			reason: ReasonArchiveRatio, msg: []string{`"klacht.docx"`, "keer zo groot"},
		},
		{
			name:   "a bomb inside a stored ZIP inside the upload",
			policy: zipPolicy, file: "map.zip",
			body: func(t testing.TB) io.Reader {
				inner := zipRaw(t, bombEntry(t, "nul.bin", 200))
				return bytes.NewReader(zipOf(t, entry{name: "binnen.zip", data: inner, stored: true}))
			},
			reason: ReasonArchiveRatio,
		},
		{
			name:   "many well-compressed entries together exceed the unpacked total",
			policy: func(t testing.TB) Policy { p := zipPolicy(t); p.Archive.MaxUncompressed = 2 << 20; return p },
			file:   "fotos.zip",
			body: func(t testing.TB) io.Reader {
				var es []entry
				for i := range 4 {
					es = append(es, entry{name: "foto" + string(rune('a'+i)) + ".jpg", data: randomBytes(t, 600<<10)})
				}
				return bytes.NewReader(zipOf(t, es...))
			},
			reason: ReasonArchiveSize, msg: []string{"ten hoogste 2 MB"},
		},
		{
			name:   "a ZIP with 1001 entries",
			policy: zipPolicy, file: "veel.zip",
			body: func(t testing.TB) io.Reader {
				es := make([]entry, 1001)
				for i := range es {
					es[i] = entry{name: "f" + strings.Repeat("x", i%7) + string(rune('0'+i%10)) + "/" + itoa(i), data: []byte("x")}
				}
				return bytes.NewReader(zipOf(t, es...))
			},
			reason: ReasonArchiveEntries, msg: []string{"te veel bestanden", "1000"},
		},
		{
			name:   "archives nested four deep",
			policy: zipPolicy, file: "diep.zip",
			body:   func(t testing.TB) io.Reader { return bytes.NewReader(nested(t, []byte("bodem"), 5)) },
			reason: ReasonArchiveDepth, msg: []string{"meer dan 3 lagen diep"},
		},
		{
			name:   "an entry that unpacks to more than it declares",
			policy: zipPolicy, file: "liegt.zip",
			body: func(t testing.TB) io.Reader {
				e := bombEntry(t, "klein.txt", 2)
				e.hdr.UncompressedSize64 = 10 << 10
				return bytes.NewReader(zipRaw(t, e))
			},
			reason: ReasonArchiveDamaged, msg: []string{"beschadigd"},
		},
		{
			name:   "a truncated ZIP",
			policy: zipPolicy, file: "half.zip",
			body: func(t testing.TB) io.Reader {
				z := zipOf(t, entry{name: "a.txt", data: randomBytes(t, 5000)})
				return bytes.NewReader(z[:len(z)/2])
			},
			reason: ReasonArchiveDamaged,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			p := tt.policy(t)
			body := &countingReader{r: tt.body(t)}
			doc, err := b.checker.Accept(context.Background(), p, b.store, Upload{Name: tt.file, Body: body})
			if err == nil {
				t.Fatalf("Accept = %+v; want a refusal", doc)
			}
			assertRefusal(t, err, tt.reason, tt.msg...)
			if body.n > p.MaxFileSize+1 {
				t.Errorf("read %d bytes; reading must stop at the limit plus one (%d)", body.n, p.MaxFileSize+1)
			}
			b.assertNothingStored(t)
		})
	}
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestAcceptAccepts covers files that must pass: each is stored, its
// metadata is right, and it reads back unchanged.
func TestAcceptAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		policy    func(t testing.TB) Policy
		file      string
		body      func(t testing.TB) []byte
		format    string
		mime      string
		encrypted bool
		// unsniffable: type sniffing of the first 4 KiB alone gets this
		// file wrong; the archive's directory must decide.
		unsniffable bool
	}{
		{name: "Best Match: a PDF", policy: bestMatch, file: "brief.pdf", body: func(testing.TB) []byte { return samplePDF() }, format: "pdf", mime: "application/pdf"},
		{name: "Best Match: a PNG screenshot", policy: bestMatch, file: "Schermafbeelding 2026-03-01.png", body: samplePNG, format: "png", mime: "image/png"},
		{name: "Best Match: a JPG photo named .jpeg", policy: bestMatch, file: "foto.jpeg", body: sampleJPEG, format: "jpg", mime: "image/jpeg"},
		{name: "Best Match: an MP4 video", policy: bestMatch, file: "gesprek.mp4", body: func(testing.TB) []byte { return sampleMP4(50_000) }, format: "mp4", mime: "video/mp4"},
		{name: "Best Match: a DOCX", policy: bestMatch, file: "klacht.docx", body: sampleDocx, format: "docx", mime: mimeDocx},
		{
			name: "Best Match: a DOCX whose Word part comes after the first 4 KiB is still a DOCX", policy: bestMatch, file: "klacht.docx",
			body: func(t testing.TB) []byte {
				return docxOf(t, []byte("<w:document/>"), entry{name: "media/image1.png", data: randomBytes(t, 8000)})
			},
			format: "docx", mime: mimeDocx, unsniffable: true,
		},
		{name: "Best Match: a file with a misleading name is judged by content", policy: bestMatch, file: "scan.exe", body: func(testing.TB) []byte { return samplePDF() }, format: "pdf", mime: "application/pdf"},
		{name: "default: an ODT", policy: defaultPolicy, file: "brief.odt", body: sampleODT, format: "odt", mime: mimeOdt},
		{name: "default: an iPhone HEIC photo", policy: defaultPolicy, file: "IMG_0001.HEIC", body: func(testing.TB) []byte { return []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic") }, format: "heic", mime: "image/heic"},
		{name: "default: Dutch plain text", policy: defaultPolicy, file: "verklaring.txt", body: func(testing.TB) []byte { return []byte("De cliënt heeft op 3 maart gebeld.\n") }, format: "txt", mime: "text/plain; charset=utf-8"},
		{name: "default: UTF-16 text from old Notepad, NUL bytes and all", policy: defaultPolicy, file: "brief.txt", body: func(testing.TB) []byte {
			b := []byte{0xff, 0xfe}
			for _, c := range utf16.Encode([]rune("Klacht over de cliëntbegeleider.\r\n")) {
				b = binary.LittleEndian.AppendUint16(b, c)
			}
			return b
		}, format: "txt", mime: "text/plain; charset=utf-16le"},
		{name: "default: a saved e-mail", policy: defaultPolicy, file: "mail.eml", body: func(testing.TB) []byte {
			return []byte("From: a@example.nl\r\nTo: klachten@example.nl\r\nSubject: klacht\r\nDate: Mon, 2 Mar 2026 10:00:00 +0100\r\n\r\nGeachte heer,\r\n")
		}, format: "eml", mime: "message/rfc822"},
		{
			name: "e-mailed evidence: an AES-256 encrypted ZIP is accepted as received and flagged", policy: zipPolicy, file: "bewijs.zip",
			body: func(t testing.TB) []byte {
				return zipRaw(t, aesEntry(t, "bewijs.pdf", 4000), aesEntry(t, "foto.jpg", 9000))
			},
			format: "zip", mime: mimeZip, encrypted: true,
		},
		{
			name: "a ZIP holding a ZIP holding a DOCX (three deep) passes", policy: zipPolicy, file: "map.zip",
			body: func(t testing.TB) []byte {
				return zipOf(t, entry{name: "binnen.zip", data: zipOf(t, entry{name: "k.docx", data: sampleDocx(t)})})
			},
			format: "zip", mime: mimeZip,
		},
		{
			name: "well-compressed small entries are no bomb", policy: zipPolicy, file: "logs.zip",
			body: func(t testing.TB) []byte {
				return zipOf(t, entry{name: "log.txt", data: bytes.Repeat([]byte("a"), 900<<10)})
			},
			format: "zip", mime: mimeZip,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			data := tt.body(t)
			if sniffed := mimetype.Detect(data); tt.unsniffable && sniffed.Is(tt.mime) {
				t.Fatalf("sniffing alone finds %s: the sample does not test what it should", sniffed)
			}
			doc, err := b.checker.Accept(context.Background(), tt.policy(t), b.store, Upload{Name: tt.file, Body: bytes.NewReader(data)})
			if err != nil {
				t.Fatalf("Accept: %v", err)
			}
			if doc.Format != tt.format || doc.MIME != tt.mime || doc.Encrypted != tt.encrypted || doc.Size != int64(len(data)) || doc.Scanned {
				t.Fatalf("doc = %+v; want format %s, MIME %s, encrypted %v, size %d, not scanned", doc, tt.format, tt.mime, tt.encrypted, len(data))
			}
			r, err := b.store.Open(doc.ID)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("stored content differs (%d bytes, %v)", len(got), err)
			}
			if f := files(t, b.tmp); len(f) > 0 {
				t.Errorf("scratch files left: %v", f)
			}
		})
	}
}

// TestAcceptVirus runs the checks with a real clamd and the test's own
// EICAR signatures.
func TestAcceptVirus(t *testing.T) {
	t.Parallel()
	scanner := clamdtest.Shared(t)
	eicar := clamdtest.EICAR()
	tests := []struct {
		name   string
		policy func(t testing.TB) Policy
		file   string
		body   func(t testing.TB) []byte
	}{
		{name: "default: the EICAR test file as text", policy: defaultPolicy, file: "notitie.txt", body: func(testing.TB) []byte { return eicar }},
		{name: "Best Match: EICAR inside a PDF", policy: bestMatch, file: "brief.pdf", body: func(testing.TB) []byte {
			return append(append(samplePDF(), eicar...), "\n%%EOF\n"...)
		}},
		{name: "e-mailed evidence: EICAR inside a ZIP", policy: zipPolicy, file: "bewijs.zip", body: func(t testing.TB) []byte {
			return zipOf(t, entry{name: "leesmij.txt", data: eicar})
		}},
		{name: "Best Match: EICAR inside a DOCX", policy: bestMatch, file: "klacht.docx", body: func(t testing.TB) []byte {
			return docxOf(t, append([]byte("<w:document>"), eicar...))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b := setup(t)
			b.checker.Scanner = scanner
			doc, err := b.checker.Accept(context.Background(), tt.policy(t), b.store, Upload{Name: tt.file, Body: bytes.NewReader(tt.body(t))})
			if err == nil {
				t.Fatalf("Accept = %+v; want a virus refusal", doc)
			}
			r := assertRefusal(t, err, ReasonVirus, "virus gevonden", tt.file)
			if !strings.HasPrefix(r.Virus, "Gegrond-Test-EICAR-") {
				t.Errorf("Virus = %q; want the signature name for the log", r.Virus)
			}
			b.assertNothingStored(t)
		})
	}

	t.Run("a clean file is scanned and stored", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.checker.Scanner = scanner
		doc, err := b.checker.Accept(context.Background(), bestMatch(t), b.store, Upload{Name: "brief.pdf", Body: bytes.NewReader(samplePDF())})
		if err != nil || !doc.Scanned {
			t.Fatalf("Accept = %+v, %v; want stored and scanned", doc, err)
		}
	})

	t.Run("an encrypted archive passes clamd but is not marked scanned", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.checker.Scanner = scanner
		data := zipRaw(t, aesEntry(t, "bewijs.pdf", 4000))
		doc, err := b.checker.Accept(context.Background(), zipPolicy(t), b.store, Upload{Name: "bewijs.zip", Body: bytes.NewReader(data)})
		if err != nil || !doc.Encrypted || doc.Scanned {
			t.Fatalf("Accept = %+v, %v; want stored, encrypted, not scanned", doc, err)
		}
	})

	t.Run("scanner down: refused as internal, nothing stored, cause kept for the log", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		down, err := clamd.New("unix:" + b.tmp + "/no-such.sock")
		if err != nil {
			t.Fatal(err)
		}
		b.checker.Scanner = down
		_, err = b.checker.Accept(context.Background(), bestMatch(t), b.store, Upload{Name: "brief.pdf", Body: bytes.NewReader(samplePDF())})
		r := assertRefusal(t, err, ReasonVirusScanFailed, "niet op virussen controleren")
		if r.Cause == nil || !strings.Contains(r.Cause.Error(), "no-such.sock") {
			t.Errorf("Cause = %v; want the connection error", r.Cause)
		}
		b.assertNothingStored(t)
	})

	t.Run("a file over clamd's stream limit is refused, not passed unscanned", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		b.checker.Scanner = scanner
		data := sampleMP4(clamdtest.StreamMaxLength + 1<<20)
		_, err := b.checker.Accept(context.Background(), bestMatch(t), b.store, Upload{Name: "lang.mp4", Body: bytes.NewReader(data)})
		r := assertRefusal(t, err, ReasonVirusScanFailed)
		if !errors.Is(r, clamd.ErrSizeLimit) {
			t.Errorf("Cause = %v; want ErrSizeLimit", r.Cause)
		}
		b.assertNothingStored(t)
	})
}

func TestSubmission(t *testing.T) {
	t.Parallel()
	ctx := context.Background()

	t.Run("the file after the maximum is refused unread, and Discard leaves nothing", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		p := bestMatch(t)
		p.MaxFiles = 3
		sub := b.checker.NewSubmission(p, b.store)
		for i := range 3 {
			if _, err := sub.Add(ctx, Upload{Name: "p" + itoa(i) + ".pdf", Body: bytes.NewReader(samplePDF())}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := sub.Add(ctx, Upload{Name: "vierde.pdf", Body: unreadable{t}})
		assertRefusal(t, err, ReasonTooManyFiles, "ten hoogste 3 bestanden")
		if n := len(sub.Documents()); n != 3 {
			t.Fatalf("%d documents; want 3", n)
		}
		if err := sub.Discard(); err != nil {
			t.Fatal(err)
		}
		b.assertNothingStored(t)
		if err := sub.Discard(); err != nil {
			t.Fatalf("second Discard: %v", err)
		}
	})

	t.Run("the default is ten files", func(t *testing.T) {
		t.Parallel()
		b := setup(t)
		sub := b.checker.NewSubmission(defaultPolicy(t), b.store)
		for i := range 10 {
			if _, err := sub.Add(ctx, Upload{Name: "n.txt", Body: strings.NewReader("bewijs " + itoa(i))}); err != nil {
				t.Fatal(err)
			}
		}
		_, err := sub.Add(ctx, Upload{Name: "elf.txt", Body: unreadable{t}})
		assertRefusal(t, err, ReasonTooManyFiles, "ten hoogste 10 bestanden")
	})
}

type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("a refused file was read")
	return 0, io.EOF
}

func TestCheckKeepsNothing(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	doc, err := b.checker.Check(ctx, bestMatch(t), Upload{Name: "klacht.docx", Body: bytes.NewReader(sampleDocx(t))})
	if err != nil || doc.ID != "" || doc.Format != "docx" {
		t.Fatalf("Check = %+v, %v; want a docx without id", doc, err)
	}
	_, err = b.checker.Check(ctx, zipPolicy(t), Upload{Name: "diep.zip", Body: bytes.NewReader(nested(t, []byte("x"), 5))})
	assertRefusal(t, err, ReasonArchiveDepth)
	b.assertNothingStored(t)
}

func TestRefusalSpeaksEnglishToo(t *testing.T) {
	t.Parallel()
	b := setup(t)
	_, err := b.checker.Check(context.Background(), bestMatch(t), Upload{Name: "factuur.pdf", Body: bytes.NewReader(sampleExe())})
	r := assertRefusal(t, err, ReasonTypeNotAllowed)
	en := r.Message("en")
	for _, want := range []string{`"factuur.pdf"`, "PDF, DOCX, PNG, JPG and MP4", "not a PDF file"} {
		if !strings.Contains(en, want) {
			t.Errorf("English message %q lacks %q", en, want)
		}
	}
	if r.Detected != "application/vnd.microsoft.portable-executable" {
		t.Errorf("Detected = %q; want the program's type for the log", r.Detected)
	}
	if apperr.MessageOf(err) != r.Message("nl") {
		t.Error("apperr.MessageOf is not the Dutch message")
	}
}

package document

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/document/clamd/clamdtest"
	"github.com/gegrond/gegrond/internal/reglement"
)

func TestMain(m *testing.M) {
	if dir := os.Getenv(crashHelperEnv); dir != "" {
		crashHelper(dir)
		return
	}
	code := m.Run()
	clamdtest.Stop()
	os.Exit(code)
}

type testBundle struct {
	dir     string // the store's directory
	tmp     string // the checker's scratch directory
	keys    *Keyring
	store   *Store
	checker *Checker
}

func setup(t testing.TB) *testBundle {
	t.Helper()
	dir := t.TempDir()
	keys := newTestKeyring(t, "k1")
	store, err := NewStore(filepath.Join(dir, "store"), keys)
	if err != nil {
		t.Fatal(err)
	}
	tmp := filepath.Join(dir, "scratch")
	if err := os.Mkdir(tmp, 0o700); err != nil {
		t.Fatal(err)
	}
	return &testBundle{
		dir:     store.Dir(),
		tmp:     tmp,
		keys:    keys,
		store:   store,
		checker: &Checker{TempDir: tmp},
	}
}

func randomKey(t testing.TB) []byte {
	t.Helper()
	k := make([]byte, MasterKeySize)
	if _, err := rand.Read(k); err != nil {
		t.Fatal(err)
	}
	return k
}

func newTestKeyring(t testing.TB, id string) *Keyring {
	t.Helper()
	k, err := ParseKeyring(id + ":" + base64.StdEncoding.EncodeToString(randomKey(t)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// files lists the regular files under dir, relative to it.
func files(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(dir, path)
			out = append(out, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// assertNothingStored fails when the store or the scratch directory holds
// any file: after a refusal, nothing may be left.
func (b *testBundle) assertNothingStored(t testing.TB) {
	t.Helper()
	if f := files(t, b.dir); len(f) > 0 {
		t.Errorf("store holds %v after a refusal; want nothing", f)
	}
	if f := files(t, b.tmp); len(f) > 0 {
		t.Errorf("scratch directory holds %v; want nothing", f)
	}
}

// assertRefusal checks that err is a refusal with reason whose Dutch
// message contains every one of want.
func assertRefusal(t testing.TB, err error, reason string, want ...string) *Refusal {
	t.Helper()
	var r *Refusal
	if !errors.As(err, &r) {
		t.Fatalf("error = %v (%T); want a *Refusal with reason %s", err, err, reason)
	}
	if r.Reason != reason {
		t.Fatalf("reason = %s (%s); want %s", r.Reason, r, reason)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Reason != reason || ae.Field != FieldEvidence {
		t.Fatalf("apperr = %+v; want field %s and reason %s", ae, FieldEvidence, reason)
	}
	wantCode := apperr.Invalid
	if reason == ReasonVirusScanFailed {
		wantCode = apperr.Internal
	}
	if apperr.CodeOf(err) != wantCode {
		t.Errorf("code = %s; want %s", apperr.CodeOf(err), wantCode)
	}
	msg := apperr.MessageOf(err)
	for _, w := range want {
		if !strings.Contains(msg, w) {
			t.Errorf("message %q does not contain %q", msg, w)
		}
	}
	if en := r.Message("en"); en == "" || en == msg {
		t.Errorf("English message %q; want a translation of %q", en, msg)
	}
	return r
}

func bestMatch(t testing.TB) Policy {
	t.Helper()
	r, err := reglement.Preset("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	p, err := PolicyFor(r.Intake.Evidence, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func defaultPolicy(t testing.TB) Policy {
	t.Helper()
	p, err := PolicyFor(nil, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// zipPolicy allows ZIP archives and Office files, as for e-mailed evidence.
func zipPolicy(t testing.TB) Policy {
	t.Helper()
	p, err := PolicyFor(&reglement.EvidenceRule{Formats: []string{"pdf", "docx", "zip", "txt"}, MaxFileSizeMB: 10}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Sample files, generated rather than committed.

func samplePDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
}

func samplePNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sampleJPEG(t testing.TB) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 8, 8))
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// sampleMP4 is an ISO base media file: an ftyp box and an mdat box.
func sampleMP4(payload int) []byte {
	b := []byte("\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isommp41")
	mdat := make([]byte, 8+payload)
	mdat[0], mdat[1], mdat[2], mdat[3] = byte((8+payload)>>24), byte((8+payload)>>16), byte((8+payload)>>8), byte(8+payload)
	copy(mdat[4:], "mdat")
	return append(b, mdat...)
}

// sampleExe starts like a Windows program (MZ ... PE).
func sampleExe() []byte {
	b := make([]byte, 512)
	copy(b, "MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff")
	b[0x3c] = 0x80
	copy(b[0x80:], "PE\x00\x00")
	return b
}

func sampleELF() []byte {
	b := make([]byte, 256)
	copy(b, "\x7fELF\x02\x01\x01")
	b[16] = 2 // ET_EXEC
	return b
}

type entry struct {
	name   string
	data   []byte
	stored bool // no compression
}

func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		m := zip.Deflate
		if e.stored {
			m = zip.Store
		}
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.name, Method: m})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// docxOf is a minimal Word document; extra entries go before the Word part
// when early is false (so that sniffing the first 4 KiB cannot see it).
func docxOf(t testing.TB, document []byte, extra ...entry) []byte {
	t.Helper()
	entries := []entry{{name: "[Content_Types].xml", data: []byte(`<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)}}
	entries = append(entries, extra...)
	entries = append(entries,
		entry{name: "_rels/.rels", data: []byte(`<?xml version="1.0"?><Relationships/>`)},
		entry{name: "word/document.xml", data: document},
	)
	return zipOf(t, entries...)
}

func sampleDocx(t testing.TB) []byte {
	return docxOf(t, []byte(`<w:document><w:body><w:p><w:r><w:t>Mijn klacht</w:t></w:r></w:p></w:body></w:document>`))
}

func sampleODT(t testing.TB) []byte {
	return zipOf(t,
		entry{name: "mimetype", data: []byte(mimeOdt), stored: true},
		entry{name: "content.xml", data: []byte(`<office:document-content/>`)},
		entry{name: "META-INF/manifest.xml", data: []byte(`<manifest:manifest/>`)},
	)
}

func sampleXlsx(t testing.TB) []byte {
	return zipOf(t,
		entry{name: "[Content_Types].xml", data: []byte(`<Types/>`)},
		entry{name: "xl/workbook.xml", data: []byte(`<workbook/>`)},
	)
}

// zeroBomb is a raw deflate stream of mib MiB of zeros (about 1 KiB per
// MiB) and its CRC, built by repeating one flushed block: no gigabyte is
// ever compressed or held.
func zeroBomb(t testing.TB, mib int) (stream []byte, crc uint32) {
	t.Helper()
	bombOnce.Do(func() {
		var buf bytes.Buffer
		w, _ := flate.NewWriter(&buf, flate.BestCompression)
		_, _ = w.Write(make([]byte, 1<<20))
		_ = w.Flush()
		bombBlock = bytes.Clone(buf.Bytes())
		buf.Reset()
		_ = w.Close()
		bombEnd = bytes.Clone(buf.Bytes())
	})
	stream = append(bytes.Repeat(bombBlock, mib), bombEnd...)
	h := crc32.NewIEEE()
	zero := make([]byte, 1<<20)
	for range mib {
		h.Write(zero)
	}
	return stream, h.Sum32()
}

var (
	bombOnce  sync.Once
	bombBlock []byte
	bombEnd   []byte
)

// rawEntry writes an entry whose compressed bytes and declared sizes the
// test chooses (a bomb, a lie, an encrypted entry).
type rawEntry struct {
	hdr  zip.FileHeader
	data []byte
}

func zipRaw(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, e := range entries {
		hdr := e.hdr
		f, err := w.CreateRaw(&hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func bombEntry(t testing.TB, name string, mib int) rawEntry {
	stream, crc := zeroBomb(t, mib)
	return rawEntry{
		hdr: zip.FileHeader{
			Name: name, Method: zip.Deflate, CRC32: crc,
			CompressedSize64: uint64(len(stream)), UncompressedSize64: uint64(mib) << 20,
		},
		data: stream,
	}
}

// aesEntry is an entry as WinZip AES-256 (AE-2) writes it: method 99, the
// encrypted flag, the 0x9901 extra field; its bytes are opaque.
func aesEntry(t testing.TB, name string, size int) rawEntry {
	data := make([]byte, size)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	extra := []byte{0x01, 0x99, 7, 0, 2, 0, 'A', 'E', 3, 8, 0}
	return rawEntry{
		hdr: zip.FileHeader{
			Name: name, Method: zipMethodAES, Flags: zipFlagEncrypted, Extra: extra,
			CompressedSize64: uint64(size), UncompressedSize64: uint64(size - 28),
		},
		data: data,
	}
}

// nested wraps data in depth-1 further ZIP archives (depth 1 is data).
func nested(t testing.TB, data []byte, depth int) []byte {
	for i := 1; i < depth; i++ {
		data = zipOf(t, entry{name: "laag.zip", data: data})
	}
	return data
}

// countingReader counts what was read from it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// endless yields a fixed prefix and then zeros forever.
type endless struct {
	prefix []byte
}

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.prefix)
	e.prefix = e.prefix[n:]
	clear(p[n:])
	return len(p), nil
}

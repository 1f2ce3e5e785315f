package zipcrypt

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// testText returns n bytes of text that compresses about as letters do.
func testText(n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "Regel %d: klacht %d over behandeling door medewerker %d, dossier %x.\n", i, i*7%1000, i*13%97, i*i)
	}
	return b.Bytes()[:n]
}

// readEntry reads one entry of archive through Open.
func readEntry(archive []byte, name, password string) (string, error) {
	rc, err := Open(bytes.NewReader(archive), int64(len(archive)), name, password)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	return string(b), err
}

// extractAll reads every file of archive through Extract.
func extractAll(archive []byte, password string, lim Limits) (map[string]string, error) {
	got := map[string]string{}
	err := Extract(context.Background(), bytes.NewReader(archive), int64(len(archive)), password, lim, func(e Entry, body io.Reader) error {
		b, err := io.ReadAll(body)
		got[e.Name] = string(b)
		return err
	})
	return got, err
}

func TestRoundTrip(t *testing.T) {
	const password = "Klacht-2026!"
	data := testText(100_003) // past 256 CTR blocks, not a whole block
	var cases []testFile
	for _, enc := range []Encryption{AES128, AES192, AES256} {
		for _, ae1 := range []bool{false, true} {
			for _, deflate := range []bool{false, true} {
				cases = append(cases, testFile{enc: enc, ae1: ae1, deflate: deflate})
			}
		}
	}
	for _, deflate := range []bool{false, true} {
		for _, descriptor := range []bool{false, true} {
			cases = append(cases, testFile{enc: ZipCrypto, deflate: deflate, descriptor: descriptor})
			cases = append(cases, testFile{enc: None, deflate: deflate, descriptor: descriptor})
		}
	}
	cases = append(cases, testFile{enc: AES256, name: "empty"}, testFile{enc: ZipCrypto, name: "empty"}, testFile{enc: None, name: "empty"})
	for _, tc := range cases {
		name := fmt.Sprintf("%s ae1=%v deflate=%v descriptor=%v %s", tc.enc, tc.ae1, tc.deflate, tc.descriptor, tc.name)
		t.Run(name, func(t *testing.T) {
			tc.data, tc.password = data, password
			if tc.name == "empty" {
				tc.data = nil
			}
			tc.name = "map/bewijs.txt"
			archive := buildZip(t, tc)

			got, err := readEntry(archive, tc.name, password)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if got != string(tc.data) {
				t.Fatalf("Open read %d bytes, not the %d written", len(got), len(tc.data))
			}
			all, err := extractAll(archive, password, Limits{})
			if err != nil {
				t.Fatalf("Extract: %v", err)
			}
			if len(all) != 1 || all[tc.name] != string(tc.data) {
				t.Fatalf("Extract gave %d entries, not the one written", len(all))
			}
			entries, err := List(bytes.NewReader(archive), int64(len(archive)))
			if err != nil {
				t.Fatal(err)
			}
			want := Entry{Name: tc.name, Size: int64(len(tc.data)), Encrypted: tc.enc != None, Encryption: tc.enc}
			if e := entries[0]; len(entries) != 1 || e.Name != want.Name || e.Size != want.Size || e.Encrypted != want.Encrypted || e.Encryption != want.Encryption {
				t.Fatalf("List = %+v, want %+v", entries, want)
			}
		})
	}
}

func TestWrongPassword(t *testing.T) {
	data := testText(5000)
	for _, enc := range []Encryption{AES128, AES192, AES256, ZipCrypto} {
		for _, descriptor := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s descriptor=%v", enc, descriptor), func(t *testing.T) {
				archive := buildZip(t, testFile{name: "a.txt", data: data, enc: enc, deflate: true, descriptor: descriptor, password: "juist"})
				for _, pw := range []string{"fout", "Juist", "juist ", ""} {
					if _, err := readEntry(archive, "a.txt", pw); !errors.Is(err, ErrWrongPassword) {
						t.Errorf("Open with %q: %v, want ErrWrongPassword", pw, err)
					}
					if _, err := extractAll(archive, pw, Limits{}); !errors.Is(err, ErrWrongPassword) {
						t.Errorf("Extract with %q: %v, want ErrWrongPassword", pw, err)
					}
				}
			})
		}
	}
	// A password does no harm to unencrypted entries.
	archive := buildZip(t, testFile{name: "open.txt", data: data})
	if got, err := readEntry(archive, "open.txt", "anything"); err != nil || got != string(data) {
		t.Fatalf("unencrypted entry with a password: %v", err)
	}
}

func TestEmptyPassword(t *testing.T) {
	for _, enc := range []Encryption{AES256, ZipCrypto} {
		archive := buildZip(t, testFile{name: "a.txt", data: []byte("geheim"), enc: enc})
		if got, err := readEntry(archive, "a.txt", ""); err != nil || got != "geheim" {
			t.Errorf("%s encrypted with the empty password: %q, %v", enc, got, err)
		}
		if _, err := readEntry(archive, "a.txt", "x"); !errors.Is(err, ErrWrongPassword) {
			t.Errorf("%s encrypted with the empty password, opened with one: %v", enc, err)
		}
	}
	archive := buildZip(t, testFile{name: "a.txt", data: []byte("geheim"), enc: AES256, password: "pw"})
	_, err := readEntry(archive, "a.txt", "")
	if !errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), "no password was given") {
		t.Fatalf("no password for an encrypted entry: %v", err)
	}
}

// dataOffset returns where the data of the first entry starts.
func dataOffset(t *testing.T, archive []byte) int64 {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	off, err := zr.File[0].DataOffset()
	if err != nil {
		t.Fatal(err)
	}
	return off
}

func TestTampered(t *testing.T) {
	data := testText(40_000)
	for _, tc := range []struct {
		name string
		file testFile
		at   func(size int) int // which byte of the entry's data to flip
		want error
	}{
		{"AES ciphertext", testFile{enc: AES256, deflate: true}, func(n int) int { return 18 + 100 }, ErrCorrupt},
		{"AES ciphertext, stored", testFile{enc: AES128}, func(n int) int { return 10 + 20_000 }, ErrCorrupt},
		{"AES last ciphertext byte", testFile{enc: AES256}, func(n int) int { return n - 11 }, ErrCorrupt},
		{"AES authentication code", testFile{enc: AES256, ae1: true}, func(n int) int { return n - 1 }, ErrCorrupt},
		{"AES password verifier", testFile{enc: AES256}, func(n int) int { return 16 }, ErrWrongPassword},
		{"ZipCrypto stored", testFile{enc: ZipCrypto}, func(n int) int { return 12 + 30_000 }, ErrCorrupt},
		{"ZipCrypto deflated", testFile{enc: ZipCrypto, deflate: true}, func(n int) int { return 12 + 100 }, ErrCorrupt},
		{"plain stored", testFile{}, func(n int) int { return 39_999 }, ErrCorrupt},
		{"plain deflated", testFile{deflate: true}, func(n int) int { return n / 2 }, ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.file.name, tc.file.data, tc.file.password = "a.txt", data, "pw"
			archive := buildZip(t, tc.file)
			zr, _ := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
			archive[dataOffset(t, archive)+int64(tc.at(int(zr.File[0].CompressedSize64)))] ^= 0x01

			rc, err := Open(bytes.NewReader(archive), int64(len(archive)), "a.txt", "pw")
			if strings.HasPrefix(string(tc.file.enc), "aes") {
				// AES: checked before any plaintext is given.
				if !errors.Is(err, tc.want) {
					t.Fatalf("Open: %v, want %v", err, tc.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if _, err := io.ReadAll(rc); !errors.Is(err, tc.want) {
				t.Fatalf("reading: %v, want %v", err, tc.want)
			}
			if _, err := extractAll(archive, "pw", Limits{}); !errors.Is(err, tc.want) {
				t.Fatalf("Extract: %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTruncated(t *testing.T) {
	archive := buildZip(t,
		testFile{name: "a.txt", data: testText(20_000), enc: AES256, deflate: true, password: "pw"},
		testFile{name: "b.txt", data: testText(3_000), deflate: true})
	for _, n := range []int{len(archive) - 1, len(archive) - 22, len(archive) / 2, 100, 30, 4, 0} {
		cut := archive[:n]
		_, errList := List(bytes.NewReader(cut), int64(n))
		_, errOpen := readEntry(cut, "a.txt", "pw")
		_, errExtract := extractAll(cut, "pw", Limits{})
		for _, err := range []error{errList, errOpen, errExtract} {
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("cut to %d bytes: %v, want ErrCorrupt", n, err)
			}
		}
	}
	// A directory whose entry claims more data than the archive holds.
	long := buildZip(t, testFile{name: "a.txt", data: []byte("kort"), enc: AES256, password: "pw"})
	zr, _ := zip.NewReader(bytes.NewReader(long), int64(len(long)))
	f := zr.File[0]
	dir := bytes.Index(long, []byte("PK\x01\x02"))
	long[dir+20] = 0xff // compressed size, low byte of the high half
	if _, err := readEntry(long, "a.txt", "pw"); !errors.Is(err, ErrCorrupt) {
		t.Errorf("entry past the end (was %d bytes): %v, want ErrCorrupt", f.CompressedSize64, err)
	}
}

func TestNotAZip(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("PK"), []byte("%PDF-1.7 not a zip"), bytes.Repeat([]byte("PK\x05\x06"), 100)} {
		if _, err := List(bytes.NewReader(b), int64(len(b))); !errors.Is(err, ErrCorrupt) {
			t.Errorf("List(%q...): %v, want ErrCorrupt", b[:min(len(b), 8)], err)
		}
	}
}

// allocated returns the bytes allocated while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestLimits(t *testing.T) {
	zeros := make([]byte, 50<<20)
	bomb := buildZip(t, testFile{name: "bom.bin", data: zeros, deflate: true, fast: true})
	aesBomb := buildZip(t, testFile{name: "bom.bin", data: zeros, deflate: true, fast: true, enc: AES256, password: "pw"})
	liar := buildZip(t, testFile{name: "bom.bin", data: zeros, deflate: true, fast: true, declared: 1000})
	t.Logf("a 50 MB bomb packs into %d bytes", len(bomb))
	zeros = nil
	many := func(n, size int) []byte {
		var files []testFile
		for i := range n {
			files = append(files, testFile{name: fmt.Sprintf("f%d.txt", i), data: testText(size), deflate: true})
		}
		return buildZip(t, files...)
	}
	for _, tc := range []struct {
		name    string
		archive []byte
		lim     Limits
		want    error
	}{
		{"total", bomb, Limits{MaxTotal: 1 << 20}, ErrLimit},
		{"total, AES", aesBomb, Limits{MaxTotal: 1 << 20}, ErrLimit},
		{"ratio (defaults)", bomb, Limits{}, ErrLimit},
		{"one entry", liar, Limits{MaxEntry: 1000, MaxRatio: 1 << 20}, ErrLimit},
		{"declared size over the entry limit", bomb, Limits{MaxEntry: 1000}, ErrLimit},
		{"more than declared", liar, Limits{MaxRatio: 1 << 20}, ErrCorrupt},
		{"entries", many(5, 10), Limits{MaxEntries: 4}, ErrLimit},
		{"entries at the limit", many(4, 10), Limits{MaxEntries: 4}, nil},
		{"total over entries", many(3, 600_000), Limits{MaxTotal: 1 << 20}, ErrLimit},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			used := allocated(func() {
				err = Extract(t.Context(), bytes.NewReader(tc.archive), int64(len(tc.archive)), "pw", tc.lim, func(e Entry, body io.Reader) error {
					_, err := io.Copy(io.Discard, body)
					return err
				})
			})
			if !errors.Is(err, tc.want) {
				t.Fatalf("Extract: %v, want %v", err, tc.want)
			}
			t.Logf("%v after allocating %s", err, byteSize(used))
			if used > 8<<20 {
				t.Fatalf("Extract allocated %s", byteSize(used))
			}
		})
	}
	// List and Open refuse a directory of more than 1000 entries.
	big := many(1001, 1)
	if _, err := List(bytes.NewReader(big), int64(len(big))); !errors.Is(err, ErrLimit) {
		t.Fatalf("List of 1001 entries: %v, want ErrLimit", err)
	}
}

// TestManyEntries: the entries are counted before archive/zip reads the
// directory, which it keeps whole in memory.
func TestManyEntries(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i := range 100_000 {
		if _, err := zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("%06d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	zw.Close()
	archive := b.Bytes()
	var err error
	used := allocated(func() { _, err = List(bytes.NewReader(archive), int64(len(archive))) })
	if !errors.Is(err, ErrLimit) {
		t.Fatalf("List of 100,000 entries: %v, want ErrLimit", err)
	}
	if used > 1<<20 {
		t.Fatalf("List of 100,000 entries allocated %d bytes before refusing", used)
	}
}

func TestNames(t *testing.T) {
	names := []string{"../../etc/passwd", "/abs/x.txt", `C:\Windows\evil.txt`, "a/../../b.txt", "map/", "ok/file.txt", "./.././c.txt", "link", "..", "caf\x82.txt"}
	var files []testFile
	for _, n := range names {
		tf := testFile{name: n, data: []byte(n), enc: AES256, password: "pw"}
		switch n {
		case "map/":
			tf.data, tf.enc = nil, None
		case "link":
			tf.mode = fs.ModeSymlink | 0o777
		}
		files = append(files, tf)
	}
	archive := buildZip(t, files...)
	var got []string
	err := Extract(t.Context(), bytes.NewReader(archive), int64(len(archive)), "pw", Limits{}, func(e Entry, body io.Reader) error {
		got = append(got, e.Name)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"etc/passwd", "abs/x.txt", "Windows/evil.txt", "a/b.txt", "ok/file.txt", "c.txt", "unnamed", "café.txt"}
	if !slices.Equal(got, want) {
		t.Fatalf("Extract names %q, want %q", got, want)
	}
	// List and Open use the names as stored (code page 437 read as such).
	entries, err := List(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, e := range entries {
		listed = append(listed, e.Name)
	}
	if want := []string{"../../etc/passwd", "/abs/x.txt", `C:\Windows\evil.txt`, "a/../../b.txt", "ok/file.txt", "./.././c.txt", "..", "café.txt"}; !slices.Equal(listed, want) {
		t.Fatalf("List names %q, want %q", listed, want)
	}
	if got, err := readEntry(archive, "../../etc/passwd", "pw"); err != nil || got != "../../etc/passwd" {
		t.Fatalf("Open by stored name: %q, %v", got, err)
	}
	if _, err := readEntry(archive, "nope.txt", "pw"); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Open of a missing entry: %v, want fs.ErrNotExist", err)
	}
}

func TestByteSize(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 bytes", 1023: "1023 bytes", 1 << 10: "1 KiB", 1536: "1.5 KiB", 256 << 20: "256 MiB", 1 << 30: "1 GiB", 1<<64 - 1: "16 EiB"} {
		if got := byteSize(n); got != want {
			t.Errorf("byteSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestSafeName(t *testing.T) {
	for in, want := range map[string]string{
		"brief.pdf":            "brief.pdf",
		"map/sub/brief.pdf":    "map/sub/brief.pdf",
		"../../../etc/passwd":  "etc/passwd",
		"/etc/passwd":          "etc/passwd",
		`..\..\boot.ini`:       "boot.ini",
		`c:/x/y.txt`:           "x/y.txt",
		"a/./b//c":             "a/b/c",
		"nul\x00byte\n.txt":    "nulbyte.txt",
		"":                     "unnamed",
		"../":                  "unnamed",
		"...":                  "...",
		"foto's/vakantie.jpeg": "foto's/vakantie.jpeg",
	} {
		if got := SafeName(in); got != want {
			t.Errorf("SafeName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestUnsupported(t *testing.T) {
	patch := func(b []byte, from, to string) []byte {
		return bytes.ReplaceAll(b, []byte(from), []byte(to))
	}
	aes := buildZip(t, testFile{name: "a.txt", data: []byte("x"), enc: AES256, password: "pw"})
	for _, tc := range []struct {
		name    string
		archive []byte
		enc     Encryption
	}{
		{"strong encryption", buildZip(t, testFile{name: "a.txt", data: []byte("x"), enc: ZipCrypto, flags: flagStrong}), Unknown},
		{"LZMA", buildZip(t, testFile{name: "a.txt", data: []byte("x"), method: 14}), None},
		{"AES with LZMA", buildZip(t, testFile{name: "a.txt", data: []byte("x"), enc: AES256, method: 14}), AES256},
		{"AES strength 4", patch(aes, "AE\x03", "AE\x04"), Unknown},
		{"AE-3", patch(aes, "\x07\x00\x02\x00AE", "\x07\x00\x03\x00AE"), Unknown},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := readEntry(tc.archive, "a.txt", ""); !errors.Is(err, ErrUnsupported) {
				t.Fatalf("Open: %v, want ErrUnsupported", err)
			}
			entries, err := List(bytes.NewReader(tc.archive), int64(len(tc.archive)))
			if err != nil || len(entries) != 1 || entries[0].Encryption != tc.enc {
				t.Fatalf("List = %+v, %v; want encryption %q", entries, err, tc.enc)
			}
		})
	}
}

func TestExtractErrors(t *testing.T) {
	data := testText(10_000)
	archive := buildZip(t,
		testFile{name: "a.txt", data: data, enc: AES256, password: "pw", deflate: true},
		testFile{name: "b.txt", data: data, enc: ZipCrypto, password: "pw"},
	)
	size := int64(len(archive))
	stop := errors.New("stop")
	calls := 0
	err := Extract(t.Context(), bytes.NewReader(archive), size, "pw", Limits{}, func(e Entry, body io.Reader) error {
		calls++
		return fmt.Errorf("storing %s: %w", e.Name, stop)
	})
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("an error from fn: %v after %d calls, want it after 1", err, calls)
	}

	// The stored ZipCrypto entry with a changed byte: caught whether fn
	// reads it, drops the read error, or does not read at all.
	bad := bytes.Clone(archive)
	zr, _ := zip.NewReader(bytes.NewReader(bad), size)
	off, _ := zr.File[1].DataOffset()
	bad[off+500] ^= 0x80
	for name, fn := range map[string]func(Entry, io.Reader) error{
		"reads":       func(_ Entry, body io.Reader) error { _, err := io.ReadAll(body); return err },
		"drops error": func(_ Entry, body io.Reader) error { io.ReadAll(body); return nil },
		"reads half":  func(_ Entry, body io.Reader) error { _, err := io.ReadFull(body, make([]byte, 100)); return err },
		"reads none":  func(Entry, io.Reader) error { return nil },
	} {
		if err := Extract(t.Context(), bytes.NewReader(bad), size, "pw", Limits{}, fn); !errors.Is(err, ErrCorrupt) {
			t.Errorf("fn that %s: %v, want ErrCorrupt", name, err)
		}
	}

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := Extract(ctx, bytes.NewReader(archive), size, "pw", Limits{}, func(Entry, io.Reader) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled before: %v", err)
	}
	ctx, cancel = context.WithCancel(t.Context())
	defer cancel()
	calls = 0
	err = Extract(ctx, bytes.NewReader(archive), size, "pw", Limits{}, func(_ Entry, body io.Reader) error {
		calls++
		cancel()
		_, err := io.ReadAll(body)
		return err
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Fatalf("cancelled while reading: %v after %d calls", err, calls)
	}
}

// TestDeclaredSize: an entry must unpack to exactly the size it declares,
// also where no CRC would notice (AE-2).
func TestDeclaredSize(t *testing.T) {
	for _, enc := range []Encryption{AES256, ZipCrypto, None} {
		for _, declared := range []int64{3, 5} {
			archive := buildZip(t, testFile{name: "a.txt", data: []byte("kort"), enc: enc, password: "pw", declared: declared})
			if got, err := readEntry(archive, "a.txt", "pw"); !errors.Is(err, ErrCorrupt) {
				t.Errorf("%s declaring %d bytes for 4: %q, %v; want ErrCorrupt", enc, declared, got, err)
			}
		}
	}
}

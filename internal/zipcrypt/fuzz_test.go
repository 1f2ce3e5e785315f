package zipcrypt

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"testing"
)

// FuzzOpen reads arbitrary bytes as an archive with an arbitrary password:
// nothing may panic, and every error must be one of the package's kinds.
func FuzzOpen(f *testing.F) {
	seed := func(archive []byte, password string) { f.Add(archive, password) }
	seed(sevenZipAES256, "pw")
	seed(pyzipperAE2, "test")
	seed(asAE1([]byte{0x26, 0x5b, 0x3c, 0x5a}), "test")
	if raw, err := os.ReadFile("testdata/infozip.zip"); err == nil {
		seed(raw, infozipPassword)
	}
	text := testText(3000)
	for _, tf := range []testFile{
		{enc: AES128, deflate: true}, {enc: AES192, ae1: true}, {enc: AES256, deflate: true},
		{enc: ZipCrypto, deflate: true}, {enc: ZipCrypto, descriptor: true}, {deflate: true}, {},
	} {
		tf.name, tf.data, tf.password = "a/b.txt", text, "pw"
		seed(buildZip(f, tf), "pw")
	}
	seed(nil, "")

	f.Fuzz(func(t *testing.T, data []byte, password string) {
		r, size := bytes.NewReader(data), int64(len(data))
		entries, err := List(r, size)
		checkKind(t, "List", err)
		for _, e := range entries[:min(len(entries), 4)] {
			rc, err := Open(r, size, e.Name, password)
			checkKind(t, "Open", err)
			if err == nil {
				_, err = io.Copy(io.Discard, io.LimitReader(rc, 8<<20))
				rc.Close()
				checkKind(t, "reading", err)
			}
		}
		lim := Limits{MaxEntries: 50, MaxTotal: 8 << 20}
		err = Extract(context.Background(), r, size, password, lim, func(e Entry, body io.Reader) error {
			if e.Name != SafeName(e.Name) {
				t.Fatalf("Extract gave the unsafe name %q", e.Name)
			}
			_, err := io.Copy(io.Discard, body)
			return err
		})
		checkKind(t, "Extract", err)
	})
}

// checkKind fails t when err is not nil and not one of the package's kinds.
func checkKind(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, kind := range []error{ErrWrongPassword, ErrCorrupt, ErrUnsupported, ErrLimit, fs.ErrNotExist} {
		if errors.Is(err, kind) {
			return
		}
	}
	t.Fatalf("%s: unclassified error %v", what, err)
}

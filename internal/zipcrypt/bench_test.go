package zipcrypt

import (
	"bytes"
	"io"
	"testing"
)

// BenchmarkAES256Extract extracts a 10 MiB text file from an AES-256 (AE-2)
// archive: key derivation, authentication, decryption and, for "deflate",
// inflation; "plain deflate" is the same file unencrypted, for comparison.
func BenchmarkAES256Extract(b *testing.B) {
	const size = 10 << 20
	text := testText(size)
	for _, bc := range []struct {
		name string
		file testFile
	}{
		{"deflate", testFile{enc: AES256, deflate: true}},
		{"store", testFile{enc: AES256}},
		{"plain deflate", testFile{enc: None, deflate: true}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			bc.file.name, bc.file.data, bc.file.password = "dossier.txt", text, "pw"
			archive := buildZip(b, bc.file)
			r := bytes.NewReader(archive)
			buf := make([]byte, 32<<10)
			b.SetBytes(size)
			b.ReportAllocs()
			for b.Loop() {
				err := Extract(b.Context(), r, int64(len(archive)), "pw", Limits{}, func(e Entry, body io.Reader) error {
					_, err := io.CopyBuffer(io.Discard, body, buf)
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

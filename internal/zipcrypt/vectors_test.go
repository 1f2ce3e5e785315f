package zipcrypt

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"strings"
	"testing"
)

// Archives made by other programs, to check the reading code against
// something other than this package's own test encryptor.

// sevenZipAES256 is a one-entry archive published with a Go ZIP library's
// tests as written by 7-Zip ("7zz a -tzip -mem=AES256 -mx0 -ppw"): msg.txt,
// AES-256, AE-2, stored, 62 bytes, so the counter passes its first block.
var sevenZipAES256 = mustHex(
	"504b03043300010063001d03315d000000005a0000003e00000007000b006d73672e7478740199070002004145030000" +
		"2a836fdc4218f29a7e2064cf46ee815ff4e62dcb2896dc1e8f3b1e6fb4998c5d0a1894d0a2781072a2dde9db978ab1af" +
		"870a4950fec5012fe70382441d65bc47361bdde879fa6036b5e8dc3f13dc44673fb3aa4870a471eb0e91504b01023f03" +
		"3300010063001d03315d000000005a0000003e00000007002f000000000000002080a481000000006d73672e7478740a" +
		"0020000000000001001800dd5ad5f73a46dd01000000000000000000000000000000000199070002004145030000504b" +
		"05060000000001000100640000008a0000000000")

const sevenZipMessage = "WinZip AES counter check: this line is longer than one block.\n"

// pyzipperAE2 is the AE-2 test archive of pyzipper (a Python AES ZIP
// library): test.txt, AES-256, stored, password "test".
var pyzipperAE2 = mustHex(
	"504b03041400010063000000210000000000430000002700000008000b00746573742e74787401990700020041450300" +
		"00e547f25a225bd0ce96b7b3f6858f7c05a9da42477a3a21dea69ab781418e82fd29367c84f9330e6355a70776e13918" +
		"4194476d51c55912b0053dbbd29b698733b9bdf1504b0102140314000100630000002100000000004300000027000000" +
		"08000b000000000000000000800100000000746573742e7478740199070002004145030000504b050600000000010001" +
		"0041000000740000000000")

const pyzipperMessage = "This is a test file for AES encryption."

// asAE1 turns pyzipperAE2 into AE-1 with the given CRC: the authentication
// code covers only the ciphertext, so it still matches.
func asAE1(crc []byte) []byte {
	b := bytes.Clone(pyzipperAE2)
	copy(b[14:], crc)                                      // the local header's CRC
	copy(b[bytes.Index(b, []byte("PK\x01\x02"))+16:], crc) // the central header's
	for i := 0; ; {
		j := bytes.Index(b[i:], []byte("\x01\x99\x07\x00\x02\x00AE"))
		if j < 0 {
			return b
		}
		b[i+j+4] = 1
		i += j + 1
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func TestPublishedAESArchives(t *testing.T) {
	for _, tc := range []struct {
		name, entry, password, want string
		archive                     []byte
		err                         error
	}{
		{"7-Zip AES-256", "msg.txt", "pw", sevenZipMessage, sevenZipAES256, nil},
		{"7-Zip wrong password", "msg.txt", "pW", "", sevenZipAES256, ErrWrongPassword},
		{"pyzipper AE-2", "test.txt", "test", pyzipperMessage, pyzipperAE2, nil},
		{"pyzipper as AE-1, right CRC", "test.txt", "test", pyzipperMessage, asAE1([]byte{0x26, 0x5b, 0x3c, 0x5a}), nil},
		{"pyzipper as AE-1, wrong CRC", "test.txt", "test", "", asAE1([]byte{0x26, 0x5b, 0x3c, 0x30}), ErrCorrupt},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := readEntry(tc.archive, tc.entry, tc.password)
			if !errors.Is(err, tc.err) {
				t.Fatalf("error %v, want %v", err, tc.err)
			}
			if err == nil && got != tc.want {
				t.Fatalf("read %q, want %q", got, tc.want)
			}
		})
	}
	entries, err := List(bytes.NewReader(sevenZipAES256), int64(len(sevenZipAES256)))
	if err != nil || len(entries) != 1 || entries[0].Encryption != AES256 || entries[0].Size != int64(len(sevenZipMessage)) {
		t.Fatalf("List = %+v, %v; want msg.txt, aes-256, %d bytes", entries, err, len(sevenZipMessage))
	}
}

// infozipFiles is what testdata/infozip.zip holds (see testdata/README.md):
// a deflated text and a stored binary, both ZipCrypto with the CRC after
// the data (so the check byte is the time's), and two folders.
var infozipFiles = map[string]string{
	"bijlagen/klacht.txt":    "6085086d0a5a165ee48419f01454a9c851d986bf10337d41b8d428639fc0771f",
	"bijlagen/foto/scan.bin": "4679080307ccd63e4c9cc4ab4736684dbaf39453b0becabe157509ee645d1323",
}

const infozipPassword = "Gegrond-2026!"

func TestInfoZIPArchive(t *testing.T) {
	raw, err := os.ReadFile("testdata/infozip.zip")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	err = Extract(t.Context(), bytes.NewReader(raw), int64(len(raw)), infozipPassword, Limits{}, func(e Entry, body io.Reader) error {
		h := sha256.New()
		if _, err := io.Copy(h, body); err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != infozipFiles[e.Name] {
			t.Errorf("%s: SHA-256 %s, want %s", e.Name, got, infozipFiles[e.Name])
		}
		if e.Encryption != ZipCrypto || !e.Encrypted {
			t.Errorf("%s: encryption %q, want zipcrypto", e.Name, e.Encryption)
		}
		seen[e.Name] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(infozipFiles) {
		t.Fatalf("extracted %v, want the files of %v (and no folders)", seen, infozipFiles)
	}

	for _, pw := range []string{"gegrond-2026!", "Gegrond-2026", ""} {
		_, err := readEntry(raw, "bijlagen/klacht.txt", pw)
		if !errors.Is(err, ErrWrongPassword) {
			t.Errorf("password %q: error %v, want ErrWrongPassword", pw, err)
		}
		if pw == "" && (err == nil || !strings.Contains(err.Error(), "no password was given")) {
			t.Errorf("no password: %v does not say that none was given", err)
		}
	}
}

package zipcrypt

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/aes"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha1"
	"encoding/binary"
	"hash/crc32"
	"io/fs"
	"math/rand/v2"
	"testing"
)

// This file is a test-only encryptor, written apart from the reading code
// (byte-at-a-time CTR, its own ZipCrypto key schedule), so that the two do
// not share a mistake. The published fixtures in vectors_test.go check both
// against other programs.

// testFile is one entry for buildZip.
type testFile struct {
	name     string
	data     []byte
	enc      Encryption // None, ZipCrypto, AES128, AES192 or AES256
	ae1      bool       // AES: AE-1 (CRC kept) instead of AE-2
	deflate  bool
	fast     bool // deflate at flate.BestSpeed
	password string
	// descriptor sets flag bit 3: the sizes and CRC follow the data, and a
	// ZipCrypto check byte comes from the time.
	descriptor bool
	flags      uint16      // more flags, such as strong encryption
	method     uint16      // the compression method to declare instead
	declared   int64       // the uncompressed size to declare instead, if > 0
	mode       fs.FileMode // set when not zero
}

// testDOSTime is the DOS time of every entry: 14:30:10.
const testDOSTime = 14<<11 | 30<<5 | 10/2

// buildZip writes an archive of files. Salts and headers come from a fixed
// seed: the same files give the same archive.
func buildZip(t testing.TB, files ...testFile) []byte {
	t.Helper()
	rng := rand.New(rand.NewChaCha8([32]byte{'g', 'e', 'g', 'r', 'o', 'n', 'd'}))
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, tf := range files {
		payload, method := tf.data, uint16(zip.Store)
		if tf.deflate {
			var b bytes.Buffer
			level := flate.DefaultCompression
			if tf.fast {
				level = flate.BestSpeed
			}
			fw, _ := flate.NewWriter(&b, level)
			fw.Write(tf.data)
			fw.Close()
			payload, method = b.Bytes(), zip.Deflate
		}
		if tf.method != 0 {
			method = tf.method
		}
		fh := &zip.FileHeader{
			Name:               tf.name,
			Method:             method,
			Flags:              tf.flags,
			CRC32:              crc32.ChecksumIEEE(tf.data),
			UncompressedSize64: uint64(len(tf.data)),
		}
		//lint:ignore SA1019 CreateRaw writes the DOS time as given; ZipCrypto's check byte needs it
		fh.ModifiedTime, fh.ModifiedDate = testDOSTime, 0x5c61 // 2026-03-01
		if tf.declared > 0 {
			fh.UncompressedSize64 = uint64(tf.declared)
		}
		if tf.descriptor {
			fh.Flags |= flagDescriptor
		}
		if tf.mode != 0 {
			fh.SetMode(tf.mode)
		}
		switch tf.enc {
		case ZipCrypto:
			fh.Flags |= flagEncrypted
			check := byte(fh.CRC32 >> 24)
			if tf.descriptor {
				check = byte(testDOSTime >> 8)
			}
			payload = testZipCrypto(rng, payload, tf.password, check)
		case AES128, AES192, AES256:
			keyLen := map[Encryption]int{AES128: 16, AES192: 24, AES256: 32}[tf.enc]
			version := uint16(2)
			if tf.ae1 {
				version = 1
			} else {
				fh.CRC32 = 0
			}
			fh.Flags |= flagEncrypted
			fh.Extra = binary.LittleEndian.AppendUint16(nil, extraAES)
			fh.Extra = binary.LittleEndian.AppendUint16(fh.Extra, 7)
			fh.Extra = binary.LittleEndian.AppendUint16(fh.Extra, version)
			fh.Extra = append(fh.Extra, 'A', 'E', byte(keyLen/8-1))
			fh.Extra = binary.LittleEndian.AppendUint16(fh.Extra, method)
			fh.Method = methodAES
			payload = testAES(rng, payload, tf.password, keyLen)
		}
		fh.CompressedSize64 = uint64(len(payload))
		w, err := zw.CreateRaw(fh)
		if err != nil {
			t.Fatalf("writing the test archive: %v", err)
		}
		if _, err := w.Write(payload); err != nil {
			t.Fatalf("writing the test archive: %v", err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatalf("writing the test archive: %v", err)
	}
	return out.Bytes()
}

// testAES encrypts as WinZip AES: salt | verifier | AES-CTR ciphertext
// (little-endian counter from 1) | HMAC-SHA1-80 of the ciphertext.
func testAES(rng *rand.Rand, plain []byte, password string, keyLen int) []byte {
	salt := make([]byte, keyLen/2)
	for i := range salt {
		salt[i] = byte(rng.Uint32())
	}
	dk, err := pbkdf2.Key(sha1.New, password, salt, 1000, 2*keyLen+2)
	if err != nil {
		panic(err)
	}
	block, err := aes.NewCipher(dk[:keyLen])
	if err != nil {
		panic(err)
	}
	ct := make([]byte, len(plain))
	var counter, stream [aes.BlockSize]byte
	for i := range plain {
		if i%aes.BlockSize == 0 {
			binary.LittleEndian.PutUint64(counter[:], uint64(i/aes.BlockSize+1))
			block.Encrypt(stream[:], counter[:])
		}
		ct[i] = plain[i] ^ stream[i%aes.BlockSize]
	}
	mac := hmac.New(sha1.New, dk[keyLen:2*keyLen])
	mac.Write(ct)
	out := append(salt, dk[2*keyLen:]...)
	out = append(out, ct...)
	return append(out, mac.Sum(nil)[:10]...)
}

// testZipCrypto encrypts as traditional PKWARE encryption, with a header of
// 11 random bytes and check.
func testZipCrypto(rng *rand.Rand, plain []byte, password string, check byte) []byte {
	k0, k1, k2 := uint32(0x12345678), uint32(0x23456789), uint32(0x34567890)
	table := crc32.MakeTable(crc32.IEEE)
	update := func(b byte) {
		k0 = table[(k0^uint32(b))&0xff] ^ (k0 >> 8)
		k1 = (k1+(k0&0xff))*134775813 + 1
		k2 = table[(k2^(k1>>24))&0xff] ^ (k2 >> 8)
	}
	for _, b := range []byte(password) {
		update(b)
	}
	head := make([]byte, 12)
	for i := range head {
		head[i] = byte(rng.Uint32())
	}
	head[11] = check
	var out []byte
	for _, b := range append(head, plain...) {
		t := uint16(k2) | 2
		out = append(out, b^byte((uint32(t)*uint32(t^1))>>8))
		update(b)
	}
	return out
}

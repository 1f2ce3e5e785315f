package zipcrypt

import (
	"archive/zip"
	"encoding/binary"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ZIP header values (APPNOTE.TXT 4.4.4, 4.4.5; WinZip's AE-x specification).
const (
	flagEncrypted  = 1 << 0
	flagDescriptor = 1 << 3  // sizes and CRC follow the data
	flagStrong     = 1 << 6  // PKWARE strong encryption
	flagMaskedDir  = 1 << 13 // encrypted central directory, local values masked
	methodStore    = 0
	methodDeflate  = 8
	methodAES      = 99
	extraAES       = 0x9901
)

// Encryption names how an entry is protected.
type Encryption string

// The kinds of protection an Entry reports.
const (
	None      Encryption = "none"      // not encrypted
	ZipCrypto Encryption = "zipcrypto" // traditional PKWARE encryption
	AES128    Encryption = "aes-128"   // WinZip AES, 128-bit key
	AES192    Encryption = "aes-192"   // WinZip AES, 192-bit key
	AES256    Encryption = "aes-256"   // WinZip AES, 256-bit key
	// Unknown is encryption this package cannot open (PKWARE strong
	// encryption, a damaged or unknown AES field); Open says why.
	Unknown Encryption = "unknown"
)

// Entry is one file of an archive.
type Entry struct {
	// Name is the name as the archive stores it (List) or made safe to use
	// as a relative path (Extract: see SafeName). Names that are not UTF-8
	// are read as code page 437, as the ZIP specification says.
	Name string
	// Size is the uncompressed size the archive declares. Reading an entry
	// fails with ErrCorrupt when its content differs from it.
	Size int64
	// Modified is the modification time the archive records.
	Modified time.Time
	// Encrypted reports whether the entry needs the password.
	Encrypted bool
	// Encryption says how the entry is protected.
	Encryption Encryption
}

// plan says how to read one entry.
type plan struct {
	enc    Encryption
	method uint16 // compression method of the plaintext
	keyLen int    // AES key bytes
	crc    bool   // whether the CRC-32 is to be checked
}

// entryName returns f's name as text.
func entryName(f *zip.File) string {
	if utf8.ValidString(f.Name) {
		return f.Name
	}
	name, err := charmap.CodePage437.NewDecoder().String(f.Name)
	if err != nil {
		return strings.ToValidUTF8(f.Name, "\uFFFD")
	}
	return name
}

// isFile reports whether f is a regular file: not a folder, not a link.
func isFile(f *zip.File) bool {
	return !strings.HasSuffix(f.Name, "/") && f.Mode().IsRegular()
}

// describe returns the Entry for f, with how it is encrypted as far as the
// headers tell.
func describe(f *zip.File) Entry {
	e := Entry{
		Name:      entryName(f),
		Size:      int64(min(f.UncompressedSize64, 1<<63-1)),
		Modified:  f.Modified,
		Encrypted: f.Flags&flagEncrypted != 0 || f.Method == methodAES,
	}
	p, _ := planFor(f)
	switch {
	case p.enc != "":
		e.Encryption = p.enc
	case e.Encrypted:
		e.Encryption = Unknown
	default:
		e.Encryption = None
	}
	return e
}

// planFor reads f's headers: its encryption and its compression. When only
// the compression is unsupported, the plan still says how f is encrypted.
func planFor(f *zip.File) (plan, error) {
	name := entryName(f)
	if f.Flags&flagStrong != 0 || f.Flags&flagMaskedDir != 0 {
		return plan{}, entryError(name, "PKWARE strong encryption", ErrUnsupported)
	}
	var p plan
	switch {
	case f.Method == methodAES:
		field, ok := findExtra(f.Extra, extraAES)
		if !ok || len(field) < 7 {
			return plan{}, entryError(name, "AES entry without a readable AES field", ErrCorrupt)
		}
		version := binary.LittleEndian.Uint16(field)
		if version != 1 && version != 2 || field[2] != 'A' || field[3] != 'E' {
			return plan{}, entryError(name, fmt.Sprintf("unknown AES variant %d %q", version, field[2:4]), ErrUnsupported)
		}
		switch field[4] {
		case 1:
			p.enc, p.keyLen = AES128, 16
		case 2:
			p.enc, p.keyLen = AES192, 24
		case 3:
			p.enc, p.keyLen = AES256, 32
		default:
			return plan{}, entryError(name, fmt.Sprintf("unknown AES key strength %d", field[4]), ErrUnsupported)
		}
		p.method = binary.LittleEndian.Uint16(field[5:])
		p.crc = version == 1 // AE-2 leaves the CRC zero: the code protects the data
	case f.Flags&flagEncrypted != 0:
		p.enc, p.method, p.crc = ZipCrypto, f.Method, true
	default:
		p.enc, p.method, p.crc = None, f.Method, true
	}
	if p.method != methodStore && p.method != methodDeflate {
		return p, entryError(name, "compressed with "+methodName(p.method), ErrUnsupported)
	}
	return p, nil
}

// methodName names a compression method for a person.
func methodName(m uint16) string {
	names := map[uint16]string{9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd", methodAES: "AES"}
	if n, ok := names[m]; ok {
		return n + fmt.Sprintf(" (method %d)", m)
	}
	return fmt.Sprintf("method %d", m)
}

// findExtra returns the data of the extra field with the given id.
func findExtra(extra []byte, id uint16) ([]byte, bool) {
	for len(extra) >= 4 {
		tag := binary.LittleEndian.Uint16(extra)
		n := int(binary.LittleEndian.Uint16(extra[2:]))
		extra = extra[4:]
		if n > len(extra) {
			return nil, false
		}
		if tag == id {
			return extra[:n], true
		}
		extra = extra[n:]
	}
	return nil, false
}

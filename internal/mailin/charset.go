package mailin

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	gocharset "github.com/emersion/go-message/charset"
	"golang.org/x/text/encoding/charmap"
)

// decodeCharset converts b from the named charset to UTF-8. It never
// fails: a label it does not know, or bytes that are not what the label
// says, are read as UTF-8 when they are valid UTF-8 and as Windows-1252
// otherwise; ok is false then, for Message.Problems.
//
// ISO-8859-1 and US-ASCII are read as Windows-1252, as browsers do (the
// WHATWG encoding standard): Outlook labels Windows-1252 text, with its
// € and curly quotes in 0x80-0x9F, as ISO-8859-1 all the time, and
// Windows-1252 equals ISO-8859-1 everywhere else.
func decodeCharset(label string, b []byte) (s string, ok bool) {
	label = strings.ToLower(strings.Trim(strings.TrimSpace(label), `"'`))
	switch label {
	case "", "utf-8", "utf8", "unicode-1-1-utf-8":
		if utf8.Valid(b) {
			return string(b), true
		}
		return windows1252(b), false
	case "us-ascii", "ascii", "iso-8859-1", "iso8859-1", "latin1", "l1", "iso_8859-1", "cp1252", "windows-1252", "x-cp1252":
		if isASCII(b) {
			return string(b), true
		}
		return windows1252(b), true
	}
	r, err := gocharset.Reader(label, bytes.NewReader(b))
	if err != nil {
		if utf8.Valid(b) {
			return string(b), false
		}
		return windows1252(b), false
	}
	out, err := io.ReadAll(r)
	if err != nil {
		return windows1252(b), false
	}
	return strings.ToValidUTF8(string(out), "\uFFFD"), true
}

// charsetReader is decodeCharset as a mime.WordDecoder wants it.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	s, _ := decodeCharset(label, b)
	return strings.NewReader(s), nil
}

// windows1252 decodes b as Windows-1252.
func windows1252(b []byte) string {
	out, err := charmap.Windows1252.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(out)
}

// isASCII reports whether b is 7-bit.
func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// charsetProblem words a charset that had to be guessed.
func charsetProblem(label string) string {
	if label == "" {
		return "text without a declared charset is not UTF-8; read as Windows-1252"
	}
	return fmt.Sprintf("unknown or wrong charset %q; read as UTF-8 or Windows-1252", label)
}

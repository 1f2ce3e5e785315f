package document

import (
	"net/http"
	"path"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// maxNameBytes bounds a sanitised name: what most file systems allow.
const maxNameBytes = 200

// fallbackName is used when nothing usable is left of a name.
const fallbackName = "bestand"

// SanitizeName makes a file name from a person's device safe to record and
// to show: the last path element only (both / and \ separate), Unicode NFC,
// no control or format characters (which include the right-to-left
// override that disguises "gpj.exe" as "exe.jpg"), no quotes, no leading
// dots or surrounding spaces, at most 200 bytes with the extension kept.
// The result is never used as a path: stored files have random names.
func SanitizeName(name string) string {
	name = strings.ToValidUTF8(name, "")
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = norm.NFC.String(name)
	name = strings.Map(func(r rune) rune {
		switch {
		case r == '"' || r == '\'' || r == '`':
			return '_'
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError:
			return -1
		case unicode.IsSpace(r):
			return ' '
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	name = strings.TrimLeft(name, ". ")
	name = strings.TrimRight(name, ". ")
	if len(name) > maxNameBytes {
		ext := path.Ext(name)
		if len(ext) > 16 {
			ext = ""
		}
		stem := name[:maxNameBytes-len(ext)]
		for !utf8.ValidString(stem) {
			stem = stem[:len(stem)-1]
		}
		name = stem + ext
	}
	if name == "" {
		return fallbackName
	}
	return name
}

// SafeContentDisposition returns a Content-Disposition header value that
// makes the browser download the file under filename (RFC 6266): an ASCII
// fallback in filename="..." for old clients and the exact name in
// filename*=UTF-8”... (RFC 5987). The name is sanitised first, so paths,
// control characters and quotes never reach the header.
func SafeContentDisposition(filename string) string {
	name := SanitizeName(filename)
	return `attachment; filename="` + asciiFallback(name) + `"; filename*=UTF-8''` + encodeRFC5987(name)
}

// asciiFallback spells name in printable ASCII: accents dropped ("cliënt"
// becomes "client"), anything else replaced by '_', and the characters that
// could break a quoted string or a header (\ " ; %) replaced too.
func asciiFallback(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(name) {
		switch {
		case unicode.Is(unicode.Mn, r):
			// a combining accent: drop it, keep its base letter
		case r == '\\' || r == '"' || r == ';' || r == '%':
			b.WriteByte('_')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	s := b.String()
	ext := path.Ext(s)
	if strings.Trim(strings.TrimSuffix(s, ext), "_. ") == "" {
		return fallbackName + ext
	}
	return s
}

// encodeRFC5987 percent-encodes s as UTF-8, leaving only attr-char as is.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if isAttrChar(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&0xf])
	}
	return b.String()
}

// isAttrChar reports whether c is an attr-char of RFC 5987 section 3.2.1.
func isAttrChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", c) >= 0
}

// SetDownloadHeaders makes a response a download of a stored file: the
// type (application/octet-stream when unknown), the length when known
// (size > 0), a safe Content-Disposition, and the headers that keep a
// browser from sniffing, caching or running it should it show the file
// anyway. The API and the screens (staff and portal) use it for every
// document and letter they hand out.
func SetDownloadHeaders(h http.Header, filename, contentType string, size int64) {
	if contentType == "" {
		contentType = "application/octet-stream"
	}
	h.Set("Content-Type", contentType)
	if size > 0 {
		h.Set("Content-Length", strconv.FormatInt(size, 10))
	}
	h.Set("Content-Disposition", SafeContentDisposition(filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Set("Cache-Control", "private, no-store")
}

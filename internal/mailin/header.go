package mailin

import (
	"bytes"
	"mime"
	"net/mail"
	"net/textproto"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"
)

// header is the header of a message or of one MIME part: the fields in
// order, each value unfolded and valid UTF-8.
type header []field

// field is one header field; key is in canonical form.
type field struct {
	key, value string
}

// get returns the first value of key, or "".
func (h header) get(key string) string {
	for _, f := range h {
		if f.key == key {
			return f.value
		}
	}
	return ""
}

// has reports whether key occurs.
func (h header) has(key string) bool {
	for _, f := range h {
		if f.key == key {
			return true
		}
	}
	return false
}

// mime returns the fields as a MIMEHeader.
func (h header) mime() textproto.MIMEHeader {
	m := make(textproto.MIMEHeader, len(h))
	for _, f := range h {
		m[f.key] = append(m[f.key], f.value)
	}
	return m
}

// readHeader splits b into its header and body. It is lenient where mail
// in the wild is sloppy: a first line "From " (mbox) is skipped, bare LF
// line ends are accepted, a continuation line before any field is
// dropped, and a line that is no header field ends the header even
// without the blank line, the line then starting the body. Values that
// are not UTF-8 are read as Windows-1252, the usual culprit.
func readHeader(b []byte) (header, []byte) {
	var h header
	// Each field's value is the bytes from after its colon to the end of
	// its last continuation line, unfolded once at the end: appending line
	// by line would be quadratic in a hostile header.
	var spans [][2]int
	done := func(rest []byte) (header, []byte) {
		for i, sp := range spans {
			v := bytes.ReplaceAll(b[sp[0]:sp[1]], []byte("\n"), nil)
			h[i].value = strings.TrimSpace(toUTF8(bytes.ReplaceAll(v, []byte("\r"), nil)))
		}
		return h, rest
	}
	for i, first := 0, true; i < len(b); first = false {
		line, next := nextLine(b, i)
		if len(line) == 0 {
			return done(b[next:])
		}
		switch {
		case line[0] == ' ' || line[0] == '\t':
			if len(spans) > 0 {
				spans[len(spans)-1][1] = i + len(line)
			}
		case first && bytes.HasPrefix(line, []byte("From ")):
		default:
			colon := bytes.IndexByte(line, ':')
			if colon <= 0 {
				return done(b[i:])
			}
			key := bytes.TrimRight(line[:colon], " \t")
			if !validKey(key) {
				return done(b[i:])
			}
			h = append(h, field{key: textproto.CanonicalMIMEHeaderKey(string(key))})
			spans = append(spans, [2]int{i + colon + 1, i + len(line)})
		}
		i = next
	}
	return done(nil)
}

// nextLine returns the line of b starting at i, without its line end,
// and the index of the line after it.
func nextLine(b []byte, i int) ([]byte, int) {
	end := bytes.IndexByte(b[i:], '\n')
	if end < 0 {
		return bytes.TrimSuffix(b[i:], []byte("\r")), len(b)
	}
	return bytes.TrimSuffix(b[i:i+end], []byte("\r")), i + end + 1
}

// validKey reports whether k is a field name (RFC 5322 2.2: printable
// US-ASCII except colon).
func validKey(k []byte) bool {
	if len(k) == 0 {
		return false
	}
	for _, c := range k {
		if c < 33 || c > 126 || c == ':' {
			return false
		}
	}
	return true
}

// toUTF8 returns b as a string: as is when it is UTF-8, as Windows-1252
// otherwise (which decodes every byte).
func toUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	s, _ := decodeCharset("windows-1252", b)
	return s
}

// wordDecoder decodes RFC 2047 encoded-words with the charsets of
// decodeCharset.
var wordDecoder = &mime.WordDecoder{CharsetReader: charsetReader}

// decodeText decodes the encoded-words of an unstructured field (Subject,
// a file name) and collapses the whitespace folding left behind. A
// malformed encoded-word stays as written.
func decodeText(s string) string {
	if strings.Contains(s, "=?") {
		if d, err := wordDecoder.DecodeHeader(s); err == nil {
			s = d
		} else {
			s = decodeWordsOneByOne(s)
		}
	}
	return strings.Join(strings.Fields(strings.ToValidUTF8(s, "\uFFFD")), " ")
}

// encodedWord matches one RFC 2047 encoded-word.
var encodedWord = regexp.MustCompile(`=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=`)

// decodeWordsOneByOne decodes each encoded-word it can and leaves the
// rest, for fields where one broken word made DecodeHeader give up.
func decodeWordsOneByOne(s string) string {
	return encodedWord.ReplaceAllStringFunc(s, func(w string) string {
		if d, err := wordDecoder.Decode(w); err == nil {
			return d
		}
		return w
	})
}

// addressParser parses address lists with encoded-word display names.
var addressParser = &mail.AddressParser{WordDecoder: wordDecoder}

// looseAddress finds what looks like an address in text that is no valid
// address list.
var looseAddress = regexp.MustCompile(`[^\s<>"(),;:\[\]]+@[^\s<>"(),;:\[\]]+`)

// parseAddresses reads an address list; when the list is not valid RFC
// 5322, each comma-separated piece is tried alone, and failing that any
// address-like text is taken, so that a sloppy From still names someone.
func parseAddresses(s string) []Address {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if list, err := addressParser.ParseList(s); err == nil {
		return toAddresses(list)
	}
	var out []Address
	for piece := range strings.SplitSeq(s, ",") {
		if a, err := addressParser.Parse(piece); err == nil {
			out = append(out, toAddresses([]*mail.Address{a})...)
			continue
		}
		for _, m := range looseAddress.FindAllString(piece, -1) {
			out = append(out, Address{Email: m})
		}
	}
	return out
}

// toAddresses converts parsed addresses, decoding any encoded-words the
// parser left in a name.
func toAddresses(list []*mail.Address) []Address {
	out := make([]Address, 0, len(list))
	for _, a := range list {
		out = append(out, Address{Name: decodeText(a.Name), Email: a.Address})
	}
	return out
}

// msgIDs reads the Message-IDs of a field (In-Reply-To, References),
// without angle brackets. A value without any brackets counts as one ID
// when it has no spaces: some mailers write it that way.
func msgIDs(s string) []string {
	var ids []string
	for {
		open := strings.IndexByte(s, '<')
		if open < 0 {
			break
		}
		end := strings.IndexByte(s[open:], '>')
		if end < 0 {
			break
		}
		if id := strings.TrimSpace(s[open+1 : open+end]); id != "" && !strings.ContainsAny(id, " \t<") {
			ids = append(ids, id)
		}
		s = s[open+end+1:]
	}
	if ids == nil {
		if s = strings.TrimSpace(s); s != "" && !strings.ContainsAny(s, " \t<>") {
			ids = append(ids, s)
		}
	}
	return ids
}

// dateLayouts are the Date formats tried when net/mail cannot read one.
var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	time.RFC3339,
	"2006-01-02 15:04:05 -0700",
	"02-01-2006 15:04:05",
}

// parseDate reads a Date field; ok is false when no format fits.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, false
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t, true
	}
	// Drop a trailing comment such as "(CET)" and squeeze spaces.
	if i := strings.IndexByte(s, '('); i > 0 {
		s = s[:i]
	}
	s = strings.Join(strings.Fields(s), " ")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

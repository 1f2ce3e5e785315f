package mailin

import (
	"encoding/base64"
	"strings"
)

// decodeTransfer undoes a Content-Transfer-Encoding. It never fails:
// mail in the wild has base64 with stray characters or missing padding
// and quoted-printable with bare '=' signs, and a person can still read
// most of such a part. ok is false when the encoding is unknown (the
// bytes are then returned as they are).
func decodeTransfer(encoding string, b []byte) (out []byte, ok bool) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "base64":
		return decodeBase64(b), true
	case "quoted-printable":
		return decodeQuotedPrintable(b), true
	case "", "7bit", "8bit", "binary":
		return b, true
	default:
		return b, false
	}
}

// decodeBase64 decodes base64, skipping whatever is not of its alphabet
// (line ends, spaces, junk) and stopping at the first padding.
func decodeBase64(b []byte) []byte {
	clean := make([]byte, 0, len(b))
	for _, c := range b {
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '+', c == '/':
			clean = append(clean, c)
		case c == '-':
			clean = append(clean, '+')
		case c == '_':
			clean = append(clean, '/')
		case c == '=':
			goto done
		}
	}
done:
	if len(clean)%4 == 1 {
		clean = clean[:len(clean)-1]
	}
	out := make([]byte, base64.RawStdEncoding.DecodedLen(len(clean)))
	n, _ := base64.RawStdEncoding.Decode(out, clean)
	return out[:n]
}

// decodeQuotedPrintable decodes quoted-printable (RFC 2045 6.7): =XX is a
// byte, '=' at the end of a line joins it to the next; any other '=' is
// kept as it is.
func decodeQuotedPrintable(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		switch {
		case i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]):
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
		default:
			// A soft line break: '=', optional trailing whitespace, line end.
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
				j++
			}
			switch {
			case j < len(b) && b[j] == '\n':
				i = j
			case j+1 < len(b) && b[j] == '\r' && b[j+1] == '\n':
				i = j + 1
			case j == len(b):
				i = j
			default:
				out = append(out, c)
			}
		}
	}
	return out
}

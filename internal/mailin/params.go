package mailin

import (
	"sort"
	"strconv"
	"strings"
)

// maxParamSections bounds RFC 2231 continuations of one parameter.
const maxParamSections = 100

// parseMediaType reads a Content-Type or Content-Disposition value: the
// value before the first ';', lower case, and its parameters (names lower
// case; the first of duplicates wins). Unlike mime.ParseMediaType it
// never gives up on a sloppy value: unquoted values with spaces, a
// missing closing quote and stray semicolons are read as meant, and RFC
// 2231 values (name*=charset'lang'%XX, continuations name*0*, name*1) are
// decoded in any charset decodeCharset knows, not only UTF-8.
// Encoded-words inside values are left for the caller (decodeText), since
// a boundary must stay as written.
func parseMediaType(s string) (string, map[string]string) {
	value, rest, _ := strings.Cut(s, ";")
	if f := strings.Fields(value); len(f) > 0 {
		value = strings.ToLower(f[0])
	} else {
		value = ""
	}
	params := map[string]string{}
	type section struct {
		n       int
		encoded bool
		value   string
	}
	extended := map[string][]section{}
	for rest != "" {
		rest = strings.TrimLeft(rest, " \t;")
		eq := strings.IndexAny(rest, "=;")
		if eq < 0 {
			break
		}
		if rest[eq] == ';' {
			rest = rest[eq:]
			continue
		}
		name := strings.ToLower(strings.TrimSpace(rest[:eq]))
		rest = strings.TrimLeft(rest[eq+1:], " \t")
		var v string
		if strings.HasPrefix(rest, `"`) {
			v, rest = readQuoted(rest[1:])
		} else {
			end := strings.IndexByte(rest, ';')
			if end < 0 {
				end = len(rest)
			}
			v, rest = strings.TrimSpace(rest[:end]), rest[end:]
		}
		if name == "" {
			continue
		}
		base, star, isExt := strings.Cut(name, "*")
		if !isExt {
			if _, seen := params[name]; !seen {
				params[name] = v
			}
			continue
		}
		sec := section{encoded: strings.HasSuffix(star, "*") || star == "", value: v}
		num := strings.TrimSuffix(star, "*")
		if num != "" {
			n, err := strconv.Atoi(num)
			if err != nil || n < 0 || n >= maxParamSections {
				continue
			}
			sec.n = n
		}
		if len(extended[base]) < maxParamSections {
			extended[base] = append(extended[base], sec)
		}
	}
	for base, secs := range extended {
		sort.SliceStable(secs, func(i, j int) bool { return secs[i].n < secs[j].n })
		var charset string
		var raw []byte
		for i, sec := range secs {
			if i > 0 && sec.n == secs[i-1].n {
				continue
			}
			if !sec.encoded {
				raw = append(raw, sec.value...)
				continue
			}
			v := sec.value
			if i == 0 {
				// charset'language'value; lenient when the quotes are missing.
				if cs, after, ok := strings.Cut(v, "'"); ok {
					charset = cs
					if _, after2, ok := strings.Cut(after, "'"); ok {
						v = after2
					} else {
						v = after
					}
				}
			}
			raw = append(raw, percentDecode(v)...)
		}
		s, _ := decodeCharset(charset, raw)
		params[base] = s
	}
	return value, params
}

// readQuoted reads a quoted-string whose opening quote is consumed: the
// unescaped content and what follows the closing quote (to the end when
// the quote is missing).
func readQuoted(s string) (string, string) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), s[i+1:]
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), ""
}

// percentDecode decodes %XX escapes; a malformed escape stays as written.
func percentDecode(s string) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			out = append(out, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		out = append(out, s[i])
	}
	return out
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

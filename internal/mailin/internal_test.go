package mailin

import (
	"maps"
	"testing"
)

func TestParseMediaType(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]struct {
		value  string
		params map[string]string
	}{
		`text/plain; charset="utf-8"`:                                {"text/plain", map[string]string{"charset": "utf-8"}},
		`TEXT/HTML;CHARSET=ISO-8859-1`:                               {"text/html", map[string]string{"charset": "ISO-8859-1"}},
		`multipart/mixed; boundary="----=_Part_1;x"`:                 {"multipart/mixed", map[string]string{"boundary": "----=_Part_1;x"}},
		`application/pdf; name=scan 12 maart.pdf`:                    {"application/pdf", map[string]string{"name": "scan 12 maart.pdf"}},
		`attachment; filename="a\"b.pdf"`:                            {"attachment", map[string]string{"filename": `a"b.pdf`}},
		`attachment; filename="open.pdf`:                             {"attachment", map[string]string{"filename": "open.pdf"}},
		`attachment;; filename=a.pdf;;`:                              {"attachment", map[string]string{"filename": "a.pdf"}},
		`attachment; filename=a.pdf; filename=b.pdf`:                 {"attachment", map[string]string{"filename": "a.pdf"}},
		`attachment; filename*=UTF-8''%E2%82%AC%20100.pdf`:           {"attachment", map[string]string{"filename": "€ 100.pdf"}},
		`attachment; filename*=iso-8859-1'nl'caf%E9.txt`:             {"attachment", map[string]string{"filename": "café.txt"}},
		`attachment; filename="oud.pdf"; filename*=utf-8''nieuw.pdf`: {"attachment", map[string]string{"filename": "nieuw.pdf"}},
		`attachment; filename*1="b.pdf"; filename*0="a"`:             {"attachment", map[string]string{"filename": "ab.pdf"}},
		`attachment; filename*0*=utf-8''%C3%A9; filename*1=".txt"`:   {"attachment", map[string]string{"filename": "é.txt"}},
		`attachment; filename*=''%zz.pdf`:                            {"attachment", map[string]string{"filename": "%zz.pdf"}},
		``:                                                           {"", map[string]string{}},
		`; charset=utf-8`:                                            {"", map[string]string{"charset": "utf-8"}},
	} {
		value, params := parseMediaType(in)
		if value != want.value || !maps.Equal(params, want.params) {
			t.Errorf("%s:\n got %q %q\nwant %q %q", in, value, params, want.value, want.params)
		}
	}
}

func TestDecodeTransfer(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ enc, in, want string }{
		"base64":                      {"base64", "aGFsbG8gd2VyZWxk", "hallo wereld"},
		"base64 with line ends":       {"BASE64", "aGFs\r\nbG8g\nd2Vy\r\nZWxk\r\n", "hallo wereld"},
		"base64 without padding":      {"base64", "aGFsbG8", "hallo"},
		"base64 with junk":            {"base64", "aGF*sbG8=\n=\nrest", "hallo"},
		"base64 url-safe":             {"base64", "-_-_", "\xfb\xff\xbf"},
		"quoted-printable":            {"quoted-printable", "caf=C3=A9 =3D gelijk", "café = gelijk"},
		"quoted-printable soft break": {"quoted-printable", "lange re=\r\ngel en re=  \nst=", "lange regel en rest"},
		"quoted-printable bare =":     {"quoted-printable", "1 = 1 en =ZZ", "1 = 1 en =ZZ"},
		"quoted-printable lower hex":  {"quoted-printable", "=c3=a9", "é"},
		"8bit":                        {"8bit", "as is", "as is"},
	} {
		got, ok := decodeTransfer(tc.enc, []byte(tc.in))
		if string(got) != tc.want || !ok {
			t.Errorf("%s: %q %v, want %q", name, got, ok, tc.want)
		}
	}
	if got, ok := decodeTransfer("x-uuencode", []byte("begin")); ok || string(got) != "begin" {
		t.Errorf("unknown encoding: %q %v", got, ok)
	}
}

func TestDecodeCharset(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		label, in, want string
		ok              bool
	}{
		"UTF-8":                             {"UTF-8", "cliënt", "cliënt", true},
		"ISO-8859-1 read as Windows-1252":   {"iso-8859-1", "\x80 caf\xe9", "€ café", true},
		"Windows-1252":                      {"windows-1252", "\x93a\x94 \x96", "“a” –", true},
		"ISO-8859-15":                       {"iso-8859-15", "\xa4", "€", true},
		"KOI8-R":                            {"koi8-r", "\xf0\xd2\xc9\xd7\xc5\xd4", "Привет", true},
		"UTF-8 that is not":                 {"utf-8", "caf\xe9", "café", false},
		"no label, UTF-8":                   {"", "café", "café", true},
		"no label, not UTF-8":               {"", "caf\xe9", "café", false},
		"unknown label, UTF-8 bytes":        {"x-nonsense", "café", "café", false},
		"unknown label, Windows-1252 bytes": {"x-nonsense", "caf\xe9", "café", false},
		"quoted label":                      {`"ISO-8859-1"`, "caf\xe9", "café", true},
	} {
		got, ok := decodeCharset(tc.label, []byte(tc.in))
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %q %v, want %q %v", name, got, ok, tc.want, tc.ok)
		}
	}
}

func TestReadHeader(t *testing.T) {
	t.Parallel()
	h, body := readHeader([]byte("From x@y Mon Mar  2 09:00:00 2026\nSubject: een\n  twee\r\n\tdrie\nX-Leeg:\nDit is geen veld\nmaar de tekst\n"))
	if got := h.get("Subject"); got != "een  twee\tdrie" {
		t.Errorf("unfolded %q", got)
	}
	if !h.has("X-Leeg") || len(h) != 2 {
		t.Errorf("fields %q", h)
	}
	if string(body) != "Dit is geen veld\nmaar de tekst\n" {
		t.Errorf("body %q", body)
	}
	if h, body := readHeader([]byte("Subject: x")); h.get("Subject") != "x" || body != nil {
		t.Errorf("header only: %q %q", h, body)
	}
}

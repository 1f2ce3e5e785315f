package document

import (
	"mime"
	"strings"
	"testing"
)

func TestSanitizeName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"an ordinary name stays", "Brief aan Best Match.pdf", "Brief aan Best Match.pdf"},
		{"a Unix path keeps only the file", "../../etc/passwd", "passwd"},
		{"a Windows path keeps only the file", `C:\Users\Anna\Documenten\klacht.docx`, "klacht.docx"},
		{"control characters go", "kla\x00cht\r\n.pdf", "klacht.pdf"},
		{"the right-to-left override that disguises an extension goes", "foto\u202egpj.exe", "fotogpj.exe"},
		{"quotes become underscores", `rapport "definitief" 'v2'.pdf`, "rapport _definitief_ _v2_.pdf"},
		{"leading dots cannot make a hidden file", "...bashrc", "bashrc"},
		{"runs of spaces and tabs fold", "  mijn \t  brief .pdf  ", "mijn brief .pdf"},
		{"decomposed accents are composed (NFC)", "cli\u0065\u0308nt.pdf", "cliënt.pdf"},
		{"invalid UTF-8 is dropped", "bad\xff\xfe.txt", "bad.txt"},
		{"nothing left gives a fallback", "../..", "bestand"},
		{"an empty name gives a fallback", "", "bestand"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := SanitizeName(tt.in); got != tt.want {
				t.Errorf("SanitizeName(%q) = %q; want %q", tt.in, got, tt.want)
			}
		})
	}
	t.Run("a long name is cut on a character boundary and keeps its extension", func(t *testing.T) {
		t.Parallel()
		got := SanitizeName(strings.Repeat("ë", 300) + ".pdf")
		if len(got) > maxNameBytes || !strings.HasSuffix(got, "ë.pdf") {
			t.Errorf("got %d bytes ending %q", len(got), got[len(got)-8:])
		}
	})
}

func TestSafeContentDisposition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want, decoded string
	}{
		{
			name: "ASCII name", in: "rapport.pdf",
			want:    `attachment; filename="rapport.pdf"; filename*=UTF-8''rapport.pdf`,
			decoded: "rapport.pdf",
		},
		{
			name: "Dutch accents: plain fallback, exact name in filename*", in: "cliënt verslag.pdf",
			want:    `attachment; filename="client verslag.pdf"; filename*=UTF-8''cli%C3%ABnt%20verslag.pdf`,
			decoded: "cliënt verslag.pdf",
		},
		{
			name: "a path is stripped", in: "../../etc/passwd",
			want:    `attachment; filename="passwd"; filename*=UTF-8''passwd`,
			decoded: "passwd",
		},
		{
			name: "header injection and quotes cannot escape", in: "a\"b;c\r\nSet-Cookie: x=1.pdf",
			want:    `attachment; filename="a_b_cSet-Cookie: x=1.pdf"; filename*=UTF-8''a_b%3BcSet-Cookie%3A%20x%3D1.pdf`,
			decoded: "a_b;cSet-Cookie: x=1.pdf",
		},
		{
			name: "a name in another script gets a neutral fallback", in: "证据.jpg",
			want:    `attachment; filename="bestand.jpg"; filename*=UTF-8''%E8%AF%81%E6%8D%AE.jpg`,
			decoded: "证据.jpg",
		},
		{
			name: "percent signs are encoded", in: "100%.txt",
			want:    `attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`,
			decoded: "100%.txt",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := SafeContentDisposition(tt.in)
			if got != tt.want {
				t.Errorf("SafeContentDisposition(%q) =\n  %s\nwant\n  %s", tt.in, got, tt.want)
			}
			if strings.ContainsAny(got, "\r\n\x00") {
				t.Fatalf("header value contains a line break: %q", got)
			}
			disp, params, err := mime.ParseMediaType(got)
			if err != nil || disp != "attachment" || params["filename"] != tt.decoded {
				t.Errorf("parsed back: %s %v, %v; want attachment with filename %q", disp, params, err, tt.decoded)
			}
		})
	}
}

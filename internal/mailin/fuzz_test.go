package mailin_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/mailin"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = mailin.Limits{MaxMessageBytes: 1 << 20, MaxParts: 64, MaxDepth: 8, MaxAttachmentBytes: 1 << 19}

// FuzzParse feeds Parse arbitrary bytes, seeded with the corpus: it must
// never panic, refuse only with one of its reasons, and otherwise return
// a message whose text is UTF-8, whose HTML is safe, and whose
// attachments keep the limits.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.eml")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"Content-Type: multipart/mixed; boundary=\"\"\n\n--\n--\n",
		"Content-Type: multipart/alternative\n\n--x\n\n--x--",
		"Content-Type: message/rfc822\n\nContent-Type: message/rfc822\n\n",
		"Subject: =?utf-8?q?=FF?= =?x-unknown?b?////?=\n\n\xff\xfe",
		"Content-Type: text/html; charset=utf-7\n\n+ADw-script+AD4-",
		"Content-Disposition: attachment; filename*0*=x''%; filename*99=y\n\n",
		": no key\n\n",
		"\n\n\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := mailin.ParseBytes(raw, fuzzLimits)
		if err != nil {
			if !slices.Contains(mailin.Reasons, mailin.ReasonOf(err)) {
				t.Fatalf("error without a known reason: %v", err)
			}
			if m != nil {
				t.Fatal("a message with an error")
			}
			return
		}
		if m.MessageID == "" {
			t.Error("no Message-ID")
		}
		for what, s := range map[string]string{"Subject": m.Subject, "Text": m.Text, "HTML": m.HTML} {
			if !utf8.ValidString(s) {
				t.Errorf("%s is not UTF-8: %q", what, s)
			}
		}
		for _, a := range append(append(append([]mailin.Address{}, m.From...), m.To...), m.Cc...) {
			if !utf8.ValidString(a.Name) || !utf8.ValidString(a.Email) {
				t.Errorf("address not UTF-8: %q", a)
			}
		}
		if err := unsafeHTML(m.HTML); err != nil {
			t.Errorf("unsafe HTML: %v in %q", err, m.HTML)
		}
		for _, a := range m.Attachments {
			if a.Size != int64(len(a.Content)) || a.Size > fuzzLimits.MaxAttachmentBytes {
				t.Errorf("attachment %q: size %d, %d bytes", a.Filename, a.Size, len(a.Content))
			}
			if a.Filename == "" || strings.ContainsAny(a.Filename, "/\\\x00") || !utf8.ValidString(a.Filename) {
				t.Errorf("file name %q", a.Filename)
			}
		}
		_ = m.AutoReply()
		m.ReplyToken()
		mailin.CaseNumberIn(m.Subject)
	})
}

// FuzzSanitizeHTML checks that no input gets past the allow-list, and that
// sanitising what was sanitised changes nothing.
func FuzzSanitizeHTML(f *testing.F) {
	for _, s := range []string{
		`<p onclick=x>a</p><script>b</script>`,
		`<a href=" javascript:x">l</a><img src=cid:x onerror=y>`,
		`<svg><a xlink:href="javascript:x">l</a></svg>`,
		`<table><tr><td colspan=2>x</td></tr></table>`,
		`<<script>script>alert(1)<</script>/script>`,
		`<img src="cid:a" alt="<script>">`,
		`<p title="&quot;><script>x</script>">t</p>`,
		`<a href="https://x/">` + strings.Repeat("<b>", 200),
		"<style>a{}</style><noscript><p title=\"</noscript><img src=x onerror=y>\"></noscript>",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mailin.SanitizeHTML(s, nil)
		if err := unsafeHTML(out); err != nil {
			t.Fatalf("%v in %q", err, out)
		}
		if again := mailin.SanitizeHTML(out, nil); again != out {
			t.Fatalf("not stable:\n%q\n%q", out, again)
		}
		_ = mailin.HTMLToText(s)
	})
}

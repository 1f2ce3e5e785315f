package mailin_test

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/gegrond/gegrond/internal/mailin"
)

func TestSanitizeHTML(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ in, want string }{
		"scripts go with their content":      {`<p>a</p><script>alert(1)</script><SCRIPT src=x></SCRIPT><p>b</p>`, `<p>a</p><p>b</p>`},
		"styles go, inline and in elements":  {`<style>p{}</style><p style="background:url(https://t.example/x)">a</p>`, `<p>a</p>`},
		"event handlers go":                  {`<p onclick="x()" OnMouseOver="y()">a</p><body onload=z()>b`, `<p>a</p>b`},
		"frames and objects go with content": {`<iframe src="https://e.example">t</iframe><object data=x><embed src=y></object>ok`, `ok`},
		"forms are unwrapped, controls go":   {`<form action="https://e.example"><input name=a><textarea>t</textarea><select><option>o</option></select><button>b</button>tekst</form>`, `tekst`},
		"remote images go":                   {`<img src="https://tracker.example/p.gif"><img src="//t.example/p"><img src="data:image/png;base64,AAAA">x`, `x`},
		"inline images stay by Content-ID":   {`<img src="cid:a@b" alt="x" onerror="e()" width="10" height="abc">`, `<img src="cid:a@b" alt="x" width="10">`},
		"links keep http, https, mailto":     {`<a href="https://a.example/x?y=1&amp;z=2" target="_self">a</a>`, `<a href="https://a.example/x?y=1&amp;z=2" target="_blank" rel="noopener noreferrer">a</a>`},
		"javascript links go, text stays":    {`<a href="javascript:alert(1)">a</a> <a href=" java&#09;script:x">b</a> <a href="JAVASCRIPT:x">c</a>`, `a b c`},
		"data and relative links go":         {`<a href="data:text/html,x">a</a><a href="/relatief">b</a><a href="#top">c</a>`, `abc`},
		"mailto links":                       {`<a href="mailto:a@example.nl">a</a>`, `<a href="mailto:a@example.nl" target="_blank" rel="noopener noreferrer">a</a>`},
		"classes and ids go":                 {`<div class="x" id="y" align="center">a</div>`, `<div align="center">a</div>`},
		"unknown elements are unwrapped":     {`<font face="Arial" color=red><center><o:p>a</o:p></center></font>`, `a`},
		"unclosed elements are closed":       {`<b><i>a`, `<b><i>a</i></b>`},
		"stray end tags are dropped":         {`a</b></div>b`, `ab`},
		"misnested tags are made to nest":    {`<b><i>a</b>c</i>`, `<b><i>a</i></b>c`},
		"text is escaped":                    {`a &lt;script&gt; "b" & c`, `a &lt;script&gt; &#34;b&#34; &amp; c`},
		"comments and doctype go":            {`<!DOCTYPE html><!-- x --><p>a</p>`, `<p>a</p>`},
		"attribute values are escaped":       {`<p title='a"><script>'>x</p>`, `<p title="a&#34;&gt;&lt;script&gt;">x</p>`},
		"svg goes whole":                     {`<svg><script>alert(1)</script><a href="https://x">l</a></svg>ok`, `ok`},
		"meta refresh and base go":           {`<meta http-equiv="refresh" content="0;url=https://e"><base href="https://e/"><link rel=stylesheet href=x>ok`, `ok`},
		"tables keep their shape":            {`<table border="1" style="x"><tr><td colspan="2" onclick="y">a</td></tr></table>`, `<table border="1"><tr><td colspan="2">a</td></tr></table>`},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := mailin.SanitizeHTML(tc.in, nil); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestSanitizeHTMLImageURL(t *testing.T) {
	t.Parallel()
	in := `<img src="cid:logo@x"><img src="CID:%3Cscan@x%3E"><img src="cid:weg@x">`
	got := mailin.SanitizeHTML(in, func(id string) string {
		if id == "weg@x" {
			return ""
		}
		return "/documenten/" + id + "?a=1&b=2"
	})
	want := `<img src="/documenten/logo@x?a=1&amp;b=2"><img src="/documenten/scan@x?a=1&amp;b=2">`
	if got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
}

func TestSanitizeHTMLDeepNesting(t *testing.T) {
	t.Parallel()
	in := strings.Repeat("<div>", 100000) + "diep" + strings.Repeat("</div>", 100000)
	got := mailin.SanitizeHTML(in, nil)
	if !strings.Contains(got, "diep") || strings.Count(got, "<div>") > 100 {
		t.Errorf("%d divs kept", strings.Count(got, "<div>"))
	}
	checkSafeHTML(t, got)
}

func TestHTMLToText(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct{ in, want string }{
		"paragraphs and line breaks": {`<p>Een</p><p>Twee<br>Drie</p>`, "Een\n\nTwee\nDrie"},
		"whitespace collapses":       {"<p>  veel \n\t ruimte  </p>", "veel ruimte"},
		"pre keeps its lines":        {"<pre>a\n  b</pre>", "a\n  b"},
		"lists":                      {`<ul><li>a</li><li>b</li></ul>`, "- a\n- b"},
		"tables":                     {`<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>`, "a\tb\nc"},
		"links show their target":    {`<a href="https://x.example/y">hier</a>`, "hier <https://x.example/y>"},
		"a link showing its target":  {`<a href="https://x.example/">https://x.example/</a>`, "https://x.example/"},
		"scripts and styles go":      {`<style>p{}</style><script>x</script><p>a</p>`, "a"},
		"entities are decoded":       {`caf&eacute; &amp; &euro;`, "café & €"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := mailin.HTMLToText(tc.in); got != tc.want {
				t.Errorf("\n got %q\nwant %q", got, tc.want)
			}
		})
	}
}

// checkSafeHTML fails t when sanitised output holds anything the allow-list
// forbids, as a browser would read it.
func checkSafeHTML(t testing.TB, out string) {
	t.Helper()
	if err := unsafeHTML(out); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
}

func unsafeHTML(out string) error {
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		return err
	}
	var walk func(n *html.Node) error
	walk = func(n *html.Node) error {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "iframe", "object", "embed", "form", "input", "svg", "math", "meta", "link", "base", "frame", "frameset", "textarea", "button", "select":
				return fmt.Errorf("element %s", n.Data)
			}
			for _, a := range n.Attr {
				k := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(k, "on"), k == "style", k == "class", k == "id", k == "srcset", k == "action", k == "formaction":
					return fmt.Errorf("attribute %s", k)
				case k == "href" && !(strings.HasPrefix(a.Val, "http://") || strings.HasPrefix(a.Val, "https://") || strings.HasPrefix(strings.ToLower(a.Val), "mailto:")):
					return fmt.Errorf("href %q", a.Val)
				case k == "src" && !strings.HasPrefix(a.Val, "cid:"):
					return fmt.Errorf("src %q", a.Val)
				}
			}
			if n.Data == "a" && !hasAttr(n, "rel", "noopener noreferrer") {
				return fmt.Errorf("link without rel")
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(doc)
}

func hasAttr(n *html.Node, key, val string) bool {
	for _, a := range n.Attr {
		if a.Key == key && a.Val == val {
			return true
		}
	}
	return false
}

func TestHostileHTMLStaysLinear(t *testing.T) {
	t.Parallel()
	// Each of these would take minutes if any step were quadratic, and
	// the test run would time out; the output must stay safe and small.
	for name, in := range map[string]string{
		"nested links":   strings.Repeat(`<a href="https://x.example/">`, 50000) + "t" + strings.Repeat("</a>", 50000),
		"unclosed links": strings.Repeat(`<a href="https://x.example/">t`, 50000),
		"nested lists":   strings.Repeat("<ul><li>", 50000),
		"many brs":       strings.Repeat("<br>", 200000),
	} {
		if text := mailin.HTMLToText(in); len(text) > 2*len(in) {
			t.Errorf("%s: %d bytes of text from %d of HTML", name, len(text), len(in))
		}
		checkSafeHTML(t, mailin.SanitizeHTML(in, nil))
	}
}

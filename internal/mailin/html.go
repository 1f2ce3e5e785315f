package mailin

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
)

// The HTML sanitiser is an allow-list over the tokenizer of
// golang.org/x/net/html, written here rather than taken from bluemonday
// because mail needs two rules that a general policy expresses poorly:
// images only by Content-ID (a remote image is a tracking pixel that tells
// the sender when the handler opened the complaint), and links always
// opened without referrer. A tokenizer, unlike the tree parser, is linear
// in its input whatever the nesting, which matters for hostile mail.

// maxOpenElements bounds how deeply the sanitised output nests; deeper
// tags are dropped, their text kept.
const maxOpenElements = 100

// keptElements may appear in sanitised HTML, with the attributes listed
// (besides the global ones).
var keptElements = map[string][]string{
	"a": {"href"}, "abbr": nil, "address": nil, "b": nil, "bdi": nil, "bdo": nil,
	"big": nil, "blockquote": nil, "br": nil, "caption": nil, "cite": nil, "code": nil,
	"col": {"span", "width"}, "colgroup": {"span", "width"}, "dd": nil, "del": nil,
	"dfn": nil, "div": {"align"}, "dl": nil, "dt": nil, "em": nil,
	"h1": {"align"}, "h2": {"align"}, "h3": {"align"}, "h4": {"align"}, "h5": {"align"}, "h6": {"align"},
	"hr": nil, "i": nil, "img": {"src", "alt", "width", "height"}, "ins": nil, "kbd": nil,
	"li": {"value"}, "mark": nil, "ol": {"start", "type"}, "p": {"align"}, "pre": nil, "q": nil,
	"s": nil, "samp": nil, "small": nil, "span": nil, "strike": nil, "strong": nil, "sub": nil,
	"sup": nil, "table": {"border", "cellpadding", "cellspacing", "width", "align"},
	"tbody": {"align", "valign"}, "td": {"colspan", "rowspan", "align", "valign", "width"},
	"tfoot": {"align", "valign"}, "th": {"colspan", "rowspan", "align", "valign", "width"},
	"thead": {"align", "valign"}, "time": {"datetime"}, "tr": {"align", "valign"}, "tt": nil,
	"u": nil, "ul": nil, "var": nil, "wbr": nil,
}

// globalAttributes are allowed on every kept element.
var globalAttributes = []string{"title", "lang", "dir"}

// droppedWithContent are removed with everything inside them: active
// content, styles (which can load remote resources and hide text), forms
// and their controls, embedded documents.
var droppedWithContent = map[string]bool{
	"script": true, "style": true, "iframe": true, "frame": true, "frameset": true,
	"object": true, "applet": true, "noscript": true, "noembed": true, "noframes": true,
	"template": true, "title": true, "select": true, "textarea": true, "button": true,
	"svg": true, "math": true, "canvas": true, "audio": true, "video": true, "map": true,
	"datalist": true, "dialog": true,
}

// voidElements have no end tag; those not kept are simply dropped.
var voidElements = map[string]bool{
	"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "keygen": true, "link": true, "meta": true, "param": true,
	"source": true, "track": true, "wbr": true,
}

// SanitizeHTML reduces HTML to what is safe to show to a handler inside
// Gegrond's pages: the elements of keptElements with a few harmless
// attributes; no scripts, styles, frames, forms, event handlers, classes
// or ids; links only to http, https and mailto, opened in a new tab with
// rel="noopener noreferrer"; images only by Content-ID. Any other element
// is unwrapped (its text kept). The result is well nested.
//
// imageURL maps an image's Content-ID to the URL to show it from (the
// caller's attachment route); nil keeps "cid:<id>", and an empty result
// drops the image. Remote images are always dropped.
func SanitizeHTML(src string, imageURL func(contentID string) string) string {
	var out strings.Builder
	var open []string
	z := html.NewTokenizer(strings.NewReader(src))
	skip, skipDepth := "", 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		if skip != "" {
			switch {
			case tt == html.StartTagToken && tok.Data == skip:
				skipDepth++
			case tt == html.EndTagToken && tok.Data == skip:
				if skipDepth--; skipDepth == 0 {
					skip = ""
				}
			}
			continue
		}
		switch tt {
		case html.TextToken:
			out.WriteString(html.EscapeString(tok.Data))
		case html.StartTagToken, html.SelfClosingTagToken:
			name := tok.Data
			if droppedWithContent[name] {
				if tt == html.StartTagToken {
					skip, skipDepth = name, 1
				}
				continue
			}
			allowed, ok := keptElements[name]
			if !ok || (!voidElements[name] && len(open) >= maxOpenElements) {
				continue
			}
			attrs, keep := sanitizeAttributes(name, tok.Attr, allowed, imageURL)
			if !keep {
				continue
			}
			out.WriteString("<" + name + attrs + ">")
			if !voidElements[name] {
				open = append(open, name)
			}
		case html.EndTagToken:
			for i := len(open) - 1; i >= 0; i-- {
				if open[i] == tok.Data {
					for j := len(open) - 1; j >= i; j-- {
						out.WriteString("</" + open[j] + ">")
					}
					open = open[:i]
					break
				}
			}
		}
	}
	for j := len(open) - 1; j >= 0; j-- {
		out.WriteString("</" + open[j] + ">")
	}
	return strings.TrimSpace(out.String())
}

// sanitizeAttributes returns the attributes to write for a kept element,
// and whether to write the element at all (an image without a usable
// Content-ID, or a link without a safe target, is left out).
func sanitizeAttributes(name string, attrs []html.Attribute, allowed []string, imageURL func(string) string) (string, bool) {
	var b strings.Builder
	seen := map[string]bool{}
	var href, src string
	for _, a := range attrs {
		key := strings.ToLower(a.Key)
		if a.Namespace != "" || seen[key] || !(contains(allowed, key) || contains(globalAttributes, key)) {
			continue
		}
		seen[key] = true
		v := a.Val
		switch key {
		case "href":
			href = safeLink(v)
			continue
		case "src":
			src = v
			continue
		case "width", "height", "span", "colspan", "rowspan", "start", "value", "border", "cellpadding", "cellspacing":
			if !isSize(v) {
				continue
			}
		case "align", "valign":
			v = strings.ToLower(strings.TrimSpace(v))
			if !contains([]string{"left", "right", "center", "justify", "top", "middle", "bottom", "baseline"}, v) {
				continue
			}
		case "type":
			if !contains([]string{"1", "a", "A", "i", "I"}, v) {
				continue
			}
		case "dir":
			if v != "ltr" && v != "rtl" && v != "auto" {
				continue
			}
		}
		b.WriteString(" " + key + `="` + html.EscapeString(v) + `"`)
	}
	switch name {
	case "a":
		if href == "" {
			return "", false
		}
		return ` href="` + html.EscapeString(href) + `" target="_blank" rel="noopener noreferrer"` + b.String(), true
	case "img":
		id, ok := contentIDOf(src)
		if !ok {
			return "", false
		}
		u := "cid:" + id
		if imageURL != nil {
			u = imageURL(id)
		}
		if u == "" {
			return "", false
		}
		return ` src="` + html.EscapeString(u) + `"` + b.String(), true
	}
	return b.String(), true
}

// safeLink returns the link cleaned of the whitespace and control
// characters browsers ignore ("java\tscript:"), or "" unless it is an
// absolute http, https or mailto URL.
func safeLink(v string) string {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, v)
	u, err := url.Parse(v)
	if err != nil {
		return ""
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		if u.Host == "" {
			return ""
		}
		return v
	case "mailto":
		return v
	}
	return ""
}

// contentIDOf returns the Content-ID an image source refers to
// ("cid:abc@x" → "abc@x").
func contentIDOf(src string) (string, bool) {
	src = strings.TrimSpace(src)
	if len(src) < 5 || !strings.EqualFold(src[:4], "cid:") {
		return "", false
	}
	id, err := url.PathUnescape(src[4:])
	if err != nil {
		id = src[4:]
	}
	id = strings.Trim(id, "<>")
	return id, id != ""
}

// isSize reports whether v is a small number or percentage.
func isSize(v string) bool {
	v = strings.TrimSuffix(strings.TrimSpace(v), "%")
	if v == "" || len(v) > 5 {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// HTMLToText renders HTML as plain text for a message that has no
// text/plain alternative: paragraphs and lines kept, lists as "- ",
// table cells separated by tabs, a link's target after its text when the
// text does not show it, scripts and styles dropped.
func HTMLToText(src string) string {
	w := &textWriter{}
	z := html.NewTokenizer(strings.NewReader(src))
	skip, skipDepth, pre := "", 0, 0
	var links []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		tok := z.Token()
		if skip != "" {
			switch {
			case tt == html.StartTagToken && tok.Data == skip:
				skipDepth++
			case tt == html.EndTagToken && tok.Data == skip:
				if skipDepth--; skipDepth == 0 {
					skip = ""
				}
			}
			continue
		}
		switch tt {
		case html.TextToken:
			w.text(tok.Data, pre > 0)
		case html.StartTagToken, html.SelfClosingTagToken:
			name := tok.Data
			if droppedWithContent[name] {
				if tt == html.StartTagToken {
					skip, skipDepth = name, 1
				}
				continue
			}
			switch name {
			case "br":
				w.lineBreak()
			case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl", "hr":
				w.paragraph()
			case "div", "tr", "address", "section", "article", "header", "footer", "dt", "dd", "form", "center", "caption":
				w.newline()
			case "pre":
				w.paragraph()
				pre++
			case "li":
				w.newline()
				w.raw("- ")
			case "td", "th":
				w.cell()
			case "a":
				if tt == html.StartTagToken && len(links) < maxOpenElements {
					links = append(links, linkTarget(tok.Attr))
					w.linkStart()
				}
			}
		case html.EndTagToken:
			switch tok.Data {
			case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "dl":
				w.paragraph()
			case "div", "tr", "li", "address", "section", "article", "header", "footer", "dt", "dd", "form", "center", "caption":
				w.newline()
			case "pre":
				if pre > 0 {
					pre--
				}
				w.paragraph()
			case "a":
				if n := len(links); n > 0 {
					w.linkEnd(links[n-1])
					links = links[:n-1]
				}
			}
		}
	}
	return w.String()
}

// linkTarget is the address a link shows in text: its http(s) URL or
// its mail address, or "" for anything else.
func linkTarget(attrs []html.Attribute) string {
	for _, a := range attrs {
		if strings.ToLower(a.Key) != "href" {
			continue
		}
		v := safeLink(a.Val)
		if rest, ok := strings.CutPrefix(strings.ToLower(v), "mailto:"); ok {
			return v[len(v)-len(rest):]
		}
		return v
	}
	return ""
}

// maxLinkText is the longest link text that HTMLToText compares with the
// link's target.
const maxLinkText = 2000

// textWriter builds the text of HTMLToText: whitespace collapsed as a
// browser does, block elements on their own lines, at most one blank line
// in a row.
type textWriter struct {
	b        strings.Builder
	newlines int  // newlines at the end of b
	space    bool // a collapsed space is due before the next word
	cellOpen bool // a table cell was written on this line
	linkAt   []int
}

func (w *textWriter) write(s string) {
	if s == "" {
		return
	}
	w.b.WriteString(s)
	trailing := len(s) - len(strings.TrimRight(s, "\n"))
	if trailing == len(s) {
		w.newlines += trailing
	} else {
		w.newlines = trailing
	}
}

func (w *textWriter) text(s string, pre bool) {
	if pre {
		w.flushSpace()
		w.write(s)
		return
	}
	if s != "" && isHTMLSpace(s[0]) {
		w.space = true
	}
	for i, word := range strings.Fields(s) {
		if i > 0 {
			w.space = true
		}
		w.flushSpace()
		w.write(word)
	}
	if s != "" && isHTMLSpace(s[len(s)-1]) {
		w.space = true
	}
}

// flushSpace writes a due space unless at the start of a line.
func (w *textWriter) flushSpace() {
	if w.space && w.newlines == 0 && w.b.Len() > 0 {
		w.write(" ")
	}
	w.space = false
}

func (w *textWriter) raw(s string) { w.space = false; w.write(s) }

func (w *textWriter) breakTo(n int) {
	w.space, w.cellOpen = false, false
	if w.b.Len() == 0 {
		return
	}
	for w.newlines < n {
		w.write("\n")
	}
}

func (w *textWriter) lineBreak() {
	w.space, w.cellOpen = false, false
	w.write("\n")
}
func (w *textWriter) newline()   { w.breakTo(1) }
func (w *textWriter) paragraph() { w.breakTo(2) }

func (w *textWriter) cell() {
	if w.cellOpen {
		w.raw("\t")
	}
	w.cellOpen = true
}

func (w *textWriter) linkStart() { w.linkAt = append(w.linkAt, w.b.Len()) }

func (w *textWriter) linkEnd(target string) {
	n := len(w.linkAt)
	if n == 0 {
		return
	}
	start := w.linkAt[n-1]
	w.linkAt = w.linkAt[:n-1]
	// A link whose text is long is shown as it is: looking through it for
	// the target would make hostile mail with many nested links quadratic.
	if target == "" || start > w.b.Len() || w.b.Len()-start > maxLinkText {
		return
	}
	if !strings.Contains(w.b.String()[start:], target) {
		w.flushSpace()
		w.space = true
		w.flushSpace()
		w.write("<" + target + ">")
	}
}

// String returns the text, lines trimmed at their end, surrounding blank
// lines removed.
func (w *textWriter) String() string {
	lines := strings.Split(w.b.String(), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Trim(collapseBlankLines(strings.Join(lines, "\n")), "\n")
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}

// collapseBlankLines leaves at most one blank line in a row.
func collapseBlankLines(s string) string {
	var b strings.Builder
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if run++; run > 2 {
				continue
			}
		} else {
			run = 0
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

package letter

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"io/fs"
	"path"
	"strings"
	texttemplate "text/template"
	"unicode"
	"unicode/utf8"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The templates: per language one set of text/template files that word the
// letters (templates/<lang>/*.tmpl), and two shared layouts that set a
// composed letter on the organisation's letterhead, as plain text
// (text/template) and as HTML e-mail (html/template).
//
//go:embed templates
var templateFS embed.FS

// sets holds the wording templates per language.
var sets map[string]*texttemplate.Template

var (
	textLayout *texttemplate.Template
	htmlLayout *htmltemplate.Template
)

func init() {
	var err error
	if sets, err = loadSets(); err != nil {
		panic(err)
	}
	textLayout = texttemplate.Must(texttemplate.New("layout.txt.tmpl").Funcs(layoutFuncs).ParseFS(templateFS, "templates/layout.txt.tmpl"))
	htmlLayout = htmltemplate.Must(htmltemplate.New("layout.html.tmpl").Funcs(htmltemplate.FuncMap(layoutFuncs)).ParseFS(templateFS, "templates/layout.html.tmpl"))
}

// loadSets parses every language's templates and checks that each has a
// subject, intro and closing for every letter kind and a label and item for
// every content key: a missing one fails at start-up, not in a letter.
func loadSets() (map[string]*texttemplate.Template, error) {
	out := map[string]*texttemplate.Template{}
	for _, lang := range Languages {
		files, err := fs.Glob(templateFS, path.Join("templates", lang, "*.tmpl"))
		if err != nil || len(files) == 0 {
			return nil, fmt.Errorf("letter: no templates for %q", lang)
		}
		t, err := texttemplate.New(lang).Funcs(wordFuncs).Option("missingkey=error").ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("letter: %w", err)
		}
		var want []string
		for _, k := range reglement.LetterKinds {
			want = append(want, string(k)+":subject", string(k)+":intro", string(k)+":closing")
		}
		for _, key := range reglement.ContentKeys {
			want = append(want, "label:"+key, "item:"+key)
		}
		for _, o := range reglement.OutcomeKinds {
			want = append(want, "outcome:"+string(o))
		}
		want = append(want, requiredWords...)
		for _, name := range want {
			if t.Lookup(name) == nil {
				return nil, fmt.Errorf("letter: template %q missing in %s", name, lang)
			}
		}
		out[lang] = t
	}
	return out, nil
}

// requiredWords are the fixed words and lines of the layouts.
var requiredWords = []string{
	"salutation", "word:date", "word:case_number", "word:subject", "word:details",
	"word:greeting", "word:enclosure", "word:enclosures", "word:footer", "word:page", "word:board",
	"enclosure:regulation_document",
}

// wordFuncs are the functions the wording templates use.
var wordFuncs = texttemplate.FuncMap{
	"date":    dutchDate,
	"euro":    euroNL,
	"euroEN":  euroEN,
	"upFirst": upFirst,
	"lower":   strings.ToLower,
	"trimDot": func(s string) string { return strings.TrimRight(strings.TrimSpace(s), ".") },
}

// dutchDate formats a date (or a pointer to one) as 22-12-2026.
func dutchDate(v any) string {
	switch d := v.(type) {
	case calendar.Date:
		return d.Dutch()
	case *calendar.Date:
		if d != nil {
			return d.Dutch()
		}
	}
	return ""
}

// euroNL formats whole euros the Dutch way: € 1.250,00.
func euroNL(amount int) string {
	return "€ " + groupThousands(amount, ".") + ",00"
}

// euroEN formats whole euros the English way: €1,250.00.
func euroEN(amount int) string {
	return "€" + groupThousands(amount, ",") + ".00"
}

func groupThousands(n int, sep string) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(c)
	}
	return sign + b.String()
}

// upFirst capitalises the first letter.
func upFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// exec runs one wording template of the view's language.
func (v *view) exec(name string) (string, error) {
	var b bytes.Buffer
	if err := v.set.ExecuteTemplate(&b, name, v); err != nil {
		return "", err
	}
	return b.String(), nil
}

// block is a paragraph, or a list when Items is set.
type block struct {
	Text  string
	Items []string
}

// parseBlocks reads the little markup of the wording templates and of
// texts people typed: a blank line ends a paragraph, a line starting with
// "- " is a list item, an indented line continues the item above it, and
// other line breaks are spaces.
func parseBlocks(s string) []block {
	var (
		out        []block
		para       []string
		items      []string
		afterBlank bool
	)
	flushPara := func() {
		if len(para) > 0 {
			out = append(out, block{Text: squash(strings.Join(para, " "))})
			para = nil
		}
	}
	flushList := func() {
		if len(items) > 0 {
			out = append(out, block{Items: items})
			items = nil
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case t == "":
			// A blank line ends a paragraph; list items separated by blank
			// lines stay one list.
			flushPara()
			afterBlank = true
		case strings.HasPrefix(t, "- "):
			flushPara()
			items = append(items, squash(t[2:]))
			afterBlank = false
		case len(items) > 0 && len(para) == 0 && !afterBlank && line != strings.TrimLeft(line, " \t"):
			items[len(items)-1] = squash(items[len(items)-1] + " " + t)
		default:
			flushList()
			para = append(para, t)
			afterBlank = false
		}
	}
	flushPara()
	flushList()
	return out
}

// squash collapses runs of white space into one space.
func squash(s string) string { return strings.Join(strings.Fields(s), " ") }

// plainBlocks writes blocks back as plain text.
func plainBlocks(bs []block) string {
	var parts []string
	for _, b := range bs {
		if b.Items == nil {
			parts = append(parts, b.Text)
			continue
		}
		var items []string
		for _, it := range b.Items {
			items = append(items, "- "+it)
		}
		parts = append(parts, strings.Join(items, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

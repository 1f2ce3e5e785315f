package letter

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"
)

// textWidth is the line length of the plain-text letter.
const textWidth = 72

// layoutFuncs are the functions of the two layouts.
var layoutFuncs = map[string]any{
	"wrap":   func(s string) string { return wrap(s, textWidth, "", "") },
	"blocks": textBlocks,
	"fields": textFields,
}

// renderText sets the letter on the plain-text layout.
func renderText(p *page) (string, error) {
	var b bytes.Buffer
	if err := textLayout.Execute(&b, p); err != nil {
		return "", err
	}
	return tidy(b.String()), nil
}

// renderHTML sets the letter on the HTML e-mail layout.
func renderHTML(p *page) (string, error) {
	var b bytes.Buffer
	if err := htmlLayout.Execute(&b, p); err != nil {
		return "", err
	}
	return b.String(), nil
}

var blankRun = regexp.MustCompile(`\n{3,}`)

// tidy trims trailing spaces, keeps at most one blank line between blocks
// and ends the text with one newline.
func tidy(s string) string {
	ls := strings.Split(s, "\n")
	for i, l := range ls {
		ls[i] = strings.TrimRight(l, " \t")
	}
	s = blankRun.ReplaceAllString(strings.Join(ls, "\n"), "\n\n")
	return strings.Trim(s, "\n") + "\n"
}

// textBlocks writes paragraphs and lists wrapped to the text width; list
// items hang under their dash.
// A paragraph that ends in a colon leads into the list after it, without
// a blank line.
func textBlocks(bs []block) string {
	var b strings.Builder
	for i, bl := range bs {
		if i > 0 {
			if prev := bs[i-1]; bl.Items != nil && prev.Items == nil && strings.HasSuffix(prev.Text, ":") {
				b.WriteString("\n")
			} else {
				b.WriteString("\n\n")
			}
		}
		if bl.Items == nil {
			b.WriteString(wrap(bl.Text, textWidth, "", ""))
			continue
		}
		for j, it := range bl.Items {
			if j > 0 {
				b.WriteString("\n")
			}
			b.WriteString(wrap(it, textWidth, "- ", "  "))
		}
	}
	return b.String()
}

// textFields writes label-value lines with the values aligned.
func textFields(fs []field) string {
	width := 0
	for _, f := range fs {
		width = max(width, utf8.RuneCountInString(f.Label)+1)
	}
	var out []string
	for _, f := range fs {
		label := f.Label + ":" + strings.Repeat(" ", width-utf8.RuneCountInString(f.Label)-1+2)
		out = append(out, wrap(f.Value, textWidth, label, strings.Repeat(" ", width+2)))
	}
	return strings.Join(out, "\n")
}

// wrap breaks s into lines of at most width runes at spaces; the first
// line starts with first, the others with rest. A word longer than a line
// stands on its own.
func wrap(s string, width int, first, rest string) string {
	words := strings.Fields(s)
	var b strings.Builder
	line := first
	n := utf8.RuneCountInString(line)
	empty := true
	for _, w := range words {
		wn := utf8.RuneCountInString(w)
		if !empty && n+1+wn > width {
			b.WriteString(line)
			b.WriteByte('\n')
			line, n, empty = rest, utf8.RuneCountInString(rest), true
		}
		if !empty {
			line += " "
			n++
		}
		line += w
		n += wn
		empty = false
	}
	b.WriteString(line)
	return b.String()
}

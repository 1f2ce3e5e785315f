package report

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// BarChart is a horizontal bar chart of a report's figures, for the page
// (SVGBarChart) and the PDF.
type BarChart struct {
	// ID makes the chart's element ids unique on a page: lower-case
	// letters, digits and dashes.
	ID    string `json:"id"`
	Title string `json:"title"`
	// Desc tells a screen reader what the chart shows; it lists every bar
	// with its value.
	Desc string `json:"desc"`
	// Percent: the bars are shares out of 100 rather than counts.
	Percent bool  `json:"percent"`
	Bars    []Bar `json:"bars"`
}

// Bar is one bar.
type Bar struct {
	Label string `json:"label"`
	// Value is the bar's length; 0 for a suppressed or unknown value.
	Value float64 `json:"value"`
	// Text is written next to the bar: "12", "< 5", "95,8%", "–".
	Text string `json:"text"`
	// Suppressed: the value is hidden (SuppressionRule); no bar is drawn.
	Suppressed bool `json:"suppressed,omitempty"`
}

// Charts returns the report's figures as bar charts, in the order the PDF
// prints them.
func (r *Report) Charts() []BarChart {
	var out []BarChart
	for _, c := range []struct {
		id string
		bd Breakdown
	}{
		{"kanaal", r.ByChannel}, {"rubriek", r.ByCategory}, {"opdrachtgever", r.ByCommissioning}, {"uitkomst", r.Outcomes},
	} {
		out = append(out, breakdownChart(c.id, c.bd))
	}
	terms := BarChart{ID: "termijnen", Title: "Binnen de termijn afgehandeld (%)", Percent: true}
	for _, t := range r.Terms {
		terms.Bars = append(terms.Bars, Bar{Label: t.Label, Value: t.WithinTerm.Percent, Text: t.WithinTerm.Text, Suppressed: !t.WithinTerm.Shown})
	}
	terms.Desc = chartDesc(terms)
	return append(out, terms)
}

// breakdownChart draws a breakdown's rows.
func breakdownChart(id string, bd Breakdown) BarChart {
	c := BarChart{ID: id, Title: bd.Title}
	for _, row := range bd.Rows {
		c.Bars = append(c.Bars, Bar{Label: row.Label, Value: float64(row.Count.Value), Text: row.Count.Text, Suppressed: row.Count.Suppressed})
	}
	c.Desc = chartDesc(c)
	if bd.HasTotal {
		c.Desc += fmt.Sprintf(" Totaal: %s.", bd.Total.Text)
	}
	return c
}

// chartDesc lists the bars in words.
func chartDesc(c BarChart) string {
	parts := make([]string, len(c.Bars))
	for i, b := range c.Bars {
		parts[i] = b.Label + ": " + b.Text
	}
	return "Staafdiagram: " + c.Title + ". " + strings.Join(parts, "; ") + "."
}

// chartScale is the longest bar's value: 100 for shares, else the largest
// value (at least 1).
func chartScale(c BarChart) float64 {
	if c.Percent {
		return 100
	}
	scale := 1.0
	for _, b := range c.Bars {
		scale = max(scale, b.Value)
	}
	return scale
}

// SVG geometry of a chart, in user units.
const (
	svgWidth     = 640
	svgLabelW    = 270 // the label column
	svgBarX      = svgLabelW + 10
	svgBarMaxW   = 290
	svgRowH      = 26
	svgBarH      = 16
	svgTop       = 36 // below the visible title
	svgMaxLabelN = 32 // runes of a label before it is cut
)

// SVGBarChart renders a chart as an SVG element to put in a page. It
// needs no colour: the bars are hatched in black and carry their value as
// text, a suppressed value is written without a bar, and the chart has a
// title and a description (aria-labelledby) for screen readers. It uses
// no script and no external resource, so it works under a strict CSP.
func SVGBarChart(c BarChart) string {
	id := c.ID
	if id == "" {
		id = "grafiek"
	}
	height := svgTop + len(c.Bars)*svgRowH + 8
	scale := chartScale(c)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="%[1]s-title %[1]s-desc" `+
		`viewBox="0 0 %[2]d %[3]d" width="%[2]d" height="%[3]d" font-family="DejaVu Sans, Verdana, sans-serif" font-size="13">`,
		esc(id), svgWidth, height)
	fmt.Fprintf(&b, "\n<title id=\"%s-title\">%s</title>\n", esc(id), esc(c.Title))
	fmt.Fprintf(&b, "<desc id=\"%s-desc\">%s</desc>\n", esc(id), esc(c.Desc))
	// Diagonal hatching: bars read in black and white, on screen and on paper.
	fmt.Fprintf(&b, `<defs><pattern id="%s-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">`+
		`<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="3"/></pattern></defs>`+"\n", esc(id))
	fmt.Fprintf(&b, `<text x="0" y="18" font-size="15" font-weight="bold" aria-hidden="true">%s</text>`+"\n", esc(c.Title))
	for i, bar := range c.Bars {
		y := svgTop + i*svgRowH
		mid := y + svgBarH/2 + 5
		b.WriteString(`<g>`)
		fmt.Fprintf(&b, `<title>%s: %s</title>`, esc(bar.Label), esc(bar.Text))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, svgLabelW, mid, esc(cut(bar.Label, svgMaxLabelN)))
		w := 0.0
		if !bar.Suppressed && bar.Value > 0 {
			w = max(1, bar.Value/scale*svgBarMaxW)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="url(#%s-hatch)" stroke="#000000" stroke-width="1"/>`,
				svgBarX, y, w, svgBarH, esc(id))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d">%s</text>`, float64(svgBarX)+w+6, mid, esc(bar.Text))
		b.WriteString("</g>\n")
	}
	// The axis the bars start from.
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#000000" stroke-width="1"/>`,
		svgBarX, svgTop-4, svgBarX, svgTop+len(c.Bars)*svgRowH-6)
	b.WriteString("\n")
	b.WriteString(`</svg>`)
	return b.String()
}

// esc escapes text for SVG (XML) text and attributes.
func esc(s string) string { return html.EscapeString(s) }

// cut shortens s to n runes with an ellipsis.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

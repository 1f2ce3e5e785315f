package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/boombuler/barcode/qr"
)

// qrSVG draws content as a QR code in SVG, one path of unit squares with
// a quiet zone of four modules: drawn on the server, so the page needs no
// script, and inline, so the CSP needs no exception. label is the image's
// accessible name.
func qrSVG(content, label string) (template.HTML, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return "", fmt.Errorf("web: QR code: %w", err)
	}
	const quiet = 4
	n := code.Bounds().Dx()
	var d strings.Builder
	for y := range n {
		for x := range n {
			if r, _, _, _ := code.At(x, y).RGBA(); r == 0 {
				fmt.Fprintf(&d, "M%d %dh1v1h-1z", x+quiet, y+quiet)
			}
		}
	}
	// Drawn at a whole number of pixels per module: a fractional scale
	// leaves seams between the squares that a scanner may stumble on.
	const scale = 5
	size := n + 2*quiet
	svg := fmt.Sprintf(`<svg class="gg-qr" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" shape-rendering="crispEdges">`+
		`<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="%s"/></svg>`,
		size*scale, size*scale, size, size, template.HTMLEscapeString(label), size, size, d.String())
	return template.HTML(svg), nil // #nosec G203 -- built here from numbers and an escaped label
}

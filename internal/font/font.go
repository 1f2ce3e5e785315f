// Package font embeds the TrueType fonts of Gegrond's PDFs (letters and
// reports): DejaVu Sans, so that ë, ï, é, ç, ’ and € come out right where
// the PDF core fonts garble them. See README.md and LICENSE beside this file.
package font

import _ "embed"

// Regular and Bold are DejaVu Sans and DejaVu Sans Bold.
var (
	//go:embed DejaVuSans.ttf
	Regular []byte
	//go:embed DejaVuSans-Bold.ttf
	Bold []byte
)

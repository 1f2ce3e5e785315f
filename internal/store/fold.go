package store

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// FoldText returns s in the form FindCases searches: lower case, without
// diacritics ("Cliënt" becomes "cliënt" becomes "client") and with runs of
// white space as one space. The store folds the search text it keeps and
// the text it looks for, so either may be passed as typed.
func FoldText(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	return strings.Join(strings.Fields(strings.ToLower(folded)), " ")
}

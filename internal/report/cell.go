package report

import (
	"fmt"
	"strconv"
)

// DefaultThreshold is the smallest count the yearly report shows as it is;
// smaller counts (but not zero) are suppressed.
const DefaultThreshold = 5

// SuppressionRule is the rule the yearly report applies to small counts,
// in the words the report prints (with k the threshold). It is the one
// place the rule is written down; the code below implements it.
//
//  1. A count of cases from 1 to k-1 is shown as "< k". A zero is shown: it
//     points at nobody.
//  2. Where the counts split a total that is shown (cases by channel, by
//     category, by outcome, ...) and exactly one count is suppressed, the
//     smallest other count of that split is suppressed too, so the first
//     cannot be recomputed as the total minus the rest: shown as "< k" when
//     it is below k (a zero), else as "x".
//  3. Totals are exact and include the suppressed counts, so the shown
//     counts of a split add up to less than its total when some are
//     suppressed. The number of complaints and of remarks is always shown:
//     Awb 9:12a asks to publish it, and on its own it identifies nobody. A
//     split of a suppressed count (inadmissible complaints by ground when
//     there were fewer than k) shows none of its non-zero counts.
//  4. Shares of complaints handled within a term, and the median and 90th
//     percentile handling time, are computed only over at least k
//     complaints; otherwise they are not shown.
//  5. Counts of measures are about the organisation, not about a person,
//     and are shown as they are.
const SuppressionRule = `Kleine aantallen worden afgeschermd. Een aantal dossiers van 1 tot en met %[2]d wordt weergegeven als "< %[1]d"; een nul wordt getoond. ` +
	`Staat er in een verdeling van een getoond totaal precies één afgeschermd aantal, dan wordt ook het kleinste andere aantal van die verdeling afgeschermd ` +
	`("< %[1]d" als het kleiner is dan %[1]d, anders "x"), zodat het niet uit het totaal kan worden teruggerekend. ` +
	`Totalen zijn exact en omvatten de afgeschermde aantallen; de getoonde aantallen van een verdeling tellen dan op tot minder dan het totaal. ` +
	`Percentages binnen de termijn en behandelduren worden alleen berekend over ten minste %[1]d klachten. Aantallen maatregelen gaan over de organisatie en worden niet afgeschermd.`

// Cell is one count as a report shows it. A suppressed cell holds no
// value: the small number never reaches the report.
type Cell struct {
	// Value is the count; 0 when Suppressed.
	Value int `json:"value"`
	// Suppressed reports that the count is not shown.
	Suppressed bool `json:"suppressed,omitempty"`
	// Text is what is shown: "12", "< 5" or "x".
	Text string `json:"text"`
}

// String returns the cell's text.
func (c Cell) String() string { return c.Text }

// exact is a cell shown as it is.
func exact(n int) Cell { return Cell{Value: n, Text: strconv.Itoa(n)} }

// suppressor applies SuppressionRule with threshold k.
type suppressor struct{ k int }

// small is a cell suppressed as "< k".
func (s suppressor) small() Cell { return Cell{Suppressed: true, Text: fmt.Sprintf("< %d", s.k)} }

// hidden is a cell of k or more suppressed as "x" (rule 2).
func (s suppressor) hidden() Cell { return Cell{Suppressed: true, Text: "x"} }

// one applies rule 1 to a count on its own.
func (s suppressor) one(n int) Cell {
	if n > 0 && n < s.k {
		return s.small()
	}
	return exact(n)
}

// split applies rules 1 to 3 to counts that split a total shown as total.
func (s suppressor) split(counts []int, total Cell) []Cell {
	cells := make([]Cell, len(counts))
	suppressed := -1
	nSuppressed := 0
	for i, n := range counts {
		cells[i] = s.one(n)
		if cells[i].Suppressed {
			suppressed, nSuppressed = i, nSuppressed+1
		}
	}
	if total.Suppressed {
		// Rule 3: the split of a suppressed count shows none of it.
		for i, n := range counts {
			if n >= s.k {
				cells[i] = s.hidden()
			}
		}
		return cells
	}
	if nSuppressed != 1 {
		return cells
	}
	// Rule 2: the smallest other count (the first of equals) goes too.
	other := -1
	for i, n := range counts {
		if i != suppressed && (other < 0 || n < counts[other]) {
			other = i
		}
	}
	switch {
	case other < 0:
	case counts[other] < s.k:
		cells[other] = s.small()
	default:
		cells[other] = s.hidden()
	}
	return cells
}

// Share is a percentage as a report shows it.
type Share struct {
	// Percent is the share, 0 to 100; 0 when not Shown.
	Percent float64 `json:"percent"`
	// Shown is false when the base is too small (SuppressionRule 4).
	Shown bool `json:"shown"`
	// Text is "95,8%", or "–" when not shown.
	Text string `json:"text"`
}

// String returns the share's text.
func (s Share) String() string { return s.Text }

// share is part of base, shown when base holds at least k cases.
func (s suppressor) share(part, base int) Share {
	if base < s.k || base == 0 {
		return Share{Text: "–"}
	}
	p := 100 * float64(part) / float64(base)
	return Share{Percent: p, Shown: true, Text: decimalNL(p, 1) + "%"}
}

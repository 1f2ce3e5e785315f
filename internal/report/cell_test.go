package report

import (
	"strings"
	"testing"
)

func TestSuppressionRule(t *testing.T) {
	t.Parallel()
	five := suppressor{k: 5}
	tests := []struct {
		name   string
		sup    suppressor
		counts []int
		total  Cell
		want   string // the cells' texts, joined by spaces
	}{
		{"rule 1: counts of 5 and more and zeros are shown", five, []int{5, 12, 0}, exact(17), "5 12 0"},
		{"rule 1: 1 to 4 are suppressed", five, []int{1, 4, 9, 3}, exact(17), "< 5 < 5 9 < 5"},
		{"rule 2: a single suppressed count takes the smallest other with it", five, []int{9, 2, 6}, exact(17), "9 < 5 x"},
		{"rule 2: a zero is the smallest other and is truthfully below 5", five, []int{9, 2, 0, 6}, exact(17), "9 < 5 < 5 6"},
		{"rule 2: of equal others the first goes", five, []int{7, 7, 1}, exact(15), "x 7 < 5"},
		{"rule 2: two suppressed counts need no partner", five, []int{9, 2, 3}, exact(14), "9 < 5 < 5"},
		{"rule 2: a split of one count has no partner to take", five, []int{3}, exact(3), "< 5"},
		{"rule 3: the split of a suppressed total hides its large counts too", five, []int{0, 3, 0}, five.small(), "0 < 5 0"},
		{"rule 3: a hidden total hides every non-zero count", five, []int{6, 2}, five.hidden(), "x < 5"},
		{"threshold 1 shows everything", suppressor{k: 1}, []int{1, 0, 2}, exact(3), "1 0 2"},
		{"threshold 2 suppresses only ones", suppressor{k: 2}, []int{3, 2, 2, 1}, exact(8), "3 x 2 < 2"},
	}
	for _, tt := range tests {
		cells := tt.sup.split(tt.counts, tt.total)
		texts := make([]string, len(cells))
		for i, c := range cells {
			texts[i] = c.Text
			if c.Suppressed && c.Value != 0 {
				t.Errorf("%s: suppressed cell %d holds its value %d", tt.name, i, c.Value)
			}
			if !c.Suppressed && c.Value != tt.counts[i] {
				t.Errorf("%s: cell %d = %d, want %d", tt.name, i, c.Value, tt.counts[i])
			}
		}
		if got := strings.Join(texts, " "); got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestShare(t *testing.T) {
	t.Parallel()
	five := suppressor{k: 5}
	for _, tt := range []struct {
		part, base int
		want       string
	}{
		{5, 7, "71,4%"}, {4, 4, "–"}, {0, 5, "0,0%"}, {0, 0, "–"}, {2, 3, "–"}, {23, 24, "95,8%"},
	} {
		if got := five.share(tt.part, tt.base); got.Text != tt.want || got.Shown != (tt.want != "–") {
			t.Errorf("share(%d, %d) = %+v, want %s", tt.part, tt.base, got, tt.want)
		}
	}
}

func TestNumberNL(t *testing.T) {
	t.Parallel()
	for f, want := range map[float64]string{7: "7", 7.5: "7,5", 0: "0", 12.25: "12,2", 1250: "1250"} {
		if got := numberNL(f); got != want {
			t.Errorf("numberNL(%v) = %q, want %q", f, got, want)
		}
	}
}

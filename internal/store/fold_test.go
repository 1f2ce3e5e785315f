package store_test

import (
	"testing"

	"github.com/gegrond/gegrond/internal/store"
)

func TestFoldText(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"lower case", "Jan JANSEN", "jan jansen"},
		{"trema: cliënt is client", "Cliënt", "client"},
		{"accents and cedilla", "Één café, façade, naïef", "een cafe, facade, naief"},
		{"white space collapsed", "  Piet \t\n Pietersen ", "piet pietersen"},
		{"digits and signs kept", "2026-0001 100%", "2026-0001 100%"},
		{"already folded stays the same", "client een", "client een"},
	}
	for _, tt := range tests {
		if got := store.FoldText(tt.in); got != tt.want {
			t.Errorf("%s: FoldText(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestSearchFindsCasesByNameAndTextIgnoringAccents(t *testing.T) {
	t.Parallel()
	eachEngine(t, testSearchFindsCases)
}

// testSearchFindsCases runs on each engine: folding diacritics is the
// store's, and both must agree.
func testSearchFindsCases(t *testing.T, b *testBundle) {
	c := b.signedIn(t, "smartplus/handler")
	for _, tc := range []struct {
		q    string
		want []string // case numbers found
		none bool     // nothing found
	}{
		{"client", []string{b.cases["ontime"]}, false},                                                                      // "Cliënt Özdemir"
		{"OZDEMIR", []string{b.cases["ontime"]}, false},                                                                     // case and accents
		{"AFSPRAKEN niet na", []string{b.cases["overdue"], b.cases["soon"], b.cases["ontime"], b.cases["assigned"]}, false}, // the facts
		{"Bestmatch Klager", nil, true},                                                                                     // another organisation's
		{"niets-dat-bestaat", nil, true},
	} {
		body := c.ok("/zoeken?q=" + url.QueryEscape(tc.q)).body
		found, _ := rowsOf(body)
		for _, n := range tc.want {
			if !slices.Contains(found, n) {
				t.Errorf("%q does not find %s (found %v)", tc.q, n, found)
			}
		}
		if tc.none && (len(found) > 0 || !strings.Contains(body, "Geen zaken gevonden")) {
			t.Errorf("%q finds %v", tc.q, found)
		}
		if !tc.none && len(found) != len(tc.want) {
			t.Errorf("%q finds %v, want %v", tc.q, found, tc.want)
		}
	}
	if body := c.ok("/zoeken?q=niets-dat-bestaat").body; !strings.Contains(body, "Geen zaken gevonden bij ‘niets-dat-bestaat’.") {
		t.Error("an empty result does not say so")
	}
	if body := c.ok("/zoeken").body; strings.Contains(body, "Geen zaken gevonden") {
		t.Error("the empty search page reports an empty result")
	}
}

func TestSearchJumpsToAnExactCaseNumber(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	n := b.cases["soon"] // 2026-0002
	for _, q := range []string{n, " " + n + " ", "2026-2"} {
		res := c.get("/zoeken?q=" + url.QueryEscape(q))
		if res.status != http.StatusFound || res.location() != "/zaken/"+n {
			t.Errorf("%q: %d to %q, want the case", q, res.status, res.location())
		}
	}
	// A number that does not exist here (Best Match has one case) says so.
	bm := b.signedIn(t, "bestmatch/handler")
	if body := bm.ok("/zoeken?q=2026-0004").body; !strings.Contains(body, "Er is geen zaak met nummer 2026-0004") {
		t.Error("an unknown number does not say so")
	}
}

package web

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// The words of the case screens for the regulation's vocabulary: parties,
// channels, units, anchors and the like, in both languages. The
// regulation's own texts (labels, notes, articles) stay as written.
func init() {
	addMessages(map[string]msg{
		"party.complainant":         {"klager", "complainant"},
		"party.representative":      {"gemachtigde", "representative"},
		"party.accused_employee":    {"betrokken medewerker", "accused employee"},
		"party.contact_person":      {"contactpersoon", "contact person"},
		"party.labour_expert":       {"arbeidsdeskundige", "labour expert"},
		"party.insurer":             {"verzekeraar", "insurer"},
		"party.commissioning_party": {"opdrachtgever", "commissioning party"},
		"party.board":               {"directie", "board"},
		"party.all_involved":        {"alle betrokkenen", "everyone involved"},

		"channel.web":       {"webformulier", "web form"},
		"channel.email":     {"e-mail", "e-mail"},
		"channel.post":      {"post (op papier)", "post (on paper)"},
		"channel.phone":     {"telefoon", "telephone"},
		"channel.in_person": {"persoonlijk (mondeling)", "in person (oral)"},

		"unit.working_days.1": {"werkdag", "working day"},
		"unit.working_days.n": {"werkdagen", "working days"},
		"unit.days.1":         {"dag", "day"},
		"unit.days.n":         {"dagen", "days"},
		"unit.weeks.1":        {"week", "week"},
		"unit.weeks.n":        {"weken", "weeks"},
		"unit.months.1":       {"maand", "month"},
		"unit.months.n":       {"maanden", "months"},

		"anchor.received":   {"ontvangst", "receipt"},
		"anchor.decision":   {"het besluit", "the decision"},
		"anchor.resolution": {"de oplossing", "the resolution"},
		"anchor.closing":    {"de afsluiting", "closing"},

		"kind.aim":   {"streeftermijn", "target"},
		"kind.limit": {"uiterste termijn", "time limit"},

		"outcome.upheld":              {"Gegrond", "Upheld"},
		"outcome.partly_upheld":       {"Gedeeltelijk gegrond", "Partly upheld"},
		"outcome.not_upheld":          {"Ongegrond", "Not upheld"},
		"outcome.inadmissible":        {"Niet in behandeling genomen", "Not taken on"},
		"outcome.settled_informally":  {"Informeel opgelost", "Settled informally"},
		"outcome.withdrawn":           {"Ingetrokken", "Withdrawn"},
		"outcome.settled_by_receiver": {"Direct afgehandeld door de ontvanger", "Settled on the spot by the receiver"},

		"yes": {"Ja", "Yes"},
		"no":  {"Nee", "No"},
	})
}

// partyName names a party of a case in l.
func partyName(l lang, p reglement.Party) string { return msgOr(l, "party."+string(p), string(p)) }

// partyList names parties in l, joined with commas.
func partyList(l lang, ps []reglement.Party) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = partyName(l, p)
	}
	return strings.Join(names, ", ")
}

// channelName names a channel in l.
func channelName(l lang, c reglement.Channel) string {
	return msgOr(l, "channel."+string(c), string(c))
}

// outcomeName names an outcome in l: the regulation's own label in Dutch
// when it has one, the catalogue's otherwise.
func outcomeName(l lang, r *reglement.Reglement, o reglement.OutcomeKind) string {
	if l == langNL && r != nil {
		for _, out := range r.Outcomes {
			if out.Outcome == o && out.Label != "" {
				return out.Label
			}
		}
	}
	return msgOr(l, "outcome."+string(o), string(o))
}

// amountText writes a term's length: "5 werkdagen", "1 month".
func amountText(l lang, n int, u reglement.Unit) string {
	form := "n"
	if n == 1 {
		form = "1"
	}
	return fmt.Sprintf("%d %s", n, msgOr(l, "unit."+string(u)+"."+form, string(u)))
}

// anchorText names the event a term counts from.
func anchorText(l lang, a reglement.Anchor) string { return msgOr(l, "anchor."+string(a), string(a)) }

// msgOr returns the message of key in l, or fallback when there is none.
func msgOr(l lang, key, fallback string) string {
	if hasMessage(key) {
		return l.t(key)
	}
	return fallback
}

// formatEUR writes a whole amount in euros the Dutch way: € 1.500,00.
func formatEUR(euros int) string {
	neg := euros < 0
	if neg {
		euros = -euros
	}
	s := strconv.Itoa(euros)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(c)
	}
	if neg {
		return "€ -" + b.String() + ",00"
	}
	return "€ " + b.String() + ",00"
}

// eurAmount matches an amount as people type it: "500", "€ 1.500",
// "1500,00", "1.500,-".
var eurAmount = regexp.MustCompile(`^(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{2}|-))?$`)

// parseEUR reads a whole amount in euros. Cents other than ,00 are refused:
// the claim is recorded in whole euros.
func parseEUR(s string) (int, bool) {
	m := eurAmount.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil || (m[2] != "" && m[2] != "00" && m[2] != "-") {
		return 0, false
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], ".", ""))
	return n, err == nil
}

// dutchDate matches 22-12-2026 and 2-1-2026 (also with slashes or dots).
var dutchDate = regexp.MustCompile(`^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$`)

// parseFormDate reads a date from a form: YYYY-MM-DD (what a date input
// sends) or DD-MM-YYYY (what a person types where there is none).
func parseFormDate(s string) (calendar.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := calendar.ParseDate(s); err == nil {
		return d, true
	}
	m := dutchDate.FindStringSubmatch(s)
	if m == nil {
		return calendar.Date{}, false
	}
	day, _ := strconv.Atoi(m[1])
	month, _ := strconv.Atoi(m[2])
	year, _ := strconv.Atoi(m[3])
	d := calendar.D(year, time.Month(month), day)
	if d.Day != day || int(d.Month) != month {
		return calendar.Date{}, false // 31-02-2026
	}
	return d, true
}

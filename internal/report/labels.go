package report

import (
	"fmt"
	"strings"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// The Dutch words of the register and the reports (../../shared/GLOSSARY.md).

var channelNL = map[reglement.Channel]string{
	reglement.ChannelWeb: "Webformulier", reglement.ChannelEmail: "E-mail", reglement.ChannelPost: "Post",
	reglement.ChannelPhone: "Telefoon", reglement.ChannelInPerson: "Persoonlijk",
}

// ChannelNL returns the Dutch name of a channel.
func ChannelNL(c reglement.Channel) string {
	if s, ok := channelNL[c]; ok {
		return s
	}
	if c == "" {
		return "Niet vastgelegd"
	}
	return string(c)
}

var outcomeNL = map[reglement.OutcomeKind]string{
	reglement.OutcomeUpheld:           "Gegrond",
	reglement.OutcomePartlyUpheld:     "Gedeeltelijk gegrond",
	reglement.OutcomeNotUpheld:        "Ongegrond",
	reglement.OutcomeInadmissible:     "Niet in behandeling genomen",
	reglement.OutcomeSettledInformal:  "Informeel opgelost",
	reglement.OutcomeWithdrawn:        "Ingetrokken",
	reglement.OutcomeSettledByReceipt: "Door de ontvanger afgehandeld",
}

// outcomeLabel names an outcome as the regulation does, or in the
// glossary's words.
func outcomeLabel(r *reglement.Reglement, o reglement.OutcomeKind) string {
	if r != nil {
		for _, ro := range r.Outcomes {
			if ro.Outcome == o && ro.Label != "" {
				return ro.Label
			}
		}
	}
	if s, ok := outcomeNL[o]; ok {
		return s
	}
	return string(o)
}

var phaseNL = map[complaint.Phase]string{
	complaint.PhaseReceived: "Ontvangen", complaint.PhaseHandling: "In behandeling",
	complaint.PhaseDecided: "Besluit genomen", complaint.PhaseClosed: "Afgesloten", complaint.PhaseArchived: "Gearchiveerd",
}

// stateLabel names where a case stands.
func stateLabel(s *complaint.State) string {
	if s.IsRemark() {
		return "Opmerking vastgelegd"
	}
	if l, ok := phaseNL[s.Phase]; ok {
		if s.PausedSince != nil {
			return l + " (klok stil)"
		}
		return l
	}
	return string(s.Phase)
}

var kindNL = map[reglement.Kind]string{reglement.Aim: "streeftermijn", reglement.Limit: "uiterste termijn"}

var unitNL = map[reglement.Unit][2]string{
	reglement.WorkingDays: {"werkdag", "werkdagen"}, reglement.Days: {"dag", "dagen"},
	reglement.Weeks: {"week", "weken"}, reglement.Months: {"maand", "maanden"},
}

// termText describes a term of the regulation: "5 dagen na ontvangst".
func termText(r *reglement.Reglement, k termKey) string {
	t := r.Term(k.step, k.kind)
	if t == nil {
		return ""
	}
	u := unitNL[t.Unit]
	word := u[1]
	if t.Amount == 1 {
		word = u[0]
	}
	if word == "" {
		word = string(t.Unit)
	}
	return fmt.Sprintf("%d %s na %s", t.Amount, word, reglement.AnchorNL(t.Anchor))
}

// termLabel names a term: "Ontvangstbevestiging (uiterste termijn)".
func termLabel(k termKey) string {
	return reglement.StepNL(k.step) + " (" + kindNL[k.kind] + ")"
}

var statusNL = map[complaint.Status]string{
	complaint.StatusMet: "op tijd", complaint.StatusMetLate: "te laat", complaint.StatusMissed: "verstreken",
	complaint.StatusOpen: "loopt", complaint.StatusMoot: "n.v.t.", complaint.StatusPending: "nog niet begonnen",
}

// commissioningKinds are the kinds of commissioning party the report
// tells apart, in order, with their Dutch names. A kind outside the list
// counts as other; none recorded as unknown.
var commissioningKinds = []struct{ key, label string }{
	{"uwv", "UWV"}, {"employer", "Werkgever"}, {"municipality", "Gemeente"}, {"insurer", "Verzekeraar"},
	{"private", "Particulier"}, {"other", "Overige opdrachtgever"}, {"unknown", "Niet vastgelegd"},
}

// commissioningKind classifies a case's commissioning party by kind only:
// the report never shows the party's name, which may be a person's.
func commissioningKind(it *complaint.Intake) string {
	k := strings.ToLower(strings.TrimSpace(it.CommissioningKind))
	switch {
	case k == "" && strings.EqualFold(strings.TrimSpace(it.CommissioningParty), "uwv"):
		return "uwv"
	case k == "":
		return "unknown"
	}
	for _, ck := range commissioningKinds {
		if ck.key == k {
			return k
		}
	}
	return "other"
}

var measureKindNL = map[string]string{
	string(store.MeasureCorrective): "corrigerend", string(store.MeasurePreventive): "preventief",
}

var measureStateNL = map[store.MeasureState]string{
	store.MeasureProposed: "voorgesteld", store.MeasureDecided: "besloten",
	store.MeasureRejected: "afgewezen", store.MeasureDone: "uitgevoerd",
}

// dateNL writes a date as dd-mm-jjjj, and nothing for the zero date.
func dateNL(d calendar.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Dutch()
}

// periodNL writes a period: "2026" for a calendar year, else
// "01-01-2026 t/m 31-03-2026".
func periodNL(from, to calendar.Date) string {
	if from.Year == to.Year && from == calendar.D(from.Year, 1, 1) && to == calendar.D(to.Year, 12, 31) {
		return fmt.Sprint(from.Year)
	}
	return from.Dutch() + " t/m " + to.Dutch()
}

// decimalNL writes f with prec decimals and a decimal comma.
func decimalNL(f float64, prec int) string {
	return strings.Replace(fmt.Sprintf("%.*f", prec, f), ".", ",", 1)
}

// numberNL writes f with at most one decimal and a decimal comma:
// 7 as "7", 7.5 as "7,5".
func numberNL(f float64) string {
	s := decimalNL(f, 1)
	return strings.TrimSuffix(s, ",0")
}

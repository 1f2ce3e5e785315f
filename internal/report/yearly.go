package report

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// Kind is the kind of report: the same figures, titled for their reader.
type Kind string

// The kinds of report.
const (
	// Yearly is the yearly report (jaarverslag) to UWV, Blik op Werk and
	// the board (Standergroep 8; Work 2 Work 5.3.2; Awb 9:12a).
	Yearly Kind = "yearly"
	// Management is the periodic management report (managementrapportage,
	// SmartPLUS Punt 9) over any period.
	Management Kind = "management"
)

// Options describe a report.
type Options struct {
	Kind Kind
	// Organisation is the organisation's name, printed on the report.
	Organisation string
	// Reglement is the regulation that names the categories, outcomes,
	// grounds, channels and terms the report lists: the version in force
	// at the end of the period. Each case is judged under its own version.
	Reglement *reglement.Reglement
	// From and To bound the period (both included): the report counts the
	// cases received in it.
	From, To calendar.Date
	// AsOf is the date the report is drawn up (peildatum): open cases and
	// running terms are judged on it.
	AsOf calendar.Date
	// Threshold is the smallest count shown as it is (SuppressionRule);
	// 0 means DefaultThreshold, 1 shows every count.
	Threshold int
}

// Report is the yearly or management report: counts, shares and labels,
// anonymised by construction (it has no field that could hold a name or a
// free text from a case). The web engineer renders it as a page; PDF,
// XLSX and the charts render it too.
type Report struct {
	Kind         Kind          `json:"kind"`
	Title        string        `json:"title"`
	Organisation string        `json:"organisation"`
	Reglement    string        `json:"reglement"`
	From         calendar.Date `json:"from"`
	To           calendar.Date `json:"to"`
	AsOf         calendar.Date `json:"as_of"`
	Threshold    int           `json:"threshold"`

	// Complaints and Remarks are the numbers received in the period; they
	// are always exact (SuppressionRule 3).
	Complaints int `json:"complaints"`
	Remarks    int `json:"remarks"`

	ByChannel         Breakdown `json:"by_channel"`
	ByCategory        Breakdown `json:"by_category"`
	ByCommissioning   Breakdown `json:"by_commissioning"`
	RemarksByCategory Breakdown `json:"remarks_by_category"`
	Admissibility     Breakdown `json:"admissibility"`
	// InadmissibleByGround splits the complaints not taken on.
	InadmissibleByGround Breakdown `json:"inadmissible_by_ground"`
	Outcomes             Breakdown `json:"outcomes"`
	// Judgments counts the judgments on complaint points.
	Judgments Breakdown `json:"judgments"`
	// Referrals counts the complaints whose complainant was pointed to a
	// body; a complaint may be pointed to more than one.
	Referrals Breakdown `json:"referrals"`

	Terms        []TermFigure `json:"terms"`
	HandlingTime HandlingTime `json:"handling_time"`
	Extensions   Extensions   `json:"extensions"`
	Measures     Measures     `json:"measures"`

	// Notes explain the figures in Dutch: the period, the as-of date and
	// SuppressionRule.
	Notes []string `json:"notes"`
}

// Breakdown is a count of complaints (or remarks) split by one property.
type Breakdown struct {
	// Title is the Dutch heading, e.g. "Klachten naar kanaal".
	Title string `json:"title"`
	Rows  []Row  `json:"rows"`
	// Total is the count split. It is set for a split of the complaints
	// or remarks (the rows add up to it), and zero with HasTotal false for
	// a count that is no split (Referrals).
	Total    Cell `json:"total"`
	HasTotal bool `json:"has_total"`
}

// Row is one line of a breakdown.
type Row struct {
	// Key is the stable identifier: a channel, category id, outcome, ...
	Key   string `json:"key"`
	Label string `json:"label"`
	Count Cell   `json:"count"`
}

// TermFigure is how well the complaints kept one term of the regulation.
type TermFigure struct {
	Step reglement.Step `json:"step"`
	Kind reglement.Kind `json:"kind"`
	// Label names the term: "Besluit (uiterste termijn)".
	Label string `json:"label"`
	// Term is the regulation's term: "6 weken na ontvangst".
	Term string `json:"term"`
	// Assessed counts the complaints whose term was met or has run out on
	// the as-of date; the share is over them.
	Assessed Cell `json:"assessed"`
	// WithinTerm is the share of Assessed done on or before the due date
	// (after an extension: the extended date).
	WithinTerm Share `json:"within_term"`
	// Running counts the complaints whose term still runs on the as-of date.
	Running Cell `json:"running"`
}

// HandlingTime is the time from receipt to decision or closing, in
// working days of the organisation's calendar.
type HandlingTime struct {
	// Handled counts the complaints decided or closed by the as-of date.
	Handled Cell `json:"handled"`
	// Open counts the complaints still being handled.
	Open Cell `json:"open"`
	// Shown is false when fewer than the threshold were handled.
	Shown bool `json:"shown"`
	// Median is the middle handling time (the mean of the two middle ones
	// for an even number); P90 the 90th percentile by nearest rank: the
	// ⌈0.9·n⌉-th smallest. Both 0 when not Shown.
	Median float64 `json:"median"`
	P90    float64 `json:"p90"`
	// MedianText and P90Text are "7,5" or "–".
	MedianText string `json:"median_text"`
	P90Text    string `json:"p90_text"`
}

// Extensions counts the postponed decisions.
type Extensions struct {
	// Cases counts the complaints whose decision term was extended.
	Cases Cell `json:"cases"`
	// BeyondMaximum counts those extended beyond the maximum with the
	// complainant's consent.
	BeyondMaximum Cell `json:"beyond_maximum"`
}

// Measures counts the corrective and preventive measures: those agreed in
// the case files, and those in the organisation's register of measures
// (the board's decisions and the yearly reviews).
type Measures struct {
	// InCases counts the measures agreed in the case files of the
	// period's complaints; InCasesDone those carried out.
	InCases     int `json:"in_cases"`
	InCasesDone int `json:"in_cases_done"`

	// Proposed, Decided, Rejected and Done count the register's measures
	// proposed, decided on (to carry out, or rejected) and carried out in
	// the period.
	Proposed int `json:"proposed"`
	Decided  int `json:"decided"`
	Rejected int `json:"rejected"`
	Done     int `json:"done"`
	// Corrective and Preventive split Decided.
	Corrective int `json:"corrective"`
	Preventive int `json:"preventive"`
	// Overdue counts the open measures past their due date on the as-of
	// date.
	Overdue int `json:"overdue"`
	// Reviewed counts the reviews of the period's years; Effective those
	// that found the measure effective.
	Reviewed  int `json:"reviewed"`
	Effective int `json:"effective"`
	// EffectiveShare is Effective of Reviewed.
	EffectiveShare Share `json:"effective_share"`
}

// Builder adds up cases into a Report, one case at a time: a year of
// cases need not be in memory at once.
type Builder struct {
	o   Options
	sup suppressor

	complaints, remarks int
	channel             counter
	category            counter
	commissioning       counter
	remarkCategory      counter
	admissibility       counter
	ground              counter
	outcome             counter
	judgment            counter
	referral            counter

	terms       map[termKey]*termCount
	termOrder   []termKey
	days        []int
	open        int
	extended    int
	beyondMax   int
	inCases     int
	inCasesDone int
	measures    []store.Measure
}

// termCount counts one term's statuses.
type termCount struct{ met, late, missed, running int }

// NewBuilder starts a report.
func NewBuilder(o Options) (*Builder, error) {
	switch {
	case o.Reglement == nil:
		return nil, errors.New("report: no regulation")
	case o.From.IsZero() || o.To.IsZero() || o.To.Before(o.From):
		return nil, fmt.Errorf("report: the period %s to %s is not a period", o.From, o.To)
	case o.AsOf.IsZero():
		return nil, errors.New("report: no as-of date")
	case o.Kind != Yearly && o.Kind != Management:
		return nil, fmt.Errorf("report: unknown kind %q", o.Kind)
	case o.Threshold < 0:
		return nil, fmt.Errorf("report: threshold %d is negative", o.Threshold)
	}
	if o.Threshold == 0 {
		o.Threshold = DefaultThreshold
	}
	b := &Builder{o: o, sup: suppressor{k: o.Threshold}, terms: map[termKey]*termCount{}}
	for _, k := range termKeys(o.Reglement) {
		b.terms[k] = &termCount{}
		b.termOrder = append(b.termOrder, k)
	}
	return b, nil
}

// Add counts a case. A case not received in the period is left out.
func (b *Builder) Add(c Case) {
	s := &c.State
	if !inPeriod(s.Intake.ReceivedOn, b.o.From, b.o.To) {
		return
	}
	r := c.reglementOr(b.o.Reglement)
	if s.IsRemark() {
		b.remarks++
		b.remarkCategory.add(b.categoryKey(s.Intake.Category))
		return
	}
	b.complaints++
	b.channel.add(string(s.Intake.Channel))
	b.category.add(b.categoryKey(s.Intake.Category))
	b.commissioning.add(commissioningKind(&s.Intake))

	switch adm := s.Admissibility; {
	case adm != nil && adm.Admissible:
		b.admissibility.add("admissible")
	case adm != nil:
		b.admissibility.add("inadmissible")
		b.ground.add(b.groundKey(adm.Ground))
	case s.IsOpen():
		b.admissibility.add("pending")
	default:
		b.admissibility.add("none")
	}

	switch {
	case s.Outcome != "":
		b.outcome.add(string(s.Outcome))
	case s.IsOpen():
		b.outcome.add("open")
	default:
		b.outcome.add("none")
	}
	if s.Decision != nil {
		for _, p := range s.Decision.Points {
			b.judgment.add(string(p.Judgment))
		}
	}
	seen := map[string]bool{}
	for _, ref := range s.Referrals {
		k := b.referralKey(ref.Body)
		if !seen[k] {
			seen[k] = true
			b.referral.add(k)
		}
	}

	for _, d := range c.Deadlines(r, b.o.AsOf) {
		if !reportedTerm(d.Step) {
			continue
		}
		k := termKey{d.Step, d.Kind}
		tc := b.terms[k]
		if tc == nil {
			tc = &termCount{}
			b.terms[k] = tc
			b.termOrder = append(b.termOrder, k)
		}
		switch d.Status {
		case complaint.StatusMet:
			tc.met++
		case complaint.StatusMetLate:
			tc.late++
		case complaint.StatusMissed:
			tc.missed++
		case complaint.StatusOpen:
			tc.running++
		}
	}

	if days, ok := handlingDays(s, r); ok {
		b.days = append(b.days, days)
	} else {
		b.open++
	}
	if len(s.Extensions) > 0 {
		b.extended++
		if slices.ContainsFunc(s.Extensions, func(e complaint.ExtendedPayload) bool { return e.Consent }) {
			b.beyondMax++
		}
	}
	for _, m := range s.Measures {
		b.inCases++
		if m.On != nil {
			b.inCasesDone++
		}
	}
}

// AddMeasures adds the organisation's register of measures; the report
// counts what happened to them in the period.
func (b *Builder) AddMeasures(ms ...store.Measure) {
	b.measures = append(b.measures, ms...)
}

// categoryKey is a case's category as the report counts it: a category
// of the regulation, "none", or "other" for one the regulation does not
// know (never the text itself, which could be anything).
func (b *Builder) categoryKey(id string) string {
	if id == "" {
		return "none"
	}
	for _, c := range b.o.Reglement.Categories {
		if c.ID == id {
			return id
		}
	}
	return "other"
}

// groundKey is a ground of the regulation, or "other".
func (b *Builder) groundKey(id string) string {
	for _, g := range b.o.Reglement.Admissibility.Grounds {
		if g.ID == id {
			return id
		}
	}
	return "other"
}

// referralKey is a referral body of the regulation, or "other": a body
// typed by a handler is free text and stays out of the report.
func (b *Builder) referralKey(body string) string {
	for _, ref := range b.o.Reglement.Referrals {
		if ref.Body == body {
			return body
		}
	}
	return "other"
}

// Report computes the report from the cases added so far.
func (b *Builder) Report() *Report {
	o, r, sup := b.o, b.o.Reglement, b.sup
	rep := &Report{
		Kind: o.Kind, Organisation: o.Organisation, Reglement: cmp.Or(r.Title, "Klachtenreglement") + " (versie " + r.Version + ")",
		From: o.From, To: o.To, AsOf: o.AsOf, Threshold: o.Threshold,
		Complaints: b.complaints, Remarks: b.remarks,
	}
	if o.Kind == Yearly {
		rep.Title = "Jaarverslag klachten " + periodNL(o.From, o.To)
	} else {
		rep.Title = "Managementrapportage klachten " + periodNL(o.From, o.To)
	}
	complaints, remarks := exact(b.complaints), exact(b.remarks)

	var channels []labelled
	for _, ch := range reglement.Channels {
		accepted := slices.ContainsFunc(r.Intake.Channels, func(c reglement.ChannelRule) bool { return c.Channel == ch })
		oral := (ch == reglement.ChannelPhone || ch == reglement.ChannelInPerson) && r.Intake.OralWrittenDownByStaff.Value
		if accepted || oral {
			channels = append(channels, labelled{string(ch), ChannelNL(ch)})
		}
	}
	rep.ByChannel = b.channel.breakdown(sup, "Klachten naar kanaal", channels, complaints, func(k string) string {
		return ChannelNL(reglement.Channel(k))
	})

	categories := b.categoryRows()
	rep.ByCategory = b.category.breakdown(sup, "Klachten naar rubriek", categories, complaints, nil)
	rep.RemarksByCategory = b.remarkCategory.breakdown(sup, "Opmerkingen naar rubriek", categories, remarks, nil)

	var kinds []labelled
	for _, ck := range commissioningKinds {
		kinds = append(kinds, labelled{ck.key, ck.label})
	}
	rep.ByCommissioning = b.commissioning.breakdown(sup, "Klachten naar soort opdrachtgever", kinds, complaints, nil)

	rep.Admissibility = b.admissibility.breakdown(sup, "Ontvankelijkheid", []labelled{
		{"admissible", "In behandeling genomen"},
		{"inadmissible", "Niet in behandeling genomen"},
		{"pending", "Nog niet beoordeeld"},
		{"none", "Afgedaan zonder beoordeling"},
	}, complaints, nil)
	var grounds []labelled
	for _, g := range r.Admissibility.Grounds {
		grounds = append(grounds, labelled{g.ID, g.Text})
	}
	grounds = append(grounds, labelled{"other", "Andere grond"})
	rep.InadmissibleByGround = b.ground.breakdown(sup, "Niet in behandeling genomen, naar grond", grounds,
		rep.Admissibility.row("inadmissible"), nil)

	var outcomes []labelled
	for _, oc := range r.Outcomes {
		outcomes = append(outcomes, labelled{string(oc.Outcome), outcomeLabel(r, oc.Outcome)})
	}
	outcomes = append(outcomes, labelled{"open", "Nog in behandeling"})
	rep.Outcomes = b.outcome.breakdown(sup, "Uitkomst", outcomes, complaints, func(k string) string {
		if k == "none" {
			return "Afgesloten zonder uitkomst"
		}
		return outcomeLabel(r, reglement.OutcomeKind(k))
	})

	var judgments []labelled
	for _, j := range []reglement.OutcomeKind{reglement.OutcomeUpheld, reglement.OutcomePartlyUpheld, reglement.OutcomeNotUpheld} {
		if slices.ContainsFunc(r.Outcomes, func(o reglement.Outcome) bool { return o.Outcome == j }) {
			judgments = append(judgments, labelled{string(j), outcomeLabel(r, j)})
		}
	}
	rep.Judgments = b.judgment.breakdown(sup, "Oordeel per klachtonderdeel", judgments, exact(b.judgment.total()), func(k string) string {
		return outcomeLabel(r, reglement.OutcomeKind(k))
	})

	var bodies []labelled
	for _, ref := range r.Referrals {
		bodies = append(bodies, labelled{ref.Body, ref.Body})
	}
	bodies = append(bodies, labelled{"other", "Andere instantie"})
	// No split: a complaint may be pointed to more than one body, so
	// rule 1 applies alone.
	rep.Referrals = Breakdown{Title: "Doorverwezen naar"}
	rows, counts := b.referral.rows(bodies, nil)
	for i, l := range rows {
		rep.Referrals.Rows = append(rep.Referrals.Rows, Row{Key: l.key, Label: l.label, Count: sup.one(counts[i])})
	}

	for _, k := range b.termOrder {
		tc := b.terms[k]
		assessed := tc.met + tc.late + tc.missed
		rep.Terms = append(rep.Terms, TermFigure{
			Step: k.step, Kind: k.kind, Label: termLabel(k), Term: termText(r, k),
			Assessed: sup.one(assessed), WithinTerm: sup.share(tc.met, assessed), Running: sup.one(tc.running),
		})
	}

	rep.HandlingTime = b.handlingTime()
	rep.Extensions = Extensions{Cases: sup.one(b.extended), BeyondMaximum: sup.one(b.beyondMax)}
	rep.Measures = b.measureFigures()
	rep.Notes = []string{
		fmt.Sprintf("Dit overzicht telt de klachten en opmerkingen die van %s tot en met %s zijn ontvangen, beoordeeld op de peildatum %s.",
			o.From.Dutch(), o.To.Dutch(), o.AsOf.Dutch()),
		"Termijnen worden beoordeeld volgens het reglement waaronder elke klacht is behandeld; na een verlenging geldt de verlengde datum. " +
			"Behandelduur is het aantal werkdagen van ontvangst tot besluit, of tot afsluiting als er geen besluit kwam.",
		fmt.Sprintf(SuppressionRule, o.Threshold, o.Threshold-1),
	}
	return rep
}

// handlingTime computes the median and 90th percentile handling time.
func (b *Builder) handlingTime() HandlingTime {
	sup := b.sup
	h := HandlingTime{Handled: sup.one(len(b.days)), Open: sup.one(b.open), MedianText: "–", P90Text: "–"}
	n := len(b.days)
	if n < sup.k || n == 0 {
		return h
	}
	days := slices.Clone(b.days)
	slices.Sort(days)
	if n%2 == 1 {
		h.Median = float64(days[n/2])
	} else {
		h.Median = float64(days[n/2-1]+days[n/2]) / 2
	}
	rank := int(math.Ceil(0.9 * float64(n)))
	h.P90 = float64(days[rank-1])
	h.Shown, h.MedianText, h.P90Text = true, numberNL(h.Median), numberNL(h.P90)
	return h
}

// measureFigures counts what happened to the measures in the period.
func (b *Builder) measureFigures() Measures {
	o := b.o
	m := Measures{InCases: b.inCases, InCasesDone: b.inCasesDone}
	for _, ms := range b.measures {
		if inPeriod(ms.ProposedOn, o.From, o.To) {
			m.Proposed++
		}
		if !ms.DecidedOn.IsZero() && inPeriod(ms.DecidedOn, o.From, o.To) {
			if ms.State == store.MeasureRejected {
				m.Rejected++
			} else {
				m.Decided++
				if ms.Kind == store.MeasureCorrective {
					m.Corrective++
				} else {
					m.Preventive++
				}
			}
		}
		if !ms.DoneOn.IsZero() && inPeriod(ms.DoneOn, o.From, o.To) {
			m.Done++
		}
		if ms.OverdueOn(o.AsOf) {
			m.Overdue++
		}
		for _, r := range ms.Reviews {
			if r.Year >= o.From.Year && r.Year <= o.To.Year {
				m.Reviewed++
				if r.Effective {
					m.Effective++
				}
			}
		}
	}
	// Rule 5: measures are the organisation's; only an empty base hides
	// the share.
	m.EffectiveShare = suppressor{k: 1}.share(m.Effective, m.Reviewed)
	return m
}

// categoryRows lists the regulation's categories, then the ones for none
// and for an unknown category.
func (b *Builder) categoryRows() []labelled {
	var out []labelled
	for _, c := range b.o.Reglement.Categories {
		out = append(out, labelled{c.ID, c.Label})
	}
	return append(out, labelled{"other", "Andere rubriek"}, labelled{"none", "Geen rubriek toegekend"})
}

// labelled is a key with its Dutch label.
type labelled struct{ key, label string }

// counter counts cases per key, remembering the order keys first came in.
type counter struct {
	n     map[string]int
	order []string
}

func (c *counter) add(key string) {
	if c.n == nil {
		c.n = map[string]int{}
	}
	if _, ok := c.n[key]; !ok {
		c.order = append(c.order, key)
	}
	c.n[key]++
}

func (c *counter) total() int {
	t := 0
	for _, n := range c.n {
		t += n
	}
	return t
}

// breakdown lists the rows (see rows), suppressed as a split of total.
func (c *counter) breakdown(sup suppressor, title string, fixed []labelled, total Cell, label func(string) string) Breakdown {
	rows, counts := c.rows(fixed, label)
	cells := sup.split(counts, total)
	bd := Breakdown{Title: title, Total: total, HasTotal: true}
	for i, l := range rows {
		bd.Rows = append(bd.Rows, Row{Key: l.key, Label: l.label, Count: cells[i]})
	}
	return bd
}

// rows lists the rows fixed (shown even at zero, except the catch-alls
// other, none and unknown) and then any other key counted, labelled by
// label (or the key), with their counts.
func (c *counter) rows(fixed []labelled, label func(string) string) ([]labelled, []int) {
	rows := slices.Clone(fixed)
	for _, k := range c.order {
		if !slices.ContainsFunc(rows, func(l labelled) bool { return l.key == k }) {
			l := k
			if label != nil {
				l = label(k)
			}
			rows = append(rows, labelled{k, l})
		}
	}
	// Rows for "other", "none" and "unknown" are listed only when counted.
	rows = slices.DeleteFunc(rows, func(l labelled) bool {
		return (l.key == "other" || l.key == "none" || l.key == "unknown") && c.n[l.key] == 0
	})
	counts := make([]int, len(rows))
	for i, l := range rows {
		counts[i] = c.n[l.key]
	}
	return rows, counts
}

// row returns the cell of the row with the key, or an exact zero.
func (bd Breakdown) row(key string) Cell {
	for _, r := range bd.Rows {
		if r.Key == key {
			return r.Count
		}
	}
	return exact(0)
}

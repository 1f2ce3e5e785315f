package report

import (
	"fmt"
	"slices"
	"strings"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// RegisterFilter selects the register's rows. Zero fields select
// everything; text is compared without regard to case.
type RegisterFilter struct {
	// From and To bound the date of receipt (both included).
	From, To calendar.Date
	// Category is a category id of the regulation.
	Category string
	// Outcome is an outcome (upheld, not_upheld, inadmissible, ...) or
	// "open" for the cases without one yet.
	Outcome string
	// Commissioning is the commissioning party's name or its kind (uwv,
	// employer, ...).
	Commissioning string
	// Employee is an accused employee's name or user id.
	Employee string
	// Kind is "complaint" or "remark".
	Kind string
}

// Match reports whether a case passes the filter.
func (f RegisterFilter) Match(c *Case) bool {
	s := &c.State
	it := &s.Intake
	switch {
	case !inPeriod(it.ReceivedOn, f.From, f.To):
		return false
	case f.Category != "" && !strings.EqualFold(it.Category, f.Category):
		return false
	case f.Kind != "" && it.Kind != f.Kind:
		return false
	case f.Outcome == "open" && (s.Outcome != "" || !s.IsOpen()):
		return false
	case f.Outcome != "" && f.Outcome != "open" && string(s.Outcome) != f.Outcome:
		return false
	}
	if q := strings.TrimSpace(f.Commissioning); q != "" &&
		!strings.EqualFold(strings.TrimSpace(it.CommissioningParty), q) && !strings.EqualFold(commissioningKind(it), q) {
		return false
	}
	if q := strings.TrimSpace(f.Employee); q != "" && !slices.ContainsFunc(s.Accused, func(p complaint.Person) bool {
		return strings.EqualFold(strings.TrimSpace(p.Name), q) || (p.UserID != "" && p.UserID == q)
	}) {
		return false
	}
	return true
}

// Register is the complaint register (klachtenregister): one row per
// complaint and remark. It is internal: only the quality officer, the
// board and administrators see it, and it names the accused employees.
type Register struct {
	Organisation string
	Filter       RegisterFilter
	// AsOf is the date the register is drawn up: running terms are judged
	// on it.
	AsOf calendar.Date
	// Columns are the regulation's terms, one column each; every row's
	// Terms follow them.
	Columns []TermColumn
	Rows    []RegisterRow

	reglement *reglement.Reglement
	keys      []termKey
}

// TermColumn is one term of the regulation as a register column.
type TermColumn struct {
	Step reglement.Step `json:"step"`
	Kind reglement.Kind `json:"kind"`
	// Label is "Ontvangstbevestiging (uiterste termijn)".
	Label string `json:"label"`
}

// RegisterRow is one complaint or remark in the register.
type RegisterRow struct {
	Number string `json:"number"`
	// Kind is "complaint" or "remark"; KindLabel "Klacht" or "Opmerking".
	Kind          string            `json:"kind"`
	KindLabel     string            `json:"kind_label"`
	ReceivedOn    calendar.Date     `json:"received_on"`
	Channel       reglement.Channel `json:"channel"`
	ChannelLabel  string            `json:"channel_label"`
	Category      string            `json:"category"`
	CategoryLabel string            `json:"category_label"`
	// CommissioningParty is the party's name as recorded; its kind is
	// CommissioningKind (uwv, employer, ..., unknown).
	CommissioningParty string `json:"commissioning_party"`
	CommissioningKind  string `json:"commissioning_kind"`
	// AccusedEmployees are the names of the employees the complaint is
	// about.
	AccusedEmployees []string `json:"accused_employees"`
	Handler          string   `json:"handler"`
	State            string   `json:"state"`
	StateLabel       string   `json:"state_label"`
	// Admissibility is "In behandeling genomen", "Niet in behandeling
	// genomen: <ground>" or "".
	Admissibility  string        `json:"admissibility"`
	AcknowledgedOn calendar.Date `json:"acknowledged_on"`
	DecidedOn      calendar.Date `json:"decided_on"`
	ClosedOn       calendar.Date `json:"closed_on"`
	// Outcome is the overall outcome, "" while open.
	Outcome      reglement.OutcomeKind `json:"outcome"`
	OutcomeLabel string                `json:"outcome_label"`
	// Points are the judgments per complaint point.
	Points []PointOutcome `json:"points"`
	// HandlingDays is the handling time in working days; Handled is false
	// while the complaint is open (and for a remark).
	HandlingDays int  `json:"handling_days"`
	Handled      bool `json:"handled"`
	// Terms are the statuses of the Register's Columns, in their order.
	Terms      []TermStatus `json:"terms"`
	Extensions []Extension  `json:"extensions"`
	Measures   []RowMeasure `json:"measures"`
	Referrals  []string     `json:"referrals"`
	// ClaimEUR is the damages claimed, in whole euros.
	ClaimEUR int `json:"claim_eur"`
	// TimeBarred: the incident lies beyond the regulation's time limit.
	TimeBarred bool `json:"time_barred"`
}

// PointOutcome is the judgment on one complaint point.
type PointOutcome struct {
	Point         string                `json:"point"`
	Judgment      reglement.OutcomeKind `json:"judgment"`
	JudgmentLabel string                `json:"judgment_label"`
}

// TermStatus is how a case kept one term.
type TermStatus struct {
	// Status is met, met_late, missed, open, moot or pending; "" when the
	// case's regulation has no such term.
	Status complaint.Status `json:"status"`
	// Label is "op tijd", "te laat", "verstreken", "loopt", "n.v.t.".
	Label string        `json:"label"`
	Due   calendar.Date `json:"due"`
	MetOn calendar.Date `json:"met_on"`
}

// Extension is one extension of the decision term.
type Extension struct {
	On      calendar.Date `json:"on"`
	NewDue  calendar.Date `json:"new_due"`
	Consent bool          `json:"consent"`
}

// RowMeasure is a measure of a case: agreed in its case file, or in the
// register of measures with a link to the case.
type RowMeasure struct {
	// Ref is "D1" for the first measure of the case file, "M7" for
	// measure 7 of the register.
	Ref         string        `json:"ref"`
	Description string        `json:"description"`
	Kind        string        `json:"kind"`
	Owner       string        `json:"owner"`
	State       string        `json:"state"`
	DueOn       calendar.Date `json:"due_on"`
	DoneOn      calendar.Date `json:"done_on"`
}

// NewRegister starts a register of an organisation under its regulation
// r (the version whose terms become the columns), drawn up on asOf.
func NewRegister(organisation string, r *reglement.Reglement, f RegisterFilter, asOf calendar.Date) *Register {
	g := &Register{Organisation: organisation, Filter: f, AsOf: asOf, reglement: r, keys: termKeys(r)}
	for _, k := range g.keys {
		g.Columns = append(g.Columns, TermColumn{Step: k.step, Kind: k.kind, Label: termLabel(k)})
	}
	return g
}

// Add adds the case as a row when it passes the filter, with the register
// measures linked to it (MeasuresByCase), and reports whether it did.
func (g *Register) Add(c Case, linked []store.Measure) bool {
	if !g.Filter.Match(&c) {
		return false
	}
	g.Rows = append(g.Rows, g.row(&c, linked))
	return true
}

// row builds the register row of a case.
func (g *Register) row(c *Case, linked []store.Measure) RegisterRow {
	s := &c.State
	it := &s.Intake
	r := c.reglementOr(g.reglement)
	row := RegisterRow{
		Number: c.Number, Kind: it.Kind, KindLabel: "Klacht", ReceivedOn: it.ReceivedOn,
		Channel: it.Channel, ChannelLabel: ChannelNL(it.Channel), Category: it.Category, CategoryLabel: categoryLabel(r, it.Category),
		CommissioningParty: it.CommissioningParty, CommissioningKind: commissioningKind(it),
		State: string(s.Phase), StateLabel: stateLabel(s), Outcome: s.Outcome,
		ClaimEUR: it.ClaimAmountEUR, TimeBarred: it.TimeBarred,
		AccusedEmployees: []string{}, Points: []PointOutcome{}, Extensions: []Extension{}, Measures: []RowMeasure{}, Referrals: []string{},
	}
	if s.IsRemark() {
		row.KindLabel, row.State = "Opmerking", "remark"
	}
	if s.Outcome != "" {
		row.OutcomeLabel = outcomeLabel(r, s.Outcome)
	}
	for _, a := range s.Accused {
		row.AccusedEmployees = append(row.AccusedEmployees, a.Name)
	}
	if s.Handler != nil {
		row.Handler = s.Handler.Name
	}
	if adm := s.Admissibility; adm != nil {
		row.Admissibility = "In behandeling genomen"
		if !adm.Admissible {
			row.Admissibility = "Niet in behandeling genomen: " + groundLabel(r, adm.Ground)
		}
	}
	if s.AcknowledgedOn != nil {
		row.AcknowledgedOn = *s.AcknowledgedOn
	}
	if s.Decision != nil {
		row.DecidedOn = s.Decision.On
		for _, p := range s.Decision.Points {
			row.Points = append(row.Points, PointOutcome{Point: p.Point, Judgment: p.Judgment, JudgmentLabel: outcomeLabel(r, p.Judgment)})
		}
	}
	if s.ClosedOn != nil {
		row.ClosedOn = *s.ClosedOn
	}
	if !s.IsRemark() {
		row.HandlingDays, row.Handled = handlingDays(s, r)
	}

	row.Terms = make([]TermStatus, len(g.keys))
	for _, d := range c.Deadlines(r, g.AsOf) {
		i := slices.Index(g.keys, termKey{d.Step, d.Kind})
		if i < 0 {
			continue
		}
		ts := TermStatus{Status: d.Status, Label: statusNL[d.Status]}
		if d.Due != nil {
			ts.Due = *d.Due
		}
		if d.MetOn != nil {
			ts.MetOn = *d.MetOn
		}
		row.Terms[i] = ts
	}
	for i := range row.Terms {
		if row.Terms[i].Status == "" {
			row.Terms[i].Label = "n.v.t."
		}
	}

	for _, e := range s.Extensions {
		row.Extensions = append(row.Extensions, Extension{On: e.On, NewDue: e.NewDue, Consent: e.Consent})
	}
	for _, m := range s.Measures {
		rm := RowMeasure{Ref: fmt.Sprintf("D%d", m.ID), Description: m.Description, Kind: measureKindNL[m.Kind], Owner: m.Owner, State: "afgesproken"}
		if m.Due != nil {
			rm.DueOn = *m.Due
		}
		if m.On != nil {
			rm.DoneOn, rm.State = *m.On, "uitgevoerd"
		}
		row.Measures = append(row.Measures, rm)
	}
	for _, m := range linked {
		row.Measures = append(row.Measures, RowMeasure{Ref: fmt.Sprintf("M%d", m.Number), Description: m.Description,
			Kind: measureKindNL[string(m.Kind)], Owner: m.Owner.Name, State: measureStateNL[m.State], DueOn: m.DueOn, DoneOn: m.DoneOn})
	}
	for _, ref := range s.Referrals {
		row.Referrals = append(row.Referrals, ref.Body)
	}
	return row
}

// MeasuresByCase indexes the register's measures by the cases they are
// linked to, for Register.Add.
func MeasuresByCase(ms []store.Measure) map[string][]store.Measure {
	out := map[string][]store.Measure{}
	for _, m := range ms {
		for _, c := range m.Cases {
			out[c] = append(out[c], m)
		}
	}
	return out
}

// categoryLabel names a category as the regulation does; an id the
// regulation does not know is shown as it is (the register is internal).
func categoryLabel(r *reglement.Reglement, id string) string {
	for _, c := range r.Categories {
		if c.ID == id {
			return c.Label
		}
	}
	return id
}

// groundLabel names a ground of the regulation by its text.
func groundLabel(r *reglement.Reglement, id string) string {
	for _, g := range r.Admissibility.Grounds {
		if g.ID == id {
			return g.Text
		}
	}
	return id
}

package reglement

import (
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
)

// Deadline is one computed term: the date a step is due, or, when the term
// counts from an event that has not happened yet, its anchor and no date.
type Deadline struct {
	Step Step           `json:"step"`
	Due  *calendar.Date `json:"due"`
	Kind Kind           `json:"kind"`
	// Anchor is set when Due is nil: the event the term will count from.
	Anchor      Anchor `json:"anchor,omitempty"`
	Source      string `json:"source"`
	Explanation string `json:"explanation"`
}

// WorkCalendar returns the organisation's working-day calendar.
func (r *Reglement) WorkCalendar() *calendar.Calendar {
	if r.cal == nil {
		// A Reglement built in Go rather than by Parse: fall back to its
		// profile, ignoring closing days that do not parse.
		cal, err := calendar.New(r.Calendar.Profile, r.Calendar.ExtraClosingDays...)
		if err != nil {
			cal = calendar.MustNew(calendar.ProfileNL)
		}
		r.cal = cal
	}
	return r.cal
}

// Term returns the term for step of kind, or nil when the regulation has none.
func (r *Reglement) Term(step Step, kind Kind) *Term { return r.term(step, kind) }

// Due computes the end of a term counted from the anchor date.
//
//   - N working days after X: the Nth working day strictly after X; X never
//     counts, so a complaint received on a Saturday counts from Monday.
//   - N days / weeks / months after X: X + N days / 7N days / N calendar
//     months (31 January + 1 month = last day of February); a date that is no
//     working day moves to the next working day (Algemene termijnenwet art. 1).
//
// The explanation is Dutch text for screens and letters.
func (r *Reglement) Due(amount int, unit Unit, anchor Anchor, from calendar.Date) (calendar.Date, string) {
	due, skipped, moved := add(r.WorkCalendar(), from, amount, unit)
	return due, explain(amount, unit, anchor, from, skipped, moved)
}

// add computes from + amount unit with the working-day rules of Due. moved
// is the unadjusted date when a calendar term was moved to a working day.
func add(cal *calendar.Calendar, from calendar.Date, amount int, unit Unit) (calendar.Date, []calendar.Skipped, *calendar.Date) {
	if unit == WorkingDays {
		due, skipped := cal.AddWorkingDays(from, amount)
		return due, skipped, nil
	}
	raw := addCalendar(from, amount, unit)
	due, skipped := cal.NextWorkingDay(raw)
	if due != raw {
		return due, skipped, &raw
	}
	return due, skipped, nil
}

func addCalendar(from calendar.Date, amount int, unit Unit) calendar.Date {
	switch unit {
	case Weeks:
		return from.AddDays(7 * amount)
	case Months:
		return from.AddMonths(amount)
	default:
		return from.AddDays(amount)
	}
}

// Deadlines computes every term of the regulation from the anchor dates
// known so far (at least AnchorReceived). Terms whose anchor is not in
// anchors are listed without a date. decision_extended, the latest decision
// date with the maximum extension, follows the decision terms when the
// regulation allows an extension with a maximum.
func (r *Reglement) Deadlines(anchors map[Anchor]calendar.Date) []Deadline {
	var out []Deadline
	for _, step := range Steps {
		if step == StepDecisionExtended {
			if d, ok := r.decisionExtended(anchors); ok {
				out = append(out, d)
			}
			continue
		}
		for _, kind := range []Kind{Aim, Limit} {
			t := r.term(step, kind)
			if t == nil {
				continue
			}
			out = append(out, r.deadline(*t, anchors))
		}
	}
	if ret := r.Retention; ret.Period != nil {
		out = append(out, r.deadline(Term{
			Step: StepRetention, Amount: ret.Period.Amount, Unit: ret.Period.Unit,
			Anchor: ret.Anchor, Kind: Limit, Source: ret.Source,
		}, anchors))
	}
	return out
}

func (r *Reglement) deadline(t Term, anchors map[Anchor]calendar.Date) Deadline {
	d := Deadline{Step: t.Step, Kind: t.Kind, Source: t.Source}
	from, ok := anchors[t.Anchor]
	if !ok {
		d.Anchor = t.Anchor
		d.Explanation = fmt.Sprintf("%s na %s; %s", amountNL(t.Amount, t.Unit), anchorNL[t.Anchor], sourceNL(t.Source))
		return d
	}
	due, expl := r.Due(t.Amount, t.Unit, t.Anchor, from)
	d.Due = &due
	d.Explanation = expl + "; " + sourceNL(t.Source)
	return d
}

// DecisionBase returns the decision term an extension is counted on: the
// limit when there is one, otherwise the aim.
func (r *Reglement) DecisionBase() *Term {
	if t := r.term(StepDecision, Limit); t != nil {
		return t
	}
	return r.term(StepDecision, Aim)
}

// ExtendedDue is the latest date an extension may set: the decision term
// followed by the maximum extension, moved to a working day. ok is false
// when the regulation allows no extension or sets no maximum.
func (r *Reglement) ExtendedDue(received calendar.Date) (due calendar.Date, expl string, ok bool) {
	base := r.DecisionBase()
	e := r.Extension
	if base == nil || !e.Allowed || e.Max == nil || base.Anchor != AnchorReceived {
		return calendar.Date{}, "", false
	}
	cal := r.WorkCalendar()
	var (
		skipped []calendar.Skipped
		moved   *calendar.Date
	)
	if base.Unit == e.Max.Unit {
		// 3 months + 3 months is 6 months after receipt, not 3 months after
		// the (month-end clamped) end of the first term.
		due, skipped, moved = add(cal, received, base.Amount+e.Max.Amount, base.Unit)
	} else {
		end := addCalendar(received, base.Amount, base.Unit)
		if base.Unit == WorkingDays {
			end, _ = cal.AddWorkingDays(received, base.Amount)
		}
		due, skipped, moved = add(cal, end, e.Max.Amount, e.Max.Unit)
	}
	expl = fmt.Sprintf("%s na ontvangst op %s, verlengd met ten hoogste %s",
		amountNL(base.Amount, base.Unit), received.Dutch(), amountNL(e.Max.Amount, e.Max.Unit))
	expl += skippedNL(skipped, moved)
	return due, expl, true
}

func (r *Reglement) decisionExtended(anchors map[Anchor]calendar.Date) (Deadline, bool) {
	base := r.DecisionBase()
	received, ok := anchors[AnchorReceived]
	if base == nil || !ok {
		return Deadline{}, false
	}
	due, expl, ok := r.ExtendedDue(received)
	if !ok {
		return Deadline{}, false
	}
	src := base.Source
	if r.Extension.Source != "" {
		src += "; " + r.Extension.Source
	}
	return Deadline{Step: StepDecisionExtended, Due: &due, Kind: Limit, Source: src,
		Explanation: expl + "; " + sourceNL(src)}, true
}

// TimeBar tells whether a complaint about an incident on incident, received
// on received, falls outside an incident_age ground. applies is false when
// the regulation has no such ground.
func (r *Reglement) TimeBar(incident, received calendar.Date) (barred bool, ground *Ground, applies bool) {
	for i := range r.Admissibility.Grounds {
		g := &r.Admissibility.Grounds[i]
		if g.Check != CheckIncidentAge || g.MaxAge == nil {
			continue
		}
		last := addCalendar(incident, g.MaxAge.Amount, g.MaxAge.Unit)
		if g.MaxAge.Unit == WorkingDays {
			last, _ = r.WorkCalendar().AddWorkingDays(incident, g.MaxAge.Amount)
		}
		if received.After(last) {
			return true, g, true
		}
		applies = true
		ground = g
	}
	return false, ground, applies
}

var unitNL = map[Unit][2]string{
	WorkingDays: {"werkdag", "werkdagen"},
	Days:        {"dag", "dagen"},
	Weeks:       {"week", "weken"},
	Months:      {"maand", "maanden"},
}

var anchorNL = map[Anchor]string{
	AnchorReceived:   "ontvangst",
	AnchorDecision:   "het besluit",
	AnchorResolution: "de oplossing",
	AnchorClosing:    "de afsluiting",
}

func amountNL(n int, u Unit) string {
	w := unitNL[u]
	if n == 1 {
		return fmt.Sprintf("%d %s", n, w[0])
	}
	return fmt.Sprintf("%d %s", n, w[1])
}

func sourceNL(src string) string {
	if src == "" {
		return "bron niet vermeld"
	}
	return src
}

func explain(amount int, unit Unit, anchor Anchor, from calendar.Date, skipped []calendar.Skipped, moved *calendar.Date) string {
	s := fmt.Sprintf("%s na %s op %s", amountNL(amount, unit), anchorNL[anchor], from.Dutch())
	if wd := from.Weekday(); wd == time.Saturday || wd == time.Sunday {
		if unit == WorkingDays {
			s += " (een " + weekdayNL[from.Weekday()] + ", telt vanaf de eerstvolgende werkdag)"
		}
	}
	return s + skippedNL(skipped, moved)
}

func skippedNL(skipped []calendar.Skipped, moved *calendar.Date) string {
	var s string
	if len(skipped) > 0 {
		names := make([]string, len(skipped))
		for i, sk := range skipped {
			names[i] = sk.Name + " (" + sk.Date.Dutch() + ")"
		}
		s += ", " + joinNL(names) + " overgeslagen"
	}
	if moved != nil {
		s += fmt.Sprintf(", %s valt op een %s en schuift door naar de eerstvolgende werkdag (Algemene termijnenwet art. 1)", moved.Dutch(), dayKindNL(*moved, skipped))
	}
	return s
}

func dayKindNL(d calendar.Date, skipped []calendar.Skipped) string {
	for _, sk := range skipped {
		if sk.Date == d {
			return "feestdag"
		}
	}
	if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return weekdayNL[wd]
	}
	return "vrije dag"
}

// weekdayNL names the days of the week, indexed by time.Weekday.
var weekdayNL = [...]string{"zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"}

func joinNL(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " en " + items[len(items)-1]
}

// AnchorNL returns the Dutch name of an anchor event ("de afsluiting").
func AnchorNL(a Anchor) string {
	if n, ok := anchorNL[a]; ok {
		return n
	}
	return string(a)
}

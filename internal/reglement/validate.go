package reglement

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"

	"github.com/gegrond/gegrond/internal/calendar"
)

// validator collects problems with the line of the YAML node they concern.
type validator struct {
	file     *ast.File
	problems []Problem
}

func (v *validator) add(sev Severity, yamlPath, field, format string, args ...any) {
	v.problems = append(v.problems, Problem{
		Severity: sev, Line: v.line(yamlPath), Field: field,
		Message: fmt.Sprintf(format, args...),
	})
}

func (v *validator) errorf(yamlPath, field, format string, args ...any) {
	v.add(SeverityError, yamlPath, field, format, args...)
}

func (v *validator) warnf(yamlPath, field, format string, args ...any) {
	v.add(SeverityWarning, yamlPath, field, format, args...)
}

func (v *validator) hasErrors() bool {
	return slices.ContainsFunc(v.problems, func(p Problem) bool { return p.Severity == SeverityError })
}

func (v *validator) sort() {
	sort.SliceStable(v.problems, func(i, j int) bool { return v.problems[i].Line < v.problems[j].Line })
}

// line finds the line of the node at yamlPath, or of its nearest parent
// that exists (a missing field is reported at its section).
func (v *validator) line(yamlPath string) int {
	if v.file == nil {
		return 0
	}
	for p := yamlPath; p != "" && p != "$"; p = parentPath(p) {
		path, err := yaml.PathString(p)
		if err != nil {
			continue
		}
		node, err := path.FilterFile(v.file)
		if err != nil || node == nil {
			continue
		}
		if tk := node.GetToken(); tk != nil && tk.Position != nil {
			return tk.Position.Line
		}
	}
	return 0
}

func parentPath(p string) string {
	i := strings.LastIndexAny(p, ".[")
	if i <= 0 {
		return ""
	}
	return p[:i]
}

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// evidenceFormats are the file kinds an evidence rule may allow.
var evidenceFormats = []string{"pdf", "docx", "doc", "odt", "xlsx", "png", "jpg", "jpeg", "gif", "heic", "mp4", "mp3", "m4a", "wav", "txt", "eml", "msg", "zip"}

func (v *validator) validate(r *Reglement) {
	if r.ID == "" {
		v.errorf("$.id", "id", "missing; expected a short lowercase id such as \"nextbest\"")
	} else if !idPattern.MatchString(r.ID) {
		v.errorf("$.id", "id", "%q is not a valid id; expected lowercase letters, digits and dashes", r.ID)
	}
	if strings.TrimSpace(r.Organisation) == "" {
		v.errorf("$.organisation", "organisation", "missing; expected the organisation's name")
	}
	if strings.TrimSpace(r.Version) == "" {
		v.errorf("$.version", "version", "missing; expected a version label such as \"2026-1\"")
	}
	if r.ValidFrom.IsZero() {
		v.errorf("$.valid_from", "valid_from", "missing; expected the date this version takes effect (YYYY-MM-DD)")
	}
	if r.Language != "nl" && r.Language != "en" {
		v.errorf("$.language", "language", "unknown language %q; expected nl or en", r.Language)
	}
	if _, err := calendar.New(r.Calendar.Profile, r.Calendar.ExtraClosingDays...); err != nil {
		v.errorf("$.calendar", "calendar", "%v", err)
	}
	if strings.TrimSpace(r.Definitions.Complaint.Text) == "" {
		v.errorf("$.definitions.complaint", "definitions.complaint.text", "missing; expected the regulation's definition of a complaint")
	}
	v.validateIntake(r)
	v.validateTerms(r)
	v.validateExtension(r)
	v.validateAdmissibility(r)
	v.validateRoles(r)
	v.validateProcess(r)
	v.validateLetters(r)
	v.validateClosing(r)
	v.walkSources(reflect.ValueOf(r).Elem(), "$", "")
}

func (v *validator) validateIntake(r *Reglement) {
	if len(r.Intake.Channels) == 0 {
		v.errorf("$.intake.channels", "intake.channels", "no channel; expected at least one of %s", list(Channels))
	}
	for i, c := range r.Intake.Channels {
		if !slices.Contains(Channels, c.Channel) {
			v.errorf(fmt.Sprintf("$.intake.channels[%d].channel", i), "intake.channels.channel", "unknown channel %q; expected %s", c.Channel, list(Channels))
		}
	}
	seen := map[Field]bool{}
	for i, f := range r.Intake.Fields {
		p := fmt.Sprintf("$.intake.fields[%d]", i)
		if !slices.Contains(Fields, f.Field) {
			v.errorf(p+".field", "intake.fields.field", "unknown field %q; expected one of %s", f.Field, list(Fields))
		}
		if seen[f.Field] {
			v.errorf(p+".field", "intake.fields.field", "field %q is listed twice", f.Field)
		}
		seen[f.Field] = true
		if f.RequiredWhen != "" && !slices.Contains(Conditions, f.RequiredWhen) {
			v.errorf(p+".required_when", "intake.fields."+string(f.Field)+".required_when", "unknown condition %q; expected one of %s", f.RequiredWhen, list(Conditions))
		}
	}
	if e := r.Intake.Evidence; e != nil {
		for i, f := range e.Formats {
			if !slices.Contains(evidenceFormats, strings.ToLower(f)) {
				v.errorf(fmt.Sprintf("$.intake.evidence.formats[%d]", i), "intake.evidence.formats", "unknown format %q; expected one of %s", f, list(evidenceFormats))
			}
		}
		if e.MaxFileSizeMB <= 0 || e.MaxFileSizeMB > 1024 {
			v.errorf("$.intake.evidence.max_file_size_mb", "intake.evidence.max_file_size_mb", "%d is not a usable size; expected a whole number of megabytes from 1 to 1024", e.MaxFileSizeMB)
		}
	}
}

func (v *validator) validatePeriod(p, field string, amount int, unit Unit) {
	if !slices.Contains(Units, unit) {
		v.errorf(p+".unit", field+".unit", "unknown unit %q; expected %s", unit, list(Units))
	}
	if amount < 1 || amount > 1200 {
		v.errorf(p+".amount", field+".amount", "%d is not a usable amount; expected a whole number from 1", amount)
	}
}

func (v *validator) validateTerms(r *Reglement) {
	seen := map[string]int{}
	for i, t := range r.Terms {
		p := fmt.Sprintf("$.terms[%d]", i)
		field := "terms." + string(t.Step)
		switch {
		case t.Step == StepDecisionExtended:
			v.errorf(p+".step", field, "decision_extended is computed from the decision term and extension.max; remove this term")
		case !slices.Contains(Steps, t.Step):
			v.errorf(p+".step", "terms.step", "unknown step %q; expected one of %s", t.Step, list(slices.DeleteFunc(slices.Clone(Steps), func(s Step) bool { return s == StepDecisionExtended })))
		}
		v.validatePeriod(p, field, t.Amount, t.Unit)
		if !slices.Contains(Anchors, t.Anchor) {
			v.errorf(p+".anchor", field+".anchor", "unknown anchor %q; expected %s", t.Anchor, list(Anchors))
		}
		if t.Kind != Aim && t.Kind != Limit {
			v.errorf(p+".kind", field+".kind", "unknown kind %q; expected aim or limit", t.Kind)
		}
		key := string(t.Step) + "/" + string(t.Kind)
		if j, dup := seen[key]; dup {
			v.errorf(p+".step", field, "a second %s term for %s (the first is terms[%d]); a step has at most one aim and one limit", t.Kind, t.Step, j)
		}
		seen[key] = i
	}
	for _, s := range Steps {
		aim, limit := r.term(s, Aim), r.term(s, Limit)
		if aim != nil && limit != nil && aim.Anchor == limit.Anchor && approxDays(aim.Amount, aim.Unit) > approxDays(limit.Amount, limit.Unit) {
			v.warnf(fmt.Sprintf("$.terms[%d]", slices.Index(r.Terms, *aim)), "terms."+string(s), "the aim (%d %s) is later than the limit (%d %s)", aim.Amount, aim.Unit, limit.Amount, limit.Unit)
		}
	}
	if r.term(StepDecision, Aim) == nil && r.term(StepDecision, Limit) == nil {
		v.errorf("$.terms", "terms.decision", "no decision term; expected an aim or a limit for step decision")
	}
	if r.term(StepAcknowledgement, Aim) == nil && r.term(StepAcknowledgement, Limit) == nil {
		v.warnf("$.terms", "terms.acknowledgement", "no acknowledgement term; the complainant will not be told when to expect one")
	}
}

// approxDays compares terms of different units roughly.
func approxDays(amount int, unit Unit) float64 {
	switch unit {
	case WorkingDays:
		return float64(amount) * 7 / 5
	case Weeks:
		return float64(amount) * 7
	case Months:
		return float64(amount) * 30.44
	}
	return float64(amount)
}

func (v *validator) validateExtension(r *Reglement) {
	e := r.Extension
	if e.Max != nil {
		if !e.Allowed {
			v.errorf("$.extension.max", "extension.max", "a maximum is set but allowed is false; set allowed: true or remove max")
		}
		v.validatePeriod("$.extension.max", "extension.max", e.Max.Amount, e.Max.Unit)
	}
	v.validateParties("$.extension.notify", "extension.notify", e.NotifyParties)
	if e.Allowed && !e.Motivated {
		v.warnf("$.extension", "extension.motivated", "an extension without motivation; the regulations and Awb 9:11 ask for a motivated notice")
	}
}

func (v *validator) validateParties(p, field string, parties []Party) {
	for i, party := range parties {
		if !slices.Contains(Parties, party) {
			v.errorf(fmt.Sprintf("%s[%d]", p, i), field, "unknown party %q; expected one of %s", party, list(Parties))
		}
	}
}

func (v *validator) validateAdmissibility(r *Reglement) {
	a := r.Admissibility
	if a.DecidedBy != "" {
		v.validateRole("$.admissibility.decided_by", "admissibility.decided_by", a.DecidedBy)
	}
	ids := map[string]bool{}
	for i, g := range a.Grounds {
		p := fmt.Sprintf("$.admissibility.grounds[%d]", i)
		field := "admissibility.grounds." + g.ID
		if !idPattern.MatchString(strings.ReplaceAll(g.ID, "_", "-")) {
			v.errorf(p+".id", "admissibility.grounds.id", "%q is not a valid id; expected lowercase letters, digits and underscores", g.ID)
		}
		if ids[g.ID] {
			v.errorf(p+".id", field, "ground id %q is used twice", g.ID)
		}
		ids[g.ID] = true
		switch g.Check {
		case CheckIncidentAge:
			if g.MaxAge == nil {
				v.errorf(p, field+".max_age", "an incident_age ground needs max_age (amount and unit)")
			} else {
				v.validatePeriod(p+".max_age", field+".max_age", g.MaxAge.Amount, g.MaxAge.Unit)
			}
		case CheckEarlierComplaint, CheckJudgement:
			if g.MaxAge != nil {
				v.errorf(p+".max_age", field+".max_age", "max_age only applies to check: incident_age")
			}
		default:
			v.errorf(p+".check", field+".check", "unknown check %q; expected incident_age, earlier_complaint or judgement", g.Check)
		}
	}
	if len(a.Grounds) > 0 && r.term(StepAdmissibilityNotice, Limit) == nil && r.term(StepAdmissibilityNotice, Aim) == nil {
		v.warnf("$.admissibility", "admissibility", "grounds are listed but no admissibility_notice term says when the complainant is told")
	}
}

var roles = []Role{RoleReceiver, RoleHandler, RoleBoard, RoleQualityOfficer, RoleDPO, RoleAdmin}

func (v *validator) validateRole(p, field string, role Role) {
	if !slices.Contains(roles, role) {
		v.errorf(p, field, "unknown role %q; expected one of %s", role, list(roles))
	}
}

func (v *validator) validateRoles(r *Reglement) {
	for _, rr := range []struct {
		name string
		rule RoleRule
		must bool
	}{{"acknowledges", r.Roles.Acknowledges, false}, {"assigns", r.Roles.Assigns, false}, {"handles", r.Roles.Handles, true}, {"decides", r.Roles.Decides, true}} {
		if rr.rule.Role == "" {
			if rr.must {
				v.errorf("$.roles", "roles."+rr.name, "missing; expected the role that %s (handler or board)", strings.TrimSuffix(rr.name, "s"))
			}
			continue
		}
		v.validateRole("$.roles."+rr.name+".role", "roles."+rr.name+".role", rr.rule.Role)
	}
	if !r.Roles.Independence.AccusedNeverHandles {
		v.warnf("$.roles.independence", "roles.independence.accused_never_handles", "not set; Awb 9:7 and every known regulation keep the accused employee from handling the complaint")
	}
	for i, in := range r.Roles.InformAtOnce {
		p := fmt.Sprintf("$.roles.inform_at_once[%d]", i)
		v.validateParties(p, "roles.inform_at_once.party", []Party{in.Party})
		v.validateCondition(p+".when", "roles.inform_at_once.when", in.When)
		if in.When == "claim_over_threshold" && in.ThresholdEUR <= 0 {
			v.errorf(p, "roles.inform_at_once.threshold_eur", "claim_over_threshold needs threshold_eur (a whole number of euros)")
		}
	}
}

func (v *validator) validateCondition(p, field, cond string) {
	if !slices.Contains(Conditions, cond) {
		v.errorf(p, field, "unknown condition %q; expected one of %s", cond, list(Conditions))
	}
}

var modes = []Mode{ModeNone, ModeOptional, ModeOnRequest, ModeRequired}

func (v *validator) validateProcess(r *Reglement) {
	for i, s := range r.Process.Steps {
		p := fmt.Sprintf("$.process.steps[%d]", i)
		if !slices.Contains(ProcessKinds, s.Kind) {
			v.errorf(p+".kind", "process.steps.kind", "unknown kind %q; expected one of %s", s.Kind, list(ProcessKinds))
		}
		if !slices.Contains(modes, s.Mode) {
			v.errorf(p+".mode", "process.steps."+string(s.Kind)+".mode", "unknown mode %q; expected none, optional, on_request or required", s.Mode)
		}
	}
	if len(r.Outcomes) == 0 {
		v.errorf("$.outcomes", "outcomes", "no outcome; expected at least upheld and not_upheld")
	}
	for i, o := range r.Outcomes {
		if !slices.Contains(OutcomeKinds, o.Outcome) {
			v.errorf(fmt.Sprintf("$.outcomes[%d].outcome", i), "outcomes.outcome", "unknown outcome %q; expected one of %s", o.Outcome, list(OutcomeKinds))
		}
	}
	for i, ref := range r.Referrals {
		p := fmt.Sprintf("$.referrals[%d]", i)
		if strings.TrimSpace(ref.Body) == "" {
			v.errorf(p, "referrals.body", "missing; expected the body the complainant can turn to")
		}
		v.validateCondition(p+".when", "referrals.when", ref.When)
	}
}

func (v *validator) validateLetters(r *Reglement) {
	seen := map[LetterKind]bool{}
	for i, l := range r.Letters {
		p := fmt.Sprintf("$.letters[%d]", i)
		if !slices.Contains(LetterKinds, l.Kind) {
			v.errorf(p+".kind", "letters.kind", "unknown letter kind %q; expected one of %s", l.Kind, list(LetterKinds))
		}
		if seen[l.Kind] {
			v.errorf(p+".kind", "letters."+string(l.Kind), "letter kind %q is listed twice", l.Kind)
		}
		seen[l.Kind] = true
		v.validateParties(p+".to", "letters."+string(l.Kind)+".to", l.To)
		for j, c := range l.Contents {
			if !slices.Contains(ContentKeys, c.Item) {
				v.warnf(fmt.Sprintf("%s.contents[%d].item", p, j), "letters."+string(l.Kind)+".contents", "no case data can fill %q; known items are %s", c.Item, list(ContentKeys))
			}
		}
	}
}

var closingConditions = []string{"decision", "measures_done", "aftercare_done"}

func (v *validator) validateClosing(r *Reglement) {
	if c := r.Closing.Condition; c != "" && !slices.Contains(closingConditions, c) {
		v.errorf("$.closing.condition", "closing.condition", "unknown condition %q; expected %s", c, list(closingConditions))
	}
	ret := r.Retention
	if ret.Period == nil {
		v.warnf("$.retention", "retention.period", "no retention period: closed cases are kept until someone sets one")
	} else {
		v.validatePeriod("$.retention.period", "retention.period", ret.Period.Amount, ret.Period.Unit)
		if !slices.Contains(Anchors, ret.Anchor) {
			v.errorf("$.retention.anchor", "retention.anchor", "unknown anchor %q; expected %s", ret.Anchor, list(Anchors))
		}
	}
	if ret.Then != "" && ret.Then != "destroy" && ret.Then != "anonymise" {
		v.errorf("$.retention.then", "retention.then", "unknown action %q; expected destroy or anonymise", ret.Then)
	}
	for i, rep := range r.Reporting {
		switch rep.Kind {
		case "yearly_report", "management_report", "register_review":
		default:
			v.errorf(fmt.Sprintf("$.reporting[%d].kind", i), "reporting.kind", "unknown kind %q; expected yearly_report, management_report or register_review", rep.Kind)
		}
	}
}

// walkSources warns about every rule (a struct with a Source field) that is
// set but names no article of the regulation.
func (v *validator) walkSources(rv reflect.Value, yamlPath, field string) {
	switch rv.Kind() {
	case reflect.Pointer:
		if !rv.IsNil() {
			v.walkSources(rv.Elem(), yamlPath, field)
		}
	case reflect.Slice:
		for i := 0; i < rv.Len(); i++ {
			v.walkSources(rv.Index(i), fmt.Sprintf("%s[%d]", yamlPath, i), field)
		}
	case reflect.Struct:
		if rv.Type() == reflect.TypeFor[calendar.Date]() {
			return
		}
		src := rv.FieldByName("Source")
		if src.IsValid() && src.Kind() == reflect.String && src.String() == "" && !rv.IsZero() && isRule(rv) {
			v.warnf(yamlPath, strings.TrimPrefix(field, "."), "a rule without source; name the article it comes from")
		}
		t := rv.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := strings.Split(f.Tag.Get("yaml"), ",")[0]
			if tag == "" || tag == "-" {
				continue
			}
			v.walkSources(rv.Field(i), yamlPath+"."+tag, field+"."+tag)
		}
	}
}

// isRule reports whether a struct with a Source field says something that
// needs a source: a Flag that is false, or a contact, is not a rule.
func isRule(rv reflect.Value) bool {
	switch x := rv.Interface().(type) {
	case Flag:
		return x.Value
	case Contact:
		return false
	}
	return true
}

func list[T ~string](items []T) string {
	s := make([]string, len(items))
	for i, it := range items {
		s[i] = string(it)
	}
	if len(s) <= 1 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " or " + s[len(s)-1]
}

// term returns the term for step of kind, or nil.
func (r *Reglement) term(step Step, kind Kind) *Term {
	for i := range r.Terms {
		if r.Terms[i].Step == step && r.Terms[i].Kind == kind {
			return &r.Terms[i]
		}
	}
	return nil
}

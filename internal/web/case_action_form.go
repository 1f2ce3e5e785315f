package web

import (
	"encoding/json"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// An action of the case file is a small form. Each action's fields are
// declared once, in actionSpecs (case_action_table.go): the form is drawn
// from the declaration, and the posted form is read back into the
// action's JSON input by the same declaration. The core (complaint.Decide
// through service.Act) then validates the input exactly as it validates
// the API's: the screens add no rules of their own, they only translate
// the answer and put it next to the field it is about.

// fieldKind says how a field is shown and how its value becomes JSON.
type fieldKind string

const (
	// fkText is a one-line text: a JSON string.
	fkText fieldKind = "text"
	// fkTextarea is a longer text: a JSON string.
	fkTextarea fieldKind = "textarea"
	// fkDate is a date input: a JSON "YYYY-MM-DD".
	fkDate fieldKind = "date"
	// fkSelect is a choice from options: a JSON string.
	fkSelect fieldKind = "select"
	// fkYesNo is a pair of radio buttons: a JSON true or false.
	fkYesNo fieldKind = "yesno"
	// fkCheck is one checkbox: JSON true when ticked.
	fkCheck fieldKind = "check"
	// fkParties are checkboxes: a JSON list of the ticked values.
	fkParties fieldKind = "parties"
	// fkLines is a text area read one item a line: a JSON list of strings.
	fkLines fieldKind = "lines"
	// fkStaff is a choice of a member of the organisation: it fills the
	// person object around it ("handler.user_id" sets handler.user_id and
	// handler.name).
	fkStaff fieldKind = "staff"
	// fkNumber is a choice of a number: a JSON number.
	fkNumber fieldKind = "number"
)

// option is one choice of a select, radio group or checkbox list.
type option struct {
	Value, Label string
	// Selected marks the option chosen (select, radio) or ticked (checkbox).
	Selected bool
}

// actionEnv is what an action's form is drawn from: the case, its
// regulation, the organisation's people and today.
type actionEnv struct {
	l       lang
	view    *service.CaseView
	members []store.Member
	today   calendar.Date
}

// reg is the regulation the case runs under.
func (e *actionEnv) reg() *reglement.Reglement { return e.view.Policy }

// state is the case's current state.
func (e *actionEnv) state() *complaint.State { return &e.view.Case }

// actionField declares one field of an action's form.
type actionField struct {
	// name is the form field's name and the JSON path of its value in the
	// action's input: "text", "handler.user_id", "points[0].judgment".
	name string
	kind fieldKind
	// label and hint are message keys; hintFn, when set, writes a hint
	// that depends on the case instead.
	label, hint string
	hintFn      func(*actionEnv) string
	// required marks the field as one the action needs. The core decides;
	// the mark tells the person beforehand.
	required   bool
	requiredFn func(*actionEnv) bool
	// options lists the choices of select, radio and checkbox fields.
	options func(*actionEnv) []option
	// initial is the value the form starts with; initialList the ticked
	// values of a checkbox list.
	initial     func(*actionEnv) string
	initialList func(*actionEnv) []string
	// show hides the field when it returns false (a consent box where the
	// regulation knows no consent).
	show func(*actionEnv) bool
	// aliases are other names the core gives this field in its errors
	// ("handler.name" for the handler choice).
	aliases []string
}

// actionSpec declares the form of one action.
type actionSpec struct {
	action complaint.Action
	fields []actionField
	// reasons routes errors that name no field, by their apperr reason, to
	// a field of the form: "accused_handler" is about the handler chosen.
	reasons map[string]string
	// danger marks an action that ends or narrows the case (withdraw,
	// close): its button looks like it.
	danger bool
}

// spec returns the declaration of an action, false for an unknown one.
func actionSpecOf(a complaint.Action) (actionSpec, bool) {
	i := slices.IndexFunc(actionSpecs, func(s actionSpec) bool { return s.action == a })
	if i < 0 {
		return actionSpec{}, false
	}
	return actionSpecs[i], true
}

// shown returns the fields of the action that apply to this case.
func (s actionSpec) shown(env *actionEnv) []actionField {
	var out []actionField
	for _, fd := range s.fields {
		if fd.show == nil || fd.show(env) {
			out = append(out, fd)
		}
	}
	return out
}

// input reads a posted form into the action's JSON input. Values the
// screen itself cannot read (a date that is no date, an unknown person)
// are recorded on the form and input returns nil; everything else is left
// to the core. An empty field is left out, so that the core's default
// (today, for a date) or its "missing" message applies.
func (s actionSpec) input(env *actionEnv, f *form) json.RawMessage {
	root := map[string]any{}
	// A person chosen from the list fills the person's name: read the
	// lists last, so that the choice wins over a typed name.
	fields := s.shown(env)
	slices.SortStableFunc(fields, func(a, b actionField) int {
		return cmpBool(a.kind == fkStaff, b.kind == fkStaff)
	})
	for _, fd := range fields {
		raw := f.Get(fd.name)
		switch fd.kind {
		case fkText, fkTextarea, fkSelect:
			if raw != "" {
				setPath(root, fd.name, raw)
			}
		case fkDate:
			if raw == "" {
				continue
			}
			d, ok := parseFormDate(raw)
			if !ok {
				f.Errors[fd.name] = env.l.t("case.error.date")
				continue
			}
			setPath(root, fd.name, d.String())
		case fkYesNo:
			switch raw {
			case "ja":
				setPath(root, fd.name, true)
			case "nee":
				setPath(root, fd.name, false)
			}
		case fkCheck:
			if raw != "" {
				setPath(root, fd.name, true)
			}
		case fkParties:
			var ticked []string
			for _, v := range f.Values[fd.name] {
				if v = strings.TrimSpace(v); v != "" && !slices.Contains(ticked, v) {
					ticked = append(ticked, v)
				}
			}
			if len(ticked) > 0 {
				setPath(root, fd.name, ticked)
			}
		case fkLines:
			var lines []string
			for _, line := range strings.Split(f.Raw(fd.name), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					lines = append(lines, line)
				}
			}
			if len(lines) > 0 {
				setPath(root, fd.name, lines)
			}
		case fkStaff:
			if raw == "" {
				continue
			}
			i := slices.IndexFunc(env.members, func(m store.Member) bool { return m.ID == raw })
			if i < 0 {
				f.Errors[fd.name] = env.l.t("case.error.unknown_person")
				continue
			}
			parent, _ := splitLast(fd.name)
			setPath(root, parent+".user_id", raw)
			setPath(root, parent+".name", env.members[i].Name)
		case fkNumber:
			if raw == "" {
				continue
			}
			n, err := strconv.Atoi(raw)
			if err != nil {
				f.Errors[fd.name] = env.l.t("case.error.number")
				continue
			}
			setPath(root, fd.name, n)
		}
	}
	if !f.Valid() {
		return nil
	}
	compactLists(root)
	data, err := json.Marshal(root)
	if err != nil {
		// Strings, numbers, booleans and lists of them always encode.
		panic("web: encode action input: " + err.Error())
	}
	return data
}

// fail puts the core's refusal of the action on the form: next to the
// field it names (or that its reason is about), or above the form. It
// returns false for an internal error, which the handler returns instead.
func (s actionSpec) fail(env *actionEnv, f *form, err error) bool {
	if apperr.CodeOf(err) == apperr.Internal {
		return false
	}
	var e *apperr.Error
	errors.As(err, &e)
	field := e.Field
	if to, ok := s.reasons[e.Reason]; ok {
		field = to
	}
	field = rowOfForm(field, f)
	text := caseErrorText(env.l, err)
	for _, fd := range s.shown(env) {
		if field != "" && (fd.name == field || slices.Contains(fd.aliases, field)) {
			f.Errors[fd.name] = text
			return true
		}
	}
	f.Error = text
	return true
}

// setPath sets v at a JSON path in root: "a.b" is a member of a member,
// "points[1].x" a member of the second element of a list.
func setPath(root map[string]any, path string, v any) {
	m := root
	parts := strings.Split(path, ".")
	for i, part := range parts {
		key, idx, isList := listIndex(part)
		last := i == len(parts)-1
		if !isList {
			if last {
				m[key] = v
				return
			}
			next, ok := m[key].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[key] = next
			}
			m = next
			continue
		}
		list, _ := m[key].([]any)
		for len(list) <= idx {
			list = append(list, nil)
		}
		if last {
			list[idx] = v
			m[key] = list
			return
		}
		next, ok := list[idx].(map[string]any)
		if !ok {
			next = map[string]any{}
			list[idx] = next
		}
		m[key] = list
		m = next
	}
}

// listPart matches "points[2]".
var listPart = regexp.MustCompile(`^([a-z_]+)\[(\d+)\]$`)

// listIndex splits "points[2]" into "points" and 2.
func listIndex(part string) (string, int, bool) {
	m := listPart.FindStringSubmatch(part)
	if m == nil {
		return part, 0, false
	}
	n, _ := strconv.Atoi(m[2])
	return m[1], n, true
}

// compactLists drops the rows of lists that were left empty on the form
// (the second of three judgment rows, say), so the core sees only filled
// rows.
func compactLists(m map[string]any) {
	for k, v := range m {
		switch v := v.(type) {
		case []any:
			m[k] = slices.DeleteFunc(v, func(x any) bool { return x == nil })
			for _, x := range v {
				if sub, ok := x.(map[string]any); ok {
					compactLists(sub)
				}
			}
		case map[string]any:
			compactLists(v)
		}
	}
}

// errorRow matches the list element an error names: "points[1].judgment".
var errorRow = regexp.MustCompile(`^([a-z_]+)\[(\d+)\](.*)$`)

// rowOfForm turns a field the core names in the compacted input
// ("points[0].motivation" of the first filled row) back into the form's
// field: the first filled row may be the form's second.
func rowOfForm(field string, posted *form) string {
	m := errorRow.FindStringSubmatch(field)
	if m == nil || posted == nil {
		return field
	}
	want, _ := strconv.Atoi(m[2])
	seen := -1
	for row := 0; row < maxRows; row++ {
		prefix := m[1] + "[" + strconv.Itoa(row) + "]."
		filled := false
		for name := range posted.Values {
			if strings.HasPrefix(name, prefix) && posted.Get(name) != "" {
				filled = true
			}
		}
		if filled {
			seen++
			if seen == want {
				return m[1] + "[" + strconv.Itoa(row) + "]" + m[3]
			}
		}
	}
	return field
}

// maxRows is the number of rows a repeated group (judgment points) has
// on the form: enough for a complaint's points without JavaScript.
const maxRows = 3

// splitLast splits "handler.user_id" into "handler" and "user_id".
func splitLast(path string) (string, string) {
	i := strings.LastIndexByte(path, '.')
	if i < 0 {
		return "", path
	}
	return path[:i], path[i+1:]
}

// actionFormView is one action's form as the case view draws it.
type actionFormView struct {
	Action  string
	Title   string
	Intro   string
	Submit  string
	Danger  bool
	Fields  []fieldData
	Error   string
	Open    bool
	Allowed bool
}

// ID is the element id of the action's section.
func (v actionFormView) ID() string { return "actie-" + v.Action }

// fieldData is one field of an action form, ready for the case_field
// partial.
type fieldData struct {
	ID, Name, Kind, Label, Hint, Error, Value string
	Options                                   []option
	Required                                  bool
}

// Describedby lists the ids of the field's hint and error.
func (fd fieldData) Describedby() string {
	var ids []string
	if fd.Hint != "" {
		ids = append(ids, fd.ID+"-hint")
	}
	if fd.Error != "" {
		ids = append(ids, fd.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// fieldID makes an element id from an action and a field name.
func fieldID(action, name string) string {
	var b strings.Builder
	b.WriteString("a-" + action + "-")
	for _, c := range name {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' {
			b.WriteRune(c)
		} else {
			b.WriteByte('-')
		}
	}
	return b.String()
}

// view draws the form of the action: fresh from the case, or, with
// posted set, as the person sent it, with the errors found.
func (s actionSpec) view(env *actionEnv, posted *form) actionFormView {
	l := env.l
	a := string(s.action)
	v := actionFormView{
		Action: a, Title: l.t("act." + a + ".title"), Submit: l.t("act." + a + ".submit"),
		Intro: msgOr(l, "act."+a+".intro", ""), Danger: s.danger,
	}
	if posted != nil {
		v.Error, v.Open = posted.Error, true
	}
	for _, fd := range s.shown(env) {
		d := fieldData{ID: fieldID(a, fd.name), Name: fd.name, Kind: string(fd.kind), Label: l.t(fd.label),
			Required: fd.required || (fd.requiredFn != nil && fd.requiredFn(env))}
		switch {
		case fd.hintFn != nil:
			d.Hint = fd.hintFn(env)
		case fd.hint != "":
			d.Hint = l.t(fd.hint)
		}
		var ticked []string
		if posted != nil {
			d.Error = posted.Err(fd.name)
			d.Value = posted.Raw(fd.name)
			ticked = posted.Values[fd.name]
		} else {
			if fd.initial != nil {
				d.Value = fd.initial(env)
			}
			if fd.initialList != nil {
				ticked = fd.initialList(env)
			}
		}
		if fd.kind == fkDate {
			// Dates show as 22-12-2026, whatever was typed or stored.
			if dd, ok := parseFormDate(d.Value); ok {
				d.Value = dd.Dutch()
			}
		}
		if fd.options != nil {
			for _, o := range fd.options(env) {
				if fd.kind == fkParties {
					o.Selected = slices.Contains(ticked, o.Value)
				} else {
					o.Selected = o.Value == d.Value
				}
				d.Options = append(d.Options, o)
			}
		}
		if fd.kind == fkYesNo {
			d.Options = []option{{Value: "ja", Label: l.t("yes"), Selected: d.Value == "ja"}, {Value: "nee", Label: l.t("no"), Selected: d.Value == "nee"}}
		}
		v.Fields = append(v.Fields, d)
	}
	return v
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

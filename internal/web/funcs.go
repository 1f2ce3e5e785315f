package web

import (
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// dateLayout is how the screens write dates, in both languages: 22-12-2026.
const dateLayout = "02-01-2006"

// funcs are the template functions of the set in language l:
//
//	t "key" args...     the message in l (i18n.go), formatted with args
//	static "css/x.css"  the versioned URL of a static file
//	date d              22-12-2026 for a calendar.Date, *calendar.Date or time.Time ("" for zero/nil)
//	datetime t          22-12-2026 14:05 in the organisations' zone
//	roleName "handler"  the role's name in l
//	stateName "handling"  a case state's name in l
//	stepName "decision" a deadline step's name in l
//	input form "name" "label" "type" opts...   a form field for the "field" partial
//	dict "k" v ...      a map, to pass several values to a partial
func funcs(l lang, st *staticFiles) template.FuncMap {
	return template.FuncMap{
		"t":         l.t,
		"static":    st.url,
		"date":      formatDate,
		"datetime":  formatDateTime,
		"roleName":  func(r any) string { return roleName(l, fmt.Sprint(r)) },
		"stateName": func(s any) string { return stateName(l, fmt.Sprint(s)) },
		"stepName":  func(s any) string { return stepName(l, fmt.Sprint(s)) },
		"input":     input,
		"dict":      dict,
	}
}

// formatDate writes a date as 22-12-2026.
func formatDate(v any) string {
	switch d := v.(type) {
	case calendar.Date:
		if d.IsZero() {
			return ""
		}
		return fmt.Sprintf("%02d-%02d-%04d", d.Day, int(d.Month), d.Year)
	case *calendar.Date:
		if d == nil {
			return ""
		}
		return formatDate(*d)
	case time.Time:
		if d.IsZero() {
			return ""
		}
		return d.In(amsterdam).Format(dateLayout)
	case *time.Time:
		if d == nil {
			return ""
		}
		return formatDate(*d)
	}
	return fmt.Sprint(v)
}

// formatDateTime writes an instant as 22-12-2026 14:05 in Amsterdam time.
func formatDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(amsterdam).Format(dateLayout + " 15:04")
}

// amsterdam is the zone of the organisations' clocks.
var amsterdam = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Amsterdam")
	if err != nil {
		return time.UTC
	}
	return loc
}()

// roleName names a role in l: Dutch from the regulation package, English
// from the catalogue.
func roleName(l lang, role string) string {
	if l == langNL {
		n := reglement.RoleNL(reglement.Role(role))
		return strings.ToUpper(n[:1]) + n[1:]
	}
	return l.t("role." + role)
}

// stateName names a case state in l.
func stateName(l lang, state string) string {
	if key := "state." + state; hasMessage(key) {
		return l.t(key)
	}
	return state
}

// stepName names a deadline step in l.
func stepName(l lang, step string) string {
	if l == langNL {
		return reglement.StepNL(reglement.Step(step))
	}
	if key := "step." + step; hasMessage(key) {
		return l.t(key)
	}
	return step
}

// dict builds a map from pairs of key and value.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

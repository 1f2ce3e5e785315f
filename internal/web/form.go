package web

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/gegrond/gegrond/internal/apperr"
)

// maxFormBytes bounds a posted form (not an upload).
const maxFormBytes = 64 << 10

// form is a posted (or re-shown) form: its values and the errors found in
// them, field by field, already in the page's language. A view shows
// each error next to its field (the "field" partial does) and the form's
// own error above it.
type form struct {
	Values url.Values
	// Errors maps a field name to its message.
	Errors map[string]string
	// Error is a message about the form as a whole.
	Error string
}

// newForm returns an empty form.
func newForm() *form { return &form{Values: url.Values{}, Errors: map[string]string{}} }

// parseForm reads the posted form of r (at most maxFormBytes).
func parseForm(w http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return nil, apperr.New(apperr.Invalid, "the form could not be read: %v", err)
	}
	return &form{Values: r.PostForm, Errors: map[string]string{}}, nil
}

// Get returns the trimmed value of a field.
func (f *form) Get(name string) string { return strings.TrimSpace(f.Values.Get(name)) }

// Raw returns the value of a field as sent (passwords).
func (f *form) Raw(name string) string { return f.Values.Get(name) }

// Err returns the message of a field, "" when it is fine.
func (f *form) Err(name string) string { return f.Errors[name] }

// Valid reports that the form has no errors.
func (f *form) Valid() bool { return len(f.Errors) == 0 && f.Error == "" }

// Require records a message for each named field left empty.
func (f *form) Require(l lang, names ...string) {
	for _, n := range names {
		if f.Get(n) == "" {
			f.Errors[n] = l.t("form.required")
		}
	}
}

// Fail records err on the form: next to its field when it names one (an
// apperr.Field error), or above the form. It returns false for an
// internal error, which the handler should return instead of showing.
func (f *form) Fail(l lang, err error, fieldMap ...string) bool {
	if apperr.CodeOf(err) == apperr.Internal {
		return false
	}
	var e *apperr.Error
	errors.As(err, &e)
	field := e.Field
	// fieldMap renames core field names to form field names:
	// "handler.user_id", "handler".
	for i := 0; i+1 < len(fieldMap); i += 2 {
		if fieldMap[i] == field {
			field = fieldMap[i+1]
		}
	}
	msg := errorText(l, err)
	if field != "" && f.Values.Has(field) {
		f.Errors[field] = msg
	} else {
		f.Error = msg
	}
	return true
}

// fieldView is one form field for the "field" partial.
type fieldView struct {
	Name, Label, Type, Value, Error, Hint, Autocomplete string
	Required                                            bool
}

// ID is the field's element id.
func (fv fieldView) ID() string { return "f-" + fv.Name }

// input builds a field for the "field" partial from a form. opts are
// "required", "autocomplete=VALUE" and "hint=TEXT". A password field
// never shows its value again.
func input(f *form, name, label, typ string, opts ...string) fieldView {
	fv := fieldView{Name: name, Label: label, Type: typ}
	if f != nil {
		fv.Error = f.Err(name)
		if typ != "password" {
			fv.Value = f.Get(name)
		}
	}
	for _, o := range opts {
		switch k, v, _ := strings.Cut(o, "="); k {
		case "required":
			fv.Required = true
		case "autocomplete":
			fv.Autocomplete = v
		case "hint":
			fv.Hint = v
		}
	}
	return fv
}

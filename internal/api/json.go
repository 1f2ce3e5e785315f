package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"

	"github.com/gegrond/gegrond/internal/apperr"
)

// maxBody is the largest request body the API reads: far more than any
// intake or action needs (documents do not travel in JSON).
const maxBody = 1 << 20

// writeJSON answers v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	return writeBody(w, "application/json", status, v)
}

// writeBody encodes v before writing anything, so that an encoding failure
// can still become a problem instead of half a body.
func writeBody(w http.ResponseWriter, contentType string, status int, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// Names like "Smit & Zn" travel as written, not as \u0026.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode response: %w", err)
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// readBody reads the request body, at most maxBody bytes.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, &apperr.Error{Code: codeTooLarge,
				Message: fmt.Sprintf("the request body is larger than %d bytes", maxBody)}
		}
		return nil, fmt.Errorf("read request body: %w", err)
	}
	return body, nil
}

// decodeStrict decodes body, one JSON value and nothing after it, into v,
// refusing fields v does not have. Its errors say what is wrong and where.
func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badJSON("", "the request body is empty; expected a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(body, err)
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); err != io.EOF {
		return badJSON("", "unexpected data after the JSON value, at %s", position(body, skipSeparators(body, end)))
	}
	return nil
}

// checkObject checks that body is empty or one JSON object, for an input
// whose fields the core checks (an action's input).
func checkObject(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	var m map[string]json.RawMessage
	return decodeStrict(body, &m)
}

// jsonError turns a decoding error into an invalid-input error naming the
// field and the position.
func jsonError(body []byte, err error) error {
	if se, ok := errors.AsType[*json.SyntaxError](err); ok {
		// Offset counts the bytes read, the bad one included.
		return badJSON("", "the request body is not valid JSON: %s, at %s", se.Error(), position(body, se.Offset-1))
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return badJSON("", "the request body ends before its JSON value is complete, at %s", position(body, int64(len(body))))
	}
	if te, ok := errors.AsType[*json.UnmarshalTypeError](err); ok {
		field, start := valueEndingAt(body, te.Offset)
		what := "the request body"
		if field != "" {
			what = strconv.Quote(field)
		}
		return badJSON(field, "%s must be %s, not %s, at %s", what, jsonKind(te.Type), te.Value, position(body, start))
	}
	var name string
	if _, err := fmt.Sscanf(err.Error(), "json: unknown field %q", &name); err == nil {
		field, off := findKey(body, name)
		return badJSON(field, "unknown field %q at %s", field, position(body, off))
	}
	// A value's own parser refused it (a date, for one); its message names
	// the value.
	return badJSON("", "the request body holds an invalid value: %s", err.Error())
}

func badJSON(field, format string, args ...any) error {
	return (&apperr.Error{Code: apperr.Invalid, Field: field, Message: fmt.Sprintf(format, args...)}).WithReason("bad_json")
}

// jsonKind names the JSON kind a Go type is read from.
func jsonKind(t reflect.Type) string {
	if t == nil {
		return "a value"
	}
	if t.Implements(textUnmarshaler) || reflect.PointerTo(t).Implements(textUnmarshaler) {
		return "a string"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Pointer:
		return jsonKind(t.Elem())
	}
	return "a " + t.String()
}

var textUnmarshaler = reflect.TypeFor[interface{ UnmarshalText([]byte) error }]()

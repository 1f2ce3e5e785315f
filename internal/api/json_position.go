package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// position describes the byte at offset (from 0) of body as a person
// finds it in an editor: line and column, both from 1.
func position(body []byte, offset int64) string {
	offset = min(max(offset, 0), int64(len(body)))
	before := body[:offset]
	line := bytes.Count(before, []byte("\n")) + 1
	col := offset - int64(bytes.LastIndexByte(before, '\n'))
	return fmt.Sprintf("line %d, column %d", line, col)
}

// walkJSON reads body token by token and calls visit with the path of each
// value or key ("complainant.name", "accused_employees[0]"), whether it is
// a key, and the offsets of its start and end. visit returns false to stop.
// encoding/json reports where a value ends but not which field it is: this
// walk finds the field again.
func walkJSON(body []byte, visit func(path string, key bool, start, end int64) bool) {
	type frame struct {
		object  bool
		wantKey bool
		key     string
		index   int
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				b.WriteString("[" + strconv.Itoa(f.index) + "]")
			}
		}
		return b.String()
	}
	// done moves the enclosing container past a finished value.
	done := func() {
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].wantKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err != nil {
			return
		}
		end := dec.InputOffset()
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			done()
			continue
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].wantKey {
			stack[n-1].key, stack[n-1].wantKey = tok.(string), false
			if !visit(path(), true, start, end) {
				return
			}
			continue
		}
		if !visit(path(), false, start, end) {
			return
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, wantKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		default:
			done()
		}
	}
}

// valueEndingAt returns the path and start of the value that ends at
// offset, as json.UnmarshalTypeError reports it; path "" is the top-level
// value.
func valueEndingAt(body []byte, offset int64) (string, int64) {
	found, at := "", int64(0)
	walkJSON(body, func(path string, key bool, start, end int64) bool {
		if !key && end >= offset {
			found, at = path, start
			return false
		}
		return true
	})
	return found, skipSeparators(body, at)
}

// findKey returns the path and offset of the first key called name.
func findKey(body []byte, name string) (string, int64) {
	found, at := name, int64(0)
	walkJSON(body, func(path string, key bool, start, _ int64) bool {
		if key && (path == name || strings.HasSuffix(path, "."+name)) {
			found, at = path, start
			return false
		}
		return true
	})
	return found, skipSeparators(body, at)
}

// skipSeparators moves offset past whitespace, commas and colons: a
// token's start as the decoder reports it is where the previous one ended.
func skipSeparators(body []byte, offset int64) int64 {
	rest := body[offset:]
	return offset + int64(len(rest)-len(bytes.TrimLeft(rest, " \t\r\n,:")))
}

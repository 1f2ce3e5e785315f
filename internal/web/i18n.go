package web

import (
	"fmt"
	"net/http"
)

// lang is a language of the screens: Dutch by default, English on request.
type lang string

// The languages of the screens.
const (
	langNL lang = "nl"
	langEN lang = "en"
)

// langs lists the languages, the default first.
var langs = []lang{langNL, langEN}

// msg is one message of the catalogue in each language. Messages may hold
// fmt verbs (%s, %d) for the arguments given to t.
type msg struct{ nl, en string }

// catalogue holds every message of the screens, by key. Each file adds
// its own messages with addMessages in an init function; New checks that
// every key a template asks for exists.
var catalogue = map[string]msg{}

// addMessages adds messages to the catalogue. A key added twice, or a
// message missing a language, is a programming error.
func addMessages(m map[string]msg) {
	for k, v := range m {
		if _, dup := catalogue[k]; dup {
			panic("web: message " + k + " defined twice")
		}
		if v.nl == "" || v.en == "" {
			panic("web: message " + k + " lacks a language")
		}
		catalogue[k] = v
	}
}

// t returns the message of key in the language, formatted with args. An
// unknown key shows itself, so that a mistake is visible, not blank.
func (l lang) t(key string, args ...any) string {
	m, ok := catalogue[key]
	if !ok {
		return key
	}
	s := m.nl
	if l == langEN {
		s = m.en
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// has reports whether the catalogue has the key.
func hasMessage(key string) bool {
	_, ok := catalogue[key]
	return ok
}

// parseLang returns the language named s, and false for an unknown one.
func parseLang(s string) (lang, bool) {
	for _, l := range langs {
		if string(l) == s {
			return l, true
		}
	}
	return langNL, false
}

// requestLang is the language of the request: the language cookie, else
// Dutch.
func requestLang(r *http.Request) lang {
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := parseLang(c.Value); ok {
			return l
		}
	}
	return langNL
}

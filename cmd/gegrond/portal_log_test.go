package main

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/service"
)

// TestRequestLogLeavesOutPortalTokens: a complainant's personal link is a
// secret; the request log shows the path without it.
func TestRequestLogLeavesOutPortalTokens(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, nil))
	h := logRequests(log, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNotFound) }))
	token := service.NewPortalToken()
	for _, p := range []string{"/portaal/" + token, "/portaal/" + token + "/documenten/abc"} {
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, p, nil))
	}
	if strings.Contains(buf.String(), token) {
		t.Fatalf("the token is in the log:\n%s", buf.String())
	}
	if !strings.Contains(buf.String(), "/portaal/-/documenten/abc") {
		t.Fatalf("the log lost the rest of the path:\n%s", buf.String())
	}
}

func TestPortalBase(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ base, addr, want string }{
		{"https://klachten.example.nl", ":8080", "https://klachten.example.nl"},
		{"", ":8080", "http://localhost:8080"},
		{"", "127.0.0.1:9000", "http://127.0.0.1:9000"},
	} {
		if got := portalBase(tc.base, tc.addr); got != tc.want {
			t.Errorf("portalBase(%q, %q) = %q, want %q", tc.base, tc.addr, got, tc.want)
		}
	}
}

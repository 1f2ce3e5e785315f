package main

import (
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/demo"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
	"github.com/gegrond/gegrond/internal/store/storetest"
)

// TestRetentionListAndErase lists the demo's closed SmartPLUS cases (its
// regulation sets no period), erases one on an erasure request as the
// demo administrator, refuses a handler, and sees audit verify pass.
func TestRetentionListAndErase(t *testing.T) {
	t.Parallel()
	storetest.Each(t, func(t *testing.T, dsn string) {
		ctx := t.Context()
		st, err := store.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		now := time.Now()
		if _, err := demo.Seed(ctx, service.New(st, func() time.Time { return now }, amsterdam), st, now); err != nil {
			t.Fatal(err)
		}
		h, err := st.CreateUser(ctx, store.User{Email: "hans@smartplus.example", Name: "Hans Handler"})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.AddMembership(ctx, "smartplus", h.ID, "handler"); err != nil {
			t.Fatal(err)
		}

		code, out, errOut := runInProcess(t, nil, "retention", "list", "--org", "smartplus", "--user", demo.AdminEmail, "--database", dsn)
		if code != exitOK || !strings.Contains(out, "retention: not set by the regulation [Toelichting Punt 6]") {
			t.Fatalf("retention list = %d\n%s%s", code, out, errOut)
		}
		var number string
		for _, line := range strings.Split(out, "\n") {
			if f := strings.Split(line, "\t"); len(f) > 1 && f[0] == "not set" {
				number = f[1]
				break
			}
		}
		if number == "" {
			t.Fatalf("the demo has no closed SmartPLUS case to list:\n%s", out)
		}

		erase := func(user string, extra ...string) (int, string, string) {
			return runInProcess(t, nil, append([]string{"retention", "erase", "--org", "smartplus", "--case", number,
				"--user", user, "--database", dsn}, extra...)...)
		}
		if code, _, errOut := erase("hans@smartplus.example", "--reason", "erasure_request", "--note", "x"); code != exitUsage ||
			!strings.Contains(errOut, "only the data protection officer or an administrator") {
			t.Errorf("a handler erases: %d %s", code, errOut)
		}
		if code, _, errOut := erase(demo.AdminEmail, "--reason", "retention_ended"); code != exitUsage || !strings.Contains(errOut, "sets no retention period") {
			t.Errorf("retention_ended without a period: %d %s", code, errOut)
		}
		code, out, errOut = erase(demo.AdminEmail, "--reason", "erasure_request", "--note", "Verzoek per e-mail, geen lopende claim")
		if code != exitOK || !strings.Contains(out, "case "+number+" erased on ") || !strings.Contains(out, "AVG art. 17") {
			t.Fatalf("retention erase = %d\n%s%s", code, out, errOut)
		}
		code, out, errOut = runInProcess(t, nil, "audit", "verify", "--org", "smartplus", "--database", dsn)
		if code != exitOK || !strings.Contains(out, "chain intact") {
			t.Fatalf("audit verify after erasure = %d\n%s%s", code, out, errOut)
		}
		if code, out, _ := runInProcess(t, nil, "retention", "list", "--org", "smartplus", "--user", demo.AdminEmail, "--database", dsn); code != exitOK ||
			strings.Contains(out, "\t"+number+"\t") || !strings.Contains(out, ", 1 erased") {
			t.Errorf("the list after erasure = %d\n%s", code, out)
		}
		if code, _, _ := runInProcess(t, nil, "retention", "erase", "--org", "smartplus", "--database", dsn); code != exitUsage {
			t.Errorf("erase without --case = %d, want %d", code, exitUsage)
		}
	})
}

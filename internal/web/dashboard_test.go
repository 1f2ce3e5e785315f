package web

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/store"
)

// rowsOf returns the case numbers of the dashboard's table, in order,
// with the sign of each.
func rowsOf(body string) (numbers, signs []string) {
	for _, m := range regexp.MustCompile(`href="/zaken/([0-9-]+)"`).FindAllStringSubmatch(body, -1) {
		numbers = append(numbers, m[1])
	}
	for _, m := range regexp.MustCompile(`gg-status gg-status--([a-z]+)"`).FindAllStringSubmatch(body, -1) {
		signs = append(signs, m[1])
	}
	return numbers, signs
}

func TestDashboardOrdersByDeadlineWithSigns(t *testing.T) {
	t.Parallel()
	b := setup(t)
	body := b.signedIn(t, "smartplus/receiver").ok("/").body
	numbers, signs := rowsOf(body)
	want := []string{b.cases["overdue"], b.cases["soon"], b.cases["ontime"], b.cases["assigned"]}
	if strings.Join(numbers, " ") != strings.Join(want, " ") {
		t.Fatalf("rows %v, want %v (by next deadline)", numbers, want)
	}
	if strings.Join(signs, " ") != "overdue soon ok ok" {
		t.Fatalf("signs %v", signs)
	}
	// A sign is text and icon, not colour alone.
	for _, word := range []string{"Te laat", "Binnenkort", "Op tijd"} {
		if !strings.Contains(body, word) {
			t.Errorf("no %q on the dashboard", word)
		}
	}
	// Dates as 22-12-2026.
	if !strings.Contains(body, "09-02-2026") {
		t.Error("the overdue case's date is not written dd-mm-yyyy")
	}
	// The other organisation's case is not there.
	if strings.Contains(body, "Bestmatch Klager") {
		t.Error("a case of another organisation shows")
	}
	for label, n := range map[string]string{"open": "4", "te laat": "1", "binnen 2 werkdagen": "1", "zonder behandelaar": "3"} {
		if !regexp.MustCompile(`gg-count__number">` + n + `</span> <span class="gg-count__label">` + label).MatchString(body) {
			t.Errorf("count %q is not %s", label, n)
		}
	}
}

func TestDashboardFilters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?te-laat=1", []string{"overdue"}},
		{"?mijn=1", []string{"assigned"}},
		{"?vrij=1", []string{"overdue", "soon", "ontime"}},
		{"?status=received&vrij=1&te-laat=1", []string{"overdue"}},
		{"?status=handling", nil},
		{"?status=nonsense", []string{"overdue", "soon", "ontime", "assigned"}},
	} {
		numbers, _ := rowsOf(c.ok("/" + tc.query).body)
		var want []string
		for _, k := range tc.want {
			want = append(want, b.cases[k])
		}
		if strings.Join(numbers, " ") != strings.Join(want, " ") {
			t.Errorf("%s: rows %v, want %v", tc.query, numbers, want)
		}
	}
	if body := c.ok("/?mijn=1&vrij=1").body; !strings.Contains(body, "niet allebei") {
		t.Error("mine and unassigned together do not explain themselves")
	}
	// The filter form shows what is chosen.
	if body := c.ok("/?te-laat=1").body; !strings.Contains(body, `name="te-laat" value="1" checked`) {
		t.Error("the overdue box is not checked")
	}
}

func TestDashboardPages(t *testing.T) {
	t.Parallel()
	b := setup(t)
	data := dashboardFilter{Overdue: true, State: "received"}
	if got := data.Query(2); got != "/?pagina=2&status=received&te-laat=1" {
		t.Fatalf("Query(2) = %q", got)
	}
	if got := (dashboardFilter{}).Query(1); got != "/" {
		t.Fatalf("Query(1) = %q", got)
	}
	// Page 2 of four cases is empty and links back.
	body := b.signedIn(t, "smartplus/handler").ok("/?pagina=2").body
	if numbers, _ := rowsOf(body); len(numbers) != 0 || !strings.Contains(body, `rel="prev"`) {
		t.Fatalf("page 2: %v", numbers)
	}
}

func TestDashboardInEnglish(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	c.post("/taal", map[string][]string{"taal": {"en"}})
	body := c.ok("/").body
	for _, s := range []string{"Deadlines", "Overdue", "Acknowledgement", "09-02-2026", `lang="en"`} {
		if !strings.Contains(body, s) {
			t.Errorf("English dashboard lacks %q", s)
		}
	}
}

func TestDashboardShowsFailedLetters(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	if _, err := b.store.Enqueue(ctx, "smartplus", store.Job{Kind: "send_letter", Payload: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	// Only the letter: the cases' portal-link mails wait in the queue too.
	jobs, err := b.store.Claim(ctx, time.Now().Add(time.Hour), 1, time.Minute, "send_letter")
	if err != nil || len(jobs) != 1 {
		t.Fatalf("claim: %v %v", jobs, err)
	}
	if err := b.store.Fail(ctx, jobs[0], time.Now(), "550 mailbox unavailable"); err != nil {
		t.Fatal(err)
	}
	if body := b.signedIn(t, "smartplus/handler").ok("/").body; !strings.Contains(body, "Niet verzonden") || !strings.Contains(body, "550 mailbox unavailable") {
		t.Fatal("the handler's dashboard does not show the letter that could not be sent")
	}
	if body := b.signedIn(t, "smartplus/receiver").ok("/").body; strings.Contains(body, "550 mailbox unavailable") {
		t.Fatal("a receiver sees the job queue's failures")
	}
}

func TestDashboardShowsLateMeasures(t *testing.T) {
	t.Parallel()
	b := setup(t)
	handler := b.users["smartplus/handler"]
	_, err := b.store.CreateMeasure(context.Background(), "smartplus", store.NewMeasure{
		Description: "Werkinstructie terugbellen aanpassen", Kind: store.MeasureCorrective,
		Owner: store.Who{UserID: handler.ID, Name: handler.Name}, DueOn: calendar.D(2026, 3, 1),
		ProposedBy: store.Who{Name: "Kwaliteit"}, ProposedOn: calendar.D(2026, 2, 1),
	})
	if err != nil {
		t.Fatal(err)
	}
	for who, want := range map[string]bool{"smartplus/handler": true, "smartplus/quality_officer": true, "smartplus/receiver": false} {
		body := b.signedIn(t, who).ok("/").body
		if got := strings.Contains(body, "Werkinstructie terugbellen aanpassen"); got != want {
			t.Errorf("%s sees the late measure: %v, want %v", who, got, want)
		}
	}
}

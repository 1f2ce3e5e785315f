package api

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// sendLetterAs writes a letter of the case as who and returns it.
func (b *testBundle) sendLetterAs(t *testing.T, who, number string, body any) letterView {
	t.Helper()
	var l letterView
	res := b.ok(t, request{method: "POST", path: "/cases/" + number + "/letters", who: who, body: body}, http.StatusCreated, &l)
	if loc := res.header.Get("Location"); loc != Prefix+"/letters/"+l.ID {
		t.Errorf("Location %q, want %s/letters/%s", loc, Prefix, l.ID)
	}
	return l
}

// missingAnswer decodes a letter_contents_missing problem, refusing
// members the problem does not have.
func missingAnswer(t *testing.T, res response) missingProblem {
	t.Helper()
	if res.status != http.StatusConflict {
		t.Fatalf("status %d, want 409; body: %s", res.status, res.body)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("Content-Type %q, want application/problem+json", ct)
	}
	if cc := res.header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	var p missingProblem
	dec := json.NewDecoder(bytes.NewReader(res.body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		t.Fatalf("problem %s: %v", res.body, err)
	}
	if p.Status != http.StatusConflict || p.Code != "conflict" || p.Type != problemTypeBase+"conflict" || p.Title == "" {
		t.Errorf("problem %+v", p.problem)
	}
	return p
}

func TestLetters(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		c := b.createCase(t, "smartplus/receiver", smartplusComplaint())
		path := "/cases/" + c.Number + "/letters"

		// Punt 5: the acknowledgement names the handler; before one is
		// assigned the letter is refused, saying what to do.
		p := missingAnswer(t, b.do(t, request{method: "POST", path: path, who: "smartplus/receiver",
			body: map[string]any{"kind": "acknowledgement"}}))
		if p.Reason != "letter_contents_missing" || !strings.Contains(p.Detail, "handler_name") {
			t.Errorf("reason %q detail %q", p.Reason, p.Detail)
		}
		i := slices.IndexFunc(p.Missing, func(m letter.MissingItem) bool { return m.Item == "handler_name" })
		if i < 0 || len(p.Missing) != 1 {
			t.Fatalf("missing %+v, want only handler_name", p.Missing)
		}
		if m := p.Missing[0]; m.Action != complaint.ActAssignHandler || m.Source != "Punt 5; Toelichting Punt 5" || m.Text == "" {
			t.Errorf("missing item %+v", m)
		}
		var list letterList
		b.ok(t, request{method: "GET", path: path, who: "smartplus/handler"}, http.StatusOK, &list)
		if len(list.Letters) != 0 || !slices.Contains(list.Kinds, reglement.LetterAcknowledgement) {
			t.Fatalf("a refused letter is stored: %+v", list)
		}

		// Punt 4: the board assigns the handler; now the letter goes out,
		// by e-mail to the complainant the case names.
		handler := map[string]any{"name": "Hans Handler", "user_id": b.userID("smartplus/handler")}
		b.ok(t, request{method: "POST", path: "/cases/" + c.Number + "/actions/assign_handler", who: "smartplus/board",
			body: map[string]any{"handler": handler}}, http.StatusOK, nil)
		before := b.getCase(t, "smartplus/handler", c.Number)
		mail := b.sendLetterAs(t, "smartplus/handler", c.Number, map[string]any{"kind": "acknowledgement", "channel": "email"})
		if mail.State != store.LetterQueued || mail.Channel != store.LetterEmail || mail.Kind != "acknowledgement" ||
			mail.CaseNumber != c.Number || mail.Subject == "" || mail.ComposedAt.IsZero() || mail.Date != calendar.D(2026, 3, 10) ||
			mail.BasedOnSeq != before.Case.LastSeq || mail.PDFURL != Prefix+"/letters/"+mail.ID+"/pdf" {
			t.Errorf("letter %+v", mail)
		}
		if r := mail.Recipient; r.Name != "Petra de Vries" || r.Email != "petra@example.nl" || r.Party != "complainant" {
			t.Errorf("recipient %+v, want the complainant", r)
		}
		if !strings.Contains(mail.Text, "Hans Handler") {
			t.Errorf("the acknowledgement does not name the handler:\n%s", mail.Text)
		}
		stats, err := b.store.JobStats(ctx, "smartplus")
		if err != nil {
			t.Fatal(err)
		}
		if stats[service.JobSendLetter][store.JobQueued] != 1 {
			t.Errorf("job stats %v, want one queued send_letter", stats)
		}

		var got letterView
		b.ok(t, request{method: "GET", path: "/letters/" + mail.ID, who: "smartplus/board"}, http.StatusOK, &got)
		if !reflect.DeepEqual(got, mail) {
			t.Errorf("GET letter\n got %+v\nwant %+v", got, mail)
		}
		b.ok(t, request{method: "GET", path: path, who: "smartplus/handler"}, http.StatusOK, &list)
		if len(list.Letters) != 1 || list.Letters[0].ID != mail.ID {
			t.Fatalf("list %+v", list.Letters)
		}

		// The PDF, stored as written, downloads safely.
		res := b.do(t, request{method: "GET", path: "/letters/" + mail.ID + "/pdf", who: "smartplus/handler"})
		if res.status != http.StatusOK || !bytes.HasPrefix(res.body, []byte("%PDF")) {
			t.Fatalf("pdf: status %d, starts %q", res.status, res.body[:min(len(res.body), 16)])
		}
		h := res.header
		if h.Get("Content-Type") != "application/pdf" || h.Get("X-Content-Type-Options") != "nosniff" || !strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("pdf headers %v", h)
		}
		if cd := h.Get("Content-Disposition"); !strings.HasPrefix(cd, `attachment; filename="2026-0001-acknowledgement-2026-03-10.pdf"`) {
			t.Errorf("Content-Disposition %q", cd)
		}

		// A letter by post counts when it is marked posted: then the case
		// is acknowledged.
		post := b.sendLetterAs(t, "smartplus/receiver", c.Number, map[string]any{"kind": "acknowledgement", "channel": "post",
			"to": map[string]any{"name": "Petra de Vries", "address": "Dorpsstraat 1\n1234 AB Ergenshuizen", "party": "complainant"}})
		if post.State != store.LetterQueued || post.Channel != store.LetterPost {
			t.Fatalf("letter by post %+v", post)
		}
		if v := b.getCase(t, "smartplus/handler", c.Number); v.Case.AcknowledgedOn != nil {
			t.Fatalf("acknowledged on %v before the letter was posted", v.Case.AcknowledgedOn)
		}
		posted := request{method: "POST", path: "/letters/" + post.ID + "/posted", who: "smartplus/receiver", body: map[string]any{"on": "2026-03-10"}}
		var marked letterView
		b.ok(t, posted, http.StatusOK, &marked)
		if marked.State != store.LetterPosted || marked.PostedOn == nil || *marked.PostedOn != calendar.D(2026, 3, 10) {
			t.Errorf("marked %+v", marked)
		}
		v := b.getCase(t, "smartplus/handler", c.Number)
		if v.Case.AcknowledgedOn == nil || *v.Case.AcknowledgedOn != calendar.D(2026, 3, 10) || hasAction(v, "acknowledge") {
			t.Errorf("after posting: acknowledged on %v, offered %v", v.Case.AcknowledgedOn, v.Allowed)
		}
		wantMet(t, v, reglement.StepAcknowledgement)
		b.ok(t, posted, http.StatusOK, &marked) // twice changes nothing
		if after := b.getCase(t, "smartplus/handler", c.Number); after.Case.LastSeq != v.Case.LastSeq {
			t.Errorf("marking posted twice added events: %d, then %d", v.Case.LastSeq, after.Case.LastSeq)
		}

		// Refusals.
		for _, tc := range []struct {
			why    string
			req    request
			status int
			reason string
			field  string
		}{
			{"an e-mail is not posted", request{method: "POST", path: "/letters/" + mail.ID + "/posted", who: "smartplus/handler"}, 409, "not_post", ""},
			{"no posting in the future", request{method: "POST", path: "/letters/" + post.ID + "/posted", who: "smartplus/handler", body: map[string]any{"on": "2026-03-11"}}, 400, "", "on"},
			{"a queued e-mail is not sent again", request{method: "POST", path: "/letters/" + mail.ID + "/resend", who: "smartplus/handler"}, 409, "letter_queued", ""},
			{"an unknown kind", request{method: "POST", path: path, who: "smartplus/handler", body: map[string]any{"kind": "love_letter"}}, 400, "", "kind"},
			{"no kind", request{method: "POST", path: path, who: "smartplus/handler", body: map[string]any{}}, 400, "", "kind"},
			{"an unknown member", request{method: "POST", path: path, who: "smartplus/handler", body: map[string]any{"kind": "acknowledgement", "cc": "x"}}, 400, "bad_json", "cc"},
			{"an e-mail needs an address", request{method: "POST", path: path, who: "smartplus/handler", body: map[string]any{"kind": "acknowledgement", "channel": "email", "to": map[string]any{"name": "Petra de Vries"}}}, 400, "", "to.email"},
			{"an unknown case", request{method: "POST", path: "/cases/2026-0099/letters", who: "smartplus/handler", body: map[string]any{"kind": "acknowledgement"}}, 404, "", ""},
			{"an unknown letter", request{method: "GET", path: "/letters/nope", who: "smartplus/handler"}, 404, "", ""},
			{"another organisation's letter", request{method: "GET", path: "/letters/" + mail.ID, who: "bestmatch/handler"}, 404, "", ""},
			{"another organisation's PDF", request{method: "GET", path: "/letters/" + mail.ID + "/pdf", who: "bestmatch/board"}, 404, "", ""},
			{"another organisation's posting", request{method: "POST", path: "/letters/" + post.ID + "/posted", who: "bestmatch/handler"}, 404, "", ""},
			{"another organisation's resend", request{method: "POST", path: "/letters/" + mail.ID + "/resend", who: "bestmatch/handler"}, 404, "", ""},
			{"another organisation's case", request{method: "GET", path: path, who: "bestmatch/handler"}, 404, "", ""},
			{"no token", request{method: "GET", path: "/letters/" + mail.ID + "/pdf"}, 401, "", ""},
		} {
			p := expectProblem(t, b.do(t, tc.req), tc.status)
			if p.Reason != tc.reason || p.Field != tc.field {
				t.Errorf("%s: reason %q field %q, want %q %q; detail: %s", tc.why, p.Reason, p.Field, tc.reason, tc.field, p.Detail)
			}
		}

		// A failed e-mail goes out again.
		if _, err := b.store.FailLetter(ctx, "smartplus", mail.ID, "550 mailbox unavailable"); err != nil {
			t.Fatal(err)
		}
		b.ok(t, request{method: "GET", path: "/letters/" + mail.ID, who: "smartplus/handler"}, http.StatusOK, &got)
		if got.State != store.LetterFailed || got.Error != "550 mailbox unavailable" {
			t.Errorf("failed letter %+v", got)
		}
		b.ok(t, request{method: "POST", path: "/letters/" + mail.ID + "/resend", who: "smartplus/handler"}, http.StatusOK, &got)
		if got.State != store.LetterQueued {
			t.Errorf("resent letter %+v", got)
		}
		if stats, _ := b.store.JobStats(ctx, "smartplus"); stats[service.JobSendLetter][store.JobQueued] != 2 {
			t.Errorf("job stats %v, want two queued send_letter", stats)
		}
	})
}

func TestFailedJobs(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		ctx := context.Background()
		const kind = "api_test_failing"
		if _, err := b.store.Enqueue(ctx, "smartplus", store.Job{Kind: kind, Payload: json.RawMessage(`{"n":1}`), RunAt: fixedNow}); err != nil {
			t.Fatal(err)
		}
		jobs, err := b.store.Claim(ctx, fixedNow, 10, time.Minute, kind)
		if err != nil || len(jobs) != 1 {
			t.Fatalf("claim: %v %v", jobs, err)
		}
		if err := b.store.Fail(ctx, jobs[0], fixedNow, "smtp: 554 rejected"); err != nil {
			t.Fatal(err)
		}

		for _, who := range []string{"smartplus/handler", "smartplus/board"} {
			var list failedJobList
			b.ok(t, request{method: "GET", path: "/jobs/failed", who: who}, http.StatusOK, &list)
			if len(list.Jobs) != 1 {
				t.Fatalf("%s: failed jobs %+v", who, list.Jobs)
			}
			j := list.Jobs[0]
			if j.ID != jobs[0].ID || j.Kind != kind || j.LastError != "smtp: 554 rejected" || j.Attempts != 1 ||
				j.FailedAt == nil || !j.FailedAt.Equal(fixedNow) || !strings.Contains(string(j.Payload), `"n"`) {
				t.Errorf("%s: failed job %+v", who, j)
			}
		}
		var other failedJobList
		b.ok(t, request{method: "GET", path: "/jobs/failed", who: "bestmatch/handler"}, http.StatusOK, &other)
		if len(other.Jobs) != 0 {
			t.Errorf("Best Match sees SmartPLUS's jobs: %+v", other.Jobs)
		}
		p := expectProblem(t, b.do(t, request{method: "GET", path: "/jobs/failed", who: "smartplus/receiver"}), http.StatusForbidden)
		if p.Reason != "role" {
			t.Errorf("reason %q", p.Reason)
		}
	})
}

// TestOpenAPIDescribesLetters keeps the letter schemas with the code: the
// enums with the core's, the members with the answers' JSON.
func TestOpenAPIDescribesLetters(t *testing.T) {
	t.Parallel()
	doc, _ := serveOpenAPI(t)
	s := doc.Components.Schemas
	var kinds []string
	for _, k := range reglement.LetterKinds {
		kinds = append(kinds, string(k))
	}
	enums := map[string][]string{
		"LetterKind":    kinds,
		"LetterState":   {string(store.LetterQueued), string(store.LetterSent), string(store.LetterPosted), string(store.LetterFailed)},
		"LetterChannel": {string(store.LetterEmail), string(store.LetterPost)},
	}
	for name, want := range enums {
		if !slices.Equal(s[name].Enum, want) {
			t.Errorf("%s enum %v, want %v", name, s[name].Enum, want)
		}
	}
	members := map[string]reflect.Type{
		"Letter":          reflect.TypeFor[letterView](),
		"LetterList":      reflect.TypeFor[letterList](),
		"LetterRecipient": reflect.TypeFor[store.LetterRecipient](),
		"NewLetter":       reflect.TypeFor[newLetter](),
		"MissingItem":     reflect.TypeFor[letter.MissingItem](),
		"PostedInput":     reflect.TypeFor[postedInput](),
		"FailedJob":       reflect.TypeFor[failedJob](),
		"FailedJobList":   reflect.TypeFor[failedJobList](),
	}
	for name, typ := range members {
		var want []string
		for f := range typ.Fields() {
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if tag != "" && tag != "-" {
				want = append(want, tag)
			}
		}
		var got []string
		for p := range s[name].Properties {
			got = append(got, p)
		}
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("schema %s has members %v; the JSON has %v", name, got, want)
		}
	}
}

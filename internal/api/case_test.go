package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

func TestCreateGetList(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		in := smartplusComplaint()
		in["facts"] = `Bureau "Smit & Zn" <gesloten> en de coach kwam niet.`
		var created service.CaseView
		res := b.ok(t, request{method: "POST", path: "/cases", who: "smartplus/receiver", body: in}, http.StatusCreated, &created)
		if created.Number != "2026-0001" || created.State != "received" {
			t.Fatalf("created %s in state %s, want 2026-0001 received", created.Number, created.State)
		}
		if loc := res.header.Get("Location"); loc != "/api/v1/cases/2026-0001" {
			t.Errorf("Location %q", loc)
		}
		if !strings.Contains(string(res.body), `\"Smit & Zn\" <gesloten>`) {
			t.Errorf("the answer escapes text for HTML: %s", res.body)
		}
		if created.Reglement.ID != "smartplus" || created.Reglement.Revision != 1 {
			t.Errorf("reglement %+v, want smartplus revision 1", created.Reglement)
		}
		if !hasAction(created, "acknowledge") {
			t.Errorf("the receiver is not offered acknowledge: %v", created.Allowed)
		}

		got := b.getCase(t, "smartplus/handler", created.Number)
		if got.Case.Intake.Facts != in["facts"] || got.Case.Intake.ReceivedOn != calendar.D(2026, 3, 10) {
			t.Errorf("intake %+v", got.Case.Intake)
		}
		// Punt 5: acknowledgement within five days of receipt; Sunday 15
		// March moves to Monday (Algemene termijnenwet art. 1).
		if got.NextDeadline == nil || got.NextDeadline.Step != reglement.StepAcknowledgement || *got.NextDeadline.Due != calendar.D(2026, 3, 16) {
			t.Errorf("next deadline %+v, want acknowledgement on 2026-03-16", got.NextDeadline)
		}
		if got.Overdue || len(got.Events) != 1 || got.Events[0].Type != complaint.EvReceived {
			t.Errorf("overdue %v, events %+v", got.Overdue, got.Events)
		}
		if !hasAction(got, "acknowledge") || hasAction(got, "decide") {
			t.Errorf("the handler is offered %v", got.Allowed)
		}

		var list caseList
		b.ok(t, request{method: "GET", path: "/cases", who: "smartplus/handler"}, http.StatusOK, &list)
		if len(list.Cases) != 1 {
			t.Fatalf("list %+v", list)
		}
		c := list.Cases[0]
		if c.Number != "2026-0001" || c.State != "received" || c.ComplainantName != "Petra de Vries" || c.Closed ||
			c.NextDeadline == nil || *c.NextDeadline != calendar.D(2026, 3, 16) || c.NextDeadlineStep != "acknowledgement" || c.HandlerID != "" {
			t.Errorf("summary %+v", c)
		}
		if !strings.Contains(string(c.Summary), `"channel":"email"`) {
			t.Errorf("summary JSON %s", c.Summary)
		}

		// Another organisation sees none of it.
		b.ok(t, request{method: "GET", path: "/cases", who: "bestmatch/handler"}, http.StatusOK, &list)
		if len(list.Cases) != 0 {
			t.Errorf("Best Match lists %+v", list.Cases)
		}
	})
}

func TestListFilters(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		// 2026-0001: received in January and never acknowledged: overdue.
		late := smartplusComplaint()
		late["received_on"], late["incident_date"] = "2026-01-05", "2026-01-02"
		late["complainant"] = map[string]any{"name": "Ömer Yılmaz", "email": "omer@example.nl"}
		b.createCase(t, "smartplus/receiver", late)
		// 2026-0002: today, handled by Hans.
		mine := b.createCase(t, "smartplus/receiver", smartplusComplaint()).Number
		b.ok(t, request{method: "POST", path: "/cases/" + mine + "/actions/assign_handler", who: "smartplus/board",
			body: map[string]any{"handler": map[string]any{"name": "Hans Handler", "user_id": b.userID("smartplus/handler")}}}, http.StatusOK, nil)
		// 2026-0003: settled on the spot, closed at once (Punt 8).
		settled := smartplusComplaint()
		settled["settled_on_spot"] = "Afspraak telefonisch verzet; klager tevreden."
		if v := b.createCase(t, "smartplus/receiver", settled); v.Case.Phase != complaint.PhaseClosed {
			t.Fatalf("settled on the spot: phase %s", v.Case.Phase)
		}

		tests := []struct {
			name  string
			query string
			want  []string
		}{
			{"everything, by next deadline", "", []string{"2026-0001", "2026-0002", "2026-0003"}},
			{"open leaves out the closed case", "?open=true", []string{"2026-0001", "2026-0002"}},
			{"overdue finds the unacknowledged January case", "?overdue=true", []string{"2026-0001"}},
			{"handler=me is the caller's cases", "?handler=me", []string{"2026-0002"}},
			{"handler by user id", "?handler=" + b.userID("smartplus/handler"), []string{"2026-0002"}},
			{"unassigned open cases", "?unassigned=true&open=true", []string{"2026-0001"}},
			{"state", "?state=closed", []string{"2026-0003"}},
			{"due_before is strictly before the date", "?due_before=2026-03-16", []string{"2026-0001"}},
			{"due_before the day after includes that day", "?due_before=2026-03-17", []string{"2026-0001", "2026-0002"}},
			{"q ignores case and diacritics", "?q=OMER", []string{"2026-0001"}},
			{"limit and offset page", "?limit=1&offset=1", []string{"2026-0002"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				var list caseList
				b.ok(t, request{method: "GET", path: "/cases" + tc.query, who: "smartplus/handler"}, http.StatusOK, &list)
				var got []string
				for _, c := range list.Cases {
					got = append(got, c.Number)
				}
				if !slices.Equal(got, tc.want) {
					t.Errorf("got %v, want %v", got, tc.want)
				}
				for _, c := range list.Cases {
					if c.Overdue != (c.Number == "2026-0001") {
						t.Errorf("%s overdue = %v", c.Number, c.Overdue)
					}
				}
			})
		}
	})
}

func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		key := map[string]string{"Idempotency-Key": "intake-7f3a"}
		req := request{method: "POST", path: "/cases", who: "smartplus/receiver", body: smartplusComplaint(), header: key}
		var first, second service.CaseView
		b.ok(t, req, http.StatusCreated, &first)
		res := b.ok(t, req, http.StatusOK, &second)
		if second.Number != first.Number || res.header.Get("Location") != "/api/v1/cases/"+first.Number {
			t.Errorf("replay answered %s (Location %q), want %s", second.Number, res.header.Get("Location"), first.Number)
		}
		var list caseList
		b.ok(t, request{method: "GET", path: "/cases", who: "smartplus/receiver"}, http.StatusOK, &list)
		if len(list.Cases) != 1 {
			t.Errorf("%d cases after a replayed create, want 1", len(list.Cases))
		}
		// The key belongs to the organisation: Best Match may use it too.
		bm := request{method: "POST", path: "/cases", who: "bestmatch/receiver", body: bestmatchComplaint(b.userID("bestmatch/coach")), header: key}
		b.ok(t, bm, http.StatusCreated, nil)
		// Without a key, the same intake is a second case.
		req.header = nil
		var third service.CaseView
		b.ok(t, req, http.StatusCreated, &third)
		if third.Number == first.Number {
			t.Errorf("a create without a key replayed %s", third.Number)
		}
	})
}

func TestMeAndReglement(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		var me meView
		b.ok(t, request{method: "GET", path: "/me", who: "bestmatch/board"}, http.StatusOK, &me)
		preset, err := reglement.Preset("bestmatch")
		if err != nil {
			t.Fatal(err)
		}
		if me.User.ID != b.userID("bestmatch/board") || me.User.Name != "Dirk Directie" || me.User.Email != "board@bestmatch.test" ||
			me.Organisation.ID != "bestmatch" || me.Organisation.Name != preset.Organisation || !slices.Equal(me.Roles, []string{"board"}) {
			t.Errorf("me %+v", me)
		}
		var reg struct {
			Revision int    `json:"revision"`
			ID       string `json:"id"`
			Roles    struct {
				Decides struct {
					Role string `json:"role"`
				} `json:"decides"`
			} `json:"roles"`
			ValidFrom string `json:"valid_from"`
		}
		b.ok(t, request{method: "GET", path: "/reglement", who: "bestmatch/handler"}, http.StatusOK, &reg)
		// Best Match Sectie 5 stap 4: the board decides.
		if reg.Revision != 1 || reg.ID != "bestmatch" || reg.Roles.Decides.Role != "board" || reg.ValidFrom == "" {
			t.Errorf("reglement %+v", reg)
		}
	})
}

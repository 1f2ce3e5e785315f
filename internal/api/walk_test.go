package api

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
)

// step is one action in the walk of a complaint. A step that the
// regulation refuses at that moment names the status and reason it gets.
type step struct {
	why    string
	who    string // the seeded user's key within the organisation
	action string
	input  any
	// status is 200 unless set; reason is the problem's reason then.
	status int
	reason string
	// badInput: the action is offered, but this input is refused.
	badInput bool
	// phase is the case's phase after a step that succeeds, when checked.
	phase complaint.Phase
}

// walk creates a case from intake as the organisation's receiver and runs
// the steps, checking before each allowed step that the actor is offered
// the action (Allowed and Decide agree) and after it where the case stands.
func walk(t *testing.T, b *testBundle, org string, intake any, steps []step) service.CaseView {
	t.Helper()
	v := b.createCase(t, org+"/receiver", intake)
	if v.Case.Phase != complaint.PhaseReceived {
		t.Fatalf("new case in phase %q, want received", v.Case.Phase)
	}
	for i, s := range steps {
		who := org + "/" + s.who
		want := s.status
		if want == 0 {
			want = http.StatusOK
		}
		before := b.getCase(t, who, v.Number)
		wantOffered := want == http.StatusOK || s.badInput
		if offered := hasAction(before, s.action); offered != wantOffered {
			t.Fatalf("step %d (%s): %s offered %s = %v, want %v (offered %v)", i, s.why, s.who, s.action, offered, wantOffered, before.Allowed)
		}
		req := request{method: "POST", path: "/cases/" + v.Number + "/actions/" + s.action, who: who, body: s.input}
		if want != http.StatusOK {
			p := expectProblem(t, b.do(t, req), want)
			if p.Reason != s.reason {
				t.Fatalf("step %d (%s): reason %q, want %q; detail: %s", i, s.why, p.Reason, s.reason, p.Detail)
			}
			continue
		}
		var after service.CaseView
		res := b.do(t, req)
		if res.status != http.StatusOK {
			t.Fatalf("step %d (%s): %s by %s: status %d: %s", i, s.why, s.action, s.who, res.status, res.body)
		}
		if err := json.Unmarshal(res.body, &after); err != nil {
			t.Fatal(err)
		}
		if s.phase != "" && after.Case.Phase != s.phase {
			t.Fatalf("step %d (%s): phase %q, want %q", i, s.why, after.Case.Phase, s.phase)
		}
		if after.Case.LastSeq <= before.Case.LastSeq {
			t.Fatalf("step %d (%s): no event recorded", i, s.why)
		}
		v = after
	}
	return v
}

func TestWalkSmartPLUSFromReceiptToArchive(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		handler := map[string]any{"name": "Hans Handler", "user_id": b.userID("smartplus/handler")}
		decision := map[string]any{
			"points": []map[string]any{{
				"point": "Afspraken niet nagekomen", "judgment": "upheld",
				"motivation": "De agenda bevestigt twee gemiste afspraken.",
			}},
			"motivation": "De klacht is gegrond; de jobcoach neemt contact op voor nieuwe afspraken.",
		}
		v := walk(t, b, "smartplus", smartplusComplaint(), []step{
			{why: "Punt 5: the receiver acknowledges within five days", who: "receiver", action: "acknowledge", input: map[string]any{"via": "email"}},
			{why: "Punt 4: only the board appoints the handler", who: "receiver", action: "assign_handler", input: map[string]any{"handler": handler}, status: http.StatusForbidden, reason: "role"},
			{why: "Punt 4: the board appoints the handler", who: "board", action: "assign_handler", input: map[string]any{"handler": handler}},
			{why: "no decision before the complaint is taken into handling", who: "handler", action: "decide", input: decision, status: http.StatusConflict, reason: "admissibility_first"},
			{why: "Punt 7: the handler takes the complaint on", who: "handler", action: "decide_admissibility", input: map[string]any{"admissible": true}, phase: complaint.PhaseHandling},
			{why: "Punt 6: the complainant asks to be heard", who: "handler", action: "plan_hearing", input: map[string]any{"on": "2026-03-10"}},
			{why: "Punt 6: hoor en wederhoor", who: "handler", action: "hold_hearing", input: map[string]any{"summary": "Klager en jobcoach gehoord."}},
			{why: "Punt 6: the hearing report goes out for signature before the decision", who: "handler", action: "decide", input: decision, status: http.StatusConflict, reason: "hearing_report_required"},
			{why: "Punt 6: report sent for signature", who: "handler", action: "send_hearing_report"},
			{why: "Punt 6: the complainant signs", who: "handler", action: "sign_hearing_report", input: map[string]any{"by": "Petra de Vries"}},
			{why: "Punt 8: the board is not the decider in SmartPLUS", who: "board", action: "decide", input: decision, status: http.StatusForbidden, reason: "role"},
			{why: "Punt 8: the handler decides", who: "handler", action: "decide", input: decision, phase: complaint.PhaseDecided},
			{why: "Punt 8: the case closes with the decision", who: "handler", action: "close", phase: complaint.PhaseClosed},
			{why: "a closed case accepts only archiving", who: "handler", action: "add_note", input: map[string]any{"text": "nog iets"}, status: http.StatusConflict, reason: "closed"},
			{why: "archived after closing", who: "handler", action: "archive", phase: complaint.PhaseArchived},
		})
		if v.Case.Outcome != reglement.OutcomeUpheld {
			t.Errorf("outcome %q, want upheld", v.Case.Outcome)
		}
		if !slices.ContainsFunc(v.Case.Referrals, func(r complaint.ReferralPayload) bool { return r.Body == "Nationale Ombudsman" }) {
			t.Errorf("Punt 8: the decision points to the Nationale Ombudsman; referrals %+v", v.Case.Referrals)
		}
		wantMet(t, v, reglement.StepAcknowledgement, reglement.StepDecision)
		if len(v.Allowed) != 0 {
			t.Errorf("an archived case offers %v", v.Allowed)
		}
	})
}

func TestWalkBestMatchTheBoardDecidesAfterAHearing(t *testing.T) {
	t.Parallel()
	eachEngine(t, func(t *testing.T, b *testBundle) {
		handler := map[string]any{"name": "Cora Coördinator", "user_id": b.userID("bestmatch/handler")}
		coach := map[string]any{"name": "Coen Coach", "user_id": b.userID("bestmatch/coach")}
		decision := map[string]any{
			"points": []map[string]any{
				{"point": "Onjuiste weergave gesprek", "judgment": "upheld", "motivation": "Het verslag van het driegesprek bevestigt de klager."},
				{"point": "Toon van de coach", "judgment": "not_upheld", "motivation": "Geen aanwijzingen in de stukken."},
			},
			"motivation": "De klacht is gedeeltelijk gegrond; de rapportage wordt gecorrigeerd.",
		}
		v := walk(t, b, "bestmatch", bestmatchComplaint(b.userID("bestmatch/coach")), []step{
			{why: "Sectie 5 stap 1: the backoffice acknowledges", who: "receiver", action: "acknowledge"},
			{why: "Sectie 6: the accused coach never handles the complaint", who: "board", action: "assign_handler", input: map[string]any{"handler": coach}, status: http.StatusConflict, reason: "accused_handler", badInput: true},
			{why: "Sectie 2: the board appoints the coordinator", who: "board", action: "assign_handler", input: map[string]any{"handler": handler}},
			{why: "Sectie 5 stap 2: the coordinator takes the complaint on", who: "handler", action: "decide_admissibility", input: map[string]any{"admissible": true}, phase: complaint.PhaseHandling},
			{why: "Sectie 5 stap 3: no decision without the hearing", who: "board", action: "decide", input: decision, status: http.StatusConflict, reason: "hearing_required"},
			{why: "Sectie 5 stap 3: the coordinator plans the driegesprek", who: "handler", action: "plan_hearing", input: map[string]any{"on": "2026-03-10", "form": "MS Teams", "participants": []string{"Sanne Jansen", "Coen Coach"}}},
			{why: "Sectie 5 stap 3: the driegesprek is held", who: "handler", action: "hold_hearing", input: map[string]any{"summary": "Feiten verhelderd; de coach erkent de onjuiste passage."}},
			{why: "Sectie 5 stap 4: the board decides on a motivated proposal", who: "board", action: "decide", input: decision, status: http.StatusConflict, reason: "board_proposal_required"},
			{why: "Sectie 5 stap 4: the coordinator proposes", who: "handler", action: "propose_decision", input: map[string]any{"text": "Voorstel: gedeeltelijk gegrond, rapportage corrigeren."}},
			{why: "Sectie 6: the coordinator advises, the board decides", who: "handler", action: "decide", input: decision, status: http.StatusForbidden, reason: "role"},
			{why: "Sectie 5 stap 4: the board decides", who: "board", action: "decide", input: decision, phase: complaint.PhaseDecided},
			{why: "Sectie 7: a measure is agreed", who: "handler", action: "add_measure", input: map[string]any{"description": "Correctie van de rapportage", "kind": "corrective"}},
			{why: "Sectie 7: the measure is carried out", who: "handler", action: "complete_measure", input: map[string]any{"id": 1}},
			{why: "Sectie 5 stap 5: the file closes after aftercare", who: "handler", action: "close", status: http.StatusConflict, reason: "aftercare_open"},
			{why: "Sectie 5 stap 5: aftercare checked", who: "handler", action: "complete_aftercare", input: map[string]any{"text": "Rapportage gecorrigeerd; klager tevreden."}},
			{why: "Sectie 5 stap 5: the coordinator closes the file", who: "handler", action: "close", phase: complaint.PhaseClosed},
		})
		if v.Case.Outcome != reglement.OutcomePartlyUpheld {
			t.Errorf("outcome %q, want partly_upheld", v.Case.Outcome)
		}
		if v.Case.Decision == nil || v.Case.Decision.DecidedBy.UserID != b.userID("bestmatch/board") {
			t.Errorf("decision %+v, want one by the board", v.Case.Decision)
		}
		wantMet(t, v, reglement.StepAcknowledgement, reglement.StepHandlingStart, reglement.StepHearing, reglement.StepDecision, reglement.StepAftercare)
	})
}

// wantMet checks that every deadline of the steps was met.
func wantMet(t *testing.T, v service.CaseView, steps ...reglement.Step) {
	t.Helper()
	for _, s := range steps {
		found := false
		for _, d := range v.Deadlines {
			if d.Step != s {
				continue
			}
			found = true
			if d.Status != complaint.StatusMet {
				t.Errorf("deadline %s (%s) is %s, want met", s, d.Kind, d.Status)
			}
		}
		if !found {
			t.Errorf("no deadline for step %s in %+v", s, v.Deadlines)
		}
	}
}

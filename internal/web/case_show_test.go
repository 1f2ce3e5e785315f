package web

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/complaint"
)

func TestCaseFileShowsWhereTheCaseStands(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.cases["overdue"]
	body := b.signedIn(t, "smartplus/handler").ok("/zaken/" + n).body
	for _, want := range []string{
		"<h1 class=\"utrecht-heading-1\">Klacht " + n + "</h1>",
		"Ontvangen. Ontvangstbevestiging, behandelaar",                                   // the state in plain Dutch
		"Volgende termijn:</strong> Ontvangstbevestiging (uiterste termijn), 09-02-2026", // the next deadline
		"gg-status--overdue", "Te laat",
		"5 dagen na ontvangst op 02-02-2026",                              // the term's explanation
		"valt op een zaterdag en schuift door",                            // ... with the weekend
		"Punt 5",                                                          // ... and its article
		"Klacht ontvangen via e-mail op 02-02-2026", "door Rita Receptie", // the timeline
		"Petra de Vries", "klager@example.nl", // the complainant
		"nog niet aangewezen", // no handler yet
		"Klachtenreglement SmartPLUS, versie 1 (opgeslagen versie 1)", // the regulation version
		"Er zijn nog geen documenten vastgelegd.",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the case file lacks %q", want)
		}
	}
	forms := actionForms(body)
	for _, a := range []string{"acknowledge", "decide_admissibility", "add_note", "extend"} {
		if !slices.Contains(forms, a) {
			t.Errorf("the handler is not offered %s (offered %v)", a, forms)
		}
	}
	for _, a := range []string{"assign_handler", "decide", "close", "archive"} {
		if slices.Contains(forms, a) {
			t.Errorf("the handler is offered %s, which SmartPLUS gives the board or a later phase", a)
		}
	}
	// The board appoints the handler in SmartPLUS (Punt 4).
	if forms := actionForms(b.signedIn(t, "smartplus/board").ok("/zaken/" + n).body); !slices.Contains(forms, "assign_handler") {
		t.Errorf("the board is not offered assign_handler: %v", forms)
	}
}

func TestCaseFileOfAnotherOrganisationIsNotFound(t *testing.T) {
	t.Parallel()
	b := setup(t)
	// 2026-0004 exists in SmartPLUS only.
	c := b.signedIn(t, "bestmatch/handler")
	if res := c.get("/zaken/" + b.cases["assigned"]); res.status != http.StatusNotFound {
		t.Errorf("another organisation's case: %d, want 404", res.status)
	}
	if res := c.post("/zaken/"+b.cases["assigned"]+"/acties/add_note", values("text", "x")); res.status != http.StatusNotFound {
		t.Errorf("an action on another organisation's case: %d, want 404", res.status)
	}
	if res := c.post("/zaken/"+b.cases["other"]+"/acties/no_such_action", values("text", "x")); res.status != http.StatusNotFound {
		t.Errorf("an unknown action: %d, want 404", res.status)
	}
}

func TestCaseActionIsRecordedAndTheFileShowsIt(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.cases["overdue"]
	c := b.signedIn(t, "smartplus/handler")
	res := c.post("/zaken/"+n+"/acties/acknowledge", values("on", "10-03-2026", "via", "post"))
	if res.status != http.StatusSeeOther || res.location() != "/zaken/"+n {
		t.Fatalf("acknowledge: %d to %q, body:\n%s", res.status, res.location(), res.body)
	}
	body := c.ok("/zaken/" + n).body
	for _, want := range []string{
		"De ontvangstbevestiging is vastgelegd.",               // the message after the form
		"Ontvangst bevestigd op 10-03-2026, per post",          // the timeline
		"door Hans Handler",                                    // who
		"gg-status--met_late", "Te laat gehaald op 10-03-2026", // the term, met late
	} {
		if !strings.Contains(body, want) {
			t.Errorf("after acknowledging, the file lacks %q", want)
		}
	}
	if slices.Contains(actionForms(body), "acknowledge") {
		t.Error("acknowledging is still offered after it was done")
	}
	// The message shows once.
	if strings.Contains(c.ok("/zaken/"+n).body, "De ontvangstbevestiging is vastgelegd.") {
		t.Error("the message shows twice")
	}
}

func TestAssigningTheAccusedAsHandlerIsRefusedNextToTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	henk := b.addPerson(t, "smartplus", "coach", "Henk Coach", "handler")
	n := b.openCase(t, "smartplus/receiver", "2026-03-02", accused(henk))
	c := b.signedIn(t, "smartplus/board")
	res := c.post("/zaken/"+n+"/acties/assign_handler", values("handler.user_id", henk.ID, "handler.function", "coach"))
	if res.status != http.StatusConflict {
		t.Fatalf("assigning the accused: %d, want 409; body:\n%s", res.status, res.body)
	}
	errID := "a-assign_handler-handler-user_id-error"
	for _, want := range []string{
		`<details class="gg-action" id="actie-assign_handler" open>`, // the form is open
		`id="` + errID + `">Deze persoon is betrokken medewerker in deze klacht en mag haar nooit behandelen.`,
		`aria-invalid="true" aria-describedby="a-assign_handler-handler-user_id-hint ` + errID + `"`, // tied to the field
		`<option value="` + henk.ID + `" selected>Henk Coach — betrokken medewerker</option>`,        // the choice kept
		`value="coach"`, // the other input kept
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("the refused form lacks %q", want)
		}
	}
	hans := b.users["smartplus/handler"]
	if res := c.post("/zaken/"+n+"/acties/assign_handler", values("handler.user_id", hans.ID)); res.status != http.StatusSeeOther {
		t.Fatalf("assigning another handler: %d\n%s", res.status, res.body)
	}
	if body := c.ok("/zaken/" + n).body; !strings.Contains(body, "Hans Handler aangewezen als behandelaar per 10-03-2026") {
		t.Error("the assignment is not in the timeline")
	}
}

func TestAccusedEmployeeSeesALimitedFile(t *testing.T) {
	t.Parallel()
	b := setup(t)
	henk, hans := b.addPerson(t, "smartplus", "coach", "Henk Coach", "handler"), b.users["smartplus/handler"]
	n := b.openCase(t, "smartplus/receiver", "2026-03-02", accused(henk))
	b.act(t, "smartplus/board", n, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"user_id": hans.ID, "name": hans.Name}})
	b.act(t, "smartplus/handler", n, complaint.ActAddNote, map[string]any{"text": "Intern: de klager belde al drie keer."})
	b.act(t, "smartplus/handler", n, complaint.ActInformParty, map[string]any{"party": "accused_employee", "text": "Klachtbrief toegestuurd."})

	c := b.signedIn(t, "smartplus/coach")
	body := c.ok("/zaken/" + n).body
	for _, want := range []string{"U bent betrokken medewerker in deze klacht", "De coach kwam twee afspraken niet na", "Betrokken medewerker geïnformeerd op 10-03-2026", "Klachtbrief toegestuurd.", "Hans Handler"} {
		if !strings.Contains(body, want) {
			t.Errorf("the accused employee does not see %q", want)
		}
	}
	for _, hidden := range []string{"Intern: de klager belde", "petra@example.nl", "Notitie van"} {
		if strings.Contains(body, hidden) {
			t.Errorf("the accused employee sees %q", hidden)
		}
	}
	if forms := actionForms(body); len(forms) > 0 {
		t.Errorf("the accused employee is offered %v", forms)
	}
	if res := c.post("/zaken/"+n+"/acties/add_note", values("text", "Mijn kant")); res.status != http.StatusForbidden {
		t.Errorf("the accused employee's action: %d, want 403", res.status)
	}
	// The handler sees the note.
	if body := b.signedIn(t, "smartplus/handler").ok("/zaken/" + n).body; !strings.Contains(body, "Intern: de klager belde") {
		t.Error("the handler does not see the note")
	}
}

func TestActionFormKeepsInputAndShowsErrorsByTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	n := b.cases["assigned"]
	c := b.signedIn(t, "smartplus/handler")
	for _, tc := range []struct {
		name   string
		action string
		form   url.Values
		status int
		field  string
		text   string
		kept   string
	}{
		{"a date that is no date", "add_note", values("text", "Mijn notitie", "on", "31-02-2026"), 400, "a-add_note-on", "Vul een datum in, zoals 22-12-2026.", "Mijn notitie"},
		{"a missing text", "add_note", values("text", " ", "on", "10-03-2026"), 400, "a-add_note-text", "Vul dit veld in.", `value="10-03-2026"`},
		{"a date in the future", "add_note", values("text", "Later", "on", "11-03-2026"), 400, "a-add_note-on", "Deze datum ligt in de toekomst.", "Later"},
		{"a date before receipt", "acknowledge", values("on", "01-03-2026"), 400, "a-acknowledge-on", "Deze datum ligt vóór de ontvangst van de klacht.", `value="01-03-2026"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/zaken/"+n+"/acties/"+tc.action, tc.form)
			if res.status != tc.status {
				t.Fatalf("status %d, want %d", res.status, tc.status)
			}
			if !strings.Contains(res.body, `id="`+tc.field+`-error">`+tc.text) {
				t.Errorf("no %q next to %s", tc.text, tc.field)
			}
			if !regexp.MustCompile(`id="` + tc.field + `"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*` + tc.field + `-error"`).MatchString(res.body) {
				t.Errorf("the error is not tied to %s", tc.field)
			}
			if !strings.Contains(res.body, tc.kept) {
				t.Errorf("the input %q is lost", tc.kept)
			}
		})
	}
}

func TestCaseFileInEnglish(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/handler")
	c.post("/taal", values("taal", "en", "terug", "/"))
	body := c.ok("/zaken/" + b.cases["overdue"]).body
	for _, want := range []string{"Complaint " + b.cases["overdue"], "Deadlines", "Overdue", "What you can do now", "Complaint received by e-mail on 02-02-2026", "Acknowledge receipt"} {
		if !strings.Contains(body, want) {
			t.Errorf("the English case file lacks %q", want)
		}
	}
}

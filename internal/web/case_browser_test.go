package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/web/webtest"
)

// jsString quotes s for JavaScript.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// caseAction opens an action's form on the case file (unless it is open
// already), fills it, sends it and waits for the message it ends with.
func caseAction(t *testing.T, ctx context.Context, action string, fill func(), wait string) {
	t.Helper()
	sel := "#actie-" + action
	if !webtest.Get(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+jsString(sel)+`).open`)) {
		webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(sel+" > summary")))
	}
	if fill != nil {
		fill()
	}
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(sel+` button[type="submit"]`)))
	// The message is at the top of the new page: wait for the whole page.
	webtest.WaitFor(t, ctx, `document.readyState === "complete" && document.querySelector("footer") && document.body.textContent.includes(`+jsString(wait)+`)`)
}

// expectText fails the test when the page does not show text.
func expectText(t *testing.T, ctx context.Context, texts ...string) {
	t.Helper()
	body := webtest.Text(t, ctx, "main")
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Errorf("the page %s does not show %q", webtest.Location(t, ctx), s)
		}
	}
}

// TestBrowserCaseFromOverdueToClosed runs a Best Match complaint in
// Chromium from the dashboard to closing, as the handler and the board
// would, and runs axe-core on each screen of the case, the new-complaint
// form, search and the regulation. Best Match (Sectie 2, 5, 6): the board
// appoints the coordinator and decides on the coordinator's motivated
// proposal, after a required hearing; aftercare comes before closing.
// Cora coordinates and sits on the board, as in a small firm; Coen is the
// coach the complaint is about, and coordinates other cases himself.
func TestBrowserCaseFromOverdueToClosed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	cora := b.users["bestmatch/handler"]
	if err := b.store.AddMembership(t.Context(), "bestmatch", cora.ID, "board"); err != nil {
		t.Fatal(err)
	}
	coen := b.addPerson(t, "bestmatch", "coach", "Coen Coach", "handler")
	dirk := b.addPerson(t, "bestmatch", "board", "Dirk Directie", "board")
	n := b.openCase(t, "bestmatch/handler", "2026-02-02", accused(coen))
	ctx := webtest.Browser(t)

	// The handler finds the overdue case on Termijnen and opens it.
	webtest.SignIn(t, ctx, b.url, cora.Email, testPassword)
	sign := webtest.Get(t, ctx, chromedp.Evaluate[string](`(() => {
		for (const tr of document.querySelectorAll("#cases tbody tr")) {
			if (tr.querySelector("th a").textContent === `+jsString(n)+`) return tr.querySelector(".gg-status").textContent.trim();
		}
		return "";
	})()`))
	if sign != "Te laat" {
		t.Fatalf("case %s on the dashboard: %q, want Te laat", n, sign)
	}
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#cases a[href="/zaken/`+n+`"]`)), chromedp.WaitVisible(chromedp.CSS("#acties")))
	expectText(t, ctx, "Klacht "+n, "Te laat", "Coen Coach", "nog niet aangewezen")
	webtest.Axe(t, ctx)

	// The accused coach as handler: refused, the message next to the choice.
	caseAction(t, ctx, "assign_handler", func() {
		webtest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#a-assign_handler-handler-user_id"), coen.ID))
	}, "mag haar nooit behandelen")
	errID := "a-assign_handler-handler-user_id-error"
	if msg := webtest.Text(t, ctx, "#"+errID); !strings.Contains(msg, "betrokken medewerker in deze klacht") {
		t.Fatalf("the refusal says %q", msg)
	}
	if described := webtest.Get(t, ctx, chromedp.Evaluate[string](`document.querySelector("#a-assign_handler-handler-user_id").getAttribute("aria-describedby")`)); !strings.Contains(described, errID) {
		t.Errorf("the handler choice is described by %q, not by its error", described)
	}
	webtest.Axe(t, ctx)

	// Another handler; then the steps of Best Match's procedure.
	caseAction(t, ctx, "assign_handler", func() {
		webtest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#a-assign_handler-handler-user_id"), cora.ID))
	}, langNL.t("act.assign_handler.done"))
	caseAction(t, ctx, "acknowledge", nil, langNL.t("act.acknowledge.done"))
	caseAction(t, ctx, "decide_admissibility", func() {
		webtest.Do(t, ctx, chromedp.Click(chromedp.CSS("#a-decide_admissibility-admissible-0")))
	}, langNL.t("act.decide_admissibility.done"))
	caseAction(t, ctx, "plan_hearing", func() {
		webtest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#a-plan_hearing-on"), "2026-03-10"),
			chromedp.SendKeys(chromedp.CSS("#a-plan_hearing-form"), "Via MS Teams"))
	}, langNL.t("act.plan_hearing.done"))
	caseAction(t, ctx, "hold_hearing", func() {
		webtest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#a-hold_hearing-summary"), "Klager en coach lichtten beide hun kant toe."))
	}, langNL.t("act.hold_hearing.done"))
	caseAction(t, ctx, "extend", func() {
		webtest.Do(t, ctx,
			chromedp.SetValue(chromedp.CSS("#a-extend-new_due"), "2026-06-01"),
			chromedp.SendKeys(chromedp.CSS("#a-extend-motivation"), "Het dossier van de klager moet nog worden opgevraagd."))
	}, langNL.t("act.extend.done"))
	expectText(t, ctx, "Besluittermijn verlengd tot 01-06-2026; bericht aan klager", "verlengd op 10-03-2026 tot 01-06-2026")
	caseAction(t, ctx, "propose_decision", func() {
		webtest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#a-propose_decision-text"), "Gegrond: de coach zegde twee afspraken af zonder bericht."))
	}, langNL.t("act.propose_decision.done"))
	expectText(t, ctx, "Gesprek (horen)", "Via MS Teams")
	webtest.Axe(t, ctx)

	// The board decides.
	webtest.Submit(t, ctx, `form[action="/afmelden"] button`, "#f-email")
	webtest.SignIn(t, ctx, b.url, dirk.Email, testPassword)
	webtest.Visit(t, ctx, b.url+"/zaken/"+n)
	caseAction(t, ctx, "decide", func() {
		webtest.Do(t, ctx,
			chromedp.SendKeys(chromedp.CSS("#a-decide-points-0--point"), "Afspraken niet nagekomen"),
			chromedp.SetValue(chromedp.CSS("#a-decide-points-0--judgment"), "upheld"),
			chromedp.SendKeys(chromedp.CSS("#a-decide-points-0--motivation"), "Twee afspraken vervielen zonder bericht."),
			chromedp.SendKeys(chromedp.CSS("#a-decide-motivation"), "De klacht is gegrond; de klager krijgt een nieuwe coach."))
	}, langNL.t("act.decide.done"))
	expectText(t, ctx, "Besluit: Gegrond", "Dirk Directie", "Er is besloten.")
	webtest.Axe(t, ctx)

	// The handler completes the aftercare and closes the case.
	webtest.Submit(t, ctx, `form[action="/afmelden"] button`, "#f-email")
	webtest.SignIn(t, ctx, b.url, cora.Email, testPassword)
	webtest.Visit(t, ctx, b.url+"/zaken/"+n)
	caseAction(t, ctx, "complete_aftercare", func() {
		webtest.Do(t, ctx, chromedp.SendKeys(chromedp.CSS("#a-complete_aftercare-text"), "Nieuwe coach begonnen; klager tevreden."))
	}, langNL.t("act.complete_aftercare.done"))
	caseAction(t, ctx, "close", nil, langNL.t("act.close.done"))
	if state := webtest.Text(t, ctx, ".gg-badge"); state != "Afgesloten" {
		t.Errorf("after closing the state is %q", state)
	}
	expectText(t, ctx, "Zaak afgesloten op 10-03-2026", "Bewaartermijn")

	// The other screens of the case work, each accessible.
	webtest.Visit(t, ctx, b.url+"/klachten/nieuw")
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(`button[name="soort"][value="klacht"]`)))
	webtest.WaitFor(t, ctx, `document.readyState === "complete" && document.querySelector(".gg-field__error")`)
	webtest.Axe(t, ctx)
	webtest.Visit(t, ctx, b.url+"/zoeken?q=petra")
	expectText(t, ctx, n)
	webtest.Axe(t, ctx)
	webtest.Visit(t, ctx, b.url+"/reglement")
	webtest.Axe(t, ctx)

	// An administrator's upload with an error, then the case in English.
	webtest.Submit(t, ctx, `form[action="/afmelden"] button`, "#f-email")
	webtest.SignIn(t, ctx, b.url, b.users["bestmatch/administrator"].Email, testPassword)
	webtest.Visit(t, ctx, b.url+"/reglement/nieuw")
	webtest.Do(t, ctx, chromedp.SetValue(chromedp.CSS("#f-yaml"), "id: bestmatch\nterms: [\n"))
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/reglement/nieuw"] button[type="submit"]`)))
	webtest.WaitFor(t, ctx, `document.readyState === "complete" && document.querySelector(".utrecht-alert--error")`)
	expectText(t, ctx, "Het reglement is niet opgeslagen", "regel ")
	webtest.Axe(t, ctx)
	webtest.Do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/taal"] button`)))
	webtest.WaitFor(t, ctx, `document.readyState === "complete" && document.documentElement.lang === "en"`)
	webtest.Visit(t, ctx, b.url+"/zaken/"+n)
	expectText(t, ctx, "Complaint "+n, "Closed on 10-03-2026", "Decision: Upheld")
}

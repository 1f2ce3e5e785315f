package web

import (
	"context"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/web/webtest"
)

// screenshotDir is where TestScreenshots writes the main screens as PNG
// files; the test runs only when it is set (make screenshots):
//
//	go test ./internal/web -run '^TestScreenshots$' -count=1 -screenshots "$PWD/docs/screenshots"
var screenshotDir = flag.String("screenshots", "", "write PNG screenshots of the main screens to this directory")

// TestScreenshots renders the main screens (Termijnen, a case file, the
// new-complaint form, search, the regulation, and the complainant's
// portal on a phone) in Chromium for the README, on the fixed test clock and a SmartPLUS case part-way through
// its handling.
func TestScreenshots(t *testing.T) {
	if *screenshotDir == "" {
		t.Skip("run with -screenshots DIR (make screenshots)")
	}
	if err := os.MkdirAll(*screenshotDir, 0o755); err != nil {
		t.Fatal(err)
	}
	b := setup(t)
	coach := b.addPerson(t, "smartplus", "coach", "Jeroen de Coach", "receiver")
	hans := b.users["smartplus/handler"]
	n := b.openCase(t, "smartplus/receiver", "2026-02-23", func(in map[string]any) {
		accused(coach)(in)
		in["channel"] = "phone"
		in["complainant"] = map[string]any{"name": "Marieke Bos", "phone": "06 12 34 56 78", "email": "m.bos@example.nl"}
		in["client_name"] = "Marieke Bos"
		in["commissioning_party"] = "UWV"
		in["facts"] = "Mijn jobcoach zegde in februari twee keer op het laatste moment een afspraak af en belde daarna niet terug.\nIk heb daardoor een sollicitatiegesprek gemist."
		in["desired_outcome"] = "Een andere jobcoach en excuses."
		in["claim_amount_eur"] = 500
		in["category"] = "onheus_optreden"
	})
	b.act(t, "smartplus/board", n, complaint.ActAssignHandler, map[string]any{"handler": map[string]any{"user_id": hans.ID, "name": hans.Name, "function": "klachtbehandelaar"}})
	b.act(t, "smartplus/handler", n, complaint.ActAcknowledge, map[string]any{"via": "email"})
	b.act(t, "smartplus/handler", n, complaint.ActInformParty, map[string]any{"party": "accused_employee", "text": "Klachtbrief toegestuurd."})
	b.act(t, "smartplus/handler", n, complaint.ActDecideAdmissibility, map[string]any{"admissible": true})
	b.act(t, "smartplus/handler", n, complaint.ActPlanHearing, map[string]any{"on": "2026-03-12", "form": "op kantoor in Rotterdam", "participants": []string{"Marieke Bos", "Jeroen de Coach", "Hans Handler"}})

	ctx := webtest.Browser(t)
	webtest.SignIn(t, ctx, b.url, hans.Email, testPassword)
	for _, shot := range []struct{ name, path, open string }{
		{"dashboard", "/", ""},
		{"case", "/zaken/" + n, "#actie-hold_hearing"},
		{"complaint_new", "/klachten/nieuw", ""},
		{"search", "/zoeken?q=client", ""},
		{"reglement", "/reglement", ""},
	} {
		webtest.Visit(t, ctx, b.url+shot.path)
		if shot.open != "" {
			// Open, not clicked: a click would leave focus marks in the picture.
			webtest.Get(t, ctx, chromedp.Evaluate[bool](`document.querySelector(`+jsString(shot.open)+`).open = true`))
		}
		webtest.Screenshot(t, ctx, filepath.Join(*screenshotDir, shot.name+".png"))
	}

	// The complainant follows the same case on a phone.
	token, _, err := b.svc.IssuePortalLink(context.Background(), "smartplus", n, "m.bos@example.nl")
	if err != nil {
		t.Fatal(err)
	}
	phone := webtest.Browser(t)
	webtest.Do(t, phone, chromedp.EmulateViewport(360, 740))
	webtest.Visit(t, phone, b.url+"/portaal/"+token)
	webtest.Screenshot(t, phone, filepath.Join(*screenshotDir, "portal_phone.png"))
}

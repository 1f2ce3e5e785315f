package web

import (
	"bytes"
	"context"
	"image"
	pngenc "image/png"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func init() {
	for _, p := range []string{"GET /beheer/brieven", "POST /beheer/brieven"} {
		routeAccess[p] = struct {
			who  string
			form url.Values
		}{adminsOnly, nil}
	}
}

// postLetterSettings sends the settings form as the browser does:
// multipart, with an optional logo.
func postLetterSettings(t *testing.T, c *client, vals url.Values, logo []byte) response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	if logo != nil {
		w, _ := mw.CreateFormFile("logo", "logo.png")
		w.Write(logo)
	}
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.b.url+"/beheer/brieven", &buf)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

func TestLetterSettingsScreen(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/administrator")
	page := c.ok("/beheer/brieven").body
	for _, want := range []string{"Brieven en huisstijl", `name="complaint_email"`, `name="wording.acknowledgement.intro"`, `enctype="multipart/form-data"`, `href="/beheer/postvak"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if !strings.Contains(c.ok("/gebruikers").body, `href="/beheer/brieven"`) {
		t.Error("the users page does not lead to the letter settings")
	}
	var logo bytes.Buffer
	pngenc.Encode(&logo, image.NewRGBA(image.Rect(0, 0, 120, 40)))

	// A refused form keeps what was typed and stores nothing.
	bad := url.Values{"complaint_email": {"klachten@"}, "address": {"Postbus 1\n1000 AA Amsterdam"}, "lang": {"nl"},
		"wording.decision.closing": {strings.Repeat("x", 1300)}}
	res := postLetterSettings(t, c, bad, nil)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "geen geldig e-mailadres") || !strings.Contains(res.body, "Postbus 1") {
		t.Fatalf("bad e-mail: %d:\n%.3000s", res.status, res.body)
	}
	bad.Set("complaint_email", "klachten@smartplus.nl")
	res = postLetterSettings(t, c, bad, nil)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "te lang") {
		t.Fatalf("long wording: %d:\n%.3000s", res.status, res.body)
	}
	res = postLetterSettings(t, c, url.Values{"lang": {"nl"}}, []byte("GIF89a not a png"))
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "PNG-afbeelding") {
		t.Fatalf("logo: %d:\n%.3000s", res.status, res.body)
	}
	if o, err := b.svc.LetterSettings(context.Background(), "smartplus"); err != nil || o.Settings.Address != "" || len(o.Settings.Logo) > 0 {
		t.Fatalf("a refused form stored settings: %+v %v", o.Settings, err)
	}

	good := url.Values{"complaint_email": {"Klachten@SmartPLUS.nl"}, "address": {"Postbus 1\n1000 AA Amsterdam"}, "phone": {"020 123 4567"},
		"lang": {"en"}, "reminder_days": {"3"}, "wording.acknowledgement.intro": {"Fijn dat u ons laat weten wat er misging."}}
	res = postLetterSettings(t, c, good, logo.Bytes())
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: %d:\n%.3000s", res.status, res.body)
	}
	o, err := b.svc.LetterSettings(context.Background(), "smartplus")
	if err != nil {
		t.Fatal(err)
	}
	s := o.Settings
	if s.ComplaintEmail != "klachten@smartplus.nl" || s.Address != "Postbus 1\n1000 AA Amsterdam" || s.Lang != "en" || s.ReminderDays != 3 ||
		!bytes.Equal(s.Logo, logo.Bytes()) || s.Wording["acknowledgement"].Intro != "Fijn dat u ons laat weten wat er misging." {
		t.Fatalf("stored %+v", s)
	}
	page = c.ok("/beheer/brieven").body
	if !strings.Contains(page, "120 × 40 px") || !strings.Contains(page, "Fijn dat u ons laat weten") || !strings.Contains(page, "opgeslagen") {
		t.Errorf("the saved settings are not shown:\n%.4000s", page)
	}
	// Saving without a file keeps the logo; "remove" removes it.
	if res := postLetterSettings(t, c, good, nil); res.status != http.StatusSeeOther {
		t.Fatalf("save again: %d", res.status)
	}
	if o, _ := b.svc.LetterSettings(context.Background(), "smartplus"); len(o.Settings.Logo) == 0 {
		t.Error("saving without a file removed the logo")
	}
	good.Set("remove_logo", "ja")
	postLetterSettings(t, c, good, nil)
	if o, _ := b.svc.LetterSettings(context.Background(), "smartplus"); len(o.Settings.Logo) != 0 {
		t.Error("remove did not remove the logo")
	}
}

package web

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// requireTOTP sets the organisation's require_totp setting.
func (b *testBundle) requireTOTP(t *testing.T, orgID string) {
	t.Helper()
	o, err := b.store.GetOrganisation(t.Context(), orgID)
	if err != nil {
		t.Fatal(err)
	}
	var settings map[string]any
	json.Unmarshal(o.Settings, &settings)
	if settings == nil {
		settings = map[string]any{}
	}
	settings["require_totp"] = true
	o.Settings, _ = json.Marshal(settings)
	if _, err := b.store.UpdateOrganisation(t.Context(), o); err != nil {
		t.Fatal(err)
	}
}

func TestRequiredSecondFactorIsEnrolledAndThenAsked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.requireTOTP(t, "smartplus")
	c := b.client(t)
	email := b.users["smartplus/handler"].Email
	res := c.post("/aanmelden", url.Values{"email": {email}, "password": {testPassword}})
	if res.status != http.StatusSeeOther || res.location() != "/account/tweestaps" {
		t.Fatalf("sign in: %d to %q, want the enrolment", res.status, res.location())
	}
	// Nothing else opens before the second factor is set up.
	for _, p := range []string{"/", "/account", "/gebruikers"} {
		if res := c.get(p); res.status != http.StatusFound || res.location() != "/account/tweestaps" {
			t.Errorf("GET %s before enrolment: %d to %q", p, res.status, res.location())
		}
	}
	page := c.ok("/account/tweestaps").body
	if !strings.Contains(page, "<svg class=\"gg-qr\"") || !strings.Contains(page, `role="img"`) {
		t.Fatal("no QR code on the enrolment page")
	}
	if strings.Contains(page, "utrecht-nav-bar") {
		t.Error("the navigation shows before the second factor")
	}
	m := regexp.MustCompile(`gg-secret">([A-Z2-7 ]+)<`).FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no secret on the enrolment page")
	}
	secret := strings.ReplaceAll(m[1], " ", "")
	if again := c.ok("/account/tweestaps").body; !strings.Contains(again, m[1]) {
		t.Fatal("a reload shows another secret")
	}
	res = c.post("/account/tweestaps", url.Values{"code": {"123456"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Deze code klopt niet") || !strings.Contains(res.body, `aria-invalid="true"`) {
		t.Fatalf("wrong code: %d", res.status)
	}
	code, err := totp.GenerateCodeCustom(secret, fixedNow, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatal(err)
	}
	before := c.sessionCookie()
	res = c.post("/account/tweestaps", url.Values{"code": {code}})
	if res.status != http.StatusOK {
		t.Fatalf("enrol: %d\n%s", res.status, res.body)
	}
	codes := regexp.MustCompile(`<li class="utrecht-ordered-list__item">([a-z1-9]{5}-[a-z1-9]{5})</li>`).FindAllStringSubmatch(res.body, -1)
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown, want 10", len(codes))
	}
	if c.sessionCookie() == before {
		t.Fatal("the session was not renewed after the second factor")
	}
	c.ok("/")

	// The next sign-in asks for a code; a recovery code works once.
	c2 := b.client(t)
	res = c2.post("/aanmelden", url.Values{"email": {email}, "password": {testPassword}, "terug": {"/?te-laat=1"}})
	if res.status != http.StatusSeeOther || res.location() != "/aanmelden/code?terug=%2F%3Fte-laat%3D1" {
		t.Fatalf("second sign-in: %d to %q", res.status, res.location())
	}
	if res := c2.get("/"); res.status != http.StatusFound || res.location() != "/aanmelden/code" {
		t.Fatalf("GET / before the code: %d to %q", res.status, res.location())
	}
	// The code of the enrolment is spent.
	if res := c2.post("/aanmelden/code", url.Values{"code": {code}}); res.status != http.StatusBadRequest {
		t.Fatalf("a replayed code: %d", res.status)
	}
	res = c2.post("/aanmelden/code", url.Values{"code": {codes[0][1]}, "terug": {"/?te-laat=1"}})
	if res.status != http.StatusSeeOther || res.location() != "/?te-laat=1" {
		t.Fatalf("recovery code: %d to %q", res.status, res.location())
	}
	c2.ok("/")

	// A receiver of the same organisation needs no second factor.
	b.signedIn(t, "smartplus/receiver").ok("/")
}

func TestAdministratorRemovesASecondFactor(t *testing.T) {
	t.Parallel()
	b := setup(t)
	target := b.users["smartplus/target"]
	if err := b.store.SaveTOTP(t.Context(), target.ID, "JBSWY3DPEHPK3PXP", nil, fixedNow); err != nil {
		t.Fatal(err)
	}
	// With a second factor, the sign-in asks for it even where the
	// organisation does not require it.
	c := b.client(t)
	if res := c.post("/aanmelden", url.Values{"email": {target.Email}, "password": {testPassword}}); res.location() != "/aanmelden/code" {
		t.Fatalf("sign-in with TOTP: to %q", res.location())
	}
	admin := b.signedIn(t, "smartplus/administrator")
	if body := admin.ok("/gebruikers/" + target.ID).body; !strings.Contains(body, "Tweestapsverificatie uitzetten") {
		t.Fatal("no way to remove the second factor")
	}
	if res := admin.post("/gebruikers/"+target.ID+"/tweestaps-herstellen", nil); res.status != http.StatusSeeOther {
		t.Fatalf("remove: %d", res.status)
	}
	if res := b.client(t).post("/aanmelden", url.Values{"email": {target.Email}, "password": {testPassword}}); res.location() != "/" {
		t.Fatalf("sign-in after removal: to %q", res.location())
	}
}

package web

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/auth"
	"github.com/gegrond/gegrond/internal/reglement"
)

func TestAdministratorAddsAndManagesUsers(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, "smartplus/administrator")
	body := admin.ok("/gebruikers").body
	for _, s := range []string{"Hans Handler", "Klachtbehandelaar", "Beheerder", "Functionaris gegevensbescherming"} {
		if !strings.Contains(body, s) {
			t.Errorf("the user list lacks %q", s)
		}
	}
	admin.ok("/gebruikers/nieuw")

	// Errors show next to their fields.
	res := admin.post("/gebruikers", url.Values{"name": {""}, "email": {"nieuw@smartplus.test"}, "start": {"password"}, "password": {"kort"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "Kies minstens één rol.") || !strings.Contains(res.body, "Vul dit veld in.") {
		t.Fatalf("invalid new user: %d\n%s", res.status, res.body)
	}

	// With a first password: the person signs in with it.
	res = admin.post("/gebruikers", url.Values{"name": {"Nina Nieuw"}, "email": {"Nina@SmartPLUS.test"}, "rol": {"handler", "board", "nonsense"},
		"start": {"password"}, "password": {"een eerste wachtwoord"}})
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/gebruikers/") {
		t.Fatalf("add user: %d to %q\n%s", res.status, res.location(), res.body)
	}
	nina, err := b.store.FindUserByEmail(t.Context(), "nina@smartplus.test")
	if err != nil {
		t.Fatal(err)
	}
	if roles, _ := b.store.RolesOf(t.Context(), "smartplus", nina.ID); !slices.Equal(roles, []string{"board", "handler"}) {
		t.Fatalf("roles %v", roles)
	}
	if res := b.client(t).post("/aanmelden", url.Values{"email": {"nina@smartplus.test"}, "password": {"een eerste wachtwoord"}}); res.status != http.StatusSeeOther {
		t.Fatalf("the new user cannot sign in: %d", res.status)
	}
	if res := admin.post("/gebruikers", url.Values{"name": {"Nina"}, "email": {"nina@smartplus.test"}, "rol": {"receiver"}}); res.status != http.StatusConflict {
		t.Fatalf("adding a member twice: %d", res.status)
	}

	// With a reset link: it goes to the log, not the screen.
	res = admin.post("/gebruikers", url.Values{"name": {"Olaf Link"}, "email": {"olaf@smartplus.test"}, "rol": {"receiver"}, "start": {"link"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add user with a link: %d", res.status)
	}
	if page := admin.ok(res.location()).body; strings.Contains(page, "token=") || !strings.Contains(page, "serverlog") {
		t.Fatal("the reset link shows on the screen, or the screen does not say where it is")
	}
	if !strings.Contains(b.logs.String(), "email=olaf@smartplus.test") || !strings.Contains(b.logs.String(), "/wachtwoord/herstellen?token=") {
		t.Fatal("no reset link for the new user in the log")
	}

	// A person of another organisation keeps their account and gets roles here.
	cora := b.users["bestmatch/handler"]
	res = admin.post("/gebruikers", url.Values{"name": {"wordt genegeerd"}, "email": {cora.Email}, "rol": {"handler"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add an existing account: %d", res.status)
	}
	if roles, _ := b.store.RolesOf(t.Context(), "smartplus", cora.ID); !slices.Equal(roles, []string{"handler"}) {
		t.Fatalf("existing account's roles here: %v", roles)
	}
	if u, _ := b.store.GetUser(t.Context(), cora.ID); u.Name != cora.Name || u.PasswordHash != cora.PasswordHash {
		t.Fatal("adding an existing account changed it")
	}

	// Roles change; the page shows them.
	res = admin.post("/gebruikers/"+nina.ID+"/rollen", url.Values{"rol": {"receiver"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("change roles: %d", res.status)
	}
	if roles, _ := b.store.RolesOf(t.Context(), "smartplus", nina.ID); !slices.Equal(roles, []string{"receiver"}) {
		t.Fatalf("roles after change %v", roles)
	}
	if res := admin.post("/gebruikers/"+nina.ID+"/rollen", nil); res.status != http.StatusBadRequest || !strings.Contains(res.body, "Kies minstens één rol.") {
		t.Fatalf("no roles: %d", res.status)
	}

	// Removal ends the person's access here at once.
	nc := b.client(t)
	nc.post("/aanmelden", url.Values{"email": {"nina@smartplus.test"}, "password": {"een eerste wachtwoord"}})
	nc.ok("/")
	if res := admin.post("/gebruikers/"+nina.ID+"/verwijderen", nil); res.status != http.StatusSeeOther || res.location() != "/gebruikers" {
		t.Fatalf("remove: %d to %q", res.status, res.location())
	}
	if res := nc.get("/"); res.status != http.StatusFound {
		t.Fatalf("a removed member still sees the dashboard: %d", res.status)
	}
	if res := admin.get("/gebruikers/" + nina.ID); res.status != http.StatusNotFound {
		t.Fatalf("a removed member's page: %d", res.status)
	}
}

func TestTheOrganisationKeepsAnAdministrator(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, "smartplus/administrator")
	self := b.users["smartplus/administrator"].ID
	res := admin.post("/gebruikers/"+self+"/rollen", url.Values{"rol": {"handler"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "minstens één beheerder") {
		t.Fatalf("giving up the last administrator role: %d", res.status)
	}
	if res := admin.post("/gebruikers/"+self+"/verwijderen", nil); res.status != http.StatusConflict {
		t.Fatalf("removing the last administrator: %d", res.status)
	}
	// With a second administrator, the first may step down.
	target := b.users["smartplus/target"].ID
	if res := admin.post("/gebruikers/"+target+"/rollen", url.Values{"rol": {"administrator", "receiver"}}); res.status != http.StatusSeeOther {
		t.Fatalf("make a second administrator: %d", res.status)
	}
	if res := admin.post("/gebruikers/"+self+"/rollen", url.Values{"rol": {"handler"}}); res.status != http.StatusSeeOther || res.location() != "/" {
		t.Fatalf("step down: %d to %q", res.status, res.location())
	}
	if res := admin.get("/gebruikers"); res.status != http.StatusForbidden {
		t.Fatalf("a former administrator still manages users: %d", res.status)
	}
}

func TestAdministratorMakesAResetLink(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, "smartplus/administrator")
	target := b.users["smartplus/target"]
	res := admin.post("/gebruikers/"+target.ID+"/herstellink", nil)
	if res.status != http.StatusSeeOther {
		t.Fatalf("reset link: %d", res.status)
	}
	logs := b.logs.String()
	if !strings.Contains(logs, "email="+target.Email) || !strings.Contains(logs, "https://klachten.example/wachtwoord/herstellen?token=") {
		t.Fatalf("no reset link in the log:\n%s", logs)
	}
	if strings.Contains(admin.ok(res.location()).body, "token=") {
		t.Fatal("the link shows on the screen")
	}
}

func TestAdministratorRequiresTOTP(t *testing.T) {
	t.Parallel()
	b := setup(t)
	admin := b.signedIn(t, "smartplus/administrator")
	if body := admin.ok("/gebruikers").body; !strings.Contains(body, "Verplicht stellen") {
		t.Fatal("the users page offers no way to require TOTP")
	}
	if res := admin.post("/gebruikers/tweestaps-verplicht", url.Values{"verplicht": {"ja"}}); res.status != http.StatusSeeOther {
		t.Fatalf("require TOTP: %d", res.status)
	}
	org, err := b.store.GetOrganisation(context.Background(), "smartplus")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.RequiresTOTP(org, []reglement.Role{reglement.RoleHandler}) {
		t.Fatalf("settings after the switch: %s", org.Settings)
	}
	// The administrator is now asked to set up the second factor first.
	if res := admin.get("/gebruikers"); res.status != http.StatusFound || res.location() != "/account/tweestaps" {
		t.Fatalf("after requiring TOTP: %d to %q", res.status, res.location())
	}
}

package web

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// addOrganisation adds an organisation under one of the presets, with a
// receiver ("id/receiver").
func (b *testBundle) addOrganisation(t *testing.T, id string) {
	t.Helper()
	ctx := context.Background()
	preset, err := reglement.Preset(id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.store.CreateOrganisation(ctx, store.Organisation{ID: id, Name: preset.Organisation, ReglementID: id}); err != nil {
		t.Fatal(err)
	}
	yaml, _ := reglement.PresetSource(id)
	if _, err := b.store.SaveRegulation(ctx, id, store.Regulation{ValidFrom: calendar.D(2020, 1, 1), YAML: string(yaml)}); err != nil {
		t.Fatal(err)
	}
	b.addPerson(t, id, "receiver", "Rob Receptie", "receiver")
}

// radioValues returns the values of the radio buttons named name.
func radioValues(body, name string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`type="radio" id="[^"]+" name="`+regexp.QuoteMeta(name)+`" value="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestNewComplaintFormFollowsTheRegulation(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addOrganisation(t, "work2work")
	b.addOrganisation(t, "nextbest")
	for _, tc := range []struct {
		who      string
		channels []string
		checked  string
		want     []string
		not      []string
	}{
		{"smartplus/receiver", []string{"post", "email", "phone", "in_person"}, "phone",
			[]string{"Naam van de klager <span class=\"gg-required\">(verplicht)</span>", "Medewerker tegen wie de klacht zich richt</legend>", "Reglement: Punt 5.", `value="direct">Direct afgehandeld door ontvanger`},
			[]string{`value="opmerking"`, "webformulier"}},
		{"bestmatch/handler", []string{"email", "post"}, "post",
			[]string{"Naam van de betrokken coach(es) <span class=\"gg-required\">(verplicht)</span>", "Bewijsstukken (pdf, docx, png, jpg, mp4, ten hoogste 10 MB per bestand"},
			[]string{`value="opmerking"`, `value="direct"`, `value="phone"`}},
		{"work2work/receiver", nil, "",
			[]string{`value="opmerking">Registreren als opmerking`, `value="direct">Direct afgehandeld door ontvanger`}, nil},
		{"nextbest/receiver", nil, "",
			[]string{"Verplicht als de klager per post wil corresponderen."}, nil},
	} {
		t.Run(tc.who, func(t *testing.T) {
			body := b.signedIn(t, tc.who).ok("/klachten/nieuw").body
			if tc.channels != nil {
				if got := radioValues(body, "channel"); !slices.Equal(got, tc.channels) {
					t.Errorf("channels %v, want %v", got, tc.channels)
				}
				if !strings.Contains(body, `name="channel" value="`+tc.checked+`" checked`) {
					t.Errorf("channel %s is not chosen first", tc.checked)
				}
			}
			for _, w := range tc.want {
				if !strings.Contains(body, w) {
					t.Errorf("the form lacks %q", w)
				}
			}
			for _, w := range tc.not {
				if strings.Contains(body, w) {
					t.Errorf("the form has %q", w)
				}
			}
		})
	}
	// The layout's link goes to the form.
	if res := b.signedIn(t, "smartplus/receiver").get("/zaken/nieuw"); res.status != http.StatusFound || res.location() != "/klachten/nieuw" {
		t.Errorf("/zaken/nieuw: %d to %q", res.status, res.location())
	}
}

func TestNewComplaintIsRegistered(t *testing.T) {
	t.Parallel()
	b := setup(t)
	tom := b.users["smartplus/target"]
	c := b.signedIn(t, "smartplus/receiver")
	form := values("sleutel", "k1", "channel", "phone", "received_on", "09-03-2026",
		"complainant.name", "Anna de Boer", "complainant.phone", "06 12345678",
		"incident_date", "2026-03-02", "facts", "Mijn coach zei de afspraak af\nzonder een nieuwe te maken.",
		"accused", tom.ID, "accused_names", "Externe Coach", "claim_amount", "€ 1.500,00",
		"category", "traagheid", "soort", "klacht")
	res := c.post("/klachten/nieuw", form)
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location(), "/zaken/2026-") {
		t.Fatalf("register: %d to %q\n%s", res.status, res.location(), res.body)
	}
	// The same form again (a double click) registers nothing new.
	if again := c.post("/klachten/nieuw", form); again.location() != res.location() {
		t.Errorf("the form sent twice made %q and %q", res.location(), again.location())
	}
	body := c.ok(res.location()).body
	for _, want := range []string{
		"De klacht is geregistreerd.", "09-03-2026, via telefoon", "Anna de Boer\n06 12345678",
		"Tom Doelwit, Externe Coach", "€ 1.500,00", "Traagheid", "zonder een nieuwe te maken.", "door Rita Receptie",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the new case lacks %q", want)
		}
	}
}

func TestNewComplaintShowsErrorsByTheField(t *testing.T) {
	t.Parallel()
	b := setup(t)
	c := b.signedIn(t, "smartplus/receiver")
	for _, tc := range []struct {
		name   string
		form   []string
		errors map[string]string
		kept   string
	}{
		{"the regulation's required name", []string{"channel", "phone", "complainant.phone", "06 1", "incident_date", "2026-03-02", "facts", "Iets ging mis."},
			map[string]string{"f-complainant-name": "Het reglement vraagt dit gegeven."}, "Iets ging mis."},
		{"the contact details as a group", []string{"channel", "phone", "complainant.name", "Anna", "incident_date", "2026-03-02", "facts", "Iets."},
			map[string]string{"g-complainant_contact": "Het reglement vraagt dit gegeven."}, `value="Anna"`},
		{"what the screen cannot read, all at once", []string{"channel", "phone", "complainant.name", "Anna", "received_on", "gisteren", "claim_amount", "veel", "facts", "Iets."},
			map[string]string{"f-received_on": "Vul een datum in, zoals 22-12-2026.", "f-claim_amount": "Vul een bedrag in hele euro&#39;s in"}, `value="veel"`},
		{"an incident after receipt", []string{"channel", "phone", "complainant.name", "Anna", "complainant.phone", "06", "incident_date", "2026-03-11", "received_on", "2026-03-10", "facts", "Iets."},
			map[string]string{"f-incident_date": "De datum van het voorval ligt na de datum van ontvangst."}, `value="11-03-2026"`},
		{"settled on the spot needs what was agreed", []string{"channel", "phone", "complainant.name", "Anna", "complainant.phone", "06", "incident_date", "2026-03-02", "facts", "Iets.", "soort", "direct"},
			map[string]string{"f-settled_on_spot": "Vul in wat er is geantwoord en afgesproken."}, "Iets."},
		{"a channel the regulation does not know", []string{"channel", "web", "complainant.name", "Anna", "complainant.phone", "06", "incident_date", "2026-03-02", "facts", "Iets."},
			map[string]string{"f-channel": "Het reglement aanvaardt klachten niet op deze manier."}, `value="Anna"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/klachten/nieuw", values(tc.form...))
			if res.status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400", res.status)
			}
			for id, text := range tc.errors {
				if !strings.Contains(res.body, `id="`+id+`-error">`+text) {
					t.Errorf("no %q at %s", text, id)
				}
				if !strings.Contains(res.body, id+`-error"`) || !regexp.MustCompile(`aria-describedby="[^"]*`+id+`-error`).MatchString(res.body) {
					t.Errorf("the error at %s is not tied to its field", id)
				}
			}
			if !strings.Contains(res.body, tc.kept) {
				t.Errorf("the input %q is lost", tc.kept)
			}
			if !strings.Contains(res.body, "Niet alles is goed ingevuld") {
				t.Error("no summary above the form")
			}
		})
	}
}

func TestNewComplaintSettledOnTheSpotOrAsRemark(t *testing.T) {
	t.Parallel()
	b := setup(t)
	b.addOrganisation(t, "work2work")
	c := b.signedIn(t, "smartplus/receiver")
	res := c.post("/klachten/nieuw", values("channel", "in_person", "complainant.name", "Anna", "complainant.phone", "06",
		"incident_date", "2026-03-09", "facts", "Afspraak vergeten.", "soort", "direct", "settled_on_spot", "Excuses gemaakt; nieuwe afspraak staat."))
	if res.status != http.StatusSeeOther {
		t.Fatalf("settled on the spot: %d\n%s", res.status, res.body)
	}
	body := c.ok(res.location()).body
	for _, want := range []string{"als direct afgehandeld door de ontvanger, en afgesloten", "Afgesloten op 10-03-2026.", "Direct afgehandeld door de ontvanger", "Excuses gemaakt; nieuwe afspraak staat."} {
		if !strings.Contains(body, want) {
			t.Errorf("the settled case lacks %q", want)
		}
	}

	w := b.signedIn(t, "work2work/receiver")
	res = w.post("/klachten/nieuw", values("channel", "phone", "complainant.name", "Bob", "complainant.phone", "06",
		"facts", "Een suggestie voor de wachtruimte.", "soort", "opmerking"))
	if res.status != http.StatusSeeOther {
		t.Fatalf("as a remark: %d\n%s", res.status, res.body)
	}
	body = w.ok(res.location()).body
	for _, want := range []string{"Opmerking 2026-", "De opmerking is geregistreerd", "Vastgelegd als opmerking, buiten de klachtprocedure"} {
		if !strings.Contains(body, want) {
			t.Errorf("the remark lacks %q", want)
		}
	}
}

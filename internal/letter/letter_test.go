package letter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

func TestOrganisationWording(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	pc := cases["smartplus"]
	s := pc.snaps["decided"]
	standard := pc.compose(t, reglement.LetterDecision, Dutch)

	t.Run("an own intro and closing replace the standard paragraphs, not the contents", func(t *testing.T) {
		t.Parallel()
		org := testOrg
		org.Wording = map[reglement.LetterKind]Wording{reglement.LetterDecision: {
			Intro:   "Hartelijk dank voor uw geduld.\n\nHieronder leest u ons besluit.",
			Closing: "Wij horen graag hoe u dit besluit ervaart.",
		}}
		l, err := Compose(reglement.LetterDecision, s.st, pc.r, org, toComplainant, s.on, Dutch)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"Hartelijk dank voor uw geduld.\n\nHieronder leest u ons besluit.", "Wij horen graag hoe u dit besluit ervaart."} {
			if !strings.Contains(l.Text, want) {
				t.Errorf("own wording %q missing:\n%s", want, l.Text)
			}
		}
		if strings.Contains(l.Text, "Wij hebben de klacht onderzocht.") || strings.Contains(l.Text, "Wij hopen dat deze brief") {
			t.Error("the standard intro and closing must give way to the organisation's")
		}
		if !reflect.DeepEqual(l.Contents, standard.Contents) {
			t.Fatalf("the contents block must not change with the wording:\n%+v\n%+v", l.Contents, standard.Contents)
		}
		other, err := Compose(reglement.LetterAcknowledgement, pc.snaps["acknowledged"].st, pc.r, org, toComplainant, s.on, Dutch)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(other.Text, "Hartelijk dank voor uw geduld.") {
			t.Fatal("wording for the decision leaked into the acknowledgement")
		}
	})

	t.Run("wording beyond the limits is refused", func(t *testing.T) {
		t.Parallel()
		for name, w := range map[string]Wording{
			"too long":      {Intro: strings.Repeat("Lang. ", MaxWordingChars/5)},
			"control bytes": {Closing: "Groet\x00"},
		} {
			org := testOrg
			org.Wording = map[reglement.LetterKind]Wording{reglement.LetterDecision: w}
			_, err := Compose(reglement.LetterDecision, s.st, pc.r, org, toComplainant, s.on, Dutch)
			if apperr.CodeOf(err) != apperr.Invalid {
				t.Errorf("%s: want invalid, got %v", name, err)
			}
		}
	})

	t.Run("template actions in own wording are plain text", func(t *testing.T) {
		t.Parallel()
		org := testOrg
		org.Wording = map[reglement.LetterKind]Wording{reglement.LetterDecision: {Intro: "Zie {{.D.Complainant.Email}}."}}
		l, err := Compose(reglement.LetterDecision, s.st, pc.r, org, toComplainant, s.on, Dutch)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(l.Text, "Zie {{.D.Complainant.Email}}.") || strings.Contains(l.Text, "Zie elif@example.nl") {
			t.Fatalf("own wording must not run as a template:\n%s", l.Text)
		}
	})
}

func TestComposeRefusesBadInput(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	pc := cases["nextbest"]
	s := pc.snaps["acknowledged"]
	for name, tc := range map[string]struct {
		kind  reglement.LetterKind
		org   Org
		to    Recipient
		on    calendar.Date
		lang  string
		field string
	}{
		"unknown kind":     {kind: "love_letter", org: testOrg, to: toComplainant, on: s.on, field: "kind"},
		"unknown language": {kind: reglement.LetterAcknowledgement, org: testOrg, to: toComplainant, on: s.on, lang: "fr", field: "lang"},
		"no recipient":     {kind: reglement.LetterAcknowledgement, org: testOrg, to: Recipient{Name: " "}, on: s.on, field: "to.name"},
		"unknown party":    {kind: reglement.LetterAcknowledgement, org: testOrg, to: Recipient{Name: "X", Party: "neighbour"}, on: s.on, field: "to.party"},
		"no date":          {kind: reglement.LetterAcknowledgement, org: testOrg, to: toComplainant, field: "date"},
		"logo not a PNG":   {kind: reglement.LetterAcknowledgement, org: Org{Logo: []byte("GIF89a")}, to: toComplainant, on: s.on, field: "logo"},
	} {
		_, err := Compose(tc.kind, s.st, pc.r, tc.org, tc.to, tc.on, tc.lang)
		var e *apperr.Error
		if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Field != tc.field {
			t.Errorf("%s: want invalid %s, got %v", name, tc.field, err)
		}
	}
	if _, err := Compose(reglement.LetterAcknowledgement, s.st, nil, testOrg, toComplainant, s.on, ""); err == nil {
		t.Error("no regulation: want an error")
	}
}

func TestLetterFacts(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)

	t.Run("Dutch is the default language", func(t *testing.T) {
		t.Parallel()
		l := cases["nextbest"].compose(t, reglement.LetterAcknowledgement, "")
		if l.Lang != Dutch || !strings.Contains(l.Text, "Beste Ëlif Çelik,") || l.Subject != "Wij hebben uw klacht ontvangen" {
			t.Fatalf("%s %q:\n%s", l.Lang, l.Subject, l.Text)
		}
	})

	t.Run("NextBest Art. 5: the regulation goes with the acknowledgement", func(t *testing.T) {
		t.Parallel()
		l := cases["nextbest"].compose(t, reglement.LetterAcknowledgement, Dutch)
		if len(l.Enclosures) != 1 || !strings.Contains(l.Enclosures[0], "Klachtenreglement re-integratiediensten NextBest") {
			t.Fatalf("enclosures %v", l.Enclosures)
		}
		if c := contentOf(t, l, "regulation_document"); !c.Required || c.Source != "Art. 5" {
			t.Fatalf("%+v", c)
		}
	})

	t.Run("the accused employee is written to about the complaint, not as its author", func(t *testing.T) {
		t.Parallel()
		l := cases["smartplus"].compose(t, reglement.LetterAccusedNotice, Dutch)
		text := squash(l.Text)
		if !strings.Contains(text, "Beste Dirk Smit,") || !strings.Contains(text, "De klacht gaat over u.") || strings.Contains(text, "uw klacht") {
			t.Fatalf("accused notice:\n%s", l.Text)
		}
	})

	t.Run("an extension shows the new date, the reason and the original term apart", func(t *testing.T) {
		t.Parallel()
		pc := cases["smartplus"]
		l := pc.compose(t, reglement.LetterExtension, Dutch)
		for _, want := range []string{"25-01-2027", "Wij wachten nog op de verklaring"} {
			if !strings.Contains(l.Text, want) {
				t.Errorf("extension notice lacks %q", want)
			}
		}
		s := pc.snaps["extended"]
		d := fill(reglement.LetterAcknowledgement, s.st, pc.r, s.on)
		if et := d.ExpectedTerm; et == nil || et.Limit == nil || et.Limit.Due != calendar.D(2027, 1, 4) || *et.ExtendedTo != calendar.D(2027, 1, 25) {
			t.Fatalf("expected term after extension: %+v", d.ExpectedTerm)
		}
	})

	t.Run("the decision is signed by the board where the board decides", func(t *testing.T) {
		t.Parallel()
		l := cases["bestmatch"].compose(t, reglement.LetterDecision, Dutch)
		if !strings.Contains(l.Text, "Cees Bakker\nDirectie\nReïntegratie Zoë B.V.") {
			t.Fatalf("signature:\n%s", l.Text)
		}
	})

	t.Run("English letters", func(t *testing.T) {
		t.Parallel()
		l := cases["smartplus"].compose(t, reglement.LetterDecision, English)
		for _, want := range []string{"Dear Ëlif Çelik,", "Our decision on your complaint", "We find your complaint upheld.", "Nationale Ombudsman", "€500.00"} {
			if !strings.Contains(l.Text, want) {
				t.Errorf("English decision lacks %q:\n%s", want, l.Text)
			}
		}
	})
}

func TestHTMLEscapesCaseText(t *testing.T) {
	t.Parallel()
	b := setupWith(t, "smartplus", func(in *complaint.NewComplaint) {
		in.Facts = `De coach schreef <script>alert("x")</script> & meer.`
	})
	b.on(calendar.D(2026, 11, 24)).do(boardCees, complaint.ActAssignHandler, map[string]any{"handler": anna})
	l, err := Compose(reglement.LetterAcknowledgement, b.state(), b.r, testOrg, toComplainant, b.today(), Dutch)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(l.HTML, "<script>") || !strings.Contains(l.HTML, "&lt;script&gt;") || !strings.Contains(l.HTML, "&amp; meer.") {
		t.Fatalf("case text must be escaped in the HTML:\n%s", l.HTML)
	}
	if !strings.Contains(l.Text, `<script>alert("x")</script> & meer.`) {
		t.Fatal("the plain text keeps the text as typed")
	}
	for _, want := range []string{`<html lang="nl">`, "<title>Wij hebben uw klacht ontvangen</title>", caseNumber, "Reïntegratie Zoë B.V."} {
		if !strings.Contains(l.HTML, want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}

func TestRecipients(t *testing.T) {
	t.Parallel()
	cases := casesFor(t)
	names := func(rs []Recipient) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.Name+"/"+string(r.Party))
		}
		return out
	}
	for _, tc := range []struct {
		name   string
		preset string
		kind   reglement.LetterKind
		snap   string
		want   []string
	}{
		{"SmartPLUS Punt 8: the decision goes to the complainant and the employee", "smartplus", reglement.LetterDecision, "decided", []string{"Ëlif Çelik/complainant", "Dirk Smit/accused_employee"}},
		{"NextBest Art. 7: the copy goes to the contact person", "nextbest", reglement.LetterContactCopy, "acknowledged", []string{"Noor Visser/contact_person"}},
		{"an extension goes to whom the extension named", "smartplus", reglement.LetterExtension, "extended", []string{"Ëlif Çelik/complainant", "Dirk Smit/accused_employee"}},
		{"Standergroep: the labour expert is not in the case", "standergroep", reglement.LetterLabourExpert, "acknowledged", nil},
	} {
		pc := cases[tc.preset]
		got := names(Recipients(tc.kind, pc.snaps[tc.snap].st, pc.r))
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %v want %v", tc.name, got, tc.want)
		}
	}
}

func TestFormatting(t *testing.T) {
	t.Parallel()
	for in, want := range map[int]string{0: "€ 0,00", 500: "€ 500,00", 1250: "€ 1.250,00", 1234567: "€ 1.234.567,00"} {
		if got := euroNL(in); got != want {
			t.Errorf("euroNL(%d) = %q, want %q", in, got, want)
		}
	}
	if got := euroEN(1250); got != "€1,250.00" {
		t.Errorf("euroEN = %q", got)
	}
	if got := dutchDate(calendar.D(2026, 12, 22)); got != "22-12-2026" {
		t.Errorf("date %q", got)
	}
	if got := lines("Dorpsstraat 1, 1234 AB Ergens"); !reflect.DeepEqual(got, []string{"Dorpsstraat 1", "1234 AB Ergens"}) {
		t.Errorf("lines %q", got)
	}
	if got := wrap("een twee drie vier", 9, "- ", "  "); got != "- een\n  twee\n  drie\n  vier" {
		t.Errorf("wrap %q", got)
	}
}

func TestParseBlocks(t *testing.T) {
	t.Parallel()
	got := parseBlocks("Een zin\nloopt door.\n\nLijst:\n- een\n  vervolg\n\n- twee\nNieuwe alinea.")
	want := []block{
		{Text: "Een zin loopt door."},
		{Text: "Lijst:"},
		{Items: []string{"een vervolg", "twee"}},
		{Text: "Nieuwe alinea."},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if got := textBlocks(want); got != "Een zin loopt door.\n\nLijst:\n- een vervolg\n- twee\n\nNieuwe alinea." {
		t.Fatalf("text %q", got)
	}
}

package letter

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// wantMissing checks that err refuses the letter for want, with the
// regulation's wording and article, and nothing else.
func wantMissing(t *testing.T, err error, want ...MissingItem) {
	t.Helper()
	var me *MissingError
	if !errors.As(err, &me) {
		t.Fatalf("want *MissingError, got %v (%T)", err, err)
	}
	if !slices.Equal(me.Items, want) {
		t.Fatalf("missing items:\n got %+v\nwant %+v", me.Items, want)
	}
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.Conflict || ae.Reason != "letter_contents_missing" {
		t.Fatalf("a missing content is a conflict with reason letter_contents_missing, got %+v", ae)
	}
	for _, it := range want {
		for _, part := range []string{it.Item, it.Text, it.Source} {
			if !strings.Contains(err.Error(), part) {
				t.Fatalf("the message must name %q so a handler sees what to fix: %s", part, err)
			}
		}
	}
}

// contentOf returns the letter's content for item.
func contentOf(t *testing.T, l Letter, item string) Content {
	t.Helper()
	for _, c := range l.Contents {
		if c.Item == item {
			return c
		}
	}
	t.Fatalf("%s letter holds no %s; it holds %+v", l.Kind, item, l.Contents)
	return Content{}
}

func TestMissingContentsAreRefused(t *testing.T) {
	t.Parallel()
	D := calendar.D
	cases := casesFor(t)
	compose := func(preset string, kind reglement.LetterKind, st complaint.State, r *reglement.Reglement) error {
		_, err := Compose(kind, st, r, testOrg, toComplainant, D(2026, 12, 15), Dutch)
		return err
	}

	t.Run("SmartPLUS Punt 5: no acknowledgement before a handler is assigned", func(t *testing.T) {
		t.Parallel()
		pc := cases["smartplus"]
		err := compose("smartplus", reglement.LetterAcknowledgement, pc.snaps["received"].st, pc.r)
		wantMissing(t, err, MissingItem{Item: "handler_name",
			Text:   "De behandelaar van de klacht bij SmartPLUS (de contactpersoon voor de begeleiding van de klacht).",
			Source: "Punt 5; Toelichting Punt 5", Action: complaint.ActAssignHandler})
	})

	t.Run("SmartPLUS Punt 8: the decision points to the Nationale Ombudsman", func(t *testing.T) {
		t.Parallel()
		pc := cases["smartplus"]
		l := pc.compose(t, reglement.LetterDecision, Dutch)
		c := contentOf(t, l, "referral")
		if !c.Required || c.Source != "Punt 8" || !strings.Contains(c.Text, "Nationale Ombudsman") || !strings.Contains(l.Text, "Nationale Ombudsman") {
			t.Fatalf("referral content: %+v", c)
		}
		// A regulation version without the referral, and a case that was
		// given none: the letter is refused rather than sent without it.
		r := *pc.r
		r.Referrals = nil
		st := pc.snaps["decided"].st
		st.Referrals = nil
		wantMissing(t, compose("smartplus", reglement.LetterDecision, st, &r), MissingItem{Item: "referral",
			Text:   "De cliënt wordt erop gewezen dat hij zich tot de Nationale Ombudsman kan wenden.",
			Source: "Punt 8", Action: complaint.ActGiveReferral})
	})

	t.Run("SmartPLUS Punt 8: no decision letter without a motivated position", func(t *testing.T) {
		t.Parallel()
		pc := cases["smartplus"]
		st := pc.snaps["decided"].st
		d := *st.Decision
		d.Motivation = " "
		st.Decision = &d
		wantMissing(t, compose("smartplus", reglement.LetterDecision, st, pc.r), MissingItem{Item: "motivated_position",
			Text: "Een gemotiveerde stellingname met betrekking tot de klacht.", Source: "Punt 8", Action: complaint.ActDecide})
	})

	t.Run("Standergroep Procedure 3: the acknowledgement holds receipt, description, date, place, handling and the term of 21 working days", func(t *testing.T) {
		t.Parallel()
		pc := cases["standergroep"]
		l := pc.compose(t, reglement.LetterAcknowledgement, Dutch)
		for _, item := range []string{"received_date", "complaint_summary", "incident_date", "incident_place", "incident_circumstances", "procedure", "expected_term"} {
			if c := contentOf(t, l, item); !c.Required || c.Source != "Procedure 3" {
				t.Errorf("%s: required by Procedure 3, got %+v", item, c)
			}
		}
		for _, want := range []string{"23-11-2026", "13-11-2026", "Kantoor Utrecht", "binnen 21 werkdagen na ontvangst", "uiterlijk op 22-12-2026", "De coach kwam drie afspraken niet na."} {
			if !strings.Contains(l.Text, want) {
				t.Errorf("acknowledgement lacks %q:\n%s", want, l.Text)
			}
		}
		b := setupWith(t, "standergroep", func(in *complaint.NewComplaint) { in.IncidentPlace = "" })
		b.on(D(2026, 11, 24)).do(boardCees, complaint.ActAssignHandler, map[string]any{"handler": anna})
		wantMissing(t, compose("standergroep", reglement.LetterAcknowledgement, b.state(), b.r),
			MissingItem{Item: "incident_place", Text: "Plaats (van het voorval).", Source: "Procedure 3"})
	})

	t.Run("Best Match Sectie 5 stap 1: the acknowledgement needs the case number and the coordinator's contact", func(t *testing.T) {
		t.Parallel()
		pc := cases["bestmatch"]
		st := pc.snaps["acknowledged"].st
		st.Number = ""
		h := *st.Handler
		h.Email, h.Phone = "", ""
		st.Handler = &h
		src := "Sectie 5 stap 1 (Ontvangst & registratie)"
		wantMissing(t, compose("bestmatch", reglement.LetterAcknowledgement, st, pc.r),
			MissingItem{Item: "case_number", Text: "Het unieke dossiernummer.", Source: src},
			MissingItem{Item: "handler_contact", Text: "Contactgegevens van de coördinator.", Source: src, Action: complaint.ActAssignHandler})
	})

	t.Run("Best Match Sectie 7: an upheld decision names the measures", func(t *testing.T) {
		t.Parallel()
		pc := cases["bestmatch"]
		st := pc.snaps["decided"].st
		st.Measures = nil
		wantMissing(t, compose("bestmatch", reglement.LetterDecision, st, pc.r), MissingItem{Item: "measures",
			Text:   "De afgesproken maatregelen (bijv. excuses, correctie dossier, nieuwe coach, interne training).",
			Source: "Sectie 7; Sectie 5 stap 5 (Nazorg & afsluiting)", Action: complaint.ActAddMeasure})
	})

	t.Run("NextBest Art. 10: no closing confirmation before the case is closed", func(t *testing.T) {
		t.Parallel()
		pc := cases["nextbest"]
		wantMissing(t, compose("nextbest", reglement.LetterClosing, pc.snaps["decided"].st, pc.r), MissingItem{Item: "closing_date",
			Text: "Bevestiging van de afsluiting van de klacht.", Source: "Art. 10", Action: complaint.ActClose})
	})

	t.Run("NextBest Art. 6 lid 3: no inadmissibility notice without a ground", func(t *testing.T) {
		t.Parallel()
		pc := cases["nextbest"]
		wantMissing(t, compose("nextbest", reglement.LetterInadmissibility, pc.snaps["acknowledged"].st, pc.r), MissingItem{Item: "ground",
			Text: "De grond waarop de klacht niet in behandeling wordt genomen.", Source: "Art. 6 lid 2; Art. 1 (Indiener)", Action: complaint.ActDecideAdmissibility})
	})

	t.Run("Work 2 Work 5.2.2: no decision letter before the board decided", func(t *testing.T) {
		t.Parallel()
		pc := cases["work2work"]
		wantMissing(t, compose("work2work", reglement.LetterDecision, pc.snaps["hearing_held"].st, pc.r),
			MissingItem{Item: "judgment", Text: "Of de klacht gegrond of ongegrond is geacht. De directie geeft aan wie de klager op de hoogte brengt en op welke wijze; in het algemeen schriftelijk.", Source: "5.2.2", Action: complaint.ActDecide},
			MissingItem{Item: "resolution_summary", Text: "De wijze van afhandeling van de klacht, door de directie bepaald met in achtneming van de relatie met de klant.", Source: "5.2.2", Action: complaint.ActDecide})
	})

	t.Run("a kind the regulation does not list still needs its basics", func(t *testing.T) {
		t.Parallel()
		pc := cases["smartplus"]
		wantMissing(t, compose("smartplus", reglement.LetterProposalConfirm, pc.snaps["acknowledged"].st, pc.r),
			MissingItem{Item: "proposal", Text: "Het voorstel tot oplossing.", Action: complaint.ActMakeProposal})
	})

	t.Run("a kind the regulation does not list renders its defaults, none required beyond the basics", func(t *testing.T) {
		t.Parallel()
		pc := cases["work2work"]
		l := pc.compose(t, reglement.LetterHearingInvite, Dutch)
		if l.Source != "" {
			t.Fatalf("Work 2 Work lists no hearing invitation, source %q", l.Source)
		}
		for _, c := range l.Contents {
			if c.Required != (c.Item == "hearing_date") {
				t.Errorf("only the basic hearing_date is required: %+v", c)
			}
		}
		if !strings.Contains(l.Text, "03-12-2026") {
			t.Fatalf("invitation without its date:\n%s", l.Text)
		}
	})
}

func TestMissingErrorMessage(t *testing.T) {
	t.Parallel()
	err := &MissingError{Kind: reglement.LetterDecision, Organisation: "X", Items: []MissingItem{
		{Item: "referral", Text: "Wijs op de ombudsman.", Source: "Punt 8", Action: complaint.ActGiveReferral},
		{Item: "judgment", Text: "Het oordeel."},
	}}
	want := `the decision letter lacks what X's regulation requires: referral ("Wijs op de ombudsman.", Punt 8), recorded by give_referral; judgment ("Het oordeel.", basic content of this letter)`
	if got := err.Error(); got != want {
		t.Fatalf("message:\n got %s\nwant %s", got, want)
	}
	if apperr.CodeOf(err) != apperr.Conflict || !strings.Contains(apperr.MessageOf(err), "Wijs op de ombudsman.") {
		t.Fatalf("apperr sees %s / %s", apperr.CodeOf(err), apperr.MessageOf(err))
	}
}

package letter

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
)

// presets are the regulations every letter is tested under.
var presets = []string{"bestmatch", "nextbest", "smartplus", "standergroep", "work2work"}

// The people of the tests' organisation.
var (
	boardCees   = complaint.Caller{Actor: complaint.Actor{UserID: "u-cees", Name: "Cees Bakker", Kind: "user"}, Roles: []reglement.Role{reglement.RoleBoard, reglement.RoleReceiver, reglement.RoleAdmin}}
	handlerAnna = complaint.Caller{Actor: complaint.Actor{UserID: "u-anna", Name: "Anna de Vries", Kind: "user"}, Roles: []reglement.Role{reglement.RoleHandler}}
	anna        = complaint.Person{Name: "Anna de Vries", UserID: "u-anna", Function: "klachtencoördinator", Email: "klachten@example.nl", Phone: "030 123 45 67"}
	complainant = complaint.Person{Name: "Ëlif Çelik", Email: "elif@example.nl", Phone: "06 12345678", Address: "Dorpsstraat 1, 1234 AB Ergens"}
	coachDirk   = complaint.Person{Name: "Dirk Smit", UserID: "u-dirk", Email: "dirk@example.nl"}
)

// testOrg is the letterhead of the tests.
var testOrg = Org{Name: "Reïntegratie Zoë B.V.", Address: "Oudegracht 12\n3511 AB Utrecht", Email: "info@example.nl", Phone: "030 123 45 00"}

// caseNumber is the number the store would give the case.
const caseNumber = "2026-0042"

// snapshot is the case at one moment, for the letters of that moment.
type snapshot struct {
	st complaint.State
	on calendar.Date
}

// bundle is one case under test: its regulation, events, clock and the
// snapshots taken along the way.
type bundle struct {
	t      *testing.T
	r      *reglement.Reglement
	events []complaint.Event
	now    time.Time
	snaps  map[string]snapshot
}

// setup receives the tests' complaint under a preset on 23 November 2026.
func setup(t *testing.T, preset string) *bundle {
	t.Helper()
	return setupWith(t, preset, nil)
}

// setupWith receives the tests' complaint, changed by mutate first.
func setupWith(t *testing.T, preset string, mutate func(*complaint.NewComplaint)) *bundle {
	t.Helper()
	r, err := reglement.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	D := calendar.D
	incident := D(2026, 11, 13)
	in := complaint.NewComplaint{Intake: complaint.Intake{
		Channel:            reglement.ChannelEmail,
		ReceivedOn:         D(2026, 11, 23),
		Complainant:        complainant,
		Correspondence:     "email",
		ClientName:         complainant.Name,
		CommissioningParty: "UWV",
		CommissioningKind:  "uwv",
		Service:            "jobcoaching",
		ContactPerson:      "Noor Visser",
		AccusedEmployees:   []complaint.Person{coachDirk},
		IncidentDate:       &incident,
		IncidentTime:       "14:00",
		IncidentPlace:      "Kantoor Utrecht",
		Facts:              "De coach kwam drie afspraken niet na. Ik moest steeds voor niets naar het kantoor reizen.",
		DesiredOutcome:     "Een andere coach en een vergoeding van mijn reiskosten.",
		ClaimAmountEUR:     500,
	}}
	if mutate != nil {
		mutate(&in)
	}
	b := &bundle{t: t, r: r, snaps: map[string]snapshot{}}
	b.on(D(2026, 11, 23))
	events, err := complaint.Receive(r, in, boardCees, b.now)
	if err != nil {
		t.Fatalf("%s: receive: %v", preset, err)
	}
	b.events = events
	return b
}

func (b *bundle) state() complaint.State {
	b.t.Helper()
	s, err := complaint.Fold(b.events)
	if err != nil {
		b.t.Fatal(err)
	}
	s.Number = caseNumber
	return s
}

func (b *bundle) today() calendar.Date { return calendar.FromTime(b.now) }

// on moves the clock to a date.
func (b *bundle) on(d calendar.Date) *bundle {
	b.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.UTC)
	return b
}

// allowed reports whether the regulation lets the caller take the action
// now.
func (b *bundle) allowed(who complaint.Caller, a complaint.Action) bool {
	return slices.Contains(complaint.Allowed(b.state(), b.r, who, b.now), a)
}

// do takes an action through complaint.Decide.
func (b *bundle) do(who complaint.Caller, a complaint.Action, input any) {
	b.t.Helper()
	raw, err := json.Marshal(input)
	if err != nil {
		b.t.Fatal(err)
	}
	evs, err := complaint.Decide(b.state(), b.r, complaint.Command{Action: a, Input: raw}, who, b.now)
	if err != nil {
		b.t.Fatalf("%s: %s by %s: %v", b.r.ID, a, who.Name, err)
	}
	for i := range evs {
		evs[i].Seq = len(b.events) + 1
		b.events = append(b.events, evs[i])
	}
}

// snap records the case as it is now.
func (b *bundle) snap(name string) { b.snaps[name] = snapshot{st: b.state(), on: b.today()} }

// snapWith records the case with events the regulation has no action for
// (a Work 2 Work extension, a NextBest proposal): they are folded in for
// that snapshot only, so letters of every kind can be tested under every
// regulation.
func (b *bundle) snapWith(name string, extra ...complaint.Event) {
	b.t.Helper()
	st := b.state()
	for _, e := range extra {
		var err error
		if st, err = complaint.Apply(st, e); err != nil {
			b.t.Fatal(err)
		}
	}
	b.snaps[name] = snapshot{st: st, on: b.today()}
}

// event builds an event as if a command had produced it.
func (b *bundle) event(t complaint.EventType, payload any) complaint.Event {
	b.t.Helper()
	raw, err := json.Marshal(payload)
	if err != nil {
		b.t.Fatal(err)
	}
	return complaint.Event{Seq: len(b.events) + 1, Type: t, Actor: handlerAnna.Actor, At: b.now, Payload: raw}
}

// by is the caller acting in role.
func by(role reglement.Role) complaint.Caller {
	if role == reglement.RoleBoard {
		return boardCees
	}
	return handlerAnna
}

// newDue is a date an extension may set under each preset: after the
// decision term, within the maximum.
var newDue = map[string]calendar.Date{
	"bestmatch":    calendar.D(2027, 3, 23),
	"nextbest":     calendar.D(2027, 1, 11),
	"smartplus":    calendar.D(2027, 1, 25),
	"standergroep": calendar.D(2027, 1, 15),
	"work2work":    calendar.D(2027, 1, 8),
}

// walk takes the tests' complaint through the whole procedure of the
// preset, with fixed dates, taking snapshots for the letters on the way.
// Steps the regulation lacks are folded into their snapshot only.
func walk(t *testing.T, preset string) *bundle {
	t.Helper()
	D := calendar.D
	b := setup(t, preset)
	r := b.r
	b.snap("received")

	b.on(D(2026, 11, 24)).do(boardCees, complaint.ActAssignHandler, map[string]any{"handler": anna})
	b.snap("assigned")
	b.do(handlerAnna, complaint.ActAcknowledge, map[string]any{"via": "email"})
	b.snap("acknowledged")
	b.on(D(2026, 11, 25)).do(by(r.Admissibility.DecidedBy), complaint.ActDecideAdmissibility, map[string]any{"admissible": true})

	b.on(D(2026, 11, 26))
	proposal := "Wij bieden u een nieuwe coach aan en wij vergoeden uw reiskosten."
	yes := true
	if b.allowed(handlerAnna, complaint.ActMakeProposal) {
		b.do(handlerAnna, complaint.ActMakeProposal, map[string]any{"text": proposal, "via": "phone"})
		b.on(D(2026, 11, 27)).do(handlerAnna, complaint.ActAnswerProposal, map[string]any{"accepted": true, "reply": "Akkoord, graag zo snel mogelijk."})
		b.snap("proposal")
	} else {
		b.on(D(2026, 11, 27)).snapWith("proposal",
			b.event(complaint.EvProposalMade, complaint.ProposalPayload{Text: proposal, Via: "phone", On: D(2026, 11, 26)}),
			b.event(complaint.EvProposalAnswered, complaint.ProposalPayload{Accepted: &yes, Reply: "Akkoord, graag zo snel mogelijk.", On: D(2026, 11, 27)}))
	}

	hearing := D(2026, 12, 3)
	b.on(D(2026, 11, 27))
	if b.allowed(handlerAnna, complaint.ActPlanHearing) {
		b.do(handlerAnna, complaint.ActPlanHearing, complaint.HearingPayload{On: hearing})
		b.snap("hearing_planned")
		b.on(hearing).do(handlerAnna, complaint.ActHoldHearing, map[string]any{"summary": "Klager en coach gehoord.", "participants": []string{complainant.Name, coachDirk.Name, anna.Name}})
		b.do(handlerAnna, complaint.ActAddDocument, complaint.DocumentPayload{Name: "Verslag gesprek 03-12-2026.pdf", Kind: HearingReportKind})
		if b.allowed(handlerAnna, complaint.ActSendHearingReport) {
			b.do(handlerAnna, complaint.ActSendHearingReport, nil)
		}
		b.snap("hearing_held")
	} else {
		b.snapWith("hearing_planned", b.event(complaint.EvHearingPlanned, complaint.HearingPayload{On: hearing}))
		b.on(hearing).do(handlerAnna, complaint.ActAddDocument, complaint.DocumentPayload{Name: "Verslag gesprek 03-12-2026.pdf", Kind: HearingReportKind})
		b.snapWith("hearing_held", b.event(complaint.EvHearingHeld, complaint.HearingPayload{On: hearing, Summary: "Klager en coach gehoord."}))
	}

	b.on(D(2026, 12, 7))
	ext := map[string]any{"new_due": newDue[preset], "motivation": "Wij wachten nog op de verklaring van een collega die op vakantie is.", "sent_to": r.Extension.NotifyParties}
	if b.allowed(handlerAnna, complaint.ActExtend) {
		b.do(handlerAnna, complaint.ActExtend, ext)
		b.snap("extended")
	} else {
		b.snapWith("extended", b.event(complaint.EvExtended, complaint.ExtendedPayload{NewDue: newDue[preset], Motivation: ext["motivation"].(string), On: b.today()}))
	}

	b.on(D(2026, 12, 8))
	if b.allowed(handlerAnna, complaint.ActProposeDecision) {
		b.do(handlerAnna, complaint.ActProposeDecision, map[string]any{"text": "Voorstel: de klacht gegrond verklaren en een nieuwe coach toewijzen."})
	}
	b.on(D(2026, 12, 14)).do(by(r.Roles.Decides.Role), complaint.ActDecide, map[string]any{
		"points": []map[string]any{
			{"point": "Drie afspraken niet nagekomen", "judgment": "upheld", "motivation": "Uit de agenda blijkt dat drie afspraken zonder bericht vervielen."},
			{"point": "Geen bericht over de afzeggingen", "judgment": "upheld", "motivation": "De coach heeft de afzeggingen niet aan u gemeld."},
		},
		"motivation": "De coach heeft de afspraken niet nagekomen en u daarover niet op tijd bericht. Dat had anders moeten gaan.",
	})
	b.do(handlerAnna, complaint.ActAddMeasure, complaint.MeasurePayload{Description: "U krijgt een nieuwe coach.", Kind: "corrective", Due: ptr(D(2027, 1, 8))})
	b.do(handlerAnna, complaint.ActAddMeasure, complaint.MeasurePayload{Description: "Coaches bevestigen een afzegging voortaan altijd schriftelijk.", Kind: "preventive"})
	b.snap("decided")

	b.on(D(2026, 12, 21))
	for _, id := range []int{1, 2} {
		b.do(handlerAnna, complaint.ActCompleteMeasure, map[string]any{"id": id})
	}
	if b.allowed(handlerAnna, complaint.ActCompleteAftercare) {
		b.do(handlerAnna, complaint.ActCompleteAftercare, map[string]any{"text": "De nieuwe coach is gestart; klager is tevreden."})
	}
	if b.allowed(handlerAnna, complaint.ActSendReport) {
		b.do(handlerAnna, complaint.ActSendReport, nil)
	}
	b.on(D(2026, 12, 22)).do(handlerAnna, complaint.ActClose, map[string]any{"text": "Afgehandeld"})
	b.snap("closed")
	return b
}

// notTakenOn takes the tests' complaint to the decision not to handle it,
// on the regulation's first ground that a person judges.
func notTakenOn(t *testing.T, preset string) snapshot {
	t.Helper()
	D := calendar.D
	b := setup(t, preset)
	var ground string
	for _, g := range b.r.Admissibility.Grounds {
		if g.Check == reglement.CheckJudgement {
			ground = g.ID
			break
		}
	}
	b.on(D(2026, 11, 24)).do(boardCees, complaint.ActAssignHandler, map[string]any{"handler": anna})
	b.do(handlerAnna, complaint.ActAcknowledge, nil)
	b.on(D(2026, 11, 25)).do(by(b.r.Admissibility.DecidedBy), complaint.ActDecideAdmissibility, map[string]any{
		"admissible": false, "ground": ground,
		"motivation": "Uw klacht gaat over de aanpak die wij samen met u en uw werkgever hebben afgesproken. Daarover kunt u bij ons geen klacht indienen.",
	})
	b.snap("inadmissible")
	return b.snaps["inadmissible"]
}

func ptr[T any](v T) *T { return &v }

// letterCase says, per letter kind, which moment of the case the letter is
// written at and to whom.
var letterCase = map[reglement.LetterKind]struct {
	snap string
	to   Recipient
}{
	reglement.LetterAcknowledgement: {"acknowledged", toComplainant},
	reglement.LetterInadmissibility: {"inadmissible", toComplainant},
	reglement.LetterExtension:       {"extended", toComplainant},
	reglement.LetterAccusedNotice:   {"acknowledged", Recipient{Name: coachDirk.Name, Email: coachDirk.Email, Party: reglement.PartyAccusedEmployee}},
	reglement.LetterContactCopy:     {"acknowledged", Recipient{Name: "Noor Visser", Email: "noor@example.nl", Party: reglement.PartyContactPerson}},
	reglement.LetterLabourExpert:    {"acknowledged", Recipient{Name: "T. Jansen", Address: "UWV, t.a.v. de arbeidsdeskundige\nPostbus 58285\n1040 HG Amsterdam", Party: reglement.PartyLabourExpert}},
	reglement.LetterHearingInvite:   {"hearing_planned", toComplainant},
	reglement.LetterHearingReport:   {"hearing_held", toComplainant},
	reglement.LetterProposalConfirm: {"proposal", toComplainant},
	reglement.LetterDecision:        {"decided", toComplainant},
	reglement.LetterClosing:         {"closed", toComplainant},
	reglement.LetterReportToParties: {"decided", toComplainant},
}

var toComplainant = Recipient{Name: complainant.Name, Address: complainant.Address, Email: complainant.Email, Party: reglement.PartyComplainant}

// cases walks every preset once; tests share the (read-only) result.
type presetCase struct {
	r     *reglement.Reglement
	snaps map[string]snapshot
}

func casesFor(t *testing.T) map[string]presetCase {
	t.Helper()
	out := map[string]presetCase{}
	for _, p := range presets {
		b := walk(t, p)
		b.snaps["inadmissible"] = notTakenOn(t, p)
		out[p] = presetCase{r: b.r, snaps: b.snaps}
	}
	return out
}

// compose writes the letter of kind for a preset's case.
func (pc presetCase) compose(t *testing.T, kind reglement.LetterKind, lang string) Letter {
	t.Helper()
	lc := letterCase[kind]
	s, ok := pc.snaps[lc.snap]
	if !ok {
		t.Fatalf("%s: no snapshot %q", pc.r.ID, lc.snap)
	}
	l, err := Compose(kind, s.st, pc.r, testOrg, lc.to, s.on, lang)
	if err != nil {
		t.Fatalf("%s %s: %v", pc.r.ID, kind, err)
	}
	return l
}

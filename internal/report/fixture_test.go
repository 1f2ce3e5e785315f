package report_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/report"
	"github.com/gegrond/gegrond/internal/store"
)

// The people of the fixture's organisations.
var (
	receiver = complaint.Caller{Actor: complaint.Actor{UserID: "u-rita", Name: "Rita Receptie", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleReceiver}}
	handler = complaint.Caller{Actor: complaint.Actor{UserID: "u-hanna", Name: "Hanna Handel", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleHandler}}
	board = complaint.Caller{Actor: complaint.Actor{UserID: "u-bert", Name: "Bert Bestuur", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleBoard}}
	// handlerInput assigns Hanna.
	handlerInput = map[string]any{"handler": map[string]any{"name": "Hanna Handel", "user_id": "u-hanna", "function": "klachtbehandelaar"}}
)

// caseBuilder runs one case through the real commands on a clock the test
// moves.
type caseBuilder struct {
	t      testing.TB
	r      *reglement.Reglement
	number string
	events []complaint.Event
	now    time.Time
}

// receive opens a case received on the date.
func receive(t testing.TB, r *reglement.Reglement, number string, on calendar.Date, in complaint.NewComplaint) *caseBuilder {
	t.Helper()
	b := &caseBuilder{t: t, r: r, number: number}
	b.on(on)
	in.ReceivedOn = on
	evs, err := complaint.Receive(r, in, receiver, b.now)
	if err != nil {
		t.Fatalf("%s: Receive: %v", number, err)
	}
	b.events = evs
	return b
}

// on moves the clock to 10:00 on the date.
func (b *caseBuilder) on(d calendar.Date) *caseBuilder {
	b.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.UTC)
	return b
}

// do performs an action now and appends its events.
func (b *caseBuilder) do(who complaint.Caller, a complaint.Action, input any) *caseBuilder {
	b.t.Helper()
	raw, err := json.Marshal(input)
	if err != nil {
		b.t.Fatal(err)
	}
	st, err := complaint.Fold(b.events)
	if err != nil {
		b.t.Fatal(err)
	}
	st.Number = b.number
	evs, err := complaint.Decide(st, b.r, complaint.Command{Action: a, Input: raw}, who, b.now)
	if err != nil {
		b.t.Fatalf("%s: %s on %s: %v", b.number, a, calendar.FromTime(b.now), err)
	}
	for i := range evs {
		evs[i].Seq = len(b.events) + 1
		b.events = append(b.events, evs[i])
	}
	return b
}

// done folds the case as the reports read it.
func (b *caseBuilder) done() report.Case {
	b.t.Helper()
	c, err := report.NewCase(b.number, b.events, b.r)
	if err != nil {
		b.t.Fatal(err)
	}
	return c
}

// intake is a SmartPLUS complaint with what the regulation requires.
func intake(ch reglement.Channel, category, party, partyKind string, accused ...string) complaint.NewComplaint {
	incident := calendar.D(2025, 12, 15)
	in := complaint.NewComplaint{Intake: complaint.Intake{
		Channel:            ch,
		Complainant:        complaint.Person{Name: "Fatima el Amrani", Email: "fatima@example.nl"},
		ClientName:         "Cliënt Jansen",
		CommissioningParty: party,
		CommissioningKind:  partyKind,
		IncidentDate:       &incident,
		Facts:              "Mijn coach Dirk kwam drie afspraken niet na.",
		Category:           category,
	}}
	for _, a := range accused {
		in.AccusedEmployees = append(in.AccusedEmployees, complaint.Person{Name: a})
	}
	return in
}

// decision is the input of a decision with one point per judgment.
func decision(judgments ...string) map[string]any {
	var points []map[string]string
	for i, j := range judgments {
		points = append(points, map[string]string{
			"point": []string{"Afspraken niet nagekomen", "Onvriendelijke toon"}[i], "judgment": j, "motivation": "Uit het dossier blijkt dit."})
	}
	return map[string]any{"points": points, "motivation": "Na hoor en wederhoor."}
}

// smartPLUSCases are the fixture's SmartPLUS cases, received in 2026 (and
// one in December 2025, outside the period), each run through the real
// commands. The comments give what the report must count.
func smartPLUSCases(t *testing.T) (*reglement.Reglement, []report.Case) {
	t.Helper()
	r, cases, _ := smartPLUSFixture(t)
	return r, cases
}

// smartPLUSFixture returns the fixture's cases, and their histories.
func smartPLUSFixture(t testing.TB) (*reglement.Reglement, []report.Case, []report.History) {
	t.Helper()
	r, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	D := calendar.D
	var (
		out  []report.Case
		hist []report.History
	)
	add := func(b *caseBuilder) {
		out = append(out, b.done())
		hist = append(hist, report.History{Number: b.number, Events: b.events})
	}

	// S1: e-mail, UWV, upheld; acknowledged on time, decided in 10 working
	// days; a corrective measure agreed and carried out.
	add(receive(t, r, "2026-0001", D(2026, 1, 5), intake(reglement.ChannelEmail, "onheus_optreden", "UWV", "uwv", "Dirk Smit")).
		on(D(2026, 1, 6)).do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		on(D(2026, 1, 7)).do(handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true}).
		on(D(2026, 1, 19)).do(handler, complaint.ActDecide, decision("upheld")).
		do(handler, complaint.ActAddMeasure, map[string]any{"description": "Excuses en nieuwe coach", "kind": "corrective", "owner": "Teamleider"}).
		on(D(2026, 1, 20)).do(handler, complaint.ActCompleteMeasure, map[string]any{"id": 1}).do(handler, complaint.ActClose, nil))

	// S2: post, employer, not upheld after the aim (4 weeks) but within the
	// limit (6 weeks): 29 working days.
	add(receive(t, r, "2026-0002", D(2026, 1, 6), intake(reglement.ChannelPost, "traagheid", "Bakkerij De Korst", "employer")).
		on(D(2026, 1, 8)).do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		do(handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true}).
		on(D(2026, 2, 16)).do(handler, complaint.ActDecide, decision("not_upheld")).do(handler, complaint.ActClose, nil))

	// S3: phone, UWV, acknowledged late (due 12 January, done 16 January);
	// two points, both upheld; 17 working days; a preventive measure still
	// open.
	add(receive(t, r, "2026-0003", D(2026, 1, 7), intake(reglement.ChannelPhone, "traagheid", "UWV", "uwv")).
		on(D(2026, 1, 16)).do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		do(handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true}).
		on(D(2026, 1, 30)).do(handler, complaint.ActDecide, decision("upheld", "upheld")).
		do(handler, complaint.ActAddMeasure, map[string]any{"description": "Terugbelnotitie invoeren", "kind": "preventive", "owner": "Kwaliteit"}).
		do(handler, complaint.ActClose, nil))

	// S4: e-mail, municipality; the decision term extended on 20 February
	// to 16 March; not upheld on 13 March: after the aim, within the
	// extended limit; 44 working days; decided, not closed.
	add(receive(t, r, "2026-0004", D(2026, 1, 12), intake(reglement.ChannelEmail, "serviceverlening", "Gemeente Utrecht", "municipality", "Els Visser")).
		on(D(2026, 1, 13)).do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		on(D(2026, 1, 14)).do(handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": true}).
		on(D(2026, 2, 20)).do(handler, complaint.ActExtend, map[string]any{"new_due": "2026-03-16",
		"motivation": "Hoor en wederhoor kost meer tijd", "sent_to": []string{"complainant", "accused_employee"}}).
		on(D(2026, 3, 13)).do(handler, complaint.ActDecide, decision("not_upheld")))

	// S5: post, insurer, about an incident of June 2024: not taken on
	// (older than one year) on 20 January; 5 working days; a claim of
	// 1250 euros.
	s5 := intake(reglement.ChannelPost, "privacy", "Achmea", "insurer")
	old := D(2024, 6, 1)
	s5.IncidentDate = &old
	s5.ClaimAmountEUR = 1250
	add(receive(t, r, "2026-0005", D(2026, 1, 13), s5).
		on(D(2026, 1, 14)).do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		on(D(2026, 1, 20)).do(handler, complaint.ActDecideAdmissibility, map[string]any{"admissible": false,
		"ground": "older_than_one_year", "motivation": "Het voorval is ouder dan een jaar."}))

	// S6: in person, UWV, settled informally on 21 January: 5 working
	// days, no admissibility decision.
	add(receive(t, r, "2026-0006", D(2026, 1, 14), intake(reglement.ChannelInPerson, "onheus_optreden", "UWV", "uwv")).
		do(receiver, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
		on(D(2026, 1, 21)).do(handler, complaint.ActSettleInformally, map[string]any{"text": "Opgelost in een gesprek."}))

	// S7: phone, private party, settled on the spot by the receiver: 0
	// working days, never acknowledged (moot: closed before it was due).
	s7 := intake(reglement.ChannelPhone, "voorlichting", "Jan Particulier", "private")
	s7.SettledOnSpot = "Uitleg gegeven over de planning."
	add(receive(t, r, "2026-0007", D(2026, 1, 15), s7))

	// S8: e-mail, UWV, received 21 December, not acknowledged by the as-of
	// date (due 28 December: missed); every other term still runs.
	add(receive(t, r, "2026-0008", D(2026, 12, 21), intake(reglement.ChannelEmail, "traagheid", "UWV", "uwv")).
		on(D(2026, 12, 22)).do(board, complaint.ActAssignHandler, handlerInput))

	// S9: received in 2025: outside the period.
	add(receive(t, r, "2025-0031", D(2025, 12, 22), intake(reglement.ChannelEmail, "traagheid", "UWV", "uwv")).
		on(D(2025, 12, 23)).do(receiver, complaint.ActAcknowledge, nil))
	return r, out, hist
}

// registerMeasures are SmartPLUS's measures in the register of measures.
func registerMeasures() []store.Measure {
	D := calendar.D
	return []store.Measure{
		{Number: 1, Description: "Coaches bevestigen afspraken schriftelijk", Kind: store.MeasureCorrective, Owner: store.Who{Name: "Kees Kwaliteit"},
			State: store.MeasureDone, ProposedOn: D(2026, 1, 20), DecidedOn: D(2026, 1, 27), DoneOn: D(2026, 3, 1), DueOn: D(2026, 3, 31),
			Cases:   []string{"2026-0001"},
			Reviews: []store.MeasureReview{{Year: 2026, Effective: true, Motivation: "Geen herhaling", ReviewedOn: D(2027, 1, 12)}}},
		{Number: 2, Description: "Terugbelregistratie", Kind: store.MeasurePreventive, Owner: store.Who{Name: "Team planning"},
			State: store.MeasureDecided, ProposedOn: D(2026, 2, 1), DecidedOn: D(2026, 2, 10), DueOn: D(2026, 6, 30),
			Cases:   []string{"2026-0001", "2026-0003"},
			Reviews: []store.MeasureReview{{Year: 2026, Effective: false, Motivation: "Nog niet ingevoerd", Adjustment: "Eigenaar wijzigen", ReviewedOn: D(2027, 1, 12)}}},
		{Number: 3, Description: "Nieuwe folder", Kind: store.MeasureCorrective, Owner: store.Who{Name: "Communicatie"},
			State: store.MeasureRejected, ProposedOn: D(2026, 3, 1), DecidedOn: D(2026, 3, 5), DecisionNote: "Niet nodig"},
		{Number: 4, Description: "Werkinstructie klachten", Kind: store.MeasurePreventive, Owner: store.Who{Name: "Directie"},
			State: store.MeasureDone, ProposedOn: D(2025, 11, 1), DecidedOn: D(2025, 11, 10), DoneOn: D(2026, 1, 10)},
	}
}

// work2WorkCases are a remark and two complaints of Work 2 Work.
func work2WorkCases(t *testing.T) (*reglement.Reglement, []report.Case) {
	t.Helper()
	r, err := reglement.Preset("work2work")
	if err != nil {
		t.Fatal(err)
	}
	D := calendar.D
	person := complaint.Person{Name: "Piet Opdrachtgever", Email: "piet@example.nl"}
	remark := complaint.NewComplaint{RecordAsRemark: true, Intake: complaint.Intake{Channel: reglement.ChannelEmail,
		Complainant: person, Facts: "Suggestie: stuur de planning per e-mail.", Category: "kwaliteit"}}
	spot := complaint.NewComplaint{SettledOnSpot: "Vraag over de factuur beantwoord.", Intake: complaint.Intake{
		Channel: reglement.ChannelPhone, Complainant: person, Facts: "Factuur onduidelijk.", Category: "zakelijk", CommissioningKind: "insurer"}}
	full := complaint.NewComplaint{Intake: complaint.Intake{Channel: reglement.ChannelEmail, Complainant: person,
		Facts: "Rapport te laat.", Category: "kwaliteit", CommissioningParty: "UWV"}}
	return r, []report.Case{
		receive(t, r, "2026-0001", D(2026, 3, 2), remark).done(),
		receive(t, r, "2026-0002", D(2026, 3, 3), spot).done(),
		receive(t, r, "2026-0003", D(2026, 3, 4), full).
			do(board, complaint.ActAcknowledge, nil).do(board, complaint.ActAssignHandler, handlerInput).
			do(board, complaint.ActDecideAdmissibility, map[string]any{"admissible": true}).
			on(D(2026, 3, 10)).do(handler, complaint.ActProposeDecision, map[string]any{"text": "Voorstel: ongegrond."}).
			on(D(2026, 3, 11)).do(board, complaint.ActDecide, decision("not_upheld")).done(),
	}
}

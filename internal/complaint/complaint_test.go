package complaint

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// people of the tests' organisation.
var (
	handlerAnna = Caller{Actor: Actor{UserID: "u-anna", Name: "Anna de Vries", Kind: "user"}, Roles: []reglement.Role{reglement.RoleHandler}}
	handlerBram = Caller{Actor: Actor{UserID: "u-bram", Name: "Bram Jansen", Kind: "user"}, Roles: []reglement.Role{reglement.RoleHandler}}
	boardCees   = Caller{Actor: Actor{UserID: "u-cees", Name: "Cees Bakker", Kind: "user"}, Roles: []reglement.Role{reglement.RoleBoard}}
	coachDirk   = Caller{Actor: Actor{UserID: "u-dirk", Name: "Dirk Smit", Kind: "user"}, Roles: []reglement.Role{reglement.RoleReceiver, reglement.RoleHandler}}
	receiverEva = Caller{Actor: Actor{UserID: "u-eva", Name: "Eva Mulder", Kind: "user"}, Roles: []reglement.Role{reglement.RoleReceiver}}
)

// bundle is one case under test: its regulation, events and clock.
type bundle struct {
	t      *testing.T
	r      *reglement.Reglement
	events []Event
	now    time.Time
}

func setup(t *testing.T, preset string, received calendar.Date, mutate func(*NewComplaint)) *bundle {
	t.Helper()
	r, err := reglement.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	incident := received.AddDays(-10)
	in := NewComplaint{Intake: Intake{
		Channel:          reglement.ChannelEmail,
		ReceivedOn:       received,
		Complainant:      Person{Name: "Fatima el Amrani", Email: "fatima@example.nl", Phone: "06-12345678", Address: "Dorpsstraat 1, 1234 AB Ergens"},
		ContactPerson:    "Dirk Smit",
		ClientName:       "Fatima el Amrani",
		AccusedEmployees: []Person{{Name: "Dirk Smit", UserID: "u-dirk"}},
		IncidentDate:     &incident,
		IncidentPlace:    "Kantoor Utrecht",
		Facts:            "De coach kwam drie afspraken niet na.",
		DesiredOutcome:   "Een andere coach",
		Urgency:          "geen",
		Correspondence:   "email",
	}}
	if mutate != nil {
		mutate(&in)
	}
	now := time.Date(received.Year, received.Month, received.Day, 10, 0, 0, 0, time.UTC)
	events, err := Receive(r, in, receiverEva, now)
	if err != nil {
		t.Fatalf("Receive: %v", err)
	}
	return &bundle{t: t, r: r, events: events, now: now}
}

func (b *bundle) state() State {
	b.t.Helper()
	s, err := Fold(b.events)
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// on moves the clock to a date.
func (b *bundle) on(d calendar.Date) *bundle {
	b.now = time.Date(d.Year, d.Month, d.Day, 10, 0, 0, 0, time.UTC)
	return b
}

func (b *bundle) try(who Caller, a Action, input any) error {
	b.t.Helper()
	raw, err := json.Marshal(input)
	if err != nil {
		b.t.Fatal(err)
	}
	evs, err := Decide(b.state(), b.r, Command{Action: a, Input: raw}, who, b.now)
	if err != nil {
		return err
	}
	for i := range evs {
		evs[i].Seq = len(b.events) + 1
		b.events = append(b.events, evs[i])
	}
	return nil
}

func (b *bundle) do(who Caller, a Action, input any) {
	b.t.Helper()
	if err := b.try(who, a, input); err != nil {
		b.t.Fatalf("%s by %s: %v", a, who.Name, err)
	}
}

func wantRefused(t *testing.T, err error, code apperr.Code, reason string) {
	t.Helper()
	var e *apperr.Error
	if err == nil {
		t.Fatalf("expected refusal (%s/%s), got success", code, reason)
	}
	if !asAppErr(err, &e) || e.Code != code || (reason != "" && e.Reason != reason) {
		t.Fatalf("got %v (%T), want code %s reason %s", err, err, code, reason)
	}
	if e.Message == "" {
		t.Fatal("a refusal must say why")
	}
}

func asAppErr(err error, e **apperr.Error) bool {
	x, ok := err.(*apperr.Error)
	*e = x
	return ok
}

func deadline(t *testing.T, s State, r *reglement.Reglement, today calendar.Date, step reglement.Step, kind reglement.Kind) CaseDeadline {
	t.Helper()
	for _, d := range s.Deadlines(r, today) {
		if d.Step == step && d.Kind == kind {
			return d
		}
	}
	t.Fatalf("no %s %s deadline", step, kind)
	return CaseDeadline{}
}

func TestSmartPLUSWalkToClosing(t *testing.T) {
	t.Parallel()
	D := calendar.D
	b := setup(t, "smartplus", D(2026, 11, 23), nil)
	s := b.state()
	if s.Phase != PhaseReceived || s.Intake.ReglementID != "smartplus" {
		t.Fatalf("after receipt: phase %s reglement %s", s.Phase, s.Intake.ReglementID)
	}
	next, ok := s.NextDeadline(b.r, D(2026, 11, 23))
	if !ok || next.Step != reglement.StepAcknowledgement || *next.Due != D(2026, 11, 30) {
		t.Fatalf("Punt 5: next deadline is the acknowledgement within five days (Saturday 28th moves to Monday 30th), got %+v", next)
	}
	b.on(D(2026, 11, 24)).do(receiverEva, ActAcknowledge, map[string]any{"via": "email"})
	b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
	b.do(handlerAnna, ActInformParty, map[string]any{"party": "accused_employee", "name": "Dirk Smit"})
	b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": true})
	b.on(D(2026, 12, 1)).do(handlerAnna, ActGrantInspection, map[string]any{"to": []string{"complainant", "accused_employee"}})
	b.do(handlerAnna, ActHoldHearing, map[string]any{"summary": "Klager en coach gehoord.", "participants": []string{"Fatima el Amrani", "Dirk Smit"}})
	wantRefused(t, b.try(handlerAnna, ActDecide, decision("upheld")), apperr.Conflict, "hearing_report_required")
	b.do(handlerAnna, ActSendHearingReport, nil)
	b.on(D(2026, 12, 10)).do(handlerAnna, ActDecide, decision("upheld"))
	s = b.state()
	if s.Phase != PhaseDecided || s.Outcome != reglement.OutcomeUpheld {
		t.Fatalf("after decision: %s %s", s.Phase, s.Outcome)
	}
	if len(s.Referrals) != 1 || s.Referrals[0].Body == "" {
		t.Fatalf("Punt 8: the decision points to the Nationale Ombudsman, got %+v", s.Referrals)
	}
	if d := deadline(t, s, b.r, D(2026, 12, 10), reglement.StepDecision, reglement.Aim); d.Status != StatusMet {
		t.Fatalf("decision aim of 4 weeks met on 10 December: %+v", d)
	}
	if d := deadline(t, s, b.r, D(2026, 12, 10), reglement.StepAcknowledgement, reglement.Limit); d.Status != StatusMet || *d.MetOn != D(2026, 11, 24) {
		t.Fatalf("acknowledgement met: %+v", d)
	}
	b.do(handlerAnna, ActClose, nil)
	s = b.state()
	if s.Phase != PhaseClosed {
		t.Fatalf("closed: %s", s.Phase)
	}
	wantRefused(t, b.try(handlerAnna, ActAddNote, map[string]any{"text": "nog iets"}), apperr.Conflict, "closed")
	b.do(handlerAnna, ActArchive, nil)
	if b.state().Phase != PhaseArchived {
		t.Fatal("archive a closed case")
	}
}

func decision(judgment string) map[string]any {
	return map[string]any{
		"points":     []map[string]any{{"point": "Afspraken niet nagekomen", "judgment": judgment, "motivation": "Uit de agenda blijkt dat drie afspraken vervielen."}},
		"motivation": "De coach heeft de afspraken niet nagekomen.",
	}
}

func TestIndependence(t *testing.T) {
	t.Parallel()
	D := calendar.D
	t.Run("SmartPLUS Punt 6: the accused employee is never assigned as handler", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), nil)
		wantRefused(t, b.try(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Dirk Smit", UserID: "u-dirk"}}), apperr.Conflict, "accused_handler")
	})
	t.Run("SmartPLUS Punt 6: the accused employee cannot act as handler while unassigned", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), nil)
		wantRefused(t, b.try(coachDirk, ActDecideAdmissibility, map[string]any{"admissible": true}), apperr.Forbidden, "accused")
	})
	t.Run("Awb 9:7: a handler who becomes accused must be replaced before any further step", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), func(in *NewComplaint) { in.AccusedEmployees = nil })
		b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
		b.do(handlerAnna, ActAddAccused, map[string]any{"employee": Person{Name: "Anna de Vries", UserID: "u-anna"}})
		wantRefused(t, b.try(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": true}), apperr.Conflict, "handler_accused")
		if got := Allowed(b.state(), b.r, boardCees, b.now); len(got) != 1 || got[0] != ActAssignHandler {
			t.Fatalf("only a new handler may be assigned, allowed: %v", got)
		}
		b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Bram Jansen", UserID: "u-bram"}})
		b.do(handlerBram, ActDecideAdmissibility, map[string]any{"admissible": true})
	})
	t.Run("an accused named only by name is matched by name", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), func(in *NewComplaint) { in.AccusedEmployees = []Person{{Name: "Anna de Vries"}} })
		wantRefused(t, b.try(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "anna de vries", UserID: "u-anna"}}), apperr.Conflict, "accused_handler")
	})
}

func TestIntakeRules(t *testing.T) {
	t.Parallel()
	D := calendar.D
	r, err := reglement.Preset("smartplus")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	base := func() NewComplaint {
		inc := D(2026, 11, 1)
		return NewComplaint{Intake: Intake{Channel: reglement.ChannelPost, Complainant: Person{Name: "Piet", Address: "Laan 1"}, IncidentDate: &inc, Facts: "x"}}
	}
	t.Run("SmartPLUS Punt 5: the incident date is required", func(t *testing.T) {
		in := base()
		in.IncidentDate = nil
		_, err := Receive(r, in, receiverEva, now)
		wantRefused(t, err, apperr.Invalid, "required_field")
	})
	t.Run("a time-barred complaint is accepted and flagged with its ground (Punt 8)", func(t *testing.T) {
		in := base()
		old := D(2025, 10, 1)
		in.IncidentDate = &old
		evs, err := Receive(r, in, receiverEva, now)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := Fold(evs)
		if !s.Intake.TimeBarred || s.Intake.TimeBarGround != "older_than_one_year" || s.Intake.TimeBarSource == "" {
			t.Fatalf("flag: %+v", s.Intake)
		}
	})
	t.Run("receipt in the future is refused", func(t *testing.T) {
		in := base()
		in.ReceivedOn = D(2026, 11, 24)
		_, err := Receive(r, in, receiverEva, now)
		wantRefused(t, err, apperr.Invalid, "")
	})
	t.Run("SmartPLUS knows no remarks", func(t *testing.T) {
		in := base()
		in.RecordAsRemark = true
		_, err := Receive(r, in, receiverEva, now)
		wantRefused(t, err, apperr.Invalid, "")
	})
	t.Run("SmartPLUS Punt 8: settled on the spot closes the case", func(t *testing.T) {
		in := base()
		in.SettledOnSpot = "Telefonisch opgelost; cliënt tevreden."
		evs, err := Receive(r, in, receiverEva, now)
		if err != nil {
			t.Fatal(err)
		}
		s, _ := Fold(evs)
		if s.Phase != PhaseClosed || s.Outcome != reglement.OutcomeSettledByReceipt {
			t.Fatalf("phase %s outcome %s", s.Phase, s.Outcome)
		}
	})
}

func TestExtension(t *testing.T) {
	t.Parallel()
	D := calendar.D
	start := func(t *testing.T) *bundle {
		b := setup(t, "smartplus", D(2026, 11, 23), nil)
		b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
		b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": true})
		return b
	}
	// SmartPLUS: 6 weeks from 23 Nov 2026 = 4 Jan 2027; maximum 4 weeks more = 1 Feb 2027.
	t.Run("Awb 9:11 via SmartPLUS: extension within the maximum moves the decision", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		b.on(D(2026, 12, 20)).do(handlerAnna, ActExtend, map[string]any{"new_due": "2027-01-25", "motivation": "Getuige op vakantie", "sent_to": []string{"complainant", "accused_employee"}})
		s := b.state()
		d := deadline(t, s, b.r, D(2026, 12, 20), reglement.StepDecision, reglement.Limit)
		if *d.Due != D(2027, 1, 25) {
			t.Fatalf("decision due after extension %s", d.Due)
		}
		if next, _ := s.NextDeadline(b.r, D(2026, 12, 20)); next.Due == nil {
			t.Fatal("no next deadline")
		}
	})
	t.Run("beyond the maximum is refused", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		err := b.on(D(2026, 12, 20)).try(handlerAnna, ActExtend, map[string]any{"new_due": "2027-02-15", "motivation": "x", "sent_to": []string{"complainant", "accused_employee"}})
		wantRefused(t, err, apperr.Conflict, "consent_required")
	})
	t.Run("beyond the maximum with the complainant's consent is allowed", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		b.on(D(2026, 12, 20)).do(handlerAnna, ActExtend, map[string]any{"new_due": "2027-02-15", "motivation": "x", "sent_to": []string{"complainant", "accused_employee"}, "consent": true})
	})
	t.Run("the notice must go to the accused employee too", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		err := b.on(D(2026, 12, 20)).try(handlerAnna, ActExtend, map[string]any{"new_due": "2027-01-25", "motivation": "x", "sent_to": []string{"complainant"}})
		wantRefused(t, err, apperr.Invalid, "notify_party")
	})
	t.Run("an extension must be motivated", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		err := b.on(D(2026, 12, 20)).try(handlerAnna, ActExtend, map[string]any{"new_due": "2027-01-25", "sent_to": []string{"complainant", "accused_employee"}})
		wantRefused(t, err, apperr.Invalid, "")
	})
	t.Run("after the term has ended it is too late", func(t *testing.T) {
		t.Parallel()
		b := start(t)
		err := b.on(D(2027, 1, 5)).try(handlerAnna, ActExtend, map[string]any{"new_due": "2027-01-25", "motivation": "x", "sent_to": []string{"complainant", "accused_employee"}})
		wantRefused(t, err, apperr.Conflict, "term_passed")
	})
}

func TestPauseMovesTheClock(t *testing.T) {
	t.Parallel()
	D := calendar.D
	b := setup(t, "smartplus", D(2026, 11, 23), nil)
	b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
	b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": true})
	before := deadline(t, b.state(), b.r, D(2026, 11, 23), reglement.StepDecision, reglement.Limit)
	b.on(D(2026, 11, 25)).do(handlerAnna, ActPauseClock, map[string]any{"text": "Wachten op stukken van klager"})
	wantRefused(t, b.try(handlerAnna, ActDecide, decision("upheld")), apperr.Conflict, "paused")
	b.on(D(2026, 12, 5)).do(handlerAnna, ActResumeClock, nil)
	after := deadline(t, b.state(), b.r, D(2026, 12, 5), reglement.StepDecision, reglement.Limit)
	if *before.Due != D(2027, 1, 4) || *after.Due != D(2027, 1, 14) {
		t.Fatalf("6 weeks from 23 Nov is 4 Jan; a 10-day pause moves it to 14 Jan: got %s -> %s", before.Due, after.Due)
	}
}

func TestWithdrawAndInadmissible(t *testing.T) {
	t.Parallel()
	D := calendar.D
	t.Run("SmartPLUS Punt 8: not taken on, with ground and motivation, closes the case", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), nil)
		b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
		wantRefused(t, b.try(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": false, "ground": "disciplinary"}), apperr.Invalid, "unknown_ground")
		// SmartPLUS asks no motivated notice (Punt 7): the ground suffices.
		b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": false, "ground": "insufficient_interest"})
		s := b.state()
		if s.Phase != PhaseClosed || s.Outcome != reglement.OutcomeInadmissible {
			t.Fatalf("%s %s", s.Phase, s.Outcome)
		}
		if d := deadline(t, s, b.r, D(2026, 11, 23), reglement.StepAdmissibilityNotice, reglement.Limit); d.Status != StatusMet {
			t.Fatalf("admissibility notice met: %+v", d)
		}
		if d := deadline(t, s, b.r, D(2026, 11, 23), reglement.StepDecision, reglement.Limit); d.Status != StatusMoot {
			t.Fatalf("no decision after inadmissibility: %+v", d)
		}
	})
	t.Run("SmartPLUS has no withdrawal in its regulation", func(t *testing.T) {
		t.Parallel()
		b := setup(t, "smartplus", D(2026, 11, 23), nil)
		wantRefused(t, b.try(boardCees, ActWithdraw, map[string]any{"reason": "klager trekt in"}), apperr.Conflict, "not_in_regulation")
	})
}

func TestOverdueAndMissed(t *testing.T) {
	t.Parallel()
	D := calendar.D
	b := setup(t, "smartplus", D(2026, 11, 23), nil)
	s := b.state()
	d := deadline(t, s, b.r, D(2026, 12, 1), reglement.StepAcknowledgement, reglement.Limit)
	if d.Status != StatusMissed {
		t.Fatalf("acknowledgement due 30 Nov, not given by 1 Dec: %s", d.Status)
	}
	b.on(D(2026, 12, 2)).do(receiverEva, ActAcknowledge, nil)
	d = deadline(t, b.state(), b.r, D(2026, 12, 2), reglement.StepAcknowledgement, reglement.Limit)
	if d.Status != StatusMetLate {
		t.Fatalf("late acknowledgement: %s", d.Status)
	}
}

func TestApplyRejectsDamagedLog(t *testing.T) {
	t.Parallel()
	if _, err := Fold([]Event{{Seq: 1, Type: EvReceived, Payload: json.RawMessage(`{"kind": 5}`)}}); err == nil {
		t.Fatal("a damaged payload must be reported")
	}
	if _, err := Fold([]Event{{Seq: 1, Type: "teleported"}}); err == nil {
		t.Fatal("an unknown event type must be reported")
	}
}

func TestUnknownActionAndBadInput(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 11, 23), nil)
	wantRefused(t, b.try(boardCees, "fly", nil), apperr.NotFound, "unknown_action")
	raw := json.RawMessage(`{"handler": {"name": "X"}, "colour": "red"}`)
	_, err := Decide(b.state(), b.r, Command{Action: ActAssignHandler, Input: raw}, boardCees, b.now)
	wantRefused(t, err, apperr.Invalid, "bad_input")
}

func TestMixedJudgmentNeedsPartlyUpheldInTheRegulation(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 11, 23), nil)
	b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
	b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": true})
	mixed := map[string]any{
		"points": []map[string]any{
			{"point": "Afspraken", "judgment": "upheld", "motivation": "m"},
			{"point": "Toon", "judgment": "not_upheld", "motivation": "m"},
		},
		"motivation": "m",
	}
	wantRefused(t, b.try(handlerAnna, ActDecide, mixed), apperr.Invalid, "outcome_not_in_regulation")
	wantRefused(t, b.try(handlerAnna, ActDecide, decision("partly_upheld")), apperr.Invalid, "outcome_not_in_regulation")
	b.do(handlerAnna, ActDecide, decision("not_upheld"))
	if b.state().Outcome != reglement.OutcomeNotUpheld {
		t.Fatal("not upheld")
	}
}

func TestRecordAsRemarkAfterReceipt(t *testing.T) {
	t.Parallel()
	D := calendar.D
	b := setup(t, "standergroep", D(2026, 11, 23), nil)
	wantRefused(t, b.try(receiverEva, ActRecordAsRemark, nil), apperr.Invalid, "")
	b.do(receiverEva, ActRecordAsRemark, map[string]any{"text": "Onduidelijkheid over een afspraak; geen klacht."})
	s := b.state()
	if !s.IsRemark() || s.Phase != PhaseClosed {
		t.Fatalf("remark: %v %s", s.IsRemark(), s.Phase)
	}
	if ds := s.Deadlines(b.r, D(2026, 12, 30)); len(ds) != 0 {
		t.Fatalf("a remark runs no complaint terms: %+v", ds)
	}
	sp := setup(t, "smartplus", D(2026, 11, 23), nil)
	wantRefused(t, sp.try(receiverEva, ActRecordAsRemark, map[string]any{"text": "x"}), apperr.Conflict, "not_in_regulation")
}

func TestAccusedReceiverTakesNoStep(t *testing.T) {
	t.Parallel()
	// Dirk is the accused coach and also a receiver of complaints.
	b := setup(t, "smartplus", calendar.D(2026, 11, 23), nil)
	wantRefused(t, b.try(coachDirk, ActAcknowledge, nil), apperr.Forbidden, "accused")
	for _, a := range Allowed(b.state(), b.r, coachDirk, b.now) {
		t.Errorf("the accused employee is offered %s", a)
	}
}

func TestDocumentsArriveWithTheComplaint(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 11, 23), func(in *NewComplaint) {
		in.Documents = []DocumentPayload{{DocumentID: "blob-1", Name: "mail-van-coach.pdf", Kind: "evidence"}}
	})
	s := b.state()
	if len(s.Documents) != 1 || s.Documents[0].DocumentID != "blob-1" || b.events[1].Type != EvDocumentAdded {
		t.Fatalf("documents of the intake: %+v", s.Documents)
	}
	r, _ := reglement.Preset("smartplus")
	_, err := Receive(r, NewComplaint{Intake: b.state().Intake, Documents: []DocumentPayload{{Name: " "}}}, receiverEva, b.now)
	wantRefused(t, err, apperr.Invalid, "")
}

func TestHandlerAssignsTheCategory(t *testing.T) {
	t.Parallel()
	b := setup(t, "smartplus", calendar.D(2026, 11, 23), nil)
	b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna"}})
	wantRefused(t, b.try(handlerAnna, ActSetCategory, map[string]any{"category": "weer"}), apperr.Invalid, "")
	cat := b.r.Categories[0].ID
	b.do(handlerAnna, ActSetCategory, map[string]any{"category": cat})
	if b.state().Intake.Category != cat {
		t.Fatalf("category %q", b.state().Intake.Category)
	}
	wantRefused(t, b.try(handlerAnna, ActSetCategory, map[string]any{"category": cat}), apperr.Conflict, "done")
}

func TestStandergroepNoticeIsMotivated(t *testing.T) {
	t.Parallel()
	b := setup(t, "standergroep", calendar.D(2026, 11, 23), nil)
	b.do(boardCees, ActAssignHandler, map[string]any{"handler": Person{Name: "Anna de Vries", UserID: "u-anna", Function: "klachtencoördinator"}})
	ground := b.r.Admissibility.Grounds[0].ID
	wantRefused(t, b.try(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": false, "ground": ground}), apperr.Invalid, "")
	b.do(handlerAnna, ActDecideAdmissibility, map[string]any{"admissible": false, "ground": ground, "motivation": "Buiten de klachttermijn van 6 maanden."})
	if b.state().Outcome != reglement.OutcomeInadmissible {
		t.Fatal("not taken on")
	}
}

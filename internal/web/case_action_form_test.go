package web

import (
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/service"
	"github.com/gegrond/gegrond/internal/store"
)

// everyStepRegulation is Best Match's regulation with every step an
// action can need: a hearing report for signature, inspection, proposals
// to the complainant, informal settlement, withdrawal, a report term and
// the handler's function on record. Every action then has a state in
// which it applies.
func everyStepRegulation(t *testing.T) *reglement.Reglement {
	t.Helper()
	preset, err := reglement.Preset("bestmatch")
	if err != nil {
		t.Fatal(err)
	}
	r := *preset
	r.Process.Steps = slices.Clone(r.Process.Steps)
	for i := range r.Process.Steps {
		if r.Process.Steps[i].Kind == reglement.ProcessHearing {
			r.Process.Steps[i].ReportForSignature = true
		}
	}
	r.Process.Steps = append(r.Process.Steps,
		reglement.ProcessStep{Kind: reglement.ProcessInspection, Mode: reglement.ModeOnRequest, Source: "test"},
		reglement.ProcessStep{Kind: reglement.ProcessProposal, Mode: reglement.ModeOptional, Source: "test"})
	r.Outcomes = append(slices.Clone(r.Outcomes),
		reglement.Outcome{Outcome: reglement.OutcomeSettledInformal, Label: "Informeel opgelost", Source: "test"},
		reglement.Outcome{Outcome: reglement.OutcomeWithdrawn, Label: "Ingetrokken", Source: "test"})
	r.Terms = append(slices.Clone(r.Terms), reglement.Term{Step: reglement.StepReport, Amount: 2, Unit: reglement.Weeks,
		Anchor: reglement.AnchorResolution, Kind: reglement.Limit, Source: "test"})
	r.Roles.HandlerRecord = []string{"name", "function", "date"}
	r.Definitions.Remark = &reglement.Text{Text: "Een signaal of suggestie, geen klacht.", Source: "test"}
	return &r
}

// formTestNow is the clock of the form tests: Tuesday 10 March 2026.
var formTestNow = time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)

// stateFor returns a case state in which the action applies, handled by
// Cora (who holds the handler and board roles) about Coen.
func stateFor(a complaint.Action) complaint.State {
	today := calendar.FromTime(formTestNow)
	received := today.AddDays(-9)
	cora := complaint.Person{Name: "Cora Coördinator", UserID: "u-cora", Function: "klachtencoördinator"}
	s := complaint.State{
		Number: "2026-0001", Phase: complaint.PhaseHandling,
		Intake:  complaint.Intake{Kind: complaint.KindComplaint, Channel: reglement.ChannelEmail, ReceivedOn: received, Complainant: complaint.Person{Name: "Petra de Vries"}, Facts: "Afspraken niet nagekomen."},
		Accused: []complaint.Person{{Name: "Coen Coach", UserID: "u-coen"}},
		Handler: &cora, HandlerSince: &received,
	}
	decided := func() {
		s.Phase = complaint.PhaseDecided
		s.Decision = &complaint.DecidedPayload{Outcome: reglement.OutcomeUpheld, On: today, Motivation: "m"}
		s.ResolvedOn = &today
	}
	switch a {
	case complaint.ActAcknowledge, complaint.ActDecideAdmissibility, complaint.ActRecordAsRemark:
		s.Phase = complaint.PhaseReceived
	case complaint.ActAssignHandler:
		s.Handler = nil
	case complaint.ActReceiveInformation:
		s.OpenInfoRequests = 1
	case complaint.ActResumeClock:
		s.PausedSince = &received
	case complaint.ActSendHearingReport:
		s.HearingHeldOn = &today
	case complaint.ActSignHearingReport:
		s.HearingHeldOn, s.HearingReportSent = &today, &today
	case complaint.ActAnswerProposal:
		s.Proposal = &complaint.ProposalPayload{Text: "Excuses en een nieuwe coach.", On: today}
	case complaint.ActDecide:
		s.HearingHeldOn, s.HearingReportSent, s.BoardProposalOn = &today, &today, &today
	case complaint.ActGiveReferral, complaint.ActCompleteAftercare, complaint.ActSendReport, complaint.ActAddMeasure:
		decided()
	case complaint.ActCompleteMeasure:
		decided()
		s.Measures = []complaint.MeasurePayload{{ID: 1, Description: "Excuses aanbieden", Kind: "corrective"}}
	case complaint.ActClose:
		decided()
		s.AftercareOn = &today
	case complaint.ActArchive:
		s.Phase, s.ClosedOn = complaint.PhaseClosed, &today
	}
	return s
}

// formTestEnv is the environment of an action form for a state.
func formTestEnv(r *reglement.Reglement, s complaint.State) *actionEnv {
	today := calendar.FromTime(formTestNow)
	v := &service.CaseView{Number: s.Number, State: string(s.Phase), Case: s, Policy: r, Deadlines: s.Deadlines(r, today)}
	members := []store.Member{
		{User: store.User{ID: "u-cora", Name: "Cora Coördinator"}, Roles: []string{"handler", "board"}},
		{User: store.User{ID: "u-coen", Name: "Coen Coach"}, Roles: []string{"handler"}},
	}
	return &actionEnv{l: langNL, view: v, members: members, today: today}
}

// sampleValues overrides the filled form where a value must fit the
// case: an extension after the present decision date, no ground when the
// complaint is taken on.
var sampleValues = map[complaint.Action]url.Values{
	complaint.ActExtend:              {"new_due": {"2026-06-20"}},
	complaint.ActDecideAdmissibility: {"ground": {""}},
}

// filledForm fills every field of the action's form as a person would.
func filledForm(spec actionSpec, env *actionEnv) *form {
	f := newForm()
	for _, fd := range spec.shown(env) {
		var opts []option
		if fd.options != nil {
			opts = slices.DeleteFunc(fd.options(env), func(o option) bool { return o.Value == "" })
		}
		switch fd.kind {
		case fkText:
			f.Values.Set(fd.name, "Een korte tekst")
		case fkTextarea:
			f.Values.Set(fd.name, "Een langere tekst,\nover twee regels.")
		case fkLines:
			f.Values.Set(fd.name, "Petra de Vries\n\nCoen Coach\n")
		case fkDate:
			f.Values.Set(fd.name, env.today.Dutch()) // as typed: 10-03-2026
		case fkYesNo:
			f.Values.Set(fd.name, "ja")
		case fkCheck:
			f.Values.Set(fd.name, "1")
		case fkParties:
			if fd.initialList != nil && len(fd.initialList(env)) > 0 {
				f.Values[fd.name] = fd.initialList(env)
			} else if len(opts) > 0 {
				f.Values.Set(fd.name, opts[0].Value)
			}
		case fkSelect, fkStaff, fkNumber:
			if len(opts) > 0 {
				f.Values.Set(fd.name, opts[0].Value)
			}
		}
	}
	for k, v := range sampleValues[spec.action] {
		f.Values[k] = v
	}
	return f
}

func TestEveryActionFormMapsToValidInput(t *testing.T) {
	t.Parallel()
	r := everyStepRegulation(t)
	caller := complaint.Caller{Actor: complaint.Actor{UserID: "u-cora", Name: "Cora Coördinator", Kind: "user"},
		Roles: []reglement.Role{reglement.RoleHandler, reglement.RoleBoard}}
	// The complainant's own requests (portal) have no staff form.
	staffActions := slices.DeleteFunc(slices.Clone(complaint.ActionOrder), func(a complaint.Action) bool {
		return slices.Contains(complaint.ComplainantOnly, a)
	})
	if len(actionSpecs) != len(staffActions) {
		t.Errorf("%d action forms for %d staff actions", len(actionSpecs), len(staffActions))
	}
	for _, a := range complaint.ComplainantOnly {
		if _, ok := actionSpecOf(a); ok {
			t.Errorf("the complainant's action %s has a staff form", a)
		}
	}
	for i, a := range staffActions {
		t.Run(string(a), func(t *testing.T) {
			spec, ok := actionSpecOf(a)
			if !ok {
				t.Fatalf("no form for action %s", a)
			}
			if i < len(actionSpecs) && actionSpecs[i].action != a {
				t.Errorf("form %d is %s; the forms follow complaint.ActionOrder", i, actionSpecs[i].action)
			}
			s := stateFor(a)
			env := formTestEnv(r, s)
			if allowed := complaint.Allowed(s, r, caller, formTestNow); !slices.Contains(allowed, a) {
				t.Fatalf("the test's state does not allow %s (allowed: %v)", a, allowed)
			}
			for _, key := range []string{"act." + string(a) + ".title", "act." + string(a) + ".submit", "act." + string(a) + ".done"} {
				if !hasMessage(key) {
					t.Errorf("no message %s", key)
				}
			}
			for _, fd := range spec.fields {
				if !hasMessage(fd.label) || (fd.hint != "" && !hasMessage(fd.hint)) {
					t.Errorf("field %s: label %q or hint %q is no message", fd.name, fd.label, fd.hint)
				}
			}

			// A form filled in as a person would: the core takes it.
			f := filledForm(spec, env)
			input := spec.input(env, f)
			if input == nil {
				t.Fatalf("the filled form was refused by the screen: %v", f.Errors)
			}
			events, err := complaint.Decide(s, r, complaint.Command{Action: a, Input: input}, caller, formTestNow)
			if err != nil {
				t.Fatalf("the core refuses the filled form's input %s: %v", input, err)
			}
			if len(events) == 0 {
				t.Fatalf("no events from %s", input)
			}

			// An empty form: whatever the core misses is shown next to a
			// field of this form, never lost.
			empty := newForm()
			input = spec.input(env, empty)
			_, err = complaint.Decide(s, r, complaint.Command{Action: a, Input: input}, caller, formTestNow)
			var e *apperr.Error
			if errors.As(err, &e) && e.Field != "" {
				if !spec.fail(env, empty, err) || empty.Error != "" || len(empty.Errors) != 1 {
					t.Errorf("the core's error on field %q (%v) is not shown next to a field: errors %v, form error %q", e.Field, err, empty.Errors, empty.Error)
				}
			}
		})
	}
}

func TestActionFormsReadFormValues(t *testing.T) {
	t.Parallel()
	r := everyStepRegulation(t)
	for _, tc := range []struct {
		name   string
		action complaint.Action
		form   url.Values
		want   string
		errors []string
	}{
		{"a typed Dutch date becomes ISO", complaint.ActAddNote, url.Values{"text": {"x"}, "on": {"9-3-2026"}}, `{"on":"2026-03-09","text":"x"}`, nil},
		{"a date that is no date", complaint.ActAddNote, url.Values{"text": {"x"}, "on": {"31-02-2026"}}, "", []string{"on"}},
		{"a chosen person wins over a typed name", complaint.ActAddAccused, url.Values{"employee.user_id": {"u-coen"}, "employee.name": {"Iemand"}}, `{"employee":{"name":"Coen Coach","user_id":"u-coen"}}`, nil},
		{"a typed name without a choice", complaint.ActAddAccused, url.Values{"employee.name": {"Iemand Anders"}}, `{"employee":{"name":"Iemand Anders"}}`, nil},
		{"a person who is no member", complaint.ActAssignHandler, url.Values{"handler.user_id": {"u-nobody"}}, "", []string{"handler.user_id"}},
		{"judgment rows left empty are dropped", complaint.ActDecide, url.Values{"points[1].point": {"B"}, "points[1].judgment": {"upheld"}, "points[1].motivation": {"m"}, "motivation": {"M"}},
			`{"motivation":"M","points":[{"judgment":"upheld","motivation":"m","point":"B"}]}`, nil},
		{"participants one a line", complaint.ActHoldHearing, url.Values{"participants": {" A \r\n\r\nB"}, "summary": {"s"}}, `{"participants":["A","B"],"summary":"s"}`, nil},
		{"yes and no", complaint.ActAnswerProposal, url.Values{"accepted": {"nee"}}, `{"accepted":false}`, nil},
		{"parties ticked once each", complaint.ActExtend, url.Values{"sent_to": {"complainant", "complainant", "accused_employee"}, "new_due": {"2026-06-20"}}, `{"new_due":"2026-06-20","sent_to":["complainant","accused_employee"]}`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, _ := actionSpecOf(tc.action)
			env := formTestEnv(r, stateFor(tc.action))
			f := &form{Values: tc.form, Errors: map[string]string{}}
			got := spec.input(env, f)
			if len(tc.errors) > 0 {
				for _, name := range tc.errors {
					if f.Errors[name] == "" {
						t.Errorf("no error on %s: %v", name, f.Errors)
					}
				}
				if got != nil {
					t.Errorf("input %s despite errors", got)
				}
				return
			}
			var gotV, wantV any
			_ = json.Unmarshal(got, &gotV)
			_ = json.Unmarshal([]byte(tc.want), &wantV)
			g, _ := json.Marshal(gotV)
			w, _ := json.Marshal(wantV)
			if string(g) != string(w) {
				t.Errorf("input %s, want %s", g, w)
			}
		})
	}
}

func TestRefusalsLandNextToTheirField(t *testing.T) {
	t.Parallel()
	r := everyStepRegulation(t)
	for _, tc := range []struct {
		name   string
		action complaint.Action
		posted url.Values
		err    error
		field  string
	}{
		{"the accused as handler", complaint.ActAssignHandler, url.Values{"handler.user_id": {"u-coen"}},
			apperr.New(apperr.Conflict, "Coen is an accused employee").WithReason("accused_handler"), "handler.user_id"},
		{"a missing handler name is the choice", complaint.ActAssignHandler, url.Values{},
			apperr.Field("handler.name", "missing; name the handler"), "handler.user_id"},
		{"the second filled judgment row is the form's third", complaint.ActDecide,
			url.Values{"points[0].point": {"A"}, "points[2].point": {"C"}},
			apperr.Field("points[1].motivation", "missing; motivate the judgment"), "points[2].motivation"},
		{"beyond the maximum is about the date", complaint.ActExtend, url.Values{},
			apperr.New(apperr.Conflict, "beyond").WithReason("extension_beyond_maximum"), "new_due"},
		{"a term that passed is about the form", complaint.ActExtend, url.Values{},
			apperr.New(apperr.Conflict, "passed").WithReason("term_passed"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, _ := actionSpecOf(tc.action)
			env := formTestEnv(r, stateFor(tc.action))
			f := &form{Values: tc.posted, Errors: map[string]string{}}
			if !spec.fail(env, f, tc.err) {
				t.Fatal("fail reports an internal error")
			}
			if tc.field == "" {
				if f.Error == "" || len(f.Errors) > 0 {
					t.Fatalf("want a form error, got %q and %v", f.Error, f.Errors)
				}
				return
			}
			if f.Errors[tc.field] == "" || f.Error != "" {
				t.Fatalf("want an error on %s, got %v and form error %q", tc.field, f.Errors, f.Error)
			}
			if strings.HasPrefix(f.Errors[tc.field], "missing") {
				t.Errorf("the core's English shows: %q", f.Errors[tc.field])
			}
		})
	}
}

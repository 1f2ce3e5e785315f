package complaint

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/reglement"
)

// Action names a command on an existing case. The names are part of the API
// (POST /api/v1/cases/{number}/actions/{action}).
type Action string

// Command is an action with its JSON input.
type Command struct {
	Action Action
	Input  json.RawMessage
}

// ctx is what an action's rules and effects see.
type ctx struct {
	s      *State
	r      *reglement.Reglement
	caller Caller
	today  calendar.Date
	at     time.Time
}

func (c *ctx) event(t EventType, payload any) Event {
	return mustEvent(t, c.caller.Actor, c.at, payload)
}

// actionSpec defines one action: who may take it, when, and what it does.
type actionSpec struct {
	// when checks the case's state and regulation; nil error means the action
	// applies now.
	when func(c *ctx) error
	// who checks the caller's role for this case.
	who func(c *ctx) error
	// run validates the input and returns the events.
	run func(c *ctx, in json.RawMessage) ([]Event, error)
}

// Decide turns a command into the events it causes, or refuses it with an
// *apperr.Error saying why. now is the current time in the organisation's
// zone: its date is "today".
func Decide(s State, r *reglement.Reglement, cmd Command, caller Caller, now time.Time) ([]Event, error) {
	spec, ok := actions[cmd.Action]
	if !ok {
		return nil, apperr.New(apperr.NotFound, "unknown action %q; see the case's allowed actions", cmd.Action).WithReason("unknown_action")
	}
	c := &ctx{s: &s, r: r, caller: caller, today: calendar.FromTime(now), at: now.UTC()}
	if err := guard(c, cmd.Action); err != nil {
		return nil, err
	}
	if err := spec.when(c); err != nil {
		return nil, err
	}
	if err := spec.who(c); err != nil {
		return nil, err
	}
	events, err := spec.run(c, cmd.Input)
	if err != nil {
		return nil, err
	}
	return number(events), nil
}

// Allowed lists the actions the caller may take on the case now, in a
// stable order.
func Allowed(s State, r *reglement.Reglement, caller Caller, now time.Time) []Action {
	c := &ctx{s: &s, r: r, caller: caller, today: calendar.FromTime(now), at: now.UTC()}
	var out []Action
	for _, a := range ActionOrder {
		spec := actions[a]
		if guard(c, a) == nil && spec.when(c) == nil && spec.who(c) == nil {
			out = append(out, a)
		}
	}
	return out
}

// guard holds the rules every action obeys: a closed case accepts only
// archiving; a case whose handler became accused accepts only a new
// handler; a paused clock blocks the steps that need the complainant.
func guard(c *ctx, a Action) error {
	s := c.s
	switch {
	case s.ErasedOn != nil:
		return apperr.New(apperr.Conflict, "case %s was erased on %s; nothing can be changed", s.Number, s.ErasedOn).WithReason("erased")
	case s.Phase == PhaseArchived:
		return apperr.New(apperr.Conflict, "case %s is archived; nothing can be changed", s.Number).WithReason("archived")
	case s.Phase == PhaseClosed && a != ActArchive:
		return apperr.New(apperr.Conflict, "case %s is closed; only archiving remains", s.Number).WithReason("closed")
	case s.HandlerIsAccused() && a != ActAssignHandler:
		return apperr.New(apperr.Conflict, "the handler %s is an accused employee in this case; assign another handler first (%s)", s.Handler.Name, independenceSource(c.r)).WithReason("handler_accused")
	case s.PausedSince != nil && !slices.Contains(whilePaused, a):
		return apperr.New(apperr.Conflict, "the clock is paused since %s; resume it first", s.PausedSince).WithReason("paused")
	}
	return nil
}

var whilePaused = []Action{ActResumeClock, ActReceiveInformation, ActRequestInformation, ActAddDocument,
	ActAddNote, ActWithdraw, ActAssignHandler, ActAddAccused, ActRequestInspection}

func independenceSource(r *reglement.Reglement) string {
	if r.Roles.Independence.Source != "" {
		return r.Roles.Independence.Source
	}
	return "Awb 9:7"
}

// decodeInput reads an action's JSON input strictly.
func decodeInput(in json.RawMessage, v any) error {
	if len(bytes.TrimSpace(in)) == 0 {
		in = json.RawMessage("{}")
	}
	dec := json.NewDecoder(bytes.NewReader(in))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return apperr.New(apperr.Invalid, "the input is not valid: %s", strings.TrimPrefix(err.Error(), "json: ")).WithReason("bad_input")
	}
	return nil
}

// dateOr returns d, or today when d is nil, refusing dates in the future or
// before the complaint was received.
func (c *ctx) dateOr(d *calendar.Date, field string) (calendar.Date, error) {
	if d == nil || d.IsZero() {
		return c.today, nil
	}
	if d.After(c.today) {
		return calendar.Date{}, apperr.Field(field, "the date %s lies in the future", d)
	}
	if d.Before(c.s.Intake.ReceivedOn) {
		return calendar.Date{}, apperr.Field(field, "the date %s lies before the complaint was received (%s)", d, c.s.Intake.ReceivedOn)
	}
	return *d, nil
}

func required(field, value, what string) error {
	if strings.TrimSpace(value) == "" {
		return apperr.Field(field, "missing; %s", what)
	}
	return nil
}

// --- who -----------------------------------------------------------------

func forbidden(format string, args ...any) error {
	return apperr.New(apperr.Forbidden, format, args...).WithReason("role")
}

// asRole checks that the caller may act in role for this case. The handler
// is the assigned handler, or, while none is assigned, anyone holding the
// handler role. The accused employee never acts as handler or board.
func (c *ctx) asRole(role reglement.Role) error {
	if role == "" {
		role = reglement.RoleHandler
	}
	// Awb 9:7: whatever role they hold, an accused employee takes no step
	// in the case about them.
	if c.s.IsAccused(c.caller.Person()) {
		return apperr.New(apperr.Forbidden, "you are an accused employee in this case and cannot handle or decide it (%s)", independenceSource(c.r)).WithReason("accused")
	}
	switch role {
	case reglement.RoleHandler:
		if c.s.Handler != nil && c.s.Handler.UserID != "" {
			if c.s.Handler.UserID == c.caller.UserID {
				return nil
			}
			return forbidden("only the assigned handler (%s) may do this", c.s.Handler.Name)
		}
		if c.caller.Has(reglement.RoleHandler) {
			return nil
		}
		return forbidden("only a complaint handler may do this")
	case reglement.RoleReceiver:
		if len(c.caller.Roles) > 0 {
			return nil
		}
		return forbidden("only an employee of the organisation may do this")
	default:
		if c.caller.Has(role) {
			return nil
		}
		return forbidden("only the %s may do this", reglement.RoleNL(role))
	}
}

// caseWorker: the handler, or the board (which in several regulations runs
// the procedure: Work 2 Work 5.1.5-5.2.3).
func (c *ctx) caseWorker() error {
	err := c.asRole(reglement.RoleHandler)
	if err == nil || apperr.CodeOf(err) != apperr.Forbidden {
		return err
	}
	if c.asRole(reglement.RoleBoard) == nil {
		return nil
	}
	return err
}

func anyOf(checks ...func(c *ctx) error) func(c *ctx) error {
	return func(c *ctx) error {
		var first error
		for _, chk := range checks {
			err := chk(c)
			if err == nil {
				return nil
			}
			if first == nil {
				first = err
			}
		}
		return first
	}
}

func role(r reglement.Role) func(c *ctx) error {
	return func(c *ctx) error { return c.asRole(r) }
}

func caseWorker(c *ctx) error { return c.caseWorker() }

// --- when ----------------------------------------------------------------

func conflict(reason, format string, args ...any) error {
	return apperr.New(apperr.Conflict, format, args...).WithReason(reason)
}

func isOpen(c *ctx) error {
	if c.s.IsRemark() {
		return conflict("remark", "case %s is a remark, handled outside the complaint procedure", c.s.Number)
	}
	return nil
}

func inPhase(phases ...Phase) func(c *ctx) error {
	return func(c *ctx) error {
		if err := isOpen(c); err != nil {
			return err
		}
		if !slices.Contains(phases, c.s.Phase) {
			return conflict("phase", "not possible while the case is %s", c.s.Phase)
		}
		return nil
	}
}

func (c *ctx) processStep(kind reglement.ProcessKind) *reglement.ProcessStep {
	for i := range c.r.Process.Steps {
		if c.r.Process.Steps[i].Kind == kind {
			return &c.r.Process.Steps[i]
		}
	}
	return nil
}

func hasStep(kind reglement.ProcessKind, phases ...Phase) func(c *ctx) error {
	return func(c *ctx) error {
		if st := c.processStep(kind); st == nil || st.Mode == reglement.ModeNone {
			return conflict("not_in_regulation", "%s's regulation has no %s step", c.r.Organisation, kind)
		}
		return inPhase(phases...)(c)
	}
}

func (c *ctx) allowsOutcome(o reglement.OutcomeKind) *reglement.Outcome {
	for i := range c.r.Outcomes {
		if c.r.Outcomes[i].Outcome == o {
			return &c.r.Outcomes[i]
		}
	}
	return nil
}

// Package service runs the complaint core through the store: it picks the
// regulation a case is handled under, turns commands into events with
// complaint.Decide, and writes them with the case's projection in one
// transaction. The API and the screens call it; they only parse and render.
package service

import (
	"context"
	"crypto/cipher"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/document"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// Service handles complaints for every organisation in the store.
type Service struct {
	store *store.Store
	now   func() time.Time
	loc   *time.Location

	mu   sync.Mutex
	regs map[string]*reglement.Reglement // by org/revision
	// mailboxKey seals the organisations' IMAP passwords (mailsource.go);
	// nil until SetMailboxKey.
	mailboxKey cipher.AEAD
	// docs keeps the evidence files, encrypted; checker guards what goes
	// in. Set by SetDocuments (documents.go).
	docs    *document.Store
	checker *document.Checker
	// logger: see SetLogger (sweep.go).
	logger *slog.Logger
}

// New returns a service on st. now is the clock (injected once, in main);
// loc is the zone whose calendar date is "today" (Europe/Amsterdam).
func New(st *store.Store, now func() time.Time, loc *time.Location) *Service {
	return &Service{store: st, now: now, loc: loc, regs: map[string]*reglement.Reglement{}}
}

// Store returns the underlying store.
func (s *Service) Store() *store.Store { return s.store }

// Now returns the current time in the organisations' zone.
func (s *Service) Now() time.Time { return s.now().In(s.loc) }

// Today returns the current civil date.
func (s *Service) Today() calendar.Date { return calendar.FromTime(s.Now()) }

// Regulation returns the organisation's regulation in force on date: the
// version with the latest valid-from on or before it.
func (s *Service) Regulation(ctx context.Context, orgID string, on calendar.Date) (*reglement.Reglement, int, error) {
	versions, err := s.store.Regulations(ctx, orgID)
	if err != nil {
		return nil, 0, err
	}
	best := -1
	for i, v := range versions {
		if v.ValidFrom.After(on) {
			continue
		}
		if best < 0 || v.ValidFrom.After(versions[best].ValidFrom) || (v.ValidFrom == versions[best].ValidFrom && v.Version > versions[best].Version) {
			best = i
		}
	}
	if best < 0 {
		return nil, 0, apperr.New(apperr.Conflict, "organisation %s has no regulation in force on %s", orgID, on).WithReason("no_regulation")
	}
	r, err := s.parsed(orgID, versions[best])
	return r, versions[best].Version, err
}

// caseRegulation returns the regulation a case is handled under: the
// version stored with it when it was received.
func (s *Service) caseRegulation(ctx context.Context, orgID string, rec store.CaseRecord) (*reglement.Reglement, error) {
	revision, err := revisionOf(rec)
	if err != nil {
		return nil, err
	}
	return s.regulationRevision(ctx, orgID, revision)
}

// regulationRevision returns one stored version of the regulation.
func (s *Service) regulationRevision(ctx context.Context, orgID string, revision int) (*reglement.Reglement, error) {
	key := orgID + "/" + strconv.Itoa(revision)
	s.mu.Lock()
	r := s.regs[key]
	s.mu.Unlock()
	if r != nil {
		return r, nil
	}
	versions, err := s.store.Regulations(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, v := range versions {
		if v.Version == revision {
			return s.parsed(orgID, v)
		}
	}
	return nil, apperr.New(apperr.Internal, "regulation revision %d of %s is missing", revision, orgID)
}

func (s *Service) parsed(orgID string, v store.Regulation) (*reglement.Reglement, error) {
	key := orgID + "/" + strconv.Itoa(v.Version)
	s.mu.Lock()
	defer s.mu.Unlock()
	if r := s.regs[key]; r != nil {
		return r, nil
	}
	r, _, err := reglement.Load([]byte(v.YAML))
	if err != nil {
		return nil, fmt.Errorf("stored regulation %s: %w", key, err)
	}
	s.regs[key] = r
	return r, nil
}

// Caller builds the caller for a user in an organisation, with their roles.
func (s *Service) Caller(ctx context.Context, orgID, userID string) (complaint.Caller, error) {
	u, err := s.store.GetUser(ctx, userID)
	if err != nil {
		return complaint.Caller{}, err
	}
	roles, err := s.store.RolesOf(ctx, orgID, userID)
	if err != nil {
		return complaint.Caller{}, err
	}
	if len(roles) == 0 {
		return complaint.Caller{}, apperr.New(apperr.Forbidden, "you are not a member of organisation %s", orgID)
	}
	return CallerFor(u, roles), nil
}

// CallerFor builds a caller from a user and their role names.
func CallerFor(u store.User, roles []string) complaint.Caller {
	c := complaint.Caller{Actor: complaint.Actor{UserID: u.ID, Name: u.Name, Kind: "user"}}
	for _, r := range roles {
		c.Roles = append(c.Roles, reglement.Role(r))
	}
	return c
}

// CaseView is a case as the API and screens show it.
type CaseView struct {
	Number string          `json:"number"`
	State  string          `json:"state"`
	Case   complaint.State `json:"case"`
	// Reglement identifies the regulation version the case runs under.
	Reglement    ReglementRef             `json:"reglement"`
	Deadlines    []complaint.CaseDeadline `json:"deadlines"`
	NextDeadline *complaint.CaseDeadline  `json:"next_deadline,omitempty"`
	Overdue      bool                     `json:"overdue"`
	Allowed      []complaint.Action       `json:"allowed_actions"`
	Events       []complaint.Event        `json:"events,omitempty"`
	Record       store.CaseRecord         `json:"-"`
	Policy       *reglement.Reglement     `json:"-"`
	Caller       complaint.Caller         `json:"-"`
}

// ReglementRef names a regulation version.
type ReglementRef struct {
	ID       string `json:"id"`
	Version  string `json:"version"`
	Revision int    `json:"revision"`
}

// CreateCase opens a case from an intake. A repeated idempotency key
// returns the case created the first time, and created is false.
func (s *Service) CreateCase(ctx context.Context, orgID string, caller complaint.Caller, in complaint.NewComplaint, idempotencyKey string) (view CaseView, created bool, err error) {
	now := s.Now()
	on := in.ReceivedOn
	if on.IsZero() {
		on = calendar.FromTime(now)
	}
	r, revision, err := s.Regulation(ctx, orgID, on)
	if err != nil {
		return CaseView{}, false, err
	}
	in.ReglementRevision = revision
	events, err := complaint.Receive(r, in, caller, now)
	if err != nil {
		return CaseView{}, false, err
	}
	st, err := complaint.Fold(events)
	if err != nil {
		return CaseView{}, false, err
	}
	rec, err := s.store.CreateCase(ctx, orgID, store.NewCase{
		Year:           st.Intake.ReceivedOn.Year,
		IdempotencyKey: idempotencyKey,
		Projection:     project(&st, r, calendar.FromTime(now)),
		Events:         events,
		// The personal link to the portal goes out with the case, by the
		// job queue (portal.go).
		Jobs: portalJobs(&st, now),
	})
	if err != nil {
		return CaseView{}, false, err
	}
	view, err = s.Case(ctx, orgID, rec.Number, caller)
	return view, !rec.Replayed, err
}

// Act performs an action on a case and returns the case after it.
func (s *Service) Act(ctx context.Context, orgID, number string, caller complaint.Caller, cmd complaint.Command) (CaseView, error) {
	rec, _, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return CaseView{}, err
	}
	r, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return CaseView{}, err
	}
	if cmd.Action == complaint.ActAssignHandler {
		if err := s.checkAssignee(ctx, orgID, cmd.Input); err != nil {
			return CaseView{}, err
		}
	}
	now := s.Now()
	_, err = s.store.UpdateCase(ctx, orgID, number, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		st.Number = number
		events, err := complaint.Decide(st, r, cmd, caller, now)
		if err != nil {
			return nil, store.Projection{}, err
		}
		last := st.LastSeq
		for i := range events {
			events[i].Seq = last + i + 1
			if st, err = complaint.Apply(st, events[i]); err != nil {
				return nil, store.Projection{}, err
			}
		}
		return events, project(&st, r, calendar.FromTime(now)), nil
	})
	if err != nil {
		return CaseView{}, err
	}
	return s.Case(ctx, orgID, number, caller)
}

// checkAssignee refuses a handler account that lacks the handler role.
func (s *Service) checkAssignee(ctx context.Context, orgID string, input json.RawMessage) error {
	var in struct {
		Handler struct {
			UserID string `json:"user_id"`
		} `json:"handler"`
	}
	if json.Unmarshal(input, &in) != nil || in.Handler.UserID == "" {
		return nil // Decide reports malformed input with its own message.
	}
	roles, err := s.store.RolesOf(ctx, orgID, in.Handler.UserID)
	if err != nil {
		return err
	}
	if !slices.Contains(roles, string(reglement.RoleHandler)) {
		return apperr.Field("handler.user_id", "this user does not hold the handler role in the organisation")
	}
	return nil
}

// Case returns one case with its deadlines and the actions the caller may
// take now.
func (s *Service) Case(ctx context.Context, orgID, number string, caller complaint.Caller) (CaseView, error) {
	rec, events, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return CaseView{}, err
	}
	revision, err := revisionOf(rec)
	if err != nil {
		return CaseView{}, err
	}
	r, err := s.regulationRevision(ctx, orgID, revision)
	if err != nil {
		return CaseView{}, err
	}
	st, err := complaint.Fold(events)
	if err != nil {
		return CaseView{}, err
	}
	st.Number = rec.Number
	now := s.Now()
	today := calendar.FromTime(now)
	v := CaseView{
		Number: rec.Number, State: rec.State, Case: st,
		Reglement: ReglementRef{ID: r.ID, Version: r.Version, Revision: revision},
		Deadlines: st.Deadlines(r, today),
		Allowed:   complaint.Allowed(st, r, caller, now),
		Events:    events, Record: rec, Policy: r, Caller: caller,
	}
	if v.Allowed == nil {
		v.Allowed = []complaint.Action{}
	}
	if next, ok := st.NextDeadline(r, today); ok {
		v.NextDeadline = &next
		v.Overdue = st.IsOpen() && next.Due.Before(today)
	}
	return v, nil
}

// Cases lists an organisation's cases.
func (s *Service) Cases(ctx context.Context, orgID string, f store.CaseFilter) ([]store.CaseRecord, error) {
	return s.store.FindCases(ctx, orgID, f)
}

// revisionOf reads the regulation revision a case runs under from its
// projection summary.
func revisionOf(rec store.CaseRecord) (int, error) {
	var sum summary
	if err := json.Unmarshal(rec.Summary, &sum); err != nil || sum.Revision == 0 {
		return 0, apperr.New(apperr.Internal, "case %s does not record its regulation version", rec.Number)
	}
	return sum.Revision, nil
}

// summary is the JSON the projection carries for list screens.
type summary struct {
	Revision      int    `json:"revision"`
	Kind          string `json:"kind"`
	Channel       string `json:"channel"`
	HandlerName   string `json:"handler_name,omitempty"`
	NextStepLabel string `json:"next_step_label,omitempty"`
	TimeBarred    bool   `json:"time_barred,omitempty"`
	Outcome       string `json:"outcome,omitempty"`
	Paused        bool   `json:"paused,omitempty"`
	Category      string `json:"category,omitempty"`
	Commissioning string `json:"commissioning,omitempty"`
}

// project computes the stored projection of a case state.
func project(st *complaint.State, r *reglement.Reglement, today calendar.Date) store.Projection {
	p := store.Projection{
		State:           string(st.Phase),
		ReceivedOn:      st.Intake.ReceivedOn,
		Closed:          !st.IsOpen(),
		ComplainantName: st.Intake.Complainant.Name,
		// The Termijnen screen marks what the complainant added and no
		// staff member acted on since.
		ComplainantInputAt: st.ComplainantInputAt(),
	}
	if st.IsRemark() {
		p.State = "remark"
	}
	sum := summary{Revision: st.Intake.ReglementRevision, Kind: st.Intake.Kind, Channel: string(st.Intake.Channel),
		TimeBarred: st.Intake.TimeBarred, Outcome: string(st.Outcome), Paused: st.PausedSince != nil,
		Category: st.Intake.Category, Commissioning: st.Intake.CommissioningParty}
	if st.Handler != nil {
		p.HandlerID = st.Handler.UserID
		sum.HandlerName = st.Handler.Name
	}
	if st.ErasedOn != nil {
		// An erased case is finished, whatever phase it was in: nothing
		// is due any more (an erasure request may come while it is open).
		p.Closed = true
	} else if next, ok := st.NextDeadline(r, today); ok {
		p.NextDeadline, p.NextDeadlineStep = *next.Due, string(next.Step)
		sum.NextStepLabel = reglement.StepNL(next.Step)
	}
	var words []string
	words = append(words, st.Intake.Complainant.Name, st.Intake.Complainant.Email, st.Intake.ClientName,
		st.Intake.CommissioningParty, st.Intake.ContactPerson, st.Intake.Facts, st.Intake.IncidentPlace)
	if st.Intake.Representative != nil {
		words = append(words, st.Intake.Representative.Name)
	}
	for _, a := range st.Accused {
		words = append(words, a.Name)
	}
	p.SearchText = strings.Join(slices.DeleteFunc(words, func(w string) bool { return w == "" }), " ")
	p.Summary, _ = json.Marshal(sum)
	return p
}

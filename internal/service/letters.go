package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
	"github.com/gegrond/gegrond/internal/letter"
	"github.com/gegrond/gegrond/internal/reglement"
	"github.com/gegrond/gegrond/internal/store"
)

// JobSendLetter is the kind of the job that e-mails a letter; its payload
// is SendLetterPayload. The jobs package runs it.
const JobSendLetter = "send_letter"

// SendLetterPayload is the payload of a send_letter job.
type SendLetterPayload struct {
	LetterID string `json:"letter_id"`
}

// LetterSettings are an organisation's settings for its letters and
// reminders: the "letters" object of its settings JSON.
type LetterSettings struct {
	// ComplaintEmail is the organisation's complaint address: the From and
	// Reply-To of its letters, so that replies reach it. Empty falls back
	// to the regulation's contact e-mail.
	ComplaintEmail string `json:"complaint_email,omitempty"`
	// Address and Phone complete the letterhead; empty falls back to the
	// regulation's contact.
	Address string `json:"address,omitempty"`
	Phone   string `json:"phone,omitempty"`
	// Lang is the language of the letters: nl (default) or en.
	Lang string `json:"lang,omitempty"`
	// Wording holds the organisation's own intro and closing per letter
	// kind; never the required contents.
	Wording map[reglement.LetterKind]letter.Wording `json:"wording,omitempty"`
	// ReminderDays is how many working days before a limit the handler is
	// reminded; 0 is the job runner's default.
	ReminderDays int `json:"reminder_days,omitempty"`
	// Logo is the organisation's logo for the letterhead: a PNG, base64 in
	// the settings JSON.
	Logo []byte `json:"logo,omitempty"`
}

// OrgLetters is an organisation with its letter settings.
type OrgLetters struct {
	Org      store.Organisation
	Settings LetterSettings
	// ComplaintEmail is where the organisation receives complaints: the
	// setting, else the contact e-mail of the regulation in force; "" when
	// neither names one.
	ComplaintEmail string
}

// LetterSettings reads the organisation's letter settings. Settings that
// do not parse are ignored, as if unset.
func (s *Service) LetterSettings(ctx context.Context, orgID string) (OrgLetters, error) {
	org, err := s.store.GetOrganisation(ctx, orgID)
	if err != nil {
		return OrgLetters{}, err
	}
	var wrap struct {
		Letters LetterSettings `json:"letters"`
	}
	if len(org.Settings) > 0 {
		_ = json.Unmarshal(org.Settings, &wrap)
	}
	out := OrgLetters{Org: org, Settings: wrap.Letters, ComplaintEmail: strings.TrimSpace(wrap.Letters.ComplaintEmail)}
	if out.ComplaintEmail == "" {
		if r, _, err := s.Regulation(ctx, orgID, s.Today()); err == nil {
			out.ComplaintEmail = strings.TrimSpace(r.Contact.Email)
		}
	}
	return out, nil
}

// letterhead is the organisation as a letter shows it, stored with each
// letter so that the letter can be composed again exactly.
type letterhead struct {
	Name    string                                  `json:"name"`
	Address string                                  `json:"address,omitempty"`
	Email   string                                  `json:"email,omitempty"`
	Phone   string                                  `json:"phone,omitempty"`
	Wording map[reglement.LetterKind]letter.Wording `json:"wording,omitempty"`
	Logo    []byte                                  `json:"logo,omitempty"`
}

func (h letterhead) org() letter.Org {
	return letter.Org{Name: h.Name, Address: h.Address, Email: h.Email, Phone: h.Phone, Wording: h.Wording, Logo: h.Logo}
}

// caseAt is a case folded with its regulation.
type caseAt struct {
	rec    store.CaseRecord
	events []complaint.Event
	st     complaint.State
	r      *reglement.Reglement
}

// loadCase reads a case and folds it under its regulation.
func (s *Service) loadCase(ctx context.Context, orgID, number string) (caseAt, error) {
	rec, events, err := s.store.GetCase(ctx, orgID, number)
	if err != nil {
		return caseAt{}, err
	}
	r, err := s.caseRegulation(ctx, orgID, rec)
	if err != nil {
		return caseAt{}, err
	}
	st, err := complaint.Fold(events)
	if err != nil {
		return caseAt{}, err
	}
	st.Number = rec.Number
	return caseAt{rec: rec, events: events, st: st, r: r}, nil
}

// composeAttempts bounds SendLetter's retries when the case changes while
// the letter is composed.
const composeAttempts = 3

// SendLetter writes a letter of kind from the case as it is now, to the
// recipient, and queues it: by e-mail, a send_letter job is enqueued in
// the same transaction as the letter; by post, the letter waits until
// someone prints it and records the posting (MarkPosted). An empty channel
// is e-mail when the recipient has an address, post otherwise.
//
// A letter that lacks a content the regulation requires is refused with a
// *letter.MissingError (a conflict listing each missing item, its article
// and the action that records it), and nothing is stored or queued.
func (s *Service) SendLetter(ctx context.Context, orgID, number string, caller complaint.Caller,
	kind reglement.LetterKind, to letter.Recipient, channel store.LetterChannel) (store.Letter, error) {
	to.Name, to.Email, to.Address = strings.TrimSpace(to.Name), strings.TrimSpace(to.Email), strings.TrimSpace(to.Address)
	if channel == "" {
		channel = store.LetterPost
		if to.Email != "" {
			channel = store.LetterEmail
		}
	}
	switch channel {
	case store.LetterEmail:
		if _, err := mail.ParseAddress(to.Email); err != nil {
			return store.Letter{}, apperr.Field("to.email", "an e-mail needs the recipient's e-mail address; %q is none", to.Email)
		}
	case store.LetterPost:
		if to.Address == "" {
			return store.Letter{}, apperr.Field("to.address", "a letter by post needs the recipient's postal address")
		}
	default:
		return store.Letter{}, apperr.Field("channel", "unknown channel %q; expected email or post", channel)
	}
	settings, err := s.LetterSettings(ctx, orgID)
	if err != nil {
		return store.Letter{}, err
	}
	for attempt := 1; ; attempt++ {
		l, err := s.queueLetter(ctx, orgID, number, caller, kind, to, channel, settings)
		var e *apperr.Error
		if errors.As(err, &e) && e.Reason == "case_changed" && attempt < composeAttempts {
			continue
		}
		return l, err
	}
}

func (s *Service) queueLetter(ctx context.Context, orgID, number string, caller complaint.Caller,
	kind reglement.LetterKind, to letter.Recipient, channel store.LetterChannel, settings OrgLetters) (store.Letter, error) {
	c, err := s.loadCase(ctx, orgID, number)
	if err != nil {
		return store.Letter{}, err
	}
	if err := mayWriteLetters(&c.st, caller); err != nil {
		return store.Letter{}, err
	}
	head := letterhead{Name: settings.Org.Name, Address: settings.Settings.Address, Email: settings.Settings.ComplaintEmail,
		Phone: settings.Settings.Phone, Wording: settings.Settings.Wording, Logo: settings.Settings.Logo}
	now := s.Now()
	today := calendar.FromTime(now)
	composed, err := letter.Compose(kind, c.st, c.r, head.org(), to, today, settings.Settings.Lang)
	if err != nil {
		return store.Letter{}, err
	}
	pdf, err := composed.PDF()
	if err != nil {
		return store.Letter{}, err
	}
	headJSON, err := json.Marshal(head)
	if err != nil {
		return store.Letter{}, err
	}
	callerJSON, err := json.Marshal(caller)
	if err != nil {
		return store.Letter{}, err
	}
	l := store.Letter{
		ID: store.NewID(), Kind: string(kind), Lang: composed.Lang,
		Recipient: store.LetterRecipient{Name: to.Name, Email: to.Email, Address: to.Address, Party: string(composed.To.Party)},
		Subject:   composed.Subject, Text: composed.Text, HTML: composed.HTML, PDF: pdf,
		Letterhead: headJSON, RequestedBy: callerJSON, Date: today, ComposedAt: now,
		BasedOnSeq: c.st.LastSeq, Channel: channel,
	}
	var jobs []store.Job
	if channel == store.LetterEmail {
		payload, _ := json.Marshal(SendLetterPayload{LetterID: l.ID})
		jobs = append(jobs, store.Job{Kind: JobSendLetter, Payload: payload, UniqueKey: JobSendLetter + ":" + l.ID, RunAt: now})
	}
	return s.store.CreateLetter(ctx, orgID, number, l, jobs...)
}

// mayWriteLetters: letters go out in the organisation's name, from the
// people who run the procedure (handler, board, the receiver who
// acknowledges), never from an accused employee.
func mayWriteLetters(st *complaint.State, caller complaint.Caller) error {
	if st.ErasedOn != nil {
		return apperr.New(apperr.Conflict, "case %s was erased on %s; it has no letters any more", st.Number, st.ErasedOn).WithReason("erased")
	}
	if st.IsAccused(caller.Person()) {
		return apperr.New(apperr.Forbidden, "you are an accused employee in this case and cannot write its letters").WithReason("accused")
	}
	for _, r := range []reglement.Role{reglement.RoleHandler, reglement.RoleBoard, reglement.RoleReceiver} {
		if caller.Has(r) {
			return nil
		}
	}
	return apperr.New(apperr.Forbidden, "only a handler, the board or a receiver of complaints writes letters").WithReason("role")
}

// Letters returns the letters of a case, in the order they were written.
func (s *Service) Letters(ctx context.Context, orgID, number string) ([]store.Letter, error) {
	return s.store.CaseLetters(ctx, orgID, number)
}

// RegenerateLetter composes a stored letter again from the case's events
// up to the one it was based on, with the letterhead, recipient, date and
// language it was written with: the same document, byte for byte.
func (s *Service) RegenerateLetter(ctx context.Context, orgID, letterID string) (letter.Letter, error) {
	l, err := s.store.GetLetter(ctx, orgID, letterID)
	if err != nil {
		return letter.Letter{}, err
	}
	_, events, err := s.store.GetCase(ctx, orgID, l.CaseNumber)
	if err != nil {
		return letter.Letter{}, err
	}
	if last := events[len(events)-1]; last.Type == complaint.EvCaseErased {
		// Composing it again from the redacted events would make a
		// letter nobody wrote.
		return letter.Letter{}, apperr.New(apperr.NotFound, "letter %s was erased with case %s", l.ID, l.CaseNumber).WithReason("erased")
	}
	if l.BasedOnSeq > len(events) {
		return letter.Letter{}, apperr.New(apperr.Internal, "letter %s is based on event %d, but case %s has %d", l.ID, l.BasedOnSeq, l.CaseNumber, len(events))
	}
	st, err := complaint.Fold(events[:l.BasedOnSeq])
	if err != nil {
		return letter.Letter{}, err
	}
	st.Number = l.CaseNumber
	r, err := s.regulationRevision(ctx, orgID, st.Intake.ReglementRevision)
	if err != nil {
		return letter.Letter{}, err
	}
	var head letterhead
	if err := json.Unmarshal(l.Letterhead, &head); err != nil {
		return letter.Letter{}, fmt.Errorf("letter %s: letterhead: %w", l.ID, err)
	}
	to := letter.Recipient{Name: l.Recipient.Name, Email: l.Recipient.Email, Address: l.Recipient.Address, Party: reglement.Party(l.Recipient.Party)}
	return letter.Compose(reglement.LetterKind(l.Kind), st, r, head.org(), to, l.Date, l.Lang)
}

// LetterSent records that the mail server accepted a letter's e-mail, as
// messageID at the time at, and performs the case action the letter
// stands for, in one transaction: an acknowledgement counts as given when
// it is delivered to the mail server. The send job calls it; a second call
// changes nothing.
func (s *Service) LetterSent(ctx context.Context, orgID, letterID, messageID string, at time.Time) (store.Letter, error) {
	return s.deliver(ctx, orgID, letterID, nil, store.LetterDelivery{State: store.LetterSent, At: at, MessageID: messageID})
}

// MarkPosted records that a letter was posted on the date, and performs
// the case action the letter stands for, in one transaction: an
// acknowledgement counts as given when the letter is marked as posted. A
// letter already marked posted is returned as it is.
func (s *Service) MarkPosted(ctx context.Context, orgID, letterID string, caller complaint.Caller, on calendar.Date) (store.Letter, error) {
	if on.IsZero() {
		on = s.Today()
	}
	if on.After(s.Today()) {
		return store.Letter{}, apperr.Field("on", "the date %s lies in the future", on)
	}
	l, err := s.store.GetLetter(ctx, orgID, letterID)
	if err != nil {
		return store.Letter{}, err
	}
	c, err := s.loadCase(ctx, orgID, l.CaseNumber)
	if err != nil {
		return store.Letter{}, err
	}
	if err := mayWriteLetters(&c.st, caller); err != nil {
		return store.Letter{}, err
	}
	return s.deliver(ctx, orgID, letterID, &caller, store.LetterDelivery{State: store.LetterPosted, At: s.Now(), PostedOn: on})
}

// deliver is LetterSent and MarkPosted. The caller is the person who acts;
// nil is the person who asked for the letter.
func (s *Service) deliver(ctx context.Context, orgID, letterID string, caller *complaint.Caller, d store.LetterDelivery) (store.Letter, error) {
	l, err := s.store.GetLetter(ctx, orgID, letterID)
	if err != nil {
		return store.Letter{}, err
	}
	if caller != nil {
		if l.Channel != store.LetterPost {
			return store.Letter{}, apperr.New(apperr.Conflict, "this letter goes by e-mail; only a letter by post is marked posted").WithReason("not_post")
		}
	}
	c, err := s.loadCase(ctx, orgID, l.CaseNumber)
	if err != nil {
		return store.Letter{}, err
	}
	r := c.r
	on := d.PostedOn
	if d.State == store.LetterSent {
		on = calendar.FromTime(d.At.In(s.loc))
	}
	now := s.Now()
	out, _, err := s.store.DeliverLetter(ctx, orgID, letterID, d, func(history []complaint.Event, l store.Letter) ([]complaint.Event, store.Projection, error) {
		who := caller
		if who == nil {
			var requester complaint.Caller
			if err := json.Unmarshal(l.RequestedBy, &requester); err != nil {
				return nil, store.Projection{}, fmt.Errorf("letter %s: requester: %w", l.ID, err)
			}
			who = &requester
		}
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		st.Number = l.CaseNumber
		events := deliveryEvents(st, r, l, *who, on, now)
		for i := range events {
			events[i].Seq = st.LastSeq + 1
			if st, err = complaint.Apply(st, events[i]); err != nil {
				return nil, store.Projection{}, err
			}
		}
		return events, project(&st, r, calendar.FromTime(now)), nil
	})
	return out, err
}

// deliveryEvents are the events a delivered letter writes into its case:
// the action the letter stands for (the acknowledgement is given, the
// accused employee or the labour expert informed, the hearing report sent
// for signature, the report sent to the parties), or, for a letter that
// stands for no action of its own or whose action is done already, a note
// in the timeline. A case that accepts neither (closed) gets nothing: the
// letter itself records its sending.
func deliveryEvents(st complaint.State, r *reglement.Reglement, l store.Letter, who complaint.Caller, on calendar.Date, now time.Time) []complaint.Event {
	via := "e-mail"
	if l.Channel == store.LetterPost {
		via = "post"
	}
	done := fmt.Sprintf("Brief %q (%s) aan %s verzonden per %s", l.Subject, l.Kind, l.Recipient.Name, via)
	if l.Channel == store.LetterPost {
		done += " op " + on.Dutch()
	} else if l.MessageID != "" {
		done += " (Message-ID <" + l.MessageID + ">)"
	}
	if cmd, ok := deliveryCommand(l, on, done); ok {
		if evs, err := complaint.Decide(st, r, cmd, who, now); err == nil {
			return evs
		}
	}
	input, _ := json.Marshal(map[string]any{"text": done + ".", "on": on})
	evs, err := complaint.Decide(st, r, complaint.Command{Action: complaint.ActAddNote, Input: input}, who, now)
	if err != nil {
		return nil
	}
	return evs
}

// deliveryCommand is the case action a delivered letter stands for.
func deliveryCommand(l store.Letter, on calendar.Date, text string) (complaint.Command, bool) {
	party := reglement.Party(l.Recipient.Party)
	var (
		action complaint.Action
		input  any
	)
	via := string(l.Channel)
	switch reglement.LetterKind(l.Kind) {
	case reglement.LetterAcknowledgement:
		if party != reglement.PartyComplainant && party != reglement.PartyRepresentative {
			return complaint.Command{}, false
		}
		action, input = complaint.ActAcknowledge, map[string]any{"on": on, "via": via}
	case reglement.LetterAccusedNotice, reglement.LetterContactCopy, reglement.LetterLabourExpert:
		want := map[reglement.LetterKind]reglement.Party{
			reglement.LetterAccusedNotice: reglement.PartyAccusedEmployee,
			reglement.LetterContactCopy:   reglement.PartyContactPerson,
			reglement.LetterLabourExpert:  reglement.PartyLabourExpert,
		}[reglement.LetterKind(l.Kind)]
		if party != want {
			return complaint.Command{}, false
		}
		action, input = complaint.ActInformParty, map[string]any{"party": party, "name": l.Recipient.Name, "text": text + ".", "on": on}
	case reglement.LetterHearingReport:
		action, input = complaint.ActSendHearingReport, map[string]any{"on": on}
	case reglement.LetterReportToParties:
		action, input = complaint.ActSendReport, map[string]any{"on": on}
	default:
		return complaint.Command{}, false
	}
	raw, err := json.Marshal(input)
	if err != nil {
		return complaint.Command{}, false
	}
	return complaint.Command{Action: action, Input: raw}, true
}

// LetterFailed records that a letter's e-mail could not be delivered, for
// good: the letter's state becomes failed with the reason, and the case's
// timeline gets a note, so that the handler sees it and sends the letter
// again or by post.
func (s *Service) LetterFailed(ctx context.Context, orgID, letterID, reason string) (store.Letter, error) {
	l, err := s.store.FailLetter(ctx, orgID, letterID, reason)
	if err != nil || l.State != store.LetterFailed {
		return l, err
	}
	var who complaint.Caller
	if json.Unmarshal(l.RequestedBy, &who) != nil {
		return l, nil
	}
	c, err := s.loadCase(ctx, orgID, l.CaseNumber)
	if err != nil {
		return l, err
	}
	now := s.Now()
	text := fmt.Sprintf("Brief %q (%s) aan %s kon niet per e-mail worden verzonden: %s. Verstuur de brief opnieuw of per post.",
		l.Subject, l.Kind, l.Recipient.Name, reason)
	input, _ := json.Marshal(map[string]any{"text": text})
	_, err = s.store.UpdateCase(ctx, orgID, l.CaseNumber, func(history []complaint.Event) ([]complaint.Event, store.Projection, error) {
		st, err := complaint.Fold(history)
		if err != nil {
			return nil, store.Projection{}, err
		}
		st.Number = l.CaseNumber
		evs, err := complaint.Decide(st, c.r, complaint.Command{Action: complaint.ActAddNote, Input: input}, who, now)
		if err != nil {
			return nil, project(&st, c.r, calendar.FromTime(now)), nil
		}
		for i := range evs {
			evs[i].Seq = st.LastSeq + 1
			if st, err = complaint.Apply(st, evs[i]); err != nil {
				return nil, store.Projection{}, err
			}
		}
		return evs, project(&st, c.r, calendar.FromTime(now)), nil
	})
	return l, err
}

// NoteLetterError records on a queued letter why the last attempt to send
// it failed, while it is tried again.
func (s *Service) NoteLetterError(ctx context.Context, orgID, letterID, reason string) error {
	_, err := s.store.NoteLetterError(ctx, orgID, letterID, reason)
	return err
}

// ResendLetter queues a failed e-mail again, with a new send job.
func (s *Service) ResendLetter(ctx context.Context, orgID, letterID string, caller complaint.Caller) (store.Letter, error) {
	l, err := s.store.GetLetter(ctx, orgID, letterID)
	if err != nil {
		return store.Letter{}, err
	}
	c, err := s.loadCase(ctx, orgID, l.CaseNumber)
	if err != nil {
		return store.Letter{}, err
	}
	if err := mayWriteLetters(&c.st, caller); err != nil {
		return store.Letter{}, err
	}
	now := s.Now()
	payload, _ := json.Marshal(SendLetterPayload{LetterID: l.ID})
	key := fmt.Sprintf("%s:%s:%d", JobSendLetter, l.ID, now.UnixMicro())
	return s.store.RequeueLetter(ctx, orgID, letterID, store.Job{Kind: JobSendLetter, Payload: payload, UniqueKey: key, RunAt: now})
}

// LetterKindsOf lists the letter kinds a case's regulation asks for, in
// the regulation's order, for screens offering what to write.
func LetterKindsOf(r *reglement.Reglement) []reglement.LetterKind {
	var out []reglement.LetterKind
	for _, l := range r.Letters {
		if !slices.Contains(out, l.Kind) {
			out = append(out, l.Kind)
		}
	}
	return out
}

// LetterPDF returns the letter's PDF as it was stored when the letter was
// written; a letter stored without one is composed again from its events,
// which gives the same document.
func (s *Service) LetterPDF(ctx context.Context, orgID string, l store.Letter) ([]byte, error) {
	if len(l.PDF) > 0 {
		return l.PDF, nil
	}
	composed, err := s.RegenerateLetter(ctx, orgID, l.ID)
	if err != nil {
		return nil, err
	}
	return composed.PDF()
}

// LetterFileName names a letter's PDF download after its case, kind and
// date: 2026-0001-acknowledgement-2026-03-10.pdf.
func LetterFileName(l store.Letter) string {
	name := l.CaseNumber + "-" + string(l.Kind)
	if !l.Date.IsZero() {
		name += "-" + l.Date.String()
	}
	return name + ".pdf"
}

// SaveLetterSettings checks and stores the organisation's letter settings
// (the "letters" object of its settings; other settings are kept): a
// valid complaint address, the language nl or en, its own wording within
// the letter limits, reminders 0–20 working days ahead, a PNG logo of
// letterhead size. Letters already composed keep the letterhead they were
// made with.
func (s *Service) SaveLetterSettings(ctx context.Context, orgID string, in LetterSettings) (OrgLetters, error) {
	in.ComplaintEmail = strings.TrimSpace(in.ComplaintEmail)
	in.Address, in.Phone = strings.TrimSpace(in.Address), strings.TrimSpace(in.Phone)
	if in.ComplaintEmail != "" {
		a, err := mail.ParseAddress(in.ComplaintEmail)
		if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
			return OrgLetters{}, apperr.Field("complaint_email", "%q is not an e-mail address", in.ComplaintEmail).WithReason("bad_email")
		}
		in.ComplaintEmail = strings.ToLower(a.Address)
	}
	switch in.Lang {
	case "", "nl", "en":
	default:
		return OrgLetters{}, apperr.Field("lang", "letters are written in nl or en, not %q", in.Lang).WithReason("letter_lang")
	}
	if in.ReminderDays < 0 || in.ReminderDays > 20 {
		return OrgLetters{}, apperr.Field("reminder_days", "reminders go 0 to 20 working days before a limit, not %d", in.ReminderDays).WithReason("reminder_days")
	}
	for kind, w := range in.Wording {
		w.Intro, w.Closing = strings.TrimSpace(w.Intro), strings.TrimSpace(w.Closing)
		if w.Intro == "" && w.Closing == "" {
			delete(in.Wording, kind)
			continue
		}
		in.Wording[kind] = w
	}
	if err := letter.CheckOrg(letter.Org{Wording: in.Wording, Logo: in.Logo}); err != nil {
		return OrgLetters{}, err
	}
	raw, err := json.Marshal(in)
	if err != nil {
		return OrgLetters{}, err
	}
	if err := s.store.SetOrganisationSetting(ctx, orgID, "letters", raw); err != nil {
		return OrgLetters{}, err
	}
	return s.LetterSettings(ctx, orgID)
}

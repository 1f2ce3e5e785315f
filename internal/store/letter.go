package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/calendar"
	"github.com/gegrond/gegrond/internal/complaint"
)

// LetterChannel is how a letter goes out.
type LetterChannel string

// The channels of a letter.
const (
	LetterEmail LetterChannel = "email"
	LetterPost  LetterChannel = "post"
)

// LetterState is where a letter stands.
type LetterState string

// The states of a letter.
const (
	// LetterQueued: composed and stored; an e-mail waits for its send job,
	// a letter by post for someone to print and post it (DeliverLetter
	// with LetterPosted).
	LetterQueued LetterState = "queued"
	// LetterSent: the mail server accepted the e-mail.
	LetterSent LetterState = "sent"
	// LetterPosted: a person recorded that the printed letter was posted.
	LetterPosted LetterState = "posted"
	// LetterFailed: the e-mail could not be delivered to the mail server;
	// Error says why.
	LetterFailed LetterState = "failed"
)

// LetterRecipient is who a letter goes to.
type LetterRecipient struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Address string `json:"address,omitempty"`
	// Party is the recipient's part in the case (complainant,
	// accused_employee, ...).
	Party string `json:"party,omitempty"`
}

// Letter is a letter of a case as composed, with what became of it. The
// rendered subject, text, HTML and PDF are kept as they went out.
type Letter struct {
	ID     string
	OrgID  string
	CaseID string
	// CaseNumber is filled when reading; CreateLetter takes the number as
	// an argument.
	CaseNumber string
	// Kind is the letter kind (reglement.LetterKind), Lang its language.
	Kind      string
	Lang      string
	Recipient LetterRecipient
	Subject   string
	Text      string
	HTML      string
	PDF       []byte
	// Letterhead is the organisation's letterhead the letter was composed
	// with (JSON), RequestedBy who asked for it (JSON): with the case's
	// events up to BasedOnSeq they compose the same letter again. They come
	// back equal in meaning, not byte for byte: PostgreSQL keeps them as
	// jsonb. Empty is {}.
	Letterhead  json.RawMessage
	RequestedBy json.RawMessage
	// Date is the date the letter carries.
	Date       calendar.Date
	ComposedAt time.Time
	// BasedOnSeq is the case's last event when the letter was composed.
	BasedOnSeq int
	Channel    LetterChannel
	State      LetterState
	// MessageID is the Message-ID of the e-mail once sent.
	MessageID string
	SentAt    time.Time
	PostedOn  calendar.Date
	// Error says why sending failed (state failed) or why the last attempt
	// failed (state queued).
	Error string
}

// CreateLetter stores a composed letter of a case with the jobs that send
// it, in one transaction. The letter must have been composed from the
// case as it is: when events were added after l.BasedOnSeq it is refused
// (conflict, reason case_changed) and the caller composes it again. An
// empty l.ID is given a new id; the state is queued.
func (s *Store) CreateLetter(ctx context.Context, orgID, number string, l Letter, jobs ...Job) (Letter, error) {
	if err := checkLetter(&l); err != nil {
		return Letter{}, wrap("create letter", err)
	}
	rec, err := s.changeCase(ctx, orgID, number, func(t *tx, rec CaseRecord, history []complaint.Event) (caseChange, error) {
		if last := len(history); last != l.BasedOnSeq {
			return caseChange{}, apperr.New(apperr.Conflict, "case %s changed while the letter was written (event %d, the letter knows up to %d); write it again", number, last, l.BasedOnSeq).WithReason("case_changed")
		}
		l.OrgID, l.CaseID, l.CaseNumber = orgID, rec.ID, rec.Number
		l.ComposedAt = l.ComposedAt.UTC().Truncate(time.Microsecond)
		_, err := t.exec(ctx, `INSERT INTO letters
			(id, org_id, case_id, kind, lang, recipient, subject, text, html, pdf, letterhead, requested_by,
			 letter_date, composed_at, based_on_seq, channel, state, message_id, error)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', '', '')`,
			l.ID, orgID, rec.ID, l.Kind, l.Lang, recipientJSON(l.Recipient), l.Subject, l.Text, l.HTML, l.PDF,
			string(l.Letterhead), string(l.RequestedBy), dateArg(l.Date), t.d.timeArg(l.ComposedAt), l.BasedOnSeq,
			string(l.Channel))
		if isUniqueViolation(err) {
			return caseChange{}, apperr.New(apperr.Conflict, "letter %s exists already", l.ID)
		}
		return caseChange{jobs: jobs}, err
	})
	if err != nil {
		return Letter{}, err
	}
	l.State = LetterQueued
	l.CaseNumber = rec.Number
	return l, nil
}

// checkLetter validates a letter to create and fills what the store
// decides. A letter is made by the calling code from a composed letter:
// its faults are internal errors.
func checkLetter(l *Letter) error {
	switch {
	case l.Kind == "":
		return errors.New("the letter has no kind")
	case l.Lang == "":
		return errors.New("the letter has no language")
	case strings.TrimSpace(l.Recipient.Name) == "":
		return errors.New("the letter has no recipient")
	case l.Date.IsZero():
		return errors.New("the letter has no date")
	case l.ComposedAt.IsZero():
		return errors.New("the letter has no time of composition")
	case l.Channel != LetterEmail && l.Channel != LetterPost:
		return fmt.Errorf("unknown letter channel %q", l.Channel)
	case l.BasedOnSeq < 1:
		return errors.New("the letter is based on no event of the case")
	}
	if l.ID == "" {
		l.ID = newID()
	}
	if l.PDF == nil {
		l.PDF = []byte{}
	}
	for _, js := range []*json.RawMessage{&l.Letterhead, &l.RequestedBy} {
		if len(*js) == 0 {
			*js = json.RawMessage(`{}`)
		}
		if !json.Valid(*js) {
			return errors.New("the letter's letterhead or requester is not valid JSON")
		}
	}
	return nil
}

func recipientJSON(r LetterRecipient) string {
	b, _ := json.Marshal(r)
	return string(b)
}

// LetterDelivery is how a queued letter left: sent by e-mail (the mail
// server accepted it) or posted.
type LetterDelivery struct {
	// State is LetterSent or LetterPosted.
	State LetterState
	// At is when the mail server accepted the e-mail, or when the posting
	// was recorded.
	At time.Time
	// MessageID is the e-mail's Message-ID (sent).
	MessageID string
	// PostedOn is the date the letter was posted (posted).
	PostedOn calendar.Date
}

// DeliverLetter records that a letter left, together with the case's
// events for it, in one transaction: fn gets the case's events and the
// letter as delivered, and returns the events to append and the projection after them
// (ignored when there are none). A letter already in d.State is returned
// as it is, with changed false and fn not called: the send job may run
// twice. A letter sent by e-mail cannot be marked posted, nor the other
// way round (conflict).
func (s *Store) DeliverLetter(ctx context.Context, orgID, letterID string, d LetterDelivery,
	fn func(history []complaint.Event, l Letter) ([]complaint.Event, Projection, error)) (l Letter, changed bool, err error) {
	if d.State != LetterSent && d.State != LetterPosted {
		return Letter{}, false, fmt.Errorf("store: deliver letter: state %q is no delivery", d.State)
	}
	number, err := s.letterCaseNumber(ctx, orgID, letterID)
	if err != nil {
		return Letter{}, false, err
	}
	_, err = s.changeCase(ctx, orgID, number, func(t *tx, rec CaseRecord, history []complaint.Event) (caseChange, error) {
		var err error
		l, err = letterByID(ctx, t, orgID, letterID, true)
		if err != nil {
			return caseChange{}, err
		}
		switch {
		case l.State == d.State:
			return caseChange{}, nil
		case l.State == LetterSent || l.State == LetterPosted:
			return caseChange{}, apperr.New(apperr.Conflict, "the letter was %s already", l.State).WithReason("letter_" + string(l.State))
		}
		l.State, l.Error = d.State, ""
		switch d.State {
		case LetterSent:
			l.SentAt, l.MessageID = d.At.UTC().Truncate(time.Microsecond), d.MessageID
		case LetterPosted:
			l.PostedOn = d.PostedOn
		}
		events, p, err := fn(history, l)
		if err != nil {
			return caseChange{}, err
		}
		switch d.State {
		case LetterSent:
			_, err = t.exec(ctx, `UPDATE letters SET state = 'sent', sent_at = ?, message_id = ?, error = '' WHERE id = ?`,
				t.d.timeArg(l.SentAt), l.MessageID, l.ID)
		case LetterPosted:
			_, err = t.exec(ctx, `UPDATE letters SET state = 'posted', posted_on = ?, error = '' WHERE id = ?`,
				dateArg(l.PostedOn), l.ID)
		}
		changed = true
		if len(events) == 0 {
			return caseChange{}, err
		}
		return caseChange{events: events, projection: &p}, err
	})
	if err != nil {
		return Letter{}, false, err
	}
	return l, changed, nil
}

// FailLetter records that a queued letter could not be sent, for good:
// its state becomes failed with the reason. A letter that was sent or
// posted meanwhile stays as it is; the letter is returned as it is after.
func (s *Store) FailLetter(ctx context.Context, orgID, letterID, reason string) (Letter, error) {
	return s.setLetterError(ctx, "fail letter", orgID, letterID, reason, true)
}

// NoteLetterError records why the last attempt to send a queued letter
// failed, while it is retried.
func (s *Store) NoteLetterError(ctx context.Context, orgID, letterID, reason string) (Letter, error) {
	return s.setLetterError(ctx, "note letter error", orgID, letterID, reason, false)
}

func (s *Store) setLetterError(ctx context.Context, op, orgID, letterID, reason string, failed bool) (Letter, error) {
	var l Letter
	err := s.write(ctx, func(t *tx) error {
		var err error
		if l, err = letterByID(ctx, t, orgID, letterID, true); err != nil {
			return err
		}
		if l.State != LetterQueued && l.State != LetterFailed {
			return nil
		}
		l.Error = reason
		if failed {
			l.State = LetterFailed
		}
		_, err = t.exec(ctx, `UPDATE letters SET state = ?, error = ? WHERE id = ?`, string(l.State), reason, l.ID)
		return err
	})
	if err != nil {
		return Letter{}, wrap(op, err)
	}
	return l, nil
}

// RequeueLetter puts a failed e-mail back in the queue with a new send
// job, in one transaction.
func (s *Store) RequeueLetter(ctx context.Context, orgID, letterID string, job Job) (Letter, error) {
	var l Letter
	err := s.write(ctx, func(t *tx) error {
		var err error
		if l, err = letterByID(ctx, t, orgID, letterID, true); err != nil {
			return err
		}
		if l.State != LetterFailed || l.Channel != LetterEmail {
			return apperr.New(apperr.Conflict, "only a failed e-mail can be sent again; this letter is %s (%s)", l.State, l.Channel).WithReason("letter_" + string(l.State))
		}
		if _, err := t.exec(ctx, `UPDATE letters SET state = 'queued' WHERE id = ?`, l.ID); err != nil {
			return err
		}
		l.State = LetterQueued
		if job.CaseID == "" {
			job.CaseID = l.CaseID
		}
		_, err = enqueue(ctx, t, orgID, job)
		return err
	})
	if err != nil {
		return Letter{}, wrap("requeue letter", err)
	}
	return l, nil
}

// GetLetter returns one letter of the organisation.
func (s *Store) GetLetter(ctx context.Context, orgID, letterID string) (Letter, error) {
	var l Letter
	err := s.read(ctx, func(t *tx) error {
		var err error
		l, err = letterByID(ctx, t, orgID, letterID, false)
		return err
	})
	if err != nil {
		return Letter{}, wrap("get letter", err)
	}
	return l, nil
}

// CaseLetters returns the letters of a case of the organisation, in the
// order they were composed.
func (s *Store) CaseLetters(ctx context.Context, orgID, number string) ([]Letter, error) {
	var out []Letter
	err := s.read(ctx, func(t *tx) error {
		rec, err := caseByNumber(ctx, t, orgID, number, false)
		if err != nil {
			return err
		}
		rows, err := t.query(ctx, `SELECT `+letterColumns+` FROM letters l JOIN cases c ON c.id = l.case_id
			WHERE l.org_id = ? AND l.case_id = ? ORDER BY l.composed_at, l.id`, orgID, rec.ID)
		if err != nil {
			return err
		}
		out, err = collect(rows, scanLetter)
		return err
	})
	if err != nil {
		return nil, wrap("case letters", err)
	}
	return out, nil
}

// letterCaseNumber returns the number of the letter's case.
func (s *Store) letterCaseNumber(ctx context.Context, orgID, letterID string) (string, error) {
	var number string
	err := s.read(ctx, func(t *tx) error {
		err := t.queryRow(ctx, `SELECT c.number FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.org_id = ? AND l.id = ?`,
			orgID, letterID).Scan(&number)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "letter %s does not exist", letterID)
		}
		return err
	})
	return number, wrap("letter", err)
}

// letterByID reads a letter of the organisation, locking it for the
// transaction when lock is set.
func letterByID(ctx context.Context, t *tx, orgID, letterID string, lock bool) (Letter, error) {
	q := `SELECT ` + letterColumns + ` FROM letters l JOIN cases c ON c.id = l.case_id WHERE l.org_id = ? AND l.id = ?`
	if lock && t.d.engine == enginePostgres {
		q += " FOR NO KEY UPDATE OF l"
	}
	l, err := scanLetter(t.queryRow(ctx, q, orgID, letterID))
	if errors.Is(err, sql.ErrNoRows) {
		return l, apperr.New(apperr.NotFound, "letter %s does not exist", letterID)
	}
	return l, err
}

// letterColumns are the columns scanLetter reads, in its order, from
// letters l joined with cases c.
const letterColumns = `l.id, l.org_id, l.case_id, c.number, l.kind, l.lang, l.recipient, l.subject, l.text, l.html, l.pdf,
	l.letterhead, l.requested_by, l.letter_date, l.composed_at, l.based_on_seq, l.channel, l.state, l.message_id,
	l.sent_at, l.posted_on, l.error`

func scanLetter(row scanner) (Letter, error) {
	var (
		l                            Letter
		recipient, head, requestedBy []byte
	)
	err := row.Scan(&l.ID, &l.OrgID, &l.CaseID, &l.CaseNumber, &l.Kind, &l.Lang, &recipient, &l.Subject, &l.Text, &l.HTML,
		&l.PDF, &head, &requestedBy, dateColumn{&l.Date}, timeColumn{&l.ComposedAt}, &l.BasedOnSeq, &l.Channel, &l.State,
		&l.MessageID, timeColumn{&l.SentAt}, dateColumn{&l.PostedOn}, &l.Error)
	if err != nil {
		return l, err
	}
	l.Letterhead, l.RequestedBy = json.RawMessage(head), json.RawMessage(requestedBy)
	if err := json.Unmarshal(recipient, &l.Recipient); err != nil {
		return l, fmt.Errorf("letter %s: recipient: %w", l.ID, err)
	}
	return l, nil
}

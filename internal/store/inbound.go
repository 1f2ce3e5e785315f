package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
	"github.com/gegrond/gegrond/internal/complaint"
)

// InboundState is where a message that reached the complaint address
// stands.
type InboundState string

// The states of an inbound message.
const (
	// InboundToTriage: waiting for a person to say what it is.
	InboundToTriage InboundState = "to_triage"
	// InboundComplaint: triaged as a complaint; CaseID is the case opened.
	InboundComplaint InboundState = "complaint"
	// InboundRemark: triaged as a remark; CaseID is the remark's case.
	InboundRemark InboundState = "remark"
	// InboundNotComplaint: triaged as no complaint (spam, misdirected),
	// with the reason.
	InboundNotComplaint InboundState = "not_complaint"
	// InboundAttached: a reply or a message naming a case, recorded on
	// that case (CaseID) as it arrived.
	InboundAttached InboundState = "attached"
)

// Valid reports whether s is a known state.
func (s InboundState) Valid() bool {
	switch s {
	case InboundToTriage, InboundComplaint, InboundRemark, InboundNotComplaint, InboundAttached:
		return true
	}
	return false
}

// InboundAttachment is a file of an inbound message. Its content is in the
// raw message; a quarantined file broke the regulation's evidence rules
// and is kept, with the reason, for the handler to judge.
type InboundAttachment struct {
	Position         int    `json:"position"`
	Name             string `json:"name"`
	MIME             string `json:"mime,omitempty"`
	Size             int64  `json:"size"`
	BlobID           string `json:"blob_id,omitempty"`
	Quarantined      bool   `json:"quarantined"`
	QuarantineReason string `json:"quarantine_reason,omitempty"`
}

// Inbound is a message that reached an organisation's complaint address.
type Inbound struct {
	ID        string `json:"id"`
	OrgID     string `json:"-"`
	MessageID string `json:"message_id"`
	// Synthetic is set when the message had no Message-ID and one was
	// derived from its content.
	Synthetic bool `json:"synthetic_message_id,omitempty"`
	// ReceivedAt is when the message reached us: the date of receipt.
	ReceivedAt time.Time `json:"received_at"`
	FromName   string    `json:"from_name,omitempty"`
	FromAddr   string    `json:"from_address,omitempty"`
	Subject    string    `json:"subject"`
	Text       string    `json:"text,omitempty"`
	// HTML is the sanitised HTML body.
	HTML string `json:"html,omitempty"`
	// AutoReplyReason says why the message is an automatic reply; such a
	// message never opens a case.
	AutoReplyReason string `json:"auto_reply_reason,omitempty"`
	// ParseProblem says why the message could not be read (only its raw
	// bytes are kept then), or lists what was odd.
	ParseProblem string `json:"parse_problem,omitempty"`
	// Raw is the message as received; filled by GetInbound only.
	Raw []byte `json:"-"`
	// CaseID and CaseNumber name the case the message went to or opened.
	CaseID       string              `json:"-"`
	CaseNumber   string              `json:"case_number,omitempty"`
	State        InboundState        `json:"state"`
	TriageReason string              `json:"triage_reason,omitempty"`
	TriagedBy    string              `json:"triaged_by,omitempty"`
	TriagedAt    time.Time           `json:"triaged_at,omitzero"`
	CreatedAt    time.Time           `json:"created_at"`
	Attachments  []InboundAttachment `json:"attachments"`
}

// InsertInbound stores a message in state to_triage, or in m.State when
// set. A message whose Message-ID the organisation has already stored is
// not stored again: inserted is false and the stored message is returned.
func (s *Store) InsertInbound(ctx context.Context, orgID string, m Inbound) (Inbound, bool, error) {
	var inserted bool
	err := s.write(ctx, func(t *tx) error {
		var err error
		inserted, err = insertInbound(ctx, t, orgID, &m)
		return err
	})
	if err != nil {
		return Inbound{}, false, wrap("insert inbound message", err)
	}
	if !inserted {
		m, err = s.inboundByMessageID(ctx, orgID, m.MessageID)
	}
	return m, inserted, err
}

// InsertInboundToCase stores a message as attached to the case numbered
// number and appends the events fn returns (with the projection after
// them), in one transaction: the message is on the case exactly when it
// is stored. fn gets the case's events and the new message's id. A
// message stored before is neither stored nor recorded again: inserted is
// false and fn is not called.
func (s *Store) InsertInboundToCase(ctx context.Context, orgID, number string, m Inbound,
	fn func(history []complaint.Event, inboundID string) ([]complaint.Event, Projection, error)) (Inbound, bool, error) {
	var inserted bool
	_, err := s.changeCase(ctx, orgID, number, func(t *tx, rec CaseRecord, history []complaint.Event) (caseChange, error) {
		m.State, m.CaseID = InboundAttached, rec.ID
		var err error
		if inserted, err = insertInbound(ctx, t, orgID, &m); err != nil || !inserted {
			return caseChange{}, err
		}
		added, p, err := fn(history, m.ID)
		return caseChange{events: added, projection: &p}, err
	})
	if err != nil {
		return Inbound{}, false, err
	}
	if !inserted {
		m, err = s.inboundByMessageID(ctx, orgID, m.MessageID)
		return m, false, err
	}
	m.CaseNumber = number
	return m, true, nil
}

func insertInbound(ctx context.Context, t *tx, orgID string, m *Inbound) (bool, error) {
	if m.MessageID == "" {
		return false, errors.New("the inbound message has no Message-ID")
	}
	if m.ReceivedAt.IsZero() {
		return false, errors.New("the inbound message has no time of receipt")
	}
	if m.State == "" {
		m.State = InboundToTriage
	}
	if !m.State.Valid() {
		return false, fmt.Errorf("unknown inbound state %q", m.State)
	}
	m.ID, m.OrgID = newID(), orgID
	m.ReceivedAt = m.ReceivedAt.UTC().Truncate(time.Microsecond)
	m.CreatedAt = t.now
	if m.Raw == nil {
		m.Raw = []byte{}
	}
	res, err := t.exec(ctx, `INSERT INTO inbound_messages
		(id, org_id, message_id, synthetic, received_at, from_name, from_addr, subject, text, html,
		 auto_reply_reason, parse_problem, raw, case_id, state, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (org_id, message_id) DO NOTHING`,
		m.ID, orgID, m.MessageID, m.Synthetic, t.d.timeArg(m.ReceivedAt), m.FromName, m.FromAddr, m.Subject, m.Text, m.HTML,
		m.AutoReplyReason, m.ParseProblem, m.Raw, nullString(m.CaseID), string(m.State), t.d.timeArg(m.CreatedAt))
	if err != nil {
		return false, err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return false, err
	}
	for i := range m.Attachments {
		a := &m.Attachments[i]
		a.Position = i + 1
		if _, err := t.exec(ctx, `INSERT INTO inbound_attachments
			(inbound_id, position, name, mime, size, blob_id, quarantined, quarantine_reason)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			m.ID, a.Position, a.Name, a.MIME, a.Size, nullString(a.BlobID), a.Quarantined, a.QuarantineReason); err != nil {
			return false, err
		}
	}
	return true, nil
}

// inboundColumns are the columns scanInbound reads, without the raw message.
const inboundColumns = `m.id, m.org_id, m.message_id, m.synthetic, m.received_at, m.from_name, m.from_addr, m.subject,
	m.text, m.html, m.auto_reply_reason, m.parse_problem, COALESCE(m.case_id, ''), COALESCE(c.number, ''), m.state,
	m.triage_reason, m.triaged_by, m.triaged_at, m.created_at`

const inboundFrom = ` FROM inbound_messages m LEFT JOIN cases c ON c.id = m.case_id AND c.org_id = m.org_id`

func scanInbound(row scanner, extra ...any) (Inbound, error) {
	var m Inbound
	dest := []any{&m.ID, &m.OrgID, &m.MessageID, &m.Synthetic, timeColumn{&m.ReceivedAt}, &m.FromName, &m.FromAddr,
		&m.Subject, &m.Text, &m.HTML, &m.AutoReplyReason, &m.ParseProblem, &m.CaseID, &m.CaseNumber, &m.State,
		&m.TriageReason, &m.TriagedBy, timeColumn{&m.TriagedAt}, timeColumn{&m.CreatedAt}}
	err := row.Scan(append(dest, extra...)...)
	return m, err
}

// ListInbox returns the organisation's inbound messages in a state ("" for
// all), oldest first, with their attachments but without raw bytes.
func (s *Store) ListInbox(ctx context.Context, orgID string, state InboundState) ([]Inbound, error) {
	if state != "" && !state.Valid() {
		return nil, apperr.Field("state", "unknown state %q; expected to_triage, complaint, remark, not_complaint or attached", state)
	}
	var out []Inbound
	err := s.read(ctx, func(t *tx) error {
		q := `SELECT ` + inboundColumns + inboundFrom + ` WHERE m.org_id = ?`
		args := []any{orgID}
		if state != "" {
			q += ` AND m.state = ?`
			args = append(args, string(state))
		}
		rows, err := t.query(ctx, q+` ORDER BY m.received_at, m.id`, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanInbound(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows.Close()
		for i := range out {
			if out[i].Attachments, err = inboundAttachments(ctx, t, out[i].ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, wrap("list inbox", err)
	}
	return out, nil
}

// GetInbound returns one inbound message of the organisation with its raw
// bytes and attachments.
func (s *Store) GetInbound(ctx context.Context, orgID, id string) (Inbound, error) {
	var m Inbound
	err := s.read(ctx, func(t *tx) error {
		var err error
		m, err = inboundWhere(ctx, t, `m.org_id = ? AND m.id = ?`, orgID, id)
		return err
	})
	if err != nil {
		return Inbound{}, wrap("get inbound message", err)
	}
	return m, nil
}

func (s *Store) inboundByMessageID(ctx context.Context, orgID, messageID string) (Inbound, error) {
	var m Inbound
	err := s.read(ctx, func(t *tx) error {
		var err error
		m, err = inboundWhere(ctx, t, `m.org_id = ? AND m.message_id = ?`, orgID, messageID)
		return err
	})
	if err != nil {
		return Inbound{}, wrap("get inbound message", err)
	}
	return m, nil
}

func inboundWhere(ctx context.Context, t *tx, where string, args ...any) (Inbound, error) {
	var raw []byte
	m, err := scanInbound(t.queryRow(ctx, `SELECT `+inboundColumns+`, m.raw`+inboundFrom+` WHERE `+where, args...), &raw)
	if errors.Is(err, sql.ErrNoRows) {
		return Inbound{}, apperr.New(apperr.NotFound, "message does not exist")
	}
	if err != nil {
		return Inbound{}, err
	}
	m.Raw = raw
	m.Attachments, err = inboundAttachments(ctx, t, m.ID)
	return m, err
}

func inboundAttachments(ctx context.Context, t *tx, inboundID string) ([]InboundAttachment, error) {
	rows, err := t.query(ctx, `SELECT position, name, mime, size, COALESCE(blob_id, ''), quarantined, quarantine_reason
		FROM inbound_attachments WHERE inbound_id = ? ORDER BY position`, inboundID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []InboundAttachment{}
	for rows.Next() {
		var a InboundAttachment
		if err := rows.Scan(&a.Position, &a.Name, &a.MIME, &a.Size, &a.BlobID, &a.Quarantined, &a.QuarantineReason); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Triage is a person's decision on a message on the triage list.
type Triage struct {
	// State is complaint, remark or not_complaint.
	State InboundState
	// Reason is why (required for not_complaint).
	Reason string
	// By names who decided.
	By string
	// CaseNumber is the case opened (complaint, remark).
	CaseNumber string
}

// TriageInbound records the decision on a message waiting for triage. A
// message triaged already is a conflict (reason already_triaged), unless
// it was triaged the same way to the same case: then it is returned as it
// is, so that a retry after a crash between opening the case and this
// call is safe.
func (s *Store) TriageInbound(ctx context.Context, orgID, id string, tr Triage) (Inbound, error) {
	switch tr.State {
	case InboundComplaint, InboundRemark:
		if tr.CaseNumber == "" {
			return Inbound{}, wrap("triage inbound message", errors.New("a complaint or remark names its case"))
		}
	case InboundNotComplaint:
	default:
		return Inbound{}, apperr.Field("as", "unknown triage %q; expected complaint, remark or not_complaint", tr.State)
	}
	err := s.write(ctx, func(t *tx) error {
		var state, caseID string
		err := t.queryRow(ctx, `SELECT state, COALESCE(case_id, '') FROM inbound_messages WHERE org_id = ? AND id = ?`+t.d.forUpdate(),
			orgID, id).Scan(&state, &caseID)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "message %s does not exist", id)
		}
		if err != nil {
			return err
		}
		var newCaseID string
		if tr.CaseNumber != "" {
			rec, err := caseByNumber(ctx, t, orgID, tr.CaseNumber, false)
			if err != nil {
				return err
			}
			newCaseID = rec.ID
		}
		if InboundState(state) != InboundToTriage {
			if InboundState(state) == tr.State && caseID == newCaseID {
				return nil
			}
			return apperr.New(apperr.Conflict, "the message was triaged already (%s)", state).WithReason("already_triaged")
		}
		_, err = t.exec(ctx, `UPDATE inbound_messages SET state = ?, case_id = ?, triage_reason = ?, triaged_by = ?, triaged_at = ?
			WHERE org_id = ? AND id = ?`,
			string(tr.State), nullString(newCaseID), tr.Reason, tr.By, t.d.timeArg(t.now), orgID, id)
		return err
	})
	if err != nil {
		return Inbound{}, wrap("triage inbound message", err)
	}
	return s.GetInbound(ctx, orgID, id)
}

// CaseOfLetterMessageID returns the number of the case whose letter went
// out with the Message-ID (without angle brackets); ok is false when the
// organisation sent no such letter.
func (s *Store) CaseOfLetterMessageID(ctx context.Context, orgID, messageID string) (number string, ok bool, err error) {
	if messageID == "" {
		return "", false, nil
	}
	err = s.read(ctx, func(t *tx) error {
		return t.queryRow(ctx, `SELECT c.number FROM letters l JOIN cases c ON c.id = l.case_id
			WHERE l.org_id = ? AND (l.message_id = ? OR l.message_id = ?)`, orgID, messageID, "<"+messageID+">").Scan(&number)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, wrap("find letter by Message-ID", err)
	}
	return number, true, nil
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/gegrond/gegrond/internal/apperr"
)

// MailSource is the IMAP mailbox an organisation's complaint mail is read
// from (one per organisation). PasswordEnc is the password sealed by the
// service (nonce and ciphertext); the store never sees the plaintext.
type MailSource struct {
	ID               string
	OrgID            string
	Host             string
	Port             int
	Security         string // tls, starttls (none only in tests)
	Username         string
	PasswordEnc      []byte
	Mailbox          string
	ProcessedMailbox string
	Enabled          bool
	LastError        string
	LastCheckAt      time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// SaveMailSource inserts or replaces the organisation's mailbox. The
// status (LastError, LastCheckAt) is kept; an empty PasswordEnc keeps the
// stored password.
func (s *Store) SaveMailSource(ctx context.Context, m MailSource) (MailSource, error) {
	if m.OrgID == "" || m.Host == "" || m.Port <= 0 || m.Username == "" {
		return MailSource{}, apperr.Field("host", "a mailbox needs an organisation, host, port and user name")
	}
	if m.Mailbox == "" {
		m.Mailbox = "INBOX"
	}
	var out MailSource
	err := s.write(ctx, func(t *tx) error {
		old, err := mailSourceWhere(ctx, t, `org_id = ?`, m.OrgID)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			if len(m.PasswordEnc) == 0 {
				return apperr.Field("password", "a new mailbox needs a password")
			}
			m.ID, m.CreatedAt, m.UpdatedAt = newID(), t.now, t.now
			_, err = t.exec(ctx, `INSERT INTO mail_sources
				(id, org_id, host, port, security, username, password_enc, mailbox, processed_mailbox, enabled, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				m.ID, m.OrgID, m.Host, m.Port, m.Security, m.Username, m.PasswordEnc, m.Mailbox, m.ProcessedMailbox,
				m.Enabled, t.d.timeArg(m.CreatedAt), t.d.timeArg(m.UpdatedAt))
			if err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			if len(m.PasswordEnc) == 0 {
				m.PasswordEnc = old.PasswordEnc
			}
			m.ID, m.CreatedAt, m.UpdatedAt = old.ID, old.CreatedAt, t.now
			m.LastError, m.LastCheckAt = old.LastError, old.LastCheckAt
			_, err = t.exec(ctx, `UPDATE mail_sources SET host = ?, port = ?, security = ?, username = ?, password_enc = ?,
				mailbox = ?, processed_mailbox = ?, enabled = ?, updated_at = ? WHERE id = ?`,
				m.Host, m.Port, m.Security, m.Username, m.PasswordEnc, m.Mailbox, m.ProcessedMailbox, m.Enabled,
				t.d.timeArg(m.UpdatedAt), m.ID)
			if err != nil {
				return err
			}
		}
		out = m
		return nil
	})
	if err != nil {
		return MailSource{}, wrap("save mail source", err)
	}
	return out, nil
}

// GetMailSource returns the organisation's mailbox; NotFound when it has
// none.
func (s *Store) GetMailSource(ctx context.Context, orgID string) (MailSource, error) {
	var m MailSource
	err := s.read(ctx, func(t *tx) error {
		var err error
		m, err = mailSourceWhere(ctx, t, `org_id = ?`, orgID)
		return err
	})
	if err != nil {
		return MailSource{}, wrap("get mail source", err)
	}
	return m, nil
}

// EnabledMailSources returns every enabled mailbox of every organisation.
func (s *Store) EnabledMailSources(ctx context.Context) ([]MailSource, error) {
	var out []MailSource
	err := s.read(ctx, func(t *tx) error {
		rows, err := t.query(ctx, `SELECT `+mailSourceColumns+` FROM mail_sources WHERE enabled = ? ORDER BY org_id`, true)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMailSource(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap("list mail sources", err)
	}
	return out, nil
}

// RecordMailSourceStatus records when the organisation's mailbox was last
// looked at and the last error ("" when the round went well).
func (s *Store) RecordMailSourceStatus(ctx context.Context, orgID string, checkedAt time.Time, lastError string) error {
	err := s.write(ctx, func(t *tx) error {
		var at any
		if !checkedAt.IsZero() {
			at = t.d.timeArg(checkedAt.Truncate(time.Microsecond))
		}
		_, err := t.exec(ctx, `UPDATE mail_sources SET last_error = ?, last_check_at = ? WHERE org_id = ?`, lastError, at, orgID)
		return err
	})
	return wrap("record mail source status", err)
}

const mailSourceColumns = `id, org_id, host, port, security, username, password_enc, mailbox, processed_mailbox,
	enabled, last_error, last_check_at, created_at, updated_at`

func scanMailSource(row scanner) (MailSource, error) {
	var m MailSource
	err := row.Scan(&m.ID, &m.OrgID, &m.Host, &m.Port, &m.Security, &m.Username, &m.PasswordEnc, &m.Mailbox,
		&m.ProcessedMailbox, &m.Enabled, &m.LastError, timeColumn{&m.LastCheckAt}, timeColumn{&m.CreatedAt},
		timeColumn{&m.UpdatedAt})
	return m, err
}

func mailSourceWhere(ctx context.Context, t *tx, where string, args ...any) (MailSource, error) {
	m, err := scanMailSource(t.queryRow(ctx, `SELECT `+mailSourceColumns+` FROM mail_sources WHERE `+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return MailSource{}, apperr.New(apperr.NotFound, "the organisation has no mailbox")
	}
	return m, err
}

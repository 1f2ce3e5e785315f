-- The IMAP mailbox an organisation's complaint mail is read from: one per
-- organisation. password_enc is nonce||ciphertext (AES-256-GCM under a key
-- derived from the master key); the plaintext is never stored. Instants
-- are UTC text in the layout 2006-01-02T15:04:05.000000Z.

CREATE TABLE mail_sources (
    id                TEXT    NOT NULL PRIMARY KEY,
    org_id            TEXT    NOT NULL UNIQUE REFERENCES organisations (id),
    host              TEXT    NOT NULL,
    port              INTEGER NOT NULL,
    security          TEXT    NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
    username          TEXT    NOT NULL,
    password_enc      BLOB    NOT NULL,
    mailbox           TEXT    NOT NULL DEFAULT 'INBOX',
    processed_mailbox TEXT    NOT NULL DEFAULT '',
    enabled           INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT    NOT NULL DEFAULT '',
    last_check_at     TEXT,
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL
) STRICT;

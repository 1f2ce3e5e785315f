-- The IMAP mailbox an organisation's complaint mail is read from: one per
-- organisation. password_enc is nonce||ciphertext (AES-256-GCM under a key
-- derived from the master key); the plaintext is never stored.

CREATE TABLE mail_sources (
    id                text        NOT NULL PRIMARY KEY,
    org_id            text        NOT NULL UNIQUE REFERENCES organisations (id),
    host              text        NOT NULL,
    port              integer     NOT NULL,
    security          text        NOT NULL CHECK (security IN ('tls', 'starttls', 'none')),
    username          text        NOT NULL,
    password_enc      bytea       NOT NULL,
    mailbox           text        NOT NULL DEFAULT 'INBOX',
    processed_mailbox text        NOT NULL DEFAULT '',
    enabled           boolean     NOT NULL DEFAULT false,
    last_error        text        NOT NULL DEFAULT '',
    last_check_at     timestamptz,
    created_at        timestamptz NOT NULL,
    updated_at        timestamptz NOT NULL
);

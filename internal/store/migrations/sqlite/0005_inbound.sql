-- Mail that reached an organisation's complaint address (package mailin):
-- every message is kept once per organisation and Message-ID, raw, as
-- evidence, with where it went: a case it was attached to, or the triage
-- list until a person decides. Instants are UTC text in the layout
-- 2006-01-02T15:04:05.000000Z.

CREATE TABLE inbound_messages (
    id                TEXT    NOT NULL PRIMARY KEY,
    org_id            TEXT    NOT NULL REFERENCES organisations (id),
    message_id        TEXT    NOT NULL,
    synthetic         INTEGER NOT NULL DEFAULT 0,
    received_at       TEXT    NOT NULL,
    from_name         TEXT    NOT NULL DEFAULT '',
    from_addr         TEXT    NOT NULL DEFAULT '',
    subject           TEXT    NOT NULL DEFAULT '',
    text              TEXT    NOT NULL DEFAULT '',
    html              TEXT    NOT NULL DEFAULT '',
    auto_reply_reason TEXT    NOT NULL DEFAULT '',
    parse_problem     TEXT    NOT NULL DEFAULT '',
    raw               BLOB    NOT NULL,
    case_id           TEXT    REFERENCES cases (id),
    state             TEXT    NOT NULL CHECK (state IN ('to_triage', 'complaint', 'remark', 'not_complaint', 'attached')),
    triage_reason     TEXT    NOT NULL DEFAULT '',
    triaged_by        TEXT    NOT NULL DEFAULT '',
    triaged_at        TEXT,
    created_at        TEXT    NOT NULL,
    UNIQUE (org_id, message_id)
) STRICT;

CREATE INDEX inbound_org_state ON inbound_messages (org_id, state, received_at);

CREATE TABLE inbound_attachments (
    inbound_id        TEXT    NOT NULL REFERENCES inbound_messages (id),
    position          INTEGER NOT NULL,
    name              TEXT    NOT NULL,
    mime              TEXT    NOT NULL DEFAULT '',
    size              INTEGER NOT NULL,
    blob_id           TEXT,
    quarantined       INTEGER NOT NULL DEFAULT 0,
    quarantine_reason TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (inbound_id, position)
) STRICT;

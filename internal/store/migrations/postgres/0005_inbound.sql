-- Mail that reached an organisation's complaint address (package mailin):
-- every message is kept once per organisation and Message-ID, raw, as
-- evidence, with where it went: a case it was attached to, or the triage
-- list until a person decides.

CREATE TABLE inbound_messages (
    id                text        NOT NULL PRIMARY KEY,
    org_id            text        NOT NULL REFERENCES organisations (id),
    message_id        text        NOT NULL,
    synthetic         boolean     NOT NULL DEFAULT false,
    received_at       timestamptz NOT NULL,
    from_name         text        NOT NULL DEFAULT '',
    from_addr         text        NOT NULL DEFAULT '',
    subject           text        NOT NULL DEFAULT '',
    text              text        NOT NULL DEFAULT '',
    html              text        NOT NULL DEFAULT '',
    auto_reply_reason text        NOT NULL DEFAULT '',
    parse_problem     text        NOT NULL DEFAULT '',
    raw               bytea       NOT NULL,
    case_id           text        REFERENCES cases (id),
    state             text        NOT NULL CHECK (state IN ('to_triage', 'complaint', 'remark', 'not_complaint', 'attached')),
    triage_reason     text        NOT NULL DEFAULT '',
    triaged_by        text        NOT NULL DEFAULT '',
    triaged_at        timestamptz,
    created_at        timestamptz NOT NULL,
    UNIQUE (org_id, message_id)
);

CREATE INDEX inbound_org_state ON inbound_messages (org_id, state, received_at);

CREATE TABLE inbound_attachments (
    inbound_id        text        NOT NULL REFERENCES inbound_messages (id),
    position          integer     NOT NULL,
    name              text        NOT NULL,
    mime              text        NOT NULL DEFAULT '',
    size              bigint      NOT NULL,
    blob_id           text,
    quarantined       boolean     NOT NULL DEFAULT false,
    quarantine_reason text        NOT NULL DEFAULT '',
    PRIMARY KEY (inbound_id, position)
);

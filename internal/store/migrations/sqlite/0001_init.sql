-- Gegrond schema, SQLite. Dates are 'YYYY-MM-DD' text, instants are UTC text
-- in the layout 2006-01-02T15:04:05.000000Z (text order is time order),
-- booleans are 0/1, JSON is text kept byte for byte.

CREATE TABLE organisations (
    id             TEXT    NOT NULL PRIMARY KEY,
    name           TEXT    NOT NULL,
    reglement_id   TEXT    NOT NULL DEFAULT '',
    settings       TEXT    NOT NULL DEFAULT '{}',
    -- The head of the organisation's event chain: the org_seq and hash of
    -- its last event.
    last_event_seq INTEGER NOT NULL DEFAULT 0,
    last_hash      TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE users (
    id            TEXT NOT NULL PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE memberships (
    org_id  TEXT NOT NULL REFERENCES organisations (id),
    user_id TEXT NOT NULL REFERENCES users (id),
    role    TEXT NOT NULL,
    PRIMARY KEY (org_id, user_id, role)
) STRICT;

CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE api_tokens (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT
) STRICT;

CREATE TABLE regulations (
    org_id     TEXT    NOT NULL REFERENCES organisations (id),
    version    INTEGER NOT NULL,
    valid_from TEXT    NOT NULL,
    yaml       TEXT    NOT NULL,
    PRIMARY KEY (org_id, version)
) STRICT;

CREATE TABLE cases (
    id                 TEXT    NOT NULL PRIMARY KEY,
    org_id             TEXT    NOT NULL REFERENCES organisations (id),
    number             TEXT    NOT NULL,
    year               INTEGER NOT NULL,
    seq_in_year        INTEGER NOT NULL,
    state              TEXT    NOT NULL,
    handler_id         TEXT,
    received_on        TEXT    NOT NULL,
    next_deadline      TEXT,
    next_deadline_step TEXT    NOT NULL DEFAULT '',
    closed             INTEGER NOT NULL DEFAULT 0,
    complainant_name   TEXT    NOT NULL DEFAULT '',
    search_text        TEXT    NOT NULL DEFAULT '',
    summary            TEXT    NOT NULL DEFAULT '{}',
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    UNIQUE (org_id, number),
    UNIQUE (org_id, year, seq_in_year)
) STRICT;

-- The screens: open cases by next deadline, those without one last, then by
-- number. SQLite sorts NULL first in an index, so the index carries
-- "next_deadline IS NULL" ahead of the date and the query orders by the same
-- expression; the rows then come out of the index in order.
CREATE INDEX cases_deadline ON cases (org_id, closed, next_deadline IS NULL, next_deadline, number);
CREATE INDEX cases_handler ON cases (org_id, handler_id, closed, next_deadline IS NULL, next_deadline, number);

CREATE TABLE events (
    org_id         TEXT    NOT NULL REFERENCES organisations (id),
    case_id        TEXT    NOT NULL REFERENCES cases (id),
    seq            INTEGER NOT NULL,
    org_seq        INTEGER NOT NULL,
    type           TEXT    NOT NULL,
    payload        TEXT    NOT NULL,
    payload_salt   TEXT    NOT NULL,
    payload_digest TEXT    NOT NULL,
    erased         INTEGER NOT NULL DEFAULT 0,
    actor          TEXT    NOT NULL,
    at             TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    PRIMARY KEY (case_id, seq),
    UNIQUE (org_id, org_seq)
) STRICT;

-- The log is append-only. The one change allowed is erasing a payload:
-- payload may change and erased may become 1, nothing else. Whoever can drop
-- these triggers can still tamper; VerifyChain finds that.
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'events are append-only');
END;

CREATE TRIGGER events_erase_only BEFORE UPDATE ON events
WHEN NEW.org_id IS NOT OLD.org_id OR NEW.case_id IS NOT OLD.case_id
  OR NEW.seq IS NOT OLD.seq OR NEW.org_seq IS NOT OLD.org_seq
  OR NEW.type IS NOT OLD.type OR NEW.payload_salt IS NOT OLD.payload_salt
  OR NEW.payload_digest IS NOT OLD.payload_digest OR NEW.erased IS NOT 1
  OR NEW.actor IS NOT OLD.actor OR NEW.at IS NOT OLD.at
  OR NEW.prev_hash IS NOT OLD.prev_hash OR NEW.hash IS NOT OLD.hash
BEGIN
    SELECT RAISE(ABORT, 'events are append-only: only a payload may be erased');
END;

CREATE TABLE idempotency_keys (
    org_id     TEXT NOT NULL REFERENCES organisations (id),
    key        TEXT NOT NULL,
    case_id    TEXT NOT NULL REFERENCES cases (id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (org_id, key)
) STRICT;

-- Gegrond schema, PostgreSQL. The event payload and actor are json, not
-- jsonb: json keeps the text byte for byte, and the payload's digest and the
-- event's hash are computed over those bytes.

CREATE TABLE organisations (
    id             text   NOT NULL PRIMARY KEY,
    name           text   NOT NULL,
    reglement_id   text   NOT NULL DEFAULT '',
    settings       jsonb  NOT NULL DEFAULT '{}',
    -- The head of the organisation's event chain: the org_seq and hash of
    -- its last event.
    last_event_seq bigint NOT NULL DEFAULT 0,
    last_hash      text   NOT NULL DEFAULT ''
);

CREATE TABLE users (
    id            text        NOT NULL PRIMARY KEY,
    email         text        NOT NULL UNIQUE,
    name          text        NOT NULL,
    password_hash text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL
);

CREATE TABLE memberships (
    org_id  text NOT NULL REFERENCES organisations (id),
    user_id text NOT NULL REFERENCES users (id),
    role    text NOT NULL,
    PRIMARY KEY (org_id, user_id, role)
);

CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE api_tokens (
    token_hash   text        NOT NULL PRIMARY KEY,
    org_id       text        NOT NULL REFERENCES organisations (id),
    user_id      text        NOT NULL REFERENCES users (id),
    name         text        NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz
);

CREATE TABLE regulations (
    org_id     text    NOT NULL REFERENCES organisations (id),
    version    integer NOT NULL,
    valid_from date    NOT NULL,
    yaml       text    NOT NULL,
    PRIMARY KEY (org_id, version)
);

CREATE TABLE cases (
    id                 text        NOT NULL PRIMARY KEY,
    org_id             text        NOT NULL REFERENCES organisations (id),
    number             text        NOT NULL,
    year               integer     NOT NULL,
    seq_in_year        integer     NOT NULL,
    state              text        NOT NULL,
    handler_id         text,
    received_on        date        NOT NULL,
    next_deadline      date,
    next_deadline_step text        NOT NULL DEFAULT '',
    closed             boolean     NOT NULL DEFAULT false,
    complainant_name   text        NOT NULL DEFAULT '',
    search_text        text        NOT NULL DEFAULT '',
    summary            jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    UNIQUE (org_id, number),
    UNIQUE (org_id, year, seq_in_year)
);

-- The screens: open cases by next deadline, those without one last (an
-- ascending btree keeps NULL last), then by number.
CREATE INDEX cases_deadline ON cases (org_id, closed, next_deadline, number);
CREATE INDEX cases_handler ON cases (org_id, handler_id, closed, next_deadline, number);

CREATE TABLE events (
    org_id         text        NOT NULL REFERENCES organisations (id),
    case_id        text        NOT NULL REFERENCES cases (id),
    seq            integer     NOT NULL,
    org_seq        bigint      NOT NULL,
    type           text        NOT NULL,
    payload        json        NOT NULL,
    payload_salt   text        NOT NULL,
    payload_digest text        NOT NULL,
    erased         boolean     NOT NULL DEFAULT false,
    actor          json        NOT NULL,
    at             timestamptz NOT NULL,
    prev_hash      text        NOT NULL,
    hash           text        NOT NULL,
    PRIMARY KEY (case_id, seq),
    UNIQUE (org_id, org_seq)
);

-- The log is append-only. The one change allowed is erasing a payload:
-- payload may change and erased may become true, nothing else. Whoever can
-- drop this trigger can still tamper; VerifyChain finds that.
CREATE FUNCTION events_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'events are append-only';
    END IF;
    IF (NEW.org_id, NEW.case_id, NEW.seq, NEW.org_seq, NEW.type, NEW.payload_salt,
        NEW.payload_digest, NEW.actor::text, NEW.at, NEW.prev_hash, NEW.hash)
       IS DISTINCT FROM
       (OLD.org_id, OLD.case_id, OLD.seq, OLD.org_seq, OLD.type, OLD.payload_salt,
        OLD.payload_digest, OLD.actor::text, OLD.at, OLD.prev_hash, OLD.hash)
       OR NOT NEW.erased THEN
        RAISE EXCEPTION 'events are append-only: only a payload may be erased';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE idempotency_keys (
    org_id     text        NOT NULL REFERENCES organisations (id),
    key        text        NOT NULL,
    case_id    text        NOT NULL REFERENCES cases (id),
    created_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, key)
);

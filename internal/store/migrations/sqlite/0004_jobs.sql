-- The durable job queue (an outbox in our own database) and the letters of
-- a case. A job is inserted in the same transaction as the change that
-- causes it; a worker claims it with a lease (locked_until), and a job whose
-- lease ran out is claimed again: every worker is safe to run twice.
-- Instants are UTC text in the layout 2006-01-02T15:04:05.000000Z.

CREATE TABLE jobs (
    id           TEXT    NOT NULL PRIMARY KEY,
    org_id       TEXT    NOT NULL REFERENCES organisations (id),
    case_id      TEXT    REFERENCES cases (id),
    kind         TEXT    NOT NULL,
    payload      TEXT    NOT NULL DEFAULT '{}',
    -- unique_key makes enqueueing idempotent per organisation: a second job
    -- with the key is not inserted (a reminder is never sent twice for the
    -- same deadline). NULL keys never collide.
    unique_key   TEXT,
    run_at       TEXT    NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    last_error   TEXT    NOT NULL DEFAULT '',
    locked_until TEXT,
    created_at   TEXT    NOT NULL,
    done_at      TEXT,
    UNIQUE (org_id, unique_key)
) STRICT;

-- Claim: queued jobs by run_at, and running jobs whose lease ran out.
CREATE INDEX jobs_queued ON jobs (state, run_at);
CREATE INDEX jobs_lease ON jobs (state, locked_until);
-- The dashboard: an organisation's failed jobs, newest first.
CREATE INDEX jobs_org_state ON jobs (org_id, state, done_at);
CREATE INDEX jobs_case ON jobs (case_id);

-- A letter as composed and sent: the rendered text, HTML and PDF are kept
-- as they went out. based_on_seq is the last event of the case the letter
-- was composed from: folding the events up to it, with the stored
-- letterhead, recipient, date and language, composes the same document.
CREATE TABLE letters (
    id           TEXT    NOT NULL PRIMARY KEY,
    org_id       TEXT    NOT NULL REFERENCES organisations (id),
    case_id      TEXT    NOT NULL REFERENCES cases (id),
    kind         TEXT    NOT NULL,
    lang         TEXT    NOT NULL,
    recipient    TEXT    NOT NULL,
    subject      TEXT    NOT NULL,
    text         TEXT    NOT NULL,
    html         TEXT    NOT NULL,
    pdf          BLOB    NOT NULL,
    letterhead   TEXT    NOT NULL DEFAULT '{}',
    requested_by TEXT    NOT NULL DEFAULT '{}',
    letter_date  TEXT    NOT NULL,
    composed_at  TEXT    NOT NULL,
    based_on_seq INTEGER NOT NULL,
    channel      TEXT    NOT NULL CHECK (channel IN ('email', 'post')),
    state        TEXT    NOT NULL CHECK (state IN ('queued', 'sent', 'posted', 'failed')),
    message_id   TEXT    NOT NULL DEFAULT '',
    sent_at      TEXT,
    posted_on    TEXT,
    error        TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX letters_case ON letters (case_id, composed_at);
CREATE INDEX letters_org_state ON letters (org_id, state);

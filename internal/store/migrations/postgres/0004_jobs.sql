-- The durable job queue (an outbox in our own database) and the letters of
-- a case. A job is inserted in the same transaction as the change that
-- causes it; workers claim jobs with FOR UPDATE SKIP LOCKED and a lease
-- (locked_until), so that several processes share the work, and a job whose
-- lease ran out is claimed again: every worker is safe to run twice.

CREATE TABLE jobs (
    id           text        NOT NULL PRIMARY KEY,
    org_id       text        NOT NULL REFERENCES organisations (id),
    case_id      text        REFERENCES cases (id),
    kind         text        NOT NULL,
    payload      jsonb       NOT NULL DEFAULT '{}',
    -- unique_key makes enqueueing idempotent per organisation: a second job
    -- with the key is not inserted (a reminder is never sent twice for the
    -- same deadline). NULL keys never collide.
    unique_key   text,
    run_at       timestamptz NOT NULL,
    attempts     integer     NOT NULL DEFAULT 0,
    max_attempts integer     NOT NULL,
    state        text        NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    last_error   text        NOT NULL DEFAULT '',
    locked_until timestamptz,
    created_at   timestamptz NOT NULL,
    done_at      timestamptz,
    UNIQUE (org_id, unique_key)
);

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
    id           text        NOT NULL PRIMARY KEY,
    org_id       text        NOT NULL REFERENCES organisations (id),
    case_id      text        NOT NULL REFERENCES cases (id),
    kind         text        NOT NULL,
    lang         text        NOT NULL,
    recipient    jsonb       NOT NULL,
    subject      text        NOT NULL,
    text         text        NOT NULL,
    html         text        NOT NULL,
    pdf          bytea       NOT NULL,
    letterhead   jsonb       NOT NULL DEFAULT '{}',
    requested_by jsonb       NOT NULL DEFAULT '{}',
    letter_date  date        NOT NULL,
    composed_at  timestamptz NOT NULL,
    based_on_seq integer     NOT NULL,
    channel      text        NOT NULL CHECK (channel IN ('email', 'post')),
    state        text        NOT NULL CHECK (state IN ('queued', 'sent', 'posted', 'failed')),
    message_id   text        NOT NULL DEFAULT '',
    sent_at      timestamptz,
    posted_on    date,
    error        text        NOT NULL DEFAULT ''
);

CREATE INDEX letters_case ON letters (case_id, composed_at);
CREATE INDEX letters_org_state ON letters (org_id, state);

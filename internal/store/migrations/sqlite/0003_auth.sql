-- Signing in: sessions, failed attempts and their lock, the sign-in log,
-- password reset links and the second factor (TOTP with recovery codes).
-- Secrets that a person holds (session cookies, reset links, recovery
-- codes) are stored only as their SHA-256.

-- A signed-in browser. The cookie holds the token; the row holds its hash.
-- second_factor: the session passed the TOTP step. totp_pending: the secret
-- being enrolled, until the person confirms it with a code.
CREATE TABLE sessions (
    token_hash    TEXT    NOT NULL PRIMARY KEY,
    user_id       TEXT    NOT NULL REFERENCES users (id),
    org_id        TEXT    NOT NULL REFERENCES organisations (id),
    second_factor INTEGER NOT NULL DEFAULT 0,
    totp_pending  TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    last_seen_at  TEXT    NOT NULL,
    expires_at    TEXT    NOT NULL
) STRICT;

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed sign-ins per e-mail address (lower case), whether or not a user
-- has it: a guesser learns nothing from the lock.
CREATE TABLE login_attempts (
    email            TEXT    NOT NULL PRIMARY KEY,
    failures         INTEGER NOT NULL,
    first_failure_at TEXT    NOT NULL,
    last_failure_at  TEXT    NOT NULL,
    locked_until     TEXT
) STRICT;

-- Every sign-in success and failure.
CREATE TABLE auth_log (
    id          INTEGER NOT NULL PRIMARY KEY,
    at          TEXT    NOT NULL,
    email       TEXT    NOT NULL,
    user_id     TEXT,
    success     INTEGER NOT NULL,
    reason      TEXT    NOT NULL,
    remote_addr TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX auth_log_email ON auth_log (email, at);

CREATE TABLE password_resets (
    token_hash TEXT NOT NULL PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;

CREATE INDEX password_resets_user ON password_resets (user_id);

-- last_step is the last TOTP time step accepted: a code is good once.
CREATE TABLE user_totp (
    user_id    TEXT    NOT NULL PRIMARY KEY REFERENCES users (id),
    secret     TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    last_step  INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE recovery_codes (
    user_id   TEXT NOT NULL REFERENCES users (id),
    code_hash TEXT NOT NULL,
    used_at   TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

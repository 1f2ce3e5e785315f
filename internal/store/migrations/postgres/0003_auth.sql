-- Signing in: sessions, failed attempts and their lock, the sign-in log,
-- password reset links and the second factor (TOTP with recovery codes).
-- Secrets that a person holds (session cookies, reset links, recovery
-- codes) are stored only as their SHA-256.

-- A signed-in browser. The cookie holds the token; the row holds its hash.
-- second_factor: the session passed the TOTP step. totp_pending: the secret
-- being enrolled, until the person confirms it with a code.
CREATE TABLE sessions (
    token_hash    text        NOT NULL PRIMARY KEY,
    user_id       text        NOT NULL REFERENCES users (id),
    org_id        text        NOT NULL REFERENCES organisations (id),
    second_factor boolean     NOT NULL DEFAULT false,
    totp_pending  text        NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL,
    last_seen_at  timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL
);

CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Failed sign-ins per e-mail address (lower case), whether or not a user
-- has it: a guesser learns nothing from the lock.
CREATE TABLE login_attempts (
    email            text        NOT NULL PRIMARY KEY,
    failures         integer     NOT NULL,
    first_failure_at timestamptz NOT NULL,
    last_failure_at  timestamptz NOT NULL,
    locked_until     timestamptz
);

-- Every sign-in success and failure.
CREATE TABLE auth_log (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL,
    email       text        NOT NULL,
    user_id     text,
    success     boolean     NOT NULL,
    reason      text        NOT NULL,
    remote_addr text        NOT NULL DEFAULT ''
);

CREATE INDEX auth_log_email ON auth_log (email, at);

CREATE TABLE password_resets (
    token_hash text        NOT NULL PRIMARY KEY,
    user_id    text        NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);

CREATE INDEX password_resets_user ON password_resets (user_id);

-- last_step is the last TOTP time step accepted: a code is good once.
CREATE TABLE user_totp (
    user_id    text        NOT NULL PRIMARY KEY REFERENCES users (id),
    secret     text        NOT NULL,
    created_at timestamptz NOT NULL,
    last_step  bigint      NOT NULL DEFAULT 0
);

CREATE TABLE recovery_codes (
    user_id   text        NOT NULL REFERENCES users (id),
    code_hash text        NOT NULL,
    used_at   timestamptz,
    PRIMARY KEY (user_id, code_hash)
);

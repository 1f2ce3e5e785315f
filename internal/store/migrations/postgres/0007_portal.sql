-- The complainant's portal. A personal link is a long random token; only
-- its SHA-256 (hex) is stored. A link expires, is revoked when a newer link
-- for the case replaces it and when the case is archived.

CREATE TABLE portal_links (
    token_hash   text        NOT NULL PRIMARY KEY,
    org_id       text        NOT NULL REFERENCES organisations (id),
    case_id      text        NOT NULL REFERENCES cases (id),
    email        text        NOT NULL,
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);

CREATE INDEX portal_links_case ON portal_links (org_id, case_id);

-- The complainant's input the handler has not acted on yet: the time of
-- the first complainant event after the last staff event; NULL when none.
ALTER TABLE cases ADD COLUMN complainant_input_at timestamptz;

-- The complainant's portal. A personal link is a long random token; only
-- its SHA-256 (hex) is stored. A link expires, is revoked when a newer link
-- for the case replaces it and when the case is archived. Instants are UTC
-- text in the layout 2006-01-02T15:04:05.000000Z.

CREATE TABLE portal_links (
    token_hash   TEXT NOT NULL PRIMARY KEY,
    org_id       TEXT NOT NULL REFERENCES organisations (id),
    case_id      TEXT NOT NULL REFERENCES cases (id),
    email        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    last_used_at TEXT
) STRICT;

CREATE INDEX portal_links_case ON portal_links (org_id, case_id);

-- The complainant's input the handler has not acted on yet: the time of
-- the first complainant event after the last staff event; NULL when none.
ALTER TABLE cases ADD COLUMN complainant_input_at TEXT;

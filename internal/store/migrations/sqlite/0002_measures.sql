-- Measures (corrigerende en preventieve maatregelen) as records of their own,
-- linked to the complaints that led to them, with the board's decision on a
-- proposal (Work 2 Work 5.2.5) and the yearly review of their effectiveness
-- (Work 2 Work 5.3.2; Standergroep 6 and 8). Dates are 'YYYY-MM-DD' text.

CREATE TABLE measures (
    id               TEXT    NOT NULL PRIMARY KEY,
    org_id           TEXT    NOT NULL REFERENCES organisations (id),
    -- number counts the organisation's measures from 1, for people.
    number           INTEGER NOT NULL,
    description      TEXT    NOT NULL,
    kind             TEXT    NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    -- The owner is a user of the organisation, or only a name (an external
    -- party, a team).
    owner_user_id    TEXT    REFERENCES users (id),
    owner_name       TEXT    NOT NULL,
    due_on           TEXT,
    state            TEXT    NOT NULL CHECK (state IN ('proposed', 'decided', 'rejected', 'done')),
    proposed_by_id   TEXT,
    proposed_by      TEXT    NOT NULL,
    proposed_on      TEXT    NOT NULL,
    decided_by_id    TEXT,
    decided_by       TEXT    NOT NULL DEFAULT '',
    decided_on       TEXT,
    decision_note    TEXT    NOT NULL DEFAULT '',
    done_on          TEXT,
    done_note        TEXT    NOT NULL DEFAULT '',
    created_at       TEXT    NOT NULL,
    UNIQUE (org_id, number)
) STRICT;

-- The dashboards: open measures by due date, and per owner.
CREATE INDEX measures_due ON measures (org_id, state, due_on);
CREATE INDEX measures_owner ON measures (org_id, owner_user_id, state, due_on);

-- The complaints a measure came from. The foreign key on (org_id,
-- case_number) keeps a link inside the measure's organisation.
CREATE TABLE measure_cases (
    measure_id  TEXT NOT NULL REFERENCES measures (id),
    org_id      TEXT NOT NULL,
    case_number TEXT NOT NULL,
    PRIMARY KEY (measure_id, case_number),
    FOREIGN KEY (org_id, case_number) REFERENCES cases (org_id, number)
) STRICT;

CREATE INDEX measure_cases_case ON measure_cases (org_id, case_number);

-- One review per measure and year.
CREATE TABLE measure_reviews (
    measure_id     TEXT    NOT NULL REFERENCES measures (id),
    year           INTEGER NOT NULL,
    effective      INTEGER NOT NULL,
    motivation     TEXT    NOT NULL,
    adjustment     TEXT    NOT NULL DEFAULT '',
    reviewed_by_id TEXT,
    reviewed_by    TEXT    NOT NULL,
    reviewed_on    TEXT    NOT NULL,
    PRIMARY KEY (measure_id, year)
) STRICT;

-- The register and the reports read a period of cases by date of receipt,
-- in receipt order, with each case's events after it (CaseHistories). The
-- index is unique, as (org_id, year, seq_in_year) already is, so that SQLite
-- knows its order distinct and reads the events in order without a sort.
CREATE UNIQUE INDEX cases_received ON cases (org_id, received_on, year, seq_in_year);

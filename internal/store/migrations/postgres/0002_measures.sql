-- Measures (corrigerende en preventieve maatregelen) as records of their own,
-- linked to the complaints that led to them, with the board's decision on a
-- proposal (Work 2 Work 5.2.5) and the yearly review of their effectiveness
-- (Work 2 Work 5.3.2; Standergroep 6 and 8).

CREATE TABLE measures (
    id               text        NOT NULL PRIMARY KEY,
    org_id           text        NOT NULL REFERENCES organisations (id),
    -- number counts the organisation's measures from 1, for people.
    number           integer     NOT NULL,
    description      text        NOT NULL,
    kind             text        NOT NULL CHECK (kind IN ('corrective', 'preventive')),
    -- The owner is a user of the organisation, or only a name (an external
    -- party, a team).
    owner_user_id    text        REFERENCES users (id),
    owner_name       text        NOT NULL,
    due_on           date,
    state            text        NOT NULL CHECK (state IN ('proposed', 'decided', 'rejected', 'done')),
    proposed_by_id   text,
    proposed_by      text        NOT NULL,
    proposed_on      date        NOT NULL,
    decided_by_id    text,
    decided_by       text        NOT NULL DEFAULT '',
    decided_on       date,
    decision_note    text        NOT NULL DEFAULT '',
    done_on          date,
    done_note        text        NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    UNIQUE (org_id, number)
);

-- The dashboards: open measures by due date, and per owner.
CREATE INDEX measures_due ON measures (org_id, state, due_on);
CREATE INDEX measures_owner ON measures (org_id, owner_user_id, state, due_on);

-- The complaints a measure came from. The foreign key on (org_id,
-- case_number) keeps a link inside the measure's organisation.
CREATE TABLE measure_cases (
    measure_id  text NOT NULL REFERENCES measures (id),
    org_id      text NOT NULL,
    case_number text NOT NULL,
    PRIMARY KEY (measure_id, case_number),
    FOREIGN KEY (org_id, case_number) REFERENCES cases (org_id, number)
);

CREATE INDEX measure_cases_case ON measure_cases (org_id, case_number);

-- One review per measure and year.
CREATE TABLE measure_reviews (
    measure_id     text    NOT NULL REFERENCES measures (id),
    year           integer NOT NULL,
    effective      boolean NOT NULL,
    motivation     text    NOT NULL,
    adjustment     text    NOT NULL DEFAULT '',
    reviewed_by_id text,
    reviewed_by    text    NOT NULL,
    reviewed_on    date    NOT NULL,
    PRIMARY KEY (measure_id, year)
);

-- The register and the reports read a period of cases by date of receipt,
-- in receipt order, with each case's events after it (CaseHistories).
CREATE UNIQUE INDEX cases_received ON cases (org_id, received_on, year, seq_in_year);

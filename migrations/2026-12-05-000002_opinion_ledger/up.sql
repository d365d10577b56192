-- 舆情回应台账: public concerns (cases), their responses, the promises responses make
-- and each move of a promise (tasks 27–30 of the plan).

CREATE TABLE opinion_cases (
    id                 BIGSERIAL PRIMARY KEY,
    source             TEXT        NOT NULL CHECK (source IN
                           ('new_media', 'governor_mailbox', 'hotline_12345', 'online_opinion', 'media_report', 'other')),
    topic              TEXT        NOT NULL CHECK (topic IN
                           ('epidemic_control', 'real_estate_finance', 'wage_arrears', 'environment_pollution',
                            'food_drug_safety', 'education_health_elderly', 'work_safety', 'hardship_livelihood', 'other')),
    received_on        DATE        NOT NULL,
    summary            TEXT        NOT NULL CHECK (char_length(btrim(summary)) >= 1),
    -- The plan task the case serves; its responses and kept promises are evidence there.
    task_id            BIGINT      NOT NULL REFERENCES tasks (id) ON DELETE RESTRICT,
    lead_unit_id       BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    -- The source's limit when the case was registered (the setting may change later).
    response_workdays  INTEGER     NOT NULL CHECK (response_workdays BETWEEN 0 AND 60),
    -- The person who wrote in (name and contact), sealed with the data key; never listed.
    writer_cipher      BYTEA,
    status             TEXT        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'responded', 'closed')),
    first_response_on  DATE,
    closed_on          DATE,
    created_by         TEXT        NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX opinion_cases_lead_idx ON opinion_cases (lead_unit_id, id);
CREATE INDEX opinion_cases_task_idx ON opinion_cases (task_id);
CREATE INDEX opinion_cases_received_idx ON opinion_cases (received_on);
CREATE INDEX opinion_cases_updated_idx ON opinion_cases (updated_at, id);

-- 协办单位: the co-responsible units of a case, after its lead unit.
CREATE TABLE opinion_case_units (
    case_id   BIGINT  NOT NULL REFERENCES opinion_cases (id) ON DELETE CASCADE,
    unit_id   BIGINT  NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    position  INTEGER NOT NULL,
    PRIMARY KEY (case_id, unit_id)
);
CREATE INDEX opinion_case_units_unit_idx ON opinion_case_units (unit_id);

CREATE TABLE opinion_responses (
    id            BIGSERIAL PRIMARY KEY,
    case_id       BIGINT      NOT NULL REFERENCES opinion_cases (id) ON DELETE CASCADE,
    unit_id       BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    responded_on  DATE        NOT NULL,
    channel       TEXT        NOT NULL,
    text          TEXT,
    url           TEXT,
    published     BOOLEAN     NOT NULL,
    evidence_id   BIGINT      REFERENCES evidence (id) ON DELETE RESTRICT,
    recorded_by   TEXT        NOT NULL,
    recorded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (text IS NOT NULL OR url IS NOT NULL)
);
CREATE INDEX opinion_responses_case_idx ON opinion_responses (case_id, id);

CREATE TABLE opinion_promises (
    id                    BIGSERIAL PRIMARY KEY,
    case_id               BIGINT      NOT NULL REFERENCES opinion_cases (id) ON DELETE CASCADE,
    response_id           BIGINT      NOT NULL REFERENCES opinion_responses (id) ON DELETE CASCADE,
    text                  TEXT        NOT NULL CHECK (char_length(btrim(text)) >= 1),
    unit_id               BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    due_on                DATE        NOT NULL,
    status                TEXT        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'kept', 'kept_late', 'broken')),
    settled_on            DATE,
    evidence_ref          TEXT,
    fulfilment_published  BOOLEAN     NOT NULL DEFAULT false,
    evidence_id           BIGINT      REFERENCES evidence (id) ON DELETE RESTRICT,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX opinion_promises_case_idx ON opinion_promises (case_id, id);
CREATE INDEX opinion_promises_pending_idx ON opinion_promises (due_on) WHERE status = 'pending';
CREATE INDEX opinion_promises_unit_idx ON opinion_promises (unit_id, status);

-- Each move of a promise, with its evidence and whether its fulfilment was made public.
CREATE TABLE opinion_promise_moves (
    id            BIGSERIAL PRIMARY KEY,
    promise_id    BIGINT      NOT NULL REFERENCES opinion_promises (id) ON DELETE CASCADE,
    status_from   TEXT        NOT NULL,
    status_to     TEXT        NOT NULL,
    occurred_on   DATE        NOT NULL,
    evidence_ref  TEXT        NOT NULL CHECK (char_length(btrim(evidence_ref)) >= 1),
    published     BOOLEAN     NOT NULL,
    note          TEXT,
    actor_sub     TEXT        NOT NULL,
    actor_role    TEXT        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX opinion_promise_moves_promise_idx ON opinion_promise_moves (promise_id, id);

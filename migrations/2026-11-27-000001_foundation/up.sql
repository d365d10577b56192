-- The foundation: units, plans, sections, tasks, quotas, evidence, the calendar and the
-- audit trail. Constraints live here so that even a buggy caller cannot store an
-- inconsistent plan.

-- 责任单位: units form a tree under each issuing government.
CREATE TABLE units (
    id          BIGSERIAL PRIMARY KEY,
    name        TEXT        NOT NULL CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 100),
    kind        TEXT        NOT NULL CHECK (kind IN ('government', 'department', 'town', 'other')),
    parent_id   BIGINT      REFERENCES units (id) ON DELETE RESTRICT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT units_not_own_parent CHECK (parent_id IS NULL OR parent_id <> id),
    CONSTRAINT units_top_level_is_government CHECK (parent_id IS NOT NULL OR kind = 'government'),
    CONSTRAINT units_name_unique_among_siblings UNIQUE NULLS NOT DISTINCT (parent_id, name)
);
CREATE INDEX units_parent_idx ON units (parent_id);
CREATE INDEX units_name_idx ON units (name);

-- A unit may not become its own ancestor.
CREATE FUNCTION units_refuse_cycle() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.parent_id IS NOT NULL AND EXISTS (
        WITH RECURSIVE up AS (
            SELECT id, parent_id FROM units WHERE id = NEW.parent_id
            UNION ALL
            SELECT u.id, u.parent_id FROM units u JOIN up ON u.id = up.parent_id
        )
        SELECT 1 FROM up WHERE id = NEW.id
    ) THEN
        RAISE EXCEPTION 'unit % cannot be placed under its own descendant %', NEW.id, NEW.parent_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'units_no_cycle';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER units_no_cycle BEFORE UPDATE OF parent_id ON units
    FOR EACH ROW EXECUTE FUNCTION units_refuse_cycle();

-- 政务公开工作要点: one plan per issuing government and year.
CREATE TABLE plans (
    id               BIGSERIAL PRIMARY KEY,
    year             INTEGER     NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    title            TEXT        NOT NULL CHECK (char_length(btrim(title)) BETWEEN 1 AND 200),
    issuing_unit_id  BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT plans_one_per_year UNIQUE (issuing_unit_id, year)
);

CREATE TABLE sections (
    id       BIGSERIAL PRIMARY KEY,
    plan_id  BIGINT  NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number   INTEGER NOT NULL CHECK (number >= 1),
    title    TEXT    NOT NULL CHECK (char_length(btrim(title)) >= 1),
    CONSTRAINT sections_number_unique UNIQUE (plan_id, number),
    CONSTRAINT sections_id_plan_unique UNIQUE (id, plan_id)
);

CREATE TABLE tasks (
    id               BIGSERIAL PRIMARY KEY,
    plan_id          BIGINT      NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    section_id       BIGINT      NOT NULL,
    number           INTEGER     NOT NULL CHECK (number >= 1),
    requirement      TEXT        NOT NULL CHECK (char_length(btrim(requirement)) >= 1),
    units_inherited  BOOLEAN     NOT NULL DEFAULT false,
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT tasks_number_unique UNIQUE (plan_id, number),
    CONSTRAINT tasks_id_plan_unique UNIQUE (id, plan_id),
    -- the section must belong to the same plan
    CONSTRAINT tasks_section_same_plan FOREIGN KEY (section_id, plan_id)
        REFERENCES sections (id, plan_id) ON DELETE CASCADE
);
CREATE INDEX tasks_section_idx ON tasks (section_id);

-- Lead (牵头) and co-responsible (配合) units of a task, in the plan's order.
CREATE TABLE task_units (
    task_id   BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id   BIGINT  NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    role      TEXT    NOT NULL CHECK (role IN ('lead', 'co')),
    position  INTEGER NOT NULL CHECK (position >= 0),
    PRIMARY KEY (task_id, unit_id),
    CONSTRAINT task_units_position_unique UNIQUE (task_id, position),
    -- the first unit leads, the others cooperate
    CONSTRAINT task_units_lead_first CHECK ((position = 0) = (role = 'lead'))
);
CREATE INDEX task_units_unit_idx ON task_units (unit_id);

-- Quotas: the checkable duties of a task, one of the contract's kinds.
CREATE TABLE quotas (
    id              BIGSERIAL PRIMARY KEY,
    task_id         BIGINT           NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    kind            TEXT             NOT NULL CHECK (kind IN ('count', 'deadline', 'threshold', 'within_workdays')),
    count_min       INTEGER,
    period          TEXT,
    due             DATE,
    threshold_min   DOUBLE PRECISION,
    threshold_unit  TEXT,
    days            INTEGER,
    source          TEXT             NOT NULL DEFAULT '',
    created_at      TIMESTAMPTZ      NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ      NOT NULL DEFAULT now(),
    CONSTRAINT quotas_id_task_unique UNIQUE (id, task_id),
    -- COALESCE: a NULL parameter must fail the check, not slip through it as unknown.
    CONSTRAINT quotas_parameters_match_kind CHECK (COALESCE(
        (kind = 'count' AND count_min >= 1 AND period IN ('month', 'quarter', 'half_year', 'year')
            AND due IS NULL AND threshold_min IS NULL AND threshold_unit IS NULL AND days IS NULL)
     OR (kind = 'deadline' AND due IS NOT NULL
            AND count_min IS NULL AND period IS NULL AND threshold_min IS NULL AND threshold_unit IS NULL AND days IS NULL)
     OR (kind = 'threshold' AND threshold_min >= 0 AND threshold_min <= 100 AND threshold_unit = 'percent'
            AND count_min IS NULL AND period IS NULL AND due IS NULL AND days IS NULL)
     OR (kind = 'within_workdays' AND days BETWEEN 1 AND 366
            AND count_min IS NULL AND period IS NULL AND due IS NULL AND threshold_min IS NULL AND threshold_unit IS NULL)
    , false))
);
CREATE INDEX quotas_task_idx ON quotas (task_id);

-- Evidence: dated records of work done for a task. Never deleted, only withdrawn.
CREATE TABLE evidence (
    id               BIGSERIAL PRIMARY KEY,
    task_id          BIGINT           NOT NULL REFERENCES tasks (id) ON DELETE RESTRICT,
    unit_id          BIGINT           NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    quota_id         BIGINT,
    occurred_on      DATE             NOT NULL,
    title            TEXT             NOT NULL CHECK (char_length(btrim(title)) >= 1),
    url              TEXT,
    count            INTEGER          NOT NULL DEFAULT 1 CHECK (count >= 0),
    value            DOUBLE PRECISION,
    completes        BOOLEAN          NOT NULL DEFAULT false,
    event_on         DATE,
    recorded_at      TIMESTAMPTZ      NOT NULL DEFAULT now(),
    recorded_by      TEXT             NOT NULL,
    withdrawn_at     TIMESTAMPTZ,
    withdrawn_by     TEXT,
    withdraw_reason  TEXT,
    -- a quota named by a record must be one of its task's quotas
    CONSTRAINT evidence_quota_same_task FOREIGN KEY (quota_id, task_id)
        REFERENCES quotas (id, task_id) ON DELETE RESTRICT,
    CONSTRAINT evidence_withdrawal_complete CHECK (COALESCE(
        (withdrawn_at IS NULL AND withdrawn_by IS NULL AND withdraw_reason IS NULL)
     OR (withdrawn_at IS NOT NULL AND withdrawn_by IS NOT NULL AND char_length(btrim(withdraw_reason)) >= 1)
    , false)),
    CONSTRAINT evidence_event_not_after_done CHECK (event_on IS NULL OR event_on <= occurred_on)
);
CREATE INDEX evidence_task_occurred_idx ON evidence (task_id, occurred_on);
CREATE INDEX evidence_unit_idx ON evidence (unit_id);

-- The working-day calendar, one row per published year (国务院办公厅 holiday notice).
CREATE TABLE calendar_years (
    year        INTEGER     PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
    holidays    DATE[]      NOT NULL,
    workdays    DATE[]      NOT NULL,
    loaded_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    loaded_by   TEXT        NOT NULL
);

-- The audit trail: every write, who did it, when, and what changed.
CREATE TABLE audit_events (
    id             BIGSERIAL PRIMARY KEY,
    occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    actor_sub      TEXT        NOT NULL,
    actor_role     TEXT        NOT NULL,
    actor_unit_id  BIGINT,
    action         TEXT        NOT NULL,
    entity_type    TEXT        NOT NULL,
    entity_id      TEXT        NOT NULL,
    before         JSONB,
    after          JSONB,
    request_id     TEXT
);
CREATE INDEX audit_events_entity_idx ON audit_events (entity_type, entity_id, id);
CREATE INDEX audit_events_actor_idx ON audit_events (actor_sub, id);
CREATE INDEX audit_events_time_idx ON audit_events (occurred_at, id);

-- 台账, 回头看 and 整改: progress per task and unit, year-end look-backs, rectification.

-- Where each responsible unit stands on its task. A missing row reads as not_started.
CREATE TABLE task_progress (
    task_id     BIGINT      NOT NULL,
    unit_id     BIGINT      NOT NULL,
    status      TEXT        NOT NULL CHECK (status IN ('not_started', 'in_progress', 'blocked', 'completed', 'not_applicable')),
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_by  TEXT        NOT NULL,
    PRIMARY KEY (task_id, unit_id),
    -- progress exists only for a unit responsible for the task
    CONSTRAINT task_progress_responsible FOREIGN KEY (task_id, unit_id)
        REFERENCES task_units (task_id, unit_id) ON DELETE CASCADE
);

-- The dated history: a unit's updates and the coordinator's comments.
CREATE TABLE progress_notes (
    id           BIGSERIAL PRIMARY KEY,
    task_id      BIGINT      NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    unit_id      BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    kind         TEXT        NOT NULL CHECK (kind IN ('update', 'comment')),
    text         TEXT        NOT NULL CHECK (char_length(btrim(text)) BETWEEN 1 AND 5000),
    links        TEXT[]      NOT NULL DEFAULT '{}',
    status_from  TEXT,
    status_to    TEXT,
    author_sub   TEXT        NOT NULL,
    author_role  TEXT        NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT progress_notes_status_pair CHECK ((status_from IS NULL) = (status_to IS NULL))
);
CREATE INDEX progress_notes_task_unit_idx ON progress_notes (task_id, unit_id, id);

-- 回头看: a look-back at a plan as of a date, frozen when taken.
CREATE TABLE reviews (
    id                 BIGSERIAL PRIMARY KEY,
    plan_id            BIGINT      NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,
    as_of              DATE        NOT NULL,
    rectification_due  DATE        NOT NULL CHECK (rectification_due >= as_of),
    note               TEXT,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by         TEXT        NOT NULL
);
CREATE INDEX reviews_plan_idx ON reviews (plan_id, id);

-- One line of a look-back per task and responsible unit: the progress and the engine's
-- findings at that moment (a snapshot: later evidence does not change it).
CREATE TABLE review_entries (
    id               BIGSERIAL PRIMARY KEY,
    review_id        BIGINT  NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    task_id          BIGINT  NOT NULL REFERENCES tasks (id) ON DELETE RESTRICT,
    task_number      INTEGER NOT NULL,
    unit_id          BIGINT  NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    unit_name        TEXT    NOT NULL,
    progress_status  TEXT    NOT NULL,
    done             BOOLEAN NOT NULL,
    findings         JSONB   NOT NULL DEFAULT '[]',
    shortfall        TEXT,
    CONSTRAINT review_entries_one_per_task_unit UNIQUE (review_id, task_id, unit_id)
);

-- 整改: each shortfall of a look-back, owned by a unit, until the coordinator verifies it.
CREATE TABLE rectifications (
    id               BIGSERIAL PRIMARY KEY,
    review_id        BIGINT      NOT NULL REFERENCES reviews (id) ON DELETE CASCADE,
    review_entry_id  BIGINT      NOT NULL REFERENCES review_entries (id) ON DELETE CASCADE,
    task_id          BIGINT      NOT NULL REFERENCES tasks (id) ON DELETE RESTRICT,
    unit_id          BIGINT      NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    finding          TEXT        NOT NULL CHECK (char_length(btrim(finding)) >= 1),
    due              DATE        NOT NULL,
    status           TEXT        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'submitted', 'verified')),
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT rectifications_one_per_entry UNIQUE (review_entry_id)
);
CREATE INDEX rectifications_unit_status_idx ON rectifications (unit_id, status);
CREATE INDEX rectifications_review_idx ON rectifications (review_id, id);

-- What happened to a rectification item: submissions, verification, rejections.
CREATE TABLE rectification_events (
    id                BIGSERIAL PRIMARY KEY,
    rectification_id  BIGINT      NOT NULL REFERENCES rectifications (id) ON DELETE CASCADE,
    action            TEXT        NOT NULL CHECK (action IN ('submit', 'verify', 'reject')),
    status_from       TEXT        NOT NULL,
    status_to         TEXT        NOT NULL,
    note              TEXT,
    url               TEXT,
    actor_sub         TEXT        NOT NULL,
    actor_role        TEXT        NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT rectification_events_say_something CHECK (
        action = 'verify' OR char_length(btrim(coalesce(note, ''))) >= 1 OR char_length(btrim(coalesce(url, ''))) >= 1
    )
);
CREATE INDEX rectification_events_item_idx ON rectification_events (rectification_id, id);

-- Next year's plan links the plan it was copied from and that plan's look-back (task 53).
ALTER TABLE plans
    ADD COLUMN previous_plan_id BIGINT REFERENCES plans (id) ON DELETE RESTRICT,
    ADD COLUMN carryover_review_id BIGINT REFERENCES reviews (id) ON DELETE RESTRICT,
    ADD CONSTRAINT plans_not_own_previous CHECK (previous_plan_id IS NULL OR previous_plan_id <> id);

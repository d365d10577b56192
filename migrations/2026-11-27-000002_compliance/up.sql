-- Compliance: whose duty a quota is (its scope), named groups of units that a scope can
-- bind, and the indexes the compliance reads and the evidence list run on.

-- 单位分组: a named set of units a coordinator manages ("各镇人民政府（街道办事处）",
-- "市直各部门"). A group belongs to the unit whose coordinator manages it (a city
-- government), or to the whole deployment when `owner_unit_id` is null.
CREATE TABLE unit_groups (
    id             BIGSERIAL PRIMARY KEY,
    name           TEXT        NOT NULL CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 100),
    description    TEXT        NOT NULL DEFAULT '' CHECK (char_length(description) <= 1000),
    owner_unit_id  BIGINT      REFERENCES units (id) ON DELETE RESTRICT,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unit_groups_name_unique_per_owner UNIQUE NULLS NOT DISTINCT (owner_unit_id, name)
);
CREATE INDEX unit_groups_owner_idx ON unit_groups (owner_unit_id);

CREATE TABLE unit_group_members (
    group_id  BIGINT NOT NULL REFERENCES unit_groups (id) ON DELETE CASCADE,
    unit_id   BIGINT NOT NULL REFERENCES units (id) ON DELETE RESTRICT,
    PRIMARY KEY (group_id, unit_id)
);
CREATE INDEX unit_group_members_unit_idx ON unit_group_members (unit_id);

-- A quota binds the task as a whole (any responsible unit's evidence counts), each of
-- the task's responsible units separately, or each unit of a named group. Imported
-- quotas bind the task as a whole.
ALTER TABLE quotas
    ADD COLUMN scope TEXT NOT NULL DEFAULT 'task'
        CONSTRAINT quotas_scope_known CHECK (scope IN ('task', 'each_unit', 'group')),
    ADD COLUMN scope_group_id BIGINT
        CONSTRAINT quotas_scope_group_id_fkey REFERENCES unit_groups (id) ON DELETE RESTRICT,
    ADD CONSTRAINT quotas_group_scope_names_group CHECK ((scope = 'group') = (scope_group_id IS NOT NULL));
CREATE INDEX quotas_scope_group_idx ON quotas (scope_group_id) WHERE scope_group_id IS NOT NULL;

-- The compliance read loads every live record of a plan's tasks: one index range per
-- task, answered from the index alone (the columns the engine reads are included).
CREATE INDEX evidence_live_by_task_idx ON evidence (task_id, occurred_on)
    INCLUDE (id, unit_id, quota_id, count, value, completes, event_on, recorded_at)
    WHERE withdrawn_at IS NULL;
-- The evidence list of a task pages by id.
CREATE INDEX evidence_task_id_idx ON evidence (task_id, id);
-- A quota named by records (its deletion is refused while they exist).
CREATE INDEX evidence_quota_idx ON evidence (quota_id) WHERE quota_id IS NOT NULL;

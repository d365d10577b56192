-- Publishing (公开): plans shown to the public, lists readable by what changed since an
-- instant, and revocable service tokens for other systems (the municipal portal).

-- A plan is public while `published_at` is set.
ALTER TABLE plans ADD COLUMN published_at TIMESTAMPTZ;
CREATE INDEX plans_published_idx ON plans (issuing_unit_id, id) WHERE published_at IS NOT NULL;

-- Evidence changes twice at most (recorded, withdrawn); `updated_at` is the later.
ALTER TABLE evidence ADD COLUMN updated_at TIMESTAMPTZ;
UPDATE evidence SET updated_at = COALESCE(withdrawn_at, recorded_at);
ALTER TABLE evidence
    ALTER COLUMN updated_at SET NOT NULL,
    ALTER COLUMN updated_at SET DEFAULT now();

-- `updated_since` reads changes oldest first, (updated_at, id) being the page key.
CREATE INDEX plans_updated_idx ON plans (updated_at, id);
CREATE INDEX tasks_plan_updated_idx ON tasks (plan_id, updated_at, id);
CREATE INDEX evidence_task_updated_idx ON evidence (task_id, updated_at, id);
CREATE INDEX rectifications_updated_idx ON rectifications (updated_at, id);
CREATE INDEX disclosure_requests_updated_idx ON disclosure_requests (updated_at, id);
CREATE INDEX task_progress_updated_idx ON task_progress (updated_at);

-- A task's answer shows its quotas and the names of its units: a change to either is a
-- change of the task, whichever code path makes it.
CREATE FUNCTION tasks_touch_for_quota() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE tasks SET updated_at = now() WHERE id = OLD.task_id AND updated_at < now();
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE tasks SET updated_at = now() WHERE id = NEW.task_id AND updated_at < now();
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER quotas_touch_task AFTER INSERT OR UPDATE OR DELETE ON quotas
    FOR EACH ROW EXECUTE FUNCTION tasks_touch_for_quota();

CREATE FUNCTION tasks_touch_for_unit_name() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tasks SET updated_at = now()
     WHERE id IN (SELECT task_id FROM task_units WHERE unit_id = NEW.id) AND updated_at < now();
    RETURN NULL;
END $$;
CREATE TRIGGER units_name_touch_tasks AFTER UPDATE OF name ON units
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION tasks_touch_for_unit_name();

-- Service tokens: opaque bearer tokens an admin mints for another system. Only the
-- SHA-256 of a token is kept; the token itself is shown once, when it is made.
CREATE TABLE service_tokens (
    id            BIGSERIAL PRIMARY KEY,
    name          TEXT        NOT NULL CHECK (name = btrim(name) AND char_length(name) BETWEEN 1 AND 100),
    role          TEXT        NOT NULL CHECK (role IN ('coordinator', 'unit', 'viewer')),
    unit_id       BIGINT      REFERENCES units (id) ON DELETE RESTRICT,
    token_hash    BYTEA       NOT NULL CHECK (octet_length(token_hash) = 32),
    expires_on    DATE        NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by    TEXT        NOT NULL,
    last_used_at  TIMESTAMPTZ,
    revoked_at    TIMESTAMPTZ,
    revoked_by    TEXT,
    CONSTRAINT service_tokens_hash_unique UNIQUE (token_hash),
    CONSTRAINT service_tokens_unit_role_names_unit CHECK (role <> 'unit' OR unit_id IS NOT NULL),
    -- at most a year, counted in civil days of Asia/Shanghai
    CONSTRAINT service_tokens_expiry_within_a_year CHECK (
        expires_on <= ((created_at AT TIME ZONE 'Asia/Shanghai') + INTERVAL '1 year')::date),
    CONSTRAINT service_tokens_revocation_complete CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);

DROP TABLE service_tokens;

DROP TRIGGER units_name_touch_tasks ON units;
DROP FUNCTION tasks_touch_for_unit_name();
DROP TRIGGER quotas_touch_task ON quotas;
DROP FUNCTION tasks_touch_for_quota();

DROP INDEX task_progress_updated_idx;
DROP INDEX disclosure_requests_updated_idx;
DROP INDEX rectifications_updated_idx;
DROP INDEX evidence_task_updated_idx;
DROP INDEX tasks_plan_updated_idx;
DROP INDEX plans_updated_idx;

ALTER TABLE evidence DROP COLUMN updated_at;

DROP INDEX plans_published_idx;
ALTER TABLE plans DROP COLUMN published_at;

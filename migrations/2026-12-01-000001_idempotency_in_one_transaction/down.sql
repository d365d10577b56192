ALTER TABLE idempotency_keys
    ALTER COLUMN status_code DROP NOT NULL,
    ALTER COLUMN response_body DROP NOT NULL,
    ALTER COLUMN completed_at DROP NOT NULL;
ALTER TABLE idempotency_keys
    ADD CONSTRAINT idempotency_completion CHECK ((status_code IS NULL) = (completed_at IS NULL));

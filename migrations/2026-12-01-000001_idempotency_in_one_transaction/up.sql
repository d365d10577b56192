-- A keyed POST now stores its answer in the same transaction as its effect, and a live
-- request holds its key with a transaction-scoped advisory lock: a row always carries an
-- answer. Rows still "in progress" were left by requests of the former design that died;
-- they held no answer to replay.
DELETE FROM idempotency_keys WHERE status_code IS NULL;
UPDATE idempotency_keys SET response_body = '\x'::bytea WHERE response_body IS NULL;
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_completion;
ALTER TABLE idempotency_keys
    ALTER COLUMN status_code SET NOT NULL,
    ALTER COLUMN response_body SET NOT NULL,
    ALTER COLUMN completed_at SET NOT NULL;

-- Idempotency keys: a POST retried with the same key answers the first response again.
CREATE TABLE idempotency_keys (
    subject          TEXT        NOT NULL,
    key              TEXT        NOT NULL CHECK (char_length(key) BETWEEN 1 AND 255),
    method           TEXT        NOT NULL,
    path             TEXT        NOT NULL,
    request_hash     TEXT        NOT NULL,
    -- NULL while the first request is still being handled
    status_code      INTEGER     CHECK (status_code BETWEEN 100 AND 599),
    content_type     TEXT,
    location         TEXT,
    etag             TEXT,
    response_body    BYTEA,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at     TIMESTAMPTZ,
    PRIMARY KEY (subject, key),
    CONSTRAINT idempotency_completion CHECK ((status_code IS NULL) = (completed_at IS NULL))
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

-- Changes pushed to other systems: the event feed (an outbox written in the same
-- transaction as each write), signed webhooks with their deliveries and attempts, the
-- deadline reminders already sent, and secret calendar feeds.

-- One row per event, in commit order (see gongkai-store's events.rs for how ids follow
-- commits). `reach_units` holds the units whose subtree the event lies in: the issuing
-- government of its plan and the unit it concerns, each with every unit above it; a
-- reader limited to a unit sees the events whose `reach_units` name that unit.
CREATE TABLE events (
    id BIGSERIAL PRIMARY KEY,
    type TEXT NOT NULL,
    occurred_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    plan_id BIGINT,
    unit_id BIGINT,
    reach_units BIGINT[] NOT NULL,
    path TEXT NOT NULL,
    resource_id BIGINT,
    data JSONB NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX events_reach_units_idx ON events USING gin (reach_units);
CREATE INDEX events_unit_idx ON events (unit_id, id);

-- Webhooks: where to post which events. The signing secret is kept sealed with a key
-- derived from GONGKAI_DATA_KEY (it is needed to sign, so it cannot be hashed).
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,
    types TEXT[] NOT NULL DEFAULT '{}',
    unit_id BIGINT REFERENCES units (id),
    secret_sealed BYTEA NOT NULL,
    active BOOLEAN NOT NULL DEFAULT true,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One delivery per webhook and event (a redelivery is a new row naming the first).
-- Each webhook's pending deliveries go out one at a time, in id order.
CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event_id BIGINT NOT NULL REFERENCES events (id),
    status TEXT NOT NULL DEFAULT 'pending'
        CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    completed_at TIMESTAMPTZ,
    redelivery_of BIGINT REFERENCES webhook_deliveries (id) ON DELETE SET NULL
);
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (webhook_id, id)
    WHERE status = 'pending';
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, id);

CREATE TABLE webhook_attempts (
    id BIGSERIAL PRIMARY KEY,
    delivery_id BIGINT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    attempted_at TIMESTAMPTZ NOT NULL,
    status_code INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
);
CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id);

-- Reminders sent: one per item, threshold and due date, whatever the number of
-- instances or restarts (the primary key refuses a second).
CREATE TABLE reminders_sent (
    item TEXT NOT NULL,
    threshold TEXT NOT NULL,
    due DATE NOT NULL,
    event_id BIGINT NOT NULL REFERENCES events (id),
    sent_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (item, threshold, due)
);

-- Calendar feeds: a secret URL per subscription; only the token's SHA-256 is kept.
CREATE TABLE calendar_feeds (
    id BIGSERIAL PRIMARY KEY,
    token_hash BYTEA NOT NULL UNIQUE,
    plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    unit_id BIGINT REFERENCES units (id),
    owner_sub TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    revoked_at TIMESTAMPTZ
);
CREATE INDEX calendar_feeds_owner_idx ON calendar_feeds (owner_sub, id);

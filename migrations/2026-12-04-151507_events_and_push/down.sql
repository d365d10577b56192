DROP TABLE calendar_feeds;
DROP TABLE reminders_sent;
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP TABLE events;

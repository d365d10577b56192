//! Deadline reminders: a daily sweep inside `gongkai serve` that announces, as
//! `deadline.due_soon` and `deadline.overdue` events (so the event feed and webhooks
//! carry them), the quota deadlines, within-N-working-days duties, rectification items
//! and application replies falling due — each once per item and threshold.

pub mod job;

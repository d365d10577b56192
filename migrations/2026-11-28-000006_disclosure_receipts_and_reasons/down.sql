ALTER TABLE disclosure_request_events
    DROP CONSTRAINT disclosure_request_events_good_reason,
    DROP CONSTRAINT disclosure_request_events_received_after_sent;

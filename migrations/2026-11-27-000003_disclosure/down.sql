DROP TABLE disclosure_appeals;
DROP TABLE disclosure_request_events;
DROP TABLE disclosure_requests;

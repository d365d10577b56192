-- Issue 12: the day a consulted party received the letter and the day the applicant
-- received a fee notice (`received_on`: the 15 and 20 working days run from them), and
-- the good reason for which a late correction was accepted (`good_reason`, Art. 30).
-- They live in each step's JSON details, like the step's other fields; these
-- constraints keep a stored step from contradicting itself whatever the caller.

ALTER TABLE disclosure_request_events
    -- only a consultation or a fee notice is received, and never before it was sent
    ADD CONSTRAINT disclosure_request_events_received_after_sent CHECK (
        details ->> 'received_on' IS NULL
        OR (action IN ('consult', 'notify_fee')
            AND CASE WHEN details ->> 'received_on' ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
                     THEN (details ->> 'received_on')::date >= occurred_on
                     ELSE false END)),
    -- only a received correction has a good reason, and it says something
    ADD CONSTRAINT disclosure_request_events_good_reason CHECK (
        details ->> 'good_reason' IS NULL
        OR (action = 'receive_correction'
            AND jsonb_typeof(details -> 'good_reason') = 'string'
            AND char_length(btrim(details ->> 'good_reason')) BETWEEN 1 AND 2000));

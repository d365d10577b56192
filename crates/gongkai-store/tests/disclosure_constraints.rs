//! The disclosure register's constraints hold in the database itself, whatever the
//! caller: a valid application is accepted, each contradiction is refused.

use diesel::prelude::*;
use gongkai_store::testdb::TestDb;

/// A valid application row of unit 2 (the seed's first department).
const VALID: &str = "INSERT INTO disclosure_requests
    (unit_id, channel, received_on, applicant_kind, applicant_name, applicant_key, subject, clock_start_on)
    VALUES (2, 'in_person', '2024-03-01', 'natural_person', '张三', decode(repeat('ab', 32), 'hex'), '某信息', '2024-03-01')";

fn exec(conn: &mut PgConnection, sql: &str) -> Result<usize, diesel::result::Error> {
    diesel::sql_query(sql).execute(conn)
}

#[test]
fn the_database_refuses_contradictory_applications() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    exec(&mut c, VALID).expect("a valid application is stored");
    let refused = [
        // a channel the regulation does not know
        "UPDATE disclosure_requests SET channel = 'pigeon'",
        // signed for, but not sent by registered post
        "UPDATE disclosure_requests SET signed_for_on = received_on",
        // registered post signed for on another day than the receipt date
        "UPDATE disclosure_requests SET channel = 'registered_post', signed_for_on = '2024-03-02'",
        // confirmed for an in-person application
        "UPDATE disclosure_requests SET confirmed_on = received_on",
        // sent after it was received
        "UPDATE disclosure_requests SET channel = 'online', sent_on = '2024-03-02'",
        // before the 2019 regulation
        "UPDATE disclosure_requests SET received_on = '2019-05-14', clock_start_on = '2019-05-14'",
        // a clock running from before the receipt
        "UPDATE disclosure_requests SET clock_start_on = '2024-02-28'",
        // concluded without an outcome, or with one but open
        "UPDATE disclosure_requests SET concluded_on = '2024-03-05'",
        "UPDATE disclosure_requests SET status = 'replied'",
        "UPDATE disclosure_requests SET status = 'received', outcome = 'granted', concluded_on = '2024-03-05'",
        // concluded before it was received
        "UPDATE disclosure_requests SET status = 'replied', outcome = 'granted', concluded_on = '2024-02-05'",
        // an outcome table 三 does not have
        "UPDATE disclosure_requests SET status = 'replied', outcome = 'maybe', concluded_on = '2024-03-05'",
        // a fee method without its amount, or both methods' words
        "UPDATE disclosure_requests SET fee_method = 'per_item'",
        "UPDATE disclosure_requests SET fee_method = 'both', fee_yuan = 100",
        // a negative or zero item count
        "UPDATE disclosure_requests SET item_count = 0",
        // an applicant key that is not a SHA-256 HMAC
        "UPDATE disclosure_requests SET applicant_key = 'x'",
        // a step whose stored details name another action
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'start', '2024-03-02', '{\"action\": \"reply\"}', 't' FROM disclosure_requests",
        // a consultation letter received before it was sent, or a date that is not one
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'consult', '2024-03-04', '{\"action\": \"consult\", \"on\": \"2024-03-04\", \"party\": \"third_party\", \"received_on\": \"2024-03-01\"}', 't' FROM disclosure_requests",
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'notify_fee', '2024-03-04', '{\"action\": \"notify_fee\", \"received_on\": \"soon\"}', 't' FROM disclosure_requests",
        // a receipt date on a step that is not sent to anyone
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'start', '2024-03-04', '{\"action\": \"start\", \"received_on\": \"2024-03-05\"}', 't' FROM disclosure_requests",
        // a good reason on another step, a blank one, one that is not text
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'start', '2024-03-04', '{\"action\": \"start\", \"good_reason\": \"生病\"}', 't' FROM disclosure_requests",
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'receive_correction', '2024-03-18', '{\"action\": \"receive_correction\", \"good_reason\": \"  \"}', 't' FROM disclosure_requests",
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'receive_correction', '2024-03-18', '{\"action\": \"receive_correction\", \"good_reason\": 1}', 't' FROM disclosure_requests",
        // an appeal about another unit's application
        "INSERT INTO disclosure_appeals (unit_id, request_id, kind, filed_on)
           SELECT 3, id, 'administrative_review', '2024-05-01' FROM disclosure_requests",
        // a decided appeal without its date, one decided before it was filed
        "INSERT INTO disclosure_appeals (unit_id, kind, filed_on, result) VALUES (2, 'lawsuit_direct', '2024-05-01', 'upheld')",
        "INSERT INTO disclosure_appeals (unit_id, kind, filed_on, result, decided_on) VALUES (2, 'lawsuit_direct', '2024-05-01', 'upheld', '2024-04-01')",
    ];
    for sql in refused {
        let r = c.transaction::<_, diesel::result::Error, _>(|c| exec(c, sql).map(|_| ()));
        assert!(r.is_err(), "the database accepted: {sql}");
    }
    // The well-formed versions are accepted.
    let accepted = [
        "UPDATE disclosure_requests SET channel = 'registered_post', signed_for_on = received_on, sent_on = '2024-02-28'",
        "UPDATE disclosure_requests SET status = 'replied', reply_type = 'disclosed', outcome = 'granted', concluded_on = '2024-03-05', fee_method = 'per_page', fee_yuan = 4700",
        "INSERT INTO disclosure_appeals (unit_id, request_id, kind, filed_on) SELECT unit_id, id, 'administrative_review', '2024-05-01' FROM disclosure_requests",
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'consult', '2024-03-04', '{\"action\": \"consult\", \"on\": \"2024-03-04\", \"party\": \"third_party\", \"received_on\": \"2024-03-04\"}', 't' FROM disclosure_requests",
        "INSERT INTO disclosure_request_events (request_id, action, occurred_on, details, recorded_by)
           SELECT id, 'receive_correction', '2024-03-18', '{\"action\": \"receive_correction\", \"on\": \"2024-03-18\", \"good_reason\": \"申请人住院\"}', 't' FROM disclosure_requests",
    ];
    for sql in accepted {
        exec(&mut c, sql).unwrap_or_else(|e| panic!("refused {sql}: {e}"));
    }
}

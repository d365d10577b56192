//! Handling steps against a real database (issue 12): a late correction accepted for a
//! good reason is stored with it and audited; one without a reason is refused and
//! leaves nothing behind; the receipt date of a consultation letter is stored and
//! audited too.

use chrono::NaiveDate;
use gongkai_core::auth::Role;
use gongkai_core::disclosure::registration::{RegistrationInput, check_registration};
use gongkai_core::disclosure::{Action, ApplicantKind, Channel, ClockSettings, ConsultedParty};
use gongkai_store::audit::{self, AuditFilter};
use gongkai_store::disclosure::secrets::ApplicantSecrets;
use gongkai_store::disclosure::{actions, requests};
use gongkai_store::testdb::TestDb;
use gongkai_store::{Actor, PageRequest, StoreError};

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn handler() -> Actor {
    Actor { sub: "handler-1".into(), role: Role::Unit, unit_id: Some(2), request_id: None }
}

/// Registers an application received on `received` by unit 2 (the seed's first
/// department) and returns its id.
fn register(conn: &mut diesel::PgConnection, received: &str) -> i64 {
    let input = RegistrationInput {
        channel: Channel::InPerson,
        received_on: d(received),
        sent_on: None,
        signed_for_on: None,
        confirmed_on: None,
        applicant_kind: ApplicantKind::NaturalPerson,
        applicant_name: "张三".into(),
        applicant_id_number: None,
        contact: Default::default(),
        subject: "某项目的审批信息".into(),
        item_count: None,
    };
    let reg = check_registration(&input, d("2026-11-27")).unwrap();
    let secrets = ApplicantSecrets::derive(&[7u8; 32]).unwrap();
    requests::create(conn, &handler(), &secrets, 2, &reg).unwrap().id
}

fn act(conn: &mut diesel::PgConnection, id: i64, action: Action) -> Result<(), StoreError> {
    let today = d("2026-11-27");
    actions::act(conn, &handler(), id, action, today, ClockSettings::default()).map(|_| ())
}

fn audit_after(conn: &mut diesel::PgConnection, id: i64, action: &str) -> Vec<serde_json::Value> {
    let filter = AuditFilter {
        entity_type: Some("disclosure_request".into()),
        entity_id: Some(id.to_string()),
        ..Default::default()
    };
    audit::list(conn, &filter, PageRequest::first(100))
        .unwrap()
        .items
        .into_iter()
        .filter(|e| e.action == action)
        .filter_map(|e| e.after)
        .collect()
}

#[test]
fn a_late_correction_is_stored_and_audited_with_its_good_reason() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    let id = register(&mut c, "2024-03-01");
    act(
        &mut c,
        id,
        Action::RequestCorrection {
            on: d("2024-03-04"),
            correction_due: d("2024-03-15"),
            note: None,
        },
    )
    .unwrap();
    let late = |reason: Option<&str>| Action::ReceiveCorrection {
        on: d("2024-03-18"),
        good_reason: reason.map(String::from),
    };
    let refused = act(&mut c, id, late(None)).unwrap_err();
    assert!(
        matches!(refused, StoreError::Conflict { code: "correction_deadline_passed", .. }),
        "{refused:?}"
    );
    assert!(audit_after(&mut c, id, "disclosure_request.receive_correction").is_empty());
    assert_eq!(requests::get(&mut c, id).unwrap().events.len(), 1, "nothing stored");

    let reason = "申请人住院，补正材料由家属代为寄出";
    act(&mut c, id, late(Some(reason))).unwrap();
    let stored = requests::get(&mut c, id).unwrap();
    assert_eq!(stored.status.as_str(), "received");
    assert_eq!(
        stored.events.last().map(|e| e.event.clone()),
        Some(gongkai_core::disclosure::Event::ReceiveCorrection {
            on: d("2024-03-18"),
            good_reason: Some(reason.into())
        })
    );
    let audited = audit_after(&mut c, id, "disclosure_request.receive_correction");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["good_reason"], reason);
    assert_eq!(audited[0]["on"], "2024-03-18");
}

#[test]
fn a_consultation_keeps_the_day_the_party_received_it() {
    let db = TestDb::seeded();
    let mut c = db.conn();
    let id = register(&mut c, "2023-03-01");
    let consult = |received: &str| Action::Consult {
        on: d("2023-03-02"),
        party: ConsultedParty::ThirdParty,
        party_name: Some("某公司".into()),
        received_on: Some(d(received)),
    };
    let refused = act(&mut c, id, consult("2023-03-01")).unwrap_err();
    assert!(matches!(refused, StoreError::Invalid(_)), "{refused:?}");
    act(&mut c, id, consult("2023-03-06")).unwrap();
    let audited = audit_after(&mut c, id, "disclosure_request.consult");
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["received_on"], "2023-03-06");
    // Read long after, the unanswered consultation no longer pauses the clock: due
    // 2023-04-23 (the party's 15 working days ended 2023-03-27; see the core's tests).
    let stored = requests::get(&mut c, id).unwrap();
    let cal = gongkai_store::calendar::work_calendar(&mut c).unwrap();
    let clock = stored.case().clock(&cal, ClockSettings::default(), d("2026-11-27"));
    assert_eq!(clock.reply_due, Some(d("2023-04-23")));
    assert!(clock.overdue && clock.listed_overdue());
}

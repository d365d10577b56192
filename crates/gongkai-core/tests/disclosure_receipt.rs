//! The receipt date of Art. 31 and the channel dates it follows from.

mod disclosure_support;

use disclosure_support::*;
use gongkai_core::disclosure::Channel;
use gongkai_core::disclosure::receipt::{ReceiptDates, check_receipt};
use gongkai_core::validation::Problems;

fn fields(
    channel: Channel,
    received: &str,
    sent: Option<&str>,
    signed: Option<&str>,
    confirmed: Option<&str>,
) -> Vec<String> {
    let dates = ReceiptDates {
        channel,
        received_on: d(received),
        sent_on: sent.map(d),
        signed_for_on: signed.map(d),
        confirmed_on: confirmed.map(d),
    };
    let mut p = Problems::new();
    check_receipt(&dates, today(), &mut p);
    p.finish().err().unwrap_or_default().into_iter().map(|e| e.field).collect()
}

/// channel, received, sent, signed for, confirmed → the fields refused.
type Row = (
    Channel,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    &'static [&'static str],
);

#[test]
fn channel_dates_must_agree_with_the_receipt_date() {
    use Channel::*;
    let none: Vec<String> = Vec::new();
    #[rustfmt::skip]
    let table: &[Row] = &[
        // in person: the receipt date is the day of submission, nothing else
        (InPerson, "2024-03-01", None, None, None, &[]),
        (InPerson, "2024-03-01", Some("2024-02-28"), None, None, &["sent_on"]),
        (InPerson, "2024-03-01", None, Some("2024-03-01"), None, &["signed_for_on"]),
        // registered post: the day the agency signs for it
        (RegisteredPost, "2024-03-04", Some("2024-02-28"), Some("2024-03-04"), None, &[]),
        (RegisteredPost, "2024-03-04", None, Some("2024-03-05"), None, &["signed_for_on"]),
        (RegisteredPost, "2024-03-04", None, None, Some("2024-03-04"), &["confirmed_on"]),
        (RegisteredPost, "2024-03-04", Some("2024-03-05"), None, None, &["sent_on"]),
        // ordinary post, online, fax: the day of confirmation
        (OrdinaryPost, "2024-03-06", Some("2024-03-01"), None, Some("2024-03-06"), &[]),
        (OrdinaryPost, "2024-03-06", None, None, Some("2024-03-05"), &["confirmed_on"]),
        (Online, "2024-03-06", Some("2024-03-06"), None, Some("2024-03-06"), &[]),
        (Online, "2024-03-06", None, Some("2024-03-06"), None, &["signed_for_on"]),
        (Fax, "2024-03-06", None, None, Some("2024-03-07"), &["confirmed_on"]),
        // no receipt in the future, none before the 2019 regulation
        (InPerson, "2099-01-01", None, None, None, &["received_on"]),
        (InPerson, "2019-05-14", None, None, None, &["received_on"]),
        (InPerson, "2019-05-15", None, None, None, &[]),
    ];
    for (channel, received, sent, signed, confirmed, want) in table {
        let got = fields(*channel, received, *sent, *signed, *confirmed);
        let want: Vec<String> = want.iter().map(|s| s.to_string()).collect();
        assert_eq!(got, want, "{channel:?} received {received}");
    }
    assert_eq!(fields(Channel::InPerson, "2026-11-27", None, None, None), none, "today is fine");
}

#[test]
fn channels_read_and_write_their_words() {
    for c in Channel::ALL {
        assert_eq!(Channel::parse(c.as_str()), Some(*c));
    }
    assert_eq!(Channel::parse("pigeon"), None);
}

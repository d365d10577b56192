//! 承诺: what a response promised, and how the promise ends — kept, kept late or
//! broken (task 30: every promise is followed up and its fulfilment made public).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::disclosure::model::word_enum;

word_enum! {
    /// Where a promise stands.
    #[cfg_attr(feature = "openapi", schema(as = OpinionPromiseStatus))]
    PromiseStatus {
        /// 待兑现: not fulfilled yet.
        Pending => "pending",
        /// 按期兑现: fulfilled on or before its due date.
        Kept => "kept",
        /// 逾期兑现: fulfilled after its due date.
        KeptLate => "kept_late",
        /// 未兑现: recorded as not fulfilled.
        Broken => "broken",
    }
}

impl PromiseStatus {
    /// Whether the promise was fulfilled (on time or late).
    pub fn is_kept(self) -> bool {
        matches!(self, PromiseStatus::Kept | PromiseStatus::KeptLate)
    }

    /// Whether a promise in this status, due on `due_on`, is overdue on `as_of`: still
    /// pending after its due date.
    pub fn is_overdue(self, due_on: NaiveDate, as_of: NaiveDate) -> bool {
        self == PromiseStatus::Pending && as_of > due_on
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            PromiseStatus::Pending => "待兑现",
            PromiseStatus::Kept => "按期兑现",
            PromiseStatus::KeptLate => "逾期兑现",
            PromiseStatus::Broken => "未兑现",
        }
    }
}

/// The legal moves: from, to. A broken promise may still be kept late; a kept one is
/// final.
pub const PROMISE_MOVES: [(PromiseStatus, PromiseStatus); 4] = [
    (PromiseStatus::Pending, PromiseStatus::Kept),
    (PromiseStatus::Pending, PromiseStatus::KeptLate),
    (PromiseStatus::Pending, PromiseStatus::Broken),
    (PromiseStatus::Broken, PromiseStatus::KeptLate),
];

/// Why a move was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PromiseMoveError {
    /// Not in the table of legal moves (409).
    #[error("a promise cannot move from {} to {}", .0.as_str(), .1.as_str())]
    Illegal(PromiseStatus, PromiseStatus),
    /// The date contradicts the target (422): kept after the due date is kept late, and
    /// kept late on or before it is kept.
    #[error("{0}")]
    Date(String),
}

/// Checks the move of a promise due on `due` from `from` to `to`, fulfilled or found
/// broken on `on`.
pub fn promise_move(
    from: PromiseStatus,
    to: PromiseStatus,
    due: NaiveDate,
    on: NaiveDate,
) -> Result<(), PromiseMoveError> {
    if !PROMISE_MOVES.contains(&(from, to)) {
        return Err(PromiseMoveError::Illegal(from, to));
    }
    match to {
        PromiseStatus::Kept if on > due => Err(PromiseMoveError::Date(format!(
            "fulfilled on {on}, after the due date {due}: that is kept_late"
        ))),
        PromiseStatus::KeptLate if on <= due => Err(PromiseMoveError::Date(format!(
            "fulfilled on {on}, by the due date {due}: that is kept"
        ))),
        _ => Ok(()),
    }
}

/// Why a promise cannot be verified (409): only a kept (or kept late) promise not yet
/// verified can be. `verified` tells whether it already was.
pub fn verify_check(status: PromiseStatus, verified: bool) -> Result<(), String> {
    if !status.is_kept() {
        return Err(format!(
            "a promise that is {} cannot be verified: only a kept or kept_late one",
            status.as_str()
        ));
    }
    if verified {
        return Err("the promise is already verified".into());
    }
    Ok(())
}

/// Whether a promise is unkept as of `as_of`: broken, or pending past its due date.
pub fn unkept(status: PromiseStatus, due: NaiveDate, as_of: NaiveDate) -> bool {
    match status {
        PromiseStatus::Broken => true,
        PromiseStatus::Pending => as_of > due,
        PromiseStatus::Kept | PromiseStatus::KeptLate => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use PromiseStatus::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Every pair of statuses: legal (with a fitting date) or 409.
    #[test]
    fn the_table_of_moves() {
        #[rustfmt::skip]
        let table: &[(PromiseStatus, PromiseStatus, bool)] = &[
            (Pending, Pending, false), (Pending, Kept, true), (Pending, KeptLate, true), (Pending, Broken, true),
            (Kept, Pending, false), (Kept, Kept, false), (Kept, KeptLate, false), (Kept, Broken, false),
            (KeptLate, Pending, false), (KeptLate, Kept, false), (KeptLate, KeptLate, false), (KeptLate, Broken, false),
            (Broken, Pending, false), (Broken, Kept, false), (Broken, KeptLate, true), (Broken, Broken, false),
        ];
        assert_eq!(table.len(), 16);
        let due = d("2021-06-30");
        for (from, to, legal) in table {
            let on = if *to == KeptLate { d("2021-07-01") } else { due };
            let got = promise_move(*from, *to, due, on);
            if *legal {
                assert_eq!(got, Ok(()), "{from:?} → {to:?}");
            } else {
                assert_eq!(got, Err(PromiseMoveError::Illegal(*from, *to)), "{from:?} → {to:?}");
            }
        }
    }

    /// Overdue: pending after the due date; the due date itself is still in time, and a
    /// settled promise (kept, kept late, broken) is never overdue.
    #[test]
    fn overdue_is_pending_after_the_due_date() {
        let due = d("2021-06-30");
        #[rustfmt::skip]
        let table: &[(PromiseStatus, &str, bool)] = &[
            (Pending, "2021-06-29", false), (Pending, "2021-06-30", false), (Pending, "2021-07-01", true),
            (Kept, "2021-07-01", false), (KeptLate, "2021-07-01", false), (Broken, "2021-07-01", false),
        ];
        for (status, as_of, overdue) in table {
            assert_eq!(status.is_overdue(due, d(as_of)), *overdue, "{status:?} on {as_of}");
        }
    }

    #[test]
    fn the_date_must_fit_the_target() {
        let due = d("2021-06-30");
        #[rustfmt::skip]
        let table: &[(PromiseStatus, &str, bool)] = &[
            (Kept, "2021-06-30", true),
            (Kept, "2021-07-01", false),
            (KeptLate, "2021-07-01", true),
            (KeptLate, "2021-06-30", false),
            (Broken, "2021-06-01", true),
            (Broken, "2021-08-01", true),
        ];
        for (to, on, ok) in table {
            let got = promise_move(Pending, *to, due, d(on));
            assert_eq!(got.is_ok(), *ok, "{to:?} on {on}: {got:?}");
            if !ok {
                assert!(matches!(got, Err(PromiseMoveError::Date(_))));
            }
        }
    }

    /// Only a kept promise not yet verified can be verified (the issue: "a coordinator
    /// … verifies").
    #[test]
    fn only_an_unverified_kept_promise_is_verified() {
        #[rustfmt::skip]
        let table: &[(PromiseStatus, bool, bool)] = &[
            (Pending, false, false),
            (Broken, false, false),
            (Kept, false, true),
            (KeptLate, false, true),
            (Kept, true, false),
            (KeptLate, true, false),
        ];
        for (status, verified, ok) in table {
            assert_eq!(
                verify_check(*status, *verified).is_ok(),
                *ok,
                "{status:?} verified={verified}"
            );
        }
    }

    #[test]
    fn unkept_is_broken_or_pending_past_due() {
        let due = d("2021-06-30");
        #[rustfmt::skip]
        let table: &[(PromiseStatus, &str, bool)] = &[
            (Pending, "2021-06-30", false),
            (Pending, "2021-07-01", true),
            (Broken, "2021-06-01", true),
            (Kept, "2021-12-31", false),
            (KeptLate, "2021-12-31", false),
        ];
        for (status, as_of, want) in table {
            assert_eq!(unkept(*status, due, d(as_of)), *want, "{status:?} {as_of}");
        }
    }
}

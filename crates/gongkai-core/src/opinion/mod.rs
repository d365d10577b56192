//! 舆情回应: public concerns on the topics the plan names (tasks 27–30 of the Kaiping
//! plan), the response clock per source, the promises (承诺) a response makes and the
//! response ledger (舆情回应台账) that counts them.
//!
//! Pure: the store keeps cases, responses and promises; the rules are here.

pub mod access;
pub mod clock;
pub mod ledger;
pub mod promise;
pub mod words;

pub use clock::{DEFAULT_RESPONSE_WORKDAYS, ResponseLimits, response_due};
pub use ledger::{GroupBy, LedgerCase, LedgerPromise, LedgerRow, count_ledger};
pub use promise::{PromiseMoveError, PromiseStatus, promise_move, unkept, verify_check};
pub use words::{CaseStatus, ResponseChannel, Source, Topic};

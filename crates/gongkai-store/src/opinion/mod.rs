//! 舆情回应台账: cases of public concern, their responses and the promises those make.
//!
//! The rules are gongkai-core's (`gongkai_core::opinion`); this module stores and
//! loads, seals the details of the person who wrote in ([`writer_sealer`]), and writes
//! every change with its audit record and event in one transaction. A response and a
//! kept promise are also recorded as evidence on the plan task the case serves, in the
//! same transaction. Audit records and events never hold the writer's details.

pub mod cases;
pub mod promises;
mod record;
pub mod responses;

pub use record::{
    CaseChanges, CaseFilter, NewCase, NewPromise, NewResponse, OpinionCase, OpinionPromise,
    OpinionResponse, PromiseMove, Writer,
};

use crate::StoreError;
use crate::disclosure::secrets::Sealer;

/// The key sealing writers' details, derived from the deployment's data key.
pub fn writer_sealer(data_key: &[u8]) -> Result<Sealer, StoreError> {
    Sealer::derive(
        data_key,
        b"gongkai/opinion-writer/aes-256-gcm/v1",
        b"gongkai/opinion-writer/v1",
        "writer's details",
    )
}

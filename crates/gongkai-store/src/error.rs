//! Store errors, classified so that the API can answer each correctly.

use diesel::result::{DatabaseErrorKind, Error as DieselError};
use gongkai_core::validation::FieldError;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The thing asked for does not exist.
    #[error("{0} not found")]
    NotFound(String),
    /// The write conflicts with what is stored (a duplicate, a thing in use).
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    /// The input breaks a rule; each problem names its field.
    #[error("invalid input")]
    Invalid(Vec<FieldError>),
    /// The write needs the caller's `If-Match`, and none was given.
    #[error("{0}")]
    PreconditionRequired(String),
    /// The caller's copy is stale (`If-Match` does not match the current state).
    #[error("{0}")]
    PreconditionFailed(String),
    /// The database cannot be reached or timed out.
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    /// Anything else; logged in full, never shown to a caller.
    #[error("database error: {0}")]
    Internal(String),
}

impl StoreError {
    /// A single-field validation error.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        StoreError::Invalid(vec![FieldError::new(field, message)])
    }

    /// A conflict with a stable code.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        StoreError::Conflict { code, message: message.into() }
    }
}

impl From<DieselError> for StoreError {
    fn from(e: DieselError) -> Self {
        match e {
            DieselError::NotFound => StoreError::NotFound("record".into()),
            DieselError::DatabaseError(kind, info) => {
                let constraint = info.constraint_name().unwrap_or("").to_string();
                match kind {
                    DatabaseErrorKind::UniqueViolation => StoreError::conflict(
                        "duplicate",
                        describe_constraint(&constraint)
                            .unwrap_or("a record with the same key already exists"),
                    ),
                    DatabaseErrorKind::ForeignKeyViolation => StoreError::conflict(
                        "reference_conflict",
                        describe_constraint(&constraint).unwrap_or(
                            "the record refers to something that does not exist, or is still referred to",
                        ),
                    ),
                    DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                        StoreError::conflict(
                            "constraint_violation",
                            describe_constraint(&constraint)
                                .unwrap_or("the record breaks a rule of the data model"),
                        )
                    }
                    DatabaseErrorKind::ClosedConnection => {
                        StoreError::Unavailable(info.message().to_string())
                    }
                    DatabaseErrorKind::SerializationFailure => StoreError::conflict(
                        "concurrent_update",
                        "another request changed the same data at the same time; try again",
                    ),
                    _ if info.message().contains("deadlock detected") => StoreError::conflict(
                        "concurrent_update",
                        "another request changed the same data at the same time; try again",
                    ),
                    _ if lost_connection(info.message()) => {
                        StoreError::Unavailable(info.message().to_string())
                    }
                    _ => StoreError::Internal(format!("{kind:?}: {}", info.message())),
                }
            }
            DieselError::BrokenTransactionManager => {
                StoreError::Unavailable("the connection was lost in a transaction".into())
            }
            other => StoreError::Internal(other.to_string()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(e.to_string())
    }
}

/// True for the messages of a connection PostgreSQL ended or that broke (the server
/// restarting, the backend terminated), which diesel does not always classify as a
/// closed connection: the request can be retried once the database is back.
fn lost_connection(message: &str) -> bool {
    const SIGNS: [&str; 6] = [
        "terminating connection",
        "server closed the connection",
        "no connection to the server",
        "could not receive data from server",
        "could not send data to server",
        "the database system is",
    ];
    SIGNS.iter().any(|sign| message.contains(sign))
}

/// Plain words for the constraints a caller can run into.
fn describe_constraint(name: &str) -> Option<&'static str> {
    Some(match name {
        "units_name_unique_among_siblings" => {
            "a unit with this name already exists under the same parent"
        }
        "units_no_cycle" => "a unit cannot be placed under itself or one of its descendants",
        "units_top_level_is_government" => "only a government can stand at the top level",
        "units_parent_id_fkey" => "the parent unit does not exist, or still has units under it",
        "plans_one_per_year" => "the issuing unit already has a plan for this year",
        "plans_issuing_unit_id_fkey" => "the unit still issues a plan",
        "task_units_unit_id_fkey" => "the unit does not exist, or is still responsible for tasks",
        "tasks_number_unique" => "a task with this number already exists in the plan",
        "sections_number_unique" => "a section with this number already exists in the plan",
        "quotas_parameters_match_kind" => "the quota's parameters do not fit its kind",
        "evidence_quota_same_task" => "the quota is not one of this task's quotas",
        "evidence_quota_id_task_id_fkey" => "the quota still has evidence recorded against it",
        "evidence_event_not_after_done" => "event_on cannot be after occurred_on",
        "quotas_scope_group_id_fkey" => {
            "the group does not exist, or quotas are still scoped to it"
        }
        "quotas_group_scope_names_group" => {
            "a group scope needs a group, and only a group scope has one"
        }
        "unit_groups_name_unique_per_owner" => {
            "a group with this name already exists for the same owner"
        }
        "unit_group_members_unit_id_fkey" => "the unit does not exist, or still belongs to a group",
        _ => return None,
    })
}

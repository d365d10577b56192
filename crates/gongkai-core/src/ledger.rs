//! 台账 and 整改: the progress of each task per unit, and rectification items, as state
//! machines. Every move is checked here; a refused move says why.

use serde::{Deserialize, Serialize};

/// Where a unit stands on a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgressStatus {
    /// 未启动
    NotStarted,
    /// 推进中
    InProgress,
    /// 受阻: waiting on something outside the unit (funds, another unit, a decision).
    Blocked,
    /// 已完成
    Completed,
    /// 不适用: the task does not apply to this unit (confirmed by a note).
    NotApplicable,
}

impl ProgressStatus {
    /// Every status, in workflow order.
    pub const ALL: [ProgressStatus; 5] = [
        ProgressStatus::NotStarted,
        ProgressStatus::InProgress,
        ProgressStatus::Blocked,
        ProgressStatus::Completed,
        ProgressStatus::NotApplicable,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ProgressStatus::NotStarted => "not_started",
            ProgressStatus::InProgress => "in_progress",
            ProgressStatus::Blocked => "blocked",
            ProgressStatus::Completed => "completed",
            ProgressStatus::NotApplicable => "not_applicable",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    /// True when the unit's part of the task needs no more work.
    pub fn is_done(self) -> bool {
        matches!(self, ProgressStatus::Completed | ProgressStatus::NotApplicable)
    }
}

/// Checks a progress move. Allowed: start, finish, block and unblock, reopen a completed
/// task, mark a task not applicable before work starts and take that back.
pub fn check_progress_move(from: ProgressStatus, to: ProgressStatus) -> Result<(), String> {
    use ProgressStatus::*;
    let allowed = matches!(
        (from, to),
        (NotStarted, InProgress | Completed | NotApplicable)
            | (InProgress, Blocked | Completed)
            | (Blocked, InProgress | Completed)
            | (Completed, InProgress)
            | (NotApplicable, NotStarted)
    );
    if allowed {
        Ok(())
    } else if from == to {
        Err(format!("the progress is already {}", to.as_str()))
    } else {
        Err(format!("progress cannot move from {} to {}", from.as_str(), to.as_str()))
    }
}

/// Where a rectification item (整改事项) stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RectificationStatus {
    /// Waiting for the owner unit's work.
    Open,
    /// The owner reported it done; the coordinator has to check.
    Submitted,
    /// The coordinator confirmed it: closed.
    Verified,
}

impl RectificationStatus {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RectificationStatus::Open => "open",
            RectificationStatus::Submitted => "submitted",
            RectificationStatus::Verified => "verified",
        }
    }

    /// Parses the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Open, Self::Submitted, Self::Verified].into_iter().find(|r| r.as_str() == s)
    }
}

/// What someone does to a rectification item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RectificationAction {
    /// The owner unit reports the work done, with evidence or a note.
    Submit,
    /// The coordinator confirms: the item closes.
    Verify,
    /// The coordinator sends it back, with a reason: it is open again.
    Reject,
}

impl RectificationAction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            RectificationAction::Submit => "submit",
            RectificationAction::Verify => "verify",
            RectificationAction::Reject => "reject",
        }
    }

    /// Reads the wire name.
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Submit, Self::Verify, Self::Reject].into_iter().find(|a| a.as_str() == s)
    }

    /// "submitted", "verified", "rejected".
    pub fn past_tense(self) -> &'static str {
        match self {
            RectificationAction::Submit => "submitted",
            RectificationAction::Verify => "verified",
            RectificationAction::Reject => "rejected",
        }
    }

    /// True for the coordinator's actions (verify, reject); false for the owner's.
    pub fn is_coordinators(self) -> bool {
        !matches!(self, RectificationAction::Submit)
    }
}

/// The status an action leads to from `from`, or why it cannot be taken.
pub fn rectification_move(
    from: RectificationStatus,
    action: RectificationAction,
) -> Result<RectificationStatus, String> {
    use RectificationAction::*;
    use RectificationStatus::*;
    match (from, action) {
        (Open, Submit) => Ok(Submitted),
        (Submitted, Verify) => Ok(Verified),
        (Submitted, Reject) => Ok(Open),
        (Verified, _) => Err("the item is verified and closed".into()),
        (s, a) => Err(format!("an item that is {} cannot be {}", s.as_str(), a.past_tense())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair of statuses: which moves are allowed.
    #[test]
    fn the_progress_table() {
        use ProgressStatus::*;
        #[rustfmt::skip]
        let allowed: &[(ProgressStatus, &[ProgressStatus])] = &[
            (NotStarted,    &[InProgress, Completed, NotApplicable]),
            (InProgress,    &[Blocked, Completed]),
            (Blocked,       &[InProgress, Completed]),
            (Completed,     &[InProgress]),
            (NotApplicable, &[NotStarted]),
        ];
        for (from, tos) in allowed {
            for to in ProgressStatus::ALL {
                let ok = check_progress_move(*from, to).is_ok();
                assert_eq!(ok, tos.contains(&to), "{from:?} → {to:?}");
            }
        }
        assert!(check_progress_move(Completed, Completed).unwrap_err().contains("already"));
        assert!(check_progress_move(Completed, NotStarted).unwrap_err().contains("cannot move"));
        assert!(Completed.is_done() && NotApplicable.is_done() && !Blocked.is_done());
        for s in ProgressStatus::ALL {
            assert_eq!(ProgressStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn the_rectification_table() {
        use RectificationAction::*;
        use RectificationStatus::*;
        let cases = [
            (Open, Submit, Ok(Submitted)),
            (Open, Verify, Err(())),
            (Open, Reject, Err(())),
            (Submitted, Submit, Err(())),
            (Submitted, Verify, Ok(Verified)),
            (Submitted, Reject, Ok(Open)),
            (Verified, Submit, Err(())),
            (Verified, Verify, Err(())),
            (Verified, Reject, Err(())),
        ];
        for (from, action, want) in cases {
            let got = rectification_move(from, action).map_err(|_| ());
            assert_eq!(got, want, "{from:?} {action:?}");
        }
        assert_eq!(
            rectification_move(Open, Verify).unwrap_err(),
            "an item that is open cannot be verified"
        );
        assert!(Verify.is_coordinators() && Reject.is_coordinators() && !Submit.is_coordinators());
    }
}

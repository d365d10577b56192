//! 台账: each responsible unit's progress on each task with dated notes; 回头看, the
//! look-backs that freeze a day's state; and 整改, the rectification items they raise.

pub mod progress;
pub mod rectifications;
pub mod reviews;
pub mod types;

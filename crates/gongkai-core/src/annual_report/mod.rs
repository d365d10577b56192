//! The annual report on government-information openness (政府信息公开工作年度报告),
//! format of 国办公开办函〔2021〕30号: table 二 from the units' yearly figures, draft
//! texts built from the service's facts, the plan's implementation for section 六
//! (task 54), and the checks a report must pass before it is published.

pub mod access;
pub mod draft;
pub mod implementation;
pub mod report;
pub mod table2;

pub use draft::Facts;
pub use implementation::PlanImplementation;
pub use report::{BrokenCell, OtherMatters, TextSection, check_tables};
pub use table2::{ContinuityFlag, Figures, Table2, WanYuan};

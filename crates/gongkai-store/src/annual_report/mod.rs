//! The annual report's own records: each unit's table 二 figures per year, the saved
//! texts of sections 一 and 五, and published (frozen) versions; and the facts the report
//! reads from other records (fees paid, the plan, its look-back).

pub mod facts;
pub mod figures;
pub mod texts;
pub mod versions;

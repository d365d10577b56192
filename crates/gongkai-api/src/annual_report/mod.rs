//! 年度报告: the whole annual report on government-information openness — table 二 from
//! each unit's yearly figures, the texts of 一 and 五 (drafted from the service's facts,
//! edited, saved), tables 三 and 四 from the registers, section 六 with the fees collected
//! and the plan's implementation — answered as JSON, HTML or DOCX, checked and frozen
//! when published.

pub mod build;
pub mod docx;
pub mod figures;
pub mod html;
pub mod layout;
pub mod report;
pub mod types;

use utoipa_actix_web::service_config::ServiceConfig;

/// The annual report's routes.
pub fn routes(cfg: &mut ServiceConfig) {
    figures::routes(cfg);
    report::routes(cfg);
}

//! 工作要点: what holds for a work plan as a whole.

/// The suffixes dropped from a government's name to title its plan by its place
/// (开平市人民政府 → 开平市), longest first.
const GOVERNMENT_SUFFIXES: [&str; 2] = ["人民政府", "政府"];

/// The title a plan gets when none is given: the issuer's name, the year and
/// 年政务公开工作要点 — "开平市2022年政务公开工作要点". A government's plan is titled by
/// its place, as published plans are (the plan of 开平市人民政府 is the
/// 开平市…工作要点); any other issuer by its whole name. Without a name, the year alone.
pub fn default_title(issuer_name: &str, year: i32) -> String {
    let name = issuer_name.trim();
    let place = GOVERNMENT_SUFFIXES
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix))
        .filter(|place| !place.is_empty())
        .unwrap_or(name);
    format!("{place}{year}年政务公开工作要点")
}

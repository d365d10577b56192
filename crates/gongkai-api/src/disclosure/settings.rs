//! The deployment's settings for the disclosure clock: two rules the law leaves open.
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `GONGKAI_FEE_WAIT_PAUSES_CLOCK` | whether waiting for a fee payment stops the reply clock | `true` |
//! | `GONGKAI_RECEIPT_DAY_COUNTED` | whether the receipt day counts as working day 1 | `false` |
//!
//! The binary reads them once at start ([`DisclosureSettings::from_env`]) and hands them
//! to the app with `.app_data(web::Data::new(settings))`; handlers take them with the
//! [`DisclosureSettings`] extractor, which falls back to the defaults when none were
//! given. Due dates are computed with the settings in force when they are read.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use gongkai_core::calendar::StartDayRule;
use gongkai_core::disclosure::ClockSettings;

use crate::http::error::ApiError;

/// The variable saying whether waiting for a fee payment pauses the clock.
pub const FEE_WAIT_PAUSES_CLOCK: &str = "GONGKAI_FEE_WAIT_PAUSES_CLOCK";
/// The variable saying whether the receipt day counts as working day 1.
pub const RECEIPT_DAY_COUNTED: &str = "GONGKAI_RECEIPT_DAY_COUNTED";

/// The clock settings in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DisclosureSettings {
    /// How the clock counts.
    pub clock: ClockSettings,
}

fn flag(name: &str, value: &str) -> Result<bool, String> {
    match value.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        other => Err(format!("{name} must be true or false, not `{other}`")),
    }
}

impl DisclosureSettings {
    /// Reads the settings from the environment; unset or blank variables keep their
    /// defaults, anything but true/false (1/0, yes/no, on/off) is refused.
    pub fn from_env() -> Result<Self, String> {
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// As [`DisclosureSettings::from_env`], reading variables through `get`.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let read = |name: &str| get(name).filter(|v| !v.trim().is_empty());
        let mut clock = ClockSettings::default();
        if let Some(v) = read(FEE_WAIT_PAUSES_CLOCK) {
            clock.fee_wait_pauses_clock = flag(FEE_WAIT_PAUSES_CLOCK, &v)?;
        }
        if let Some(v) = read(RECEIPT_DAY_COUNTED) {
            clock.receipt_day = if flag(RECEIPT_DAY_COUNTED, &v)? {
                StartDayRule::Counted
            } else {
                StartDayRule::NotCounted
            };
        }
        Ok(DisclosureSettings { clock })
    }
}

impl FromRequest for DisclosureSettings {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let settings = req
            .app_data::<web::Data<DisclosureSettings>>()
            .map(|s| *s.get_ref())
            .unwrap_or_default();
        ready(Ok(settings))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn from(pairs: &[(&str, &str)]) -> Result<DisclosureSettings, String> {
        DisclosureSettings::from_lookup(|name| {
            pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.to_string())
        })
    }

    #[test]
    fn defaults_pause_for_fees_and_skip_the_receipt_day() {
        let s = from(&[]).unwrap();
        assert!(s.clock.fee_wait_pauses_clock);
        assert_eq!(s.clock.receipt_day, StartDayRule::NotCounted);
        assert_eq!(from(&[(FEE_WAIT_PAUSES_CLOCK, " ")]).unwrap(), s);
    }

    #[test]
    fn both_can_be_changed_and_nonsense_is_refused() {
        let s = from(&[(FEE_WAIT_PAUSES_CLOCK, "false"), (RECEIPT_DAY_COUNTED, "YES")]).unwrap();
        assert!(!s.clock.fee_wait_pauses_clock);
        assert_eq!(s.clock.receipt_day, StartDayRule::Counted);
        let e = from(&[(RECEIPT_DAY_COUNTED, "sometimes")]).unwrap_err();
        assert!(e.contains(RECEIPT_DAY_COUNTED), "{e}");
    }
}

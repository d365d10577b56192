//! `/api/v1/fees/quote`: information-processing fees (国办函〔2020〕109号) with the bands
//! that make them up.

use actix_web::{HttpResponse, get};
use gongkai_core::auth::Action;
use gongkai_core::fees::{self, FeeMethod};
use gongkai_core::validation::Problems;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::disclosure::fee_types::FeeQuoteDto;
use crate::http::auth::Principal;
use crate::http::error::ApiError;
use crate::http::extract::Query;
use crate::http::respond::ok;

pub fn routes(cfg: &mut ServiceConfig) {
    cfg.service(quote_fee);
}

/// What to quote.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteQuery {
    /// `per_item` or `per_page`.
    pub method: FeeMethod,
    /// Per item: the items of this application (0 to 10,000).
    #[param(minimum = 0, maximum = 10000)]
    pub items: Option<i64>,
    /// Per item: the applicant's items in earlier applications this calendar month.
    #[param(minimum = 0, maximum = 4294957295_i64)]
    pub prior_items: Option<i64>,
    /// Per page: the pages supplied.
    #[param(minimum = 0, maximum = 4294967295_i64)]
    pub pages: Option<i64>,
}

fn count(field: &str, value: i64, max: u32, p: &mut Problems) -> u32 {
    match u32::try_from(value) {
        Ok(n) if n <= max => n,
        _ => {
            p.add(field, format!("{field} is a whole number from 0 to {max}, not {value}"));
            0
        }
    }
}

/// Quote a fee
///
/// Per item, items 1–10 of the applicant's month are free, 11–30 cost 100 yuan, and
/// each later band of 10 costs 100 yuan more (35 items → 3,000 yuan). Per page, pages
/// 1–30 are free, 31–100 cost 10 yuan, 101–200 20 yuan, later pages 40 yuan (250 pages
/// → 4,700 yuan). A quote takes one method's parameters only.
#[utoipa::path(
    operation_id = "quoteFee",
    tag = "fees",
    params(QuoteQuery),
    responses(
        (status = 200, description = "The fee and its bands", body = FeeQuoteDto),
        (status = 422, description = "A missing, surplus or out-of-range parameter, named in `errors`"),
    ),
    security(("bearer" = []))
)]
#[get("/fees/quote")]
pub async fn quote_fee(who: Principal, query: Query<QuoteQuery>) -> Result<HttpResponse, ApiError> {
    who.require_global(Action::Read)?;
    let q = query.into_inner();
    let method = q.method;
    let mut p = Problems::new();
    let max = fees::MAX_ITEMS_PER_QUOTE;
    let quote = match method {
        FeeMethod::PerItem => {
            if q.pages.is_some() {
                p.add("pages", "pages belong to the per-page method; one method per quote");
            }
            let items = match q.items {
                Some(n) => count("items", n, max, &mut p),
                None => {
                    p.add("items", "a per-item quote needs items");
                    0
                }
            };
            let prior =
                q.prior_items.map_or(0, |n| count("prior_items", n, u32::MAX - max, &mut p));
            p.finish().map_err(ApiError::fields)?;
            fees::quote_per_item(items, prior)
                .map_err(|e| ApiError::field("items", e.to_string()))?
        }
        FeeMethod::PerPage => {
            for (field, given) in
                [("items", q.items.is_some()), ("prior_items", q.prior_items.is_some())]
            {
                if given {
                    p.add(
                        field,
                        format!("{field} belongs to the per-item method; one method per quote"),
                    );
                }
            }
            let pages = match q.pages {
                Some(n) => count("pages", n, u32::MAX, &mut p),
                None => {
                    p.add("pages", "a per-page quote needs pages");
                    0
                }
            };
            p.finish().map_err(ApiError::fields)?;
            fees::quote_per_page(pages)
        }
    };
    Ok(ok(&FeeQuoteDto::from(quote)))
}

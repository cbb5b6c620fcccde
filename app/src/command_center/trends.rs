//! The trend charts' daily series (paid orders, GMV, refunds) over the last 7 or 30 local days: the
//! KPI cards' figures (`kpis`), each local day read through the rollups (`rollup::sums`).

use super::figures::Summed;
use super::model::Trends;
use super::rollup;
use crate::domain::period::{format_date, Period};
use crate::error::AppError;
use crate::platform::state::AppState;

/// The trend windows the page offers, in days.
pub const WINDOWS: [i64; 2] = [7, 30];

/// `days` is one of `WINDOWS`; the window ends now and starts at a local midnight.
pub async fn daily(state: &AppState, days: i64) -> Result<Trends, AppError> {
    let preset = if days == 7 { "7d" } else { "30d" };
    let period = Period::parse(preset, None, None, state.now_ms(), state.settings().utc_offset_minutes)
        .map_err(|(field, code)| AppError::invalid(field, code))?;
    let starts = period.day_starts();
    // Each local day, the last one ending now.
    let ranges: Vec<(i64, i64)> = starts
        .iter()
        .enumerate()
        .map(|(i, &start)| (start.max(period.from_ms), starts.get(i + 1).copied().unwrap_or(period.until_ms)))
        .collect();
    let wanted = [Summed::PaidOrders, Summed::Gmv, Summed::Refunds];
    let mut sums = rollup::sums(state, &wanted, &ranges).await?;
    let mut series = |f: Summed| sums.remove(&f).unwrap_or_default();
    Ok(Trends {
        days,
        currency: state.settings().currency,
        dates: starts.iter().map(|d| format_date(*d, period.offset_minutes)).collect(),
        orders: series(Summed::PaidOrders),
        gmv: series(Summed::Gmv),
        refunds: series(Summed::Refunds),
    })
}

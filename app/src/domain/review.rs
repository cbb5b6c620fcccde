//! The review queue's rules (seed 000's "review queue", adapted to listings): how close a version in
//! review is to its SLA, the queue's sort key and cursor, and what changed between the live copy of a
//! listing and the version under re-review.

use super::checks::Risk;
use super::listing::{ListingContent, Variant};
use serde::{Deserialize, Serialize};

/// A version under "SLA pressure" when less than this fraction of the SLA is left (or it is overdue).
pub const PRESSURE_DIVISOR: i64 = 4;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlaState {
    /// More than a quarter of the SLA left.
    OnTrack,
    /// Due within a quarter of the SLA.
    Pressure,
    Overdue,
}

impl SlaState {
    pub const ALL: [SlaState; 3] = [SlaState::OnTrack, SlaState::Pressure, SlaState::Overdue];

    pub fn of(due_at_ms: i64, now_ms: i64, sla_ms: i64) -> SlaState {
        if due_at_ms < now_ms {
            SlaState::Overdue
        } else if due_at_ms <= now_ms + sla_ms / PRESSURE_DIVISOR {
            SlaState::Pressure
        } else {
            SlaState::OnTrack
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SlaState::OnTrack => "on_track",
            SlaState::Pressure => "pressure",
            SlaState::Overdue => "overdue",
        }
    }

    pub fn parse(s: &str) -> Option<SlaState> {
        SlaState::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The range of `sla_due_at` this state covers at `now_ms`: `(from inclusive, to exclusive)`.
    pub fn due_range(self, now_ms: i64, sla_ms: i64) -> (Option<i64>, Option<i64>) {
        let pressure_end = now_ms + sla_ms / PRESSURE_DIVISOR + 1;
        match self {
            SlaState::Overdue => (None, Some(now_ms)),
            SlaState::Pressure => (Some(now_ms), Some(pressure_end)),
            SlaState::OnTrack => (Some(pressure_end), None),
        }
    }
}

/// Milliseconds left until `due_at_ms` (negative when overdue), as `"3h 20m"` / `"-1d 2h"` style
/// parts: `(overdue, days, hours, minutes)`.
pub fn time_left(due_at_ms: i64, now_ms: i64) -> (bool, i64, i64, i64) {
    let left = due_at_ms - now_ms;
    let overdue = left < 0;
    let minutes = left.abs() / 60_000;
    (overdue, minutes / 1_440, minutes % 1_440 / 60, minutes % 60)
}

/// New listings and edits of a live listing are filtered apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReviewKind {
    New,
    ReReview,
}

impl ReviewKind {
    pub const ALL: [ReviewKind; 2] = [ReviewKind::New, ReviewKind::ReReview];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewKind::New => "new",
            ReviewKind::ReReview => "re_review",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewKind> {
        ReviewKind::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// The queue's sort key: SLA due time ascending, then risk (high first), then version id. The
/// cursor is the key of the last row shown: `due:rank:id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct QueueKey {
    pub due_at_ms: i64,
    pub risk: Risk,
    pub version_id: i64,
}

impl QueueKey {
    pub fn cursor(&self) -> String {
        format!("{}:{}:{}", self.due_at_ms, self.risk.rank(), self.version_id)
    }

    /// A cursor that does not parse means the first page (a stale bookmark still shows something).
    pub fn parse_cursor(cursor: Option<&str>) -> Option<QueueKey> {
        let mut parts = cursor?.trim().split(':');
        let due_at_ms = parts.next()?.parse::<i64>().ok()?;
        let rank = parts.next()?.parse::<i64>().ok()?;
        let version_id = parts.next()?.parse::<i64>().ok().filter(|id| *id > 0)?;
        if parts.next().is_some() {
            return None;
        }
        let risk = Risk::ALL.into_iter().find(|r| r.rank() == rank)?;
        Some(QueueKey { due_at_ms, risk, version_id })
    }
}

/// One changed field between the live copy and the version in review. Values are display text
/// (prices already formatted, images as upload ids); `field` names the field ("title",
/// "variants.TEE-R-S"...).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub before: String,
    pub after: String,
}

fn money(minor: i64, content: &ListingContent) -> String {
    super::money::Money::new(minor, content.currency).display()
}

fn variant_text(v: &Variant, content: &ListingContent) -> String {
    let mut parts = vec![];
    if !v.options.is_empty() {
        parts.push(v.options.join(" / "));
    }
    parts.push(money(v.price_minor, content));
    if let Some(c) = v.compare_at_minor {
        parts.push(format!("({})", money(c, content)));
    }
    parts.push(format!("× {}", v.stock));
    parts.join(" ")
}

fn category_text(id: Option<i64>, name_of: &dyn Fn(i64) -> String) -> String {
    id.map(name_of).unwrap_or_default()
}

/// What a re-review changes, field by field: title, description, category, price, weight, options,
/// each variant (by SKU: added, removed or changed) and the images. `category_name` turns a
/// category id into its display name.
pub fn diff(live: &ListingContent, next: &ListingContent, category_name: &dyn Fn(i64) -> String) -> Vec<FieldChange> {
    let mut out = vec![];
    let mut push = |field: &str, before: String, after: String| {
        if before != after {
            out.push(FieldChange { field: field.to_string(), before, after });
        }
    };
    push("title", live.title.clone(), next.title.clone());
    push("description", live.description.clone(), next.description.clone());
    push("category", category_text(live.category_id, category_name), category_text(next.category_id, category_name));
    push("price", money(live.price_minor(), live), money(next.price_minor(), next));
    push("weight_grams", live.weight_grams.to_string(), next.weight_grams.to_string());
    let options = |c: &ListingContent| {
        c.options.iter().map(|o| format!("{}: {}", o.name, o.values.join(", "))).collect::<Vec<_>>().join("; ")
    };
    push("options", options(live), options(next));
    for v in &next.variants {
        let before = live.variants.iter().find(|x| x.sku == v.sku).map(|x| variant_text(x, live)).unwrap_or_default();
        push(&format!("variants.{}", v.sku), before, variant_text(v, next));
    }
    for v in live.variants.iter().filter(|x| !next.variants.iter().any(|n| n.sku == x.sku)) {
        push(&format!("variants.{}", v.sku), variant_text(v, live), String::new());
    }
    let images = |c: &ListingContent| c.images.iter().map(|i| i.to_string()).collect::<Vec<_>>().join(", ");
    push("images", images(live), images(next));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::money::Currency;

    const HOUR: i64 = 3_600_000;

    #[test]
    fn sla_state_follows_the_time_left() {
        let sla = 24 * HOUR;
        let now = 1_000 * HOUR;
        assert_eq!(SlaState::of(now + 7 * HOUR, now, sla), SlaState::OnTrack);
        assert_eq!(SlaState::of(now + 6 * HOUR, now, sla), SlaState::Pressure);
        assert_eq!(SlaState::of(now, now, sla), SlaState::Pressure);
        assert_eq!(SlaState::of(now - 1, now, sla), SlaState::Overdue);
    }

    #[test]
    fn due_ranges_partition_time_like_the_states() {
        let (sla, now) = (24 * HOUR, 1_000 * HOUR);
        for due in [now - HOUR, now - 1, now, now + 6 * HOUR, now + 6 * HOUR + 1, now + 20 * HOUR] {
            let state = SlaState::of(due, now, sla);
            for s in SlaState::ALL {
                let (from, to) = s.due_range(now, sla);
                let inside = from.is_none_or(|f| due >= f) && to.is_none_or(|t| due < t);
                assert_eq!(inside, s == state, "{due} in {s:?}");
            }
        }
    }

    #[test]
    fn time_left_is_split_into_days_hours_minutes() {
        assert_eq!(time_left(26 * HOUR + 5 * 60_000, 0), (false, 1, 2, 5));
        assert_eq!(time_left(0, 90 * 60_000), (true, 0, 1, 30));
    }

    #[test]
    fn queue_cursors_round_trip_and_garbage_is_the_first_page() {
        let key = QueueKey { due_at_ms: 1234, risk: Risk::High, version_id: 9 };
        assert_eq!(QueueKey::parse_cursor(Some(&key.cursor())), Some(key));
        for bad in ["", "1:2", "a:b:c", "1:7:3", "1:2:-3", "1:2:3:4", "'; drop"] {
            assert_eq!(QueueKey::parse_cursor(Some(bad)), None, "{bad}");
        }
    }

    fn content() -> ListingContent {
        ListingContent {
            title: "Tee".into(),
            description: "Cotton".into(),
            category_id: Some(1),
            currency: Currency::Usd,
            weight_grams: 200,
            options: vec![],
            variants: vec![Variant {
                sku: "default".into(),
                options: vec![],
                price_minor: 1000,
                compare_at_minor: None,
                stock: 3,
            }],
            images: vec![1, 2],
        }
    }

    #[test]
    fn an_unchanged_listing_has_no_diff() {
        assert!(diff(&content(), &content(), &|id| format!("c{id}")).is_empty());
    }

    #[test]
    fn each_changed_field_is_listed_with_before_and_after() {
        let mut next = content();
        next.title = "Better tee".into();
        next.category_id = Some(2);
        next.variants[0].price_minor = 1200;
        next.variants.push(Variant {
            sku: "XL".into(),
            options: vec![],
            price_minor: 1500,
            compare_at_minor: None,
            stock: 1,
        });
        next.images = vec![2, 1];
        let d = diff(&content(), &next, &|id| format!("c{id}"));
        let fields: Vec<&str> = d.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, vec!["title", "category", "price", "variants.default", "variants.XL", "images"]);
        assert_eq!(d[0].before, "Tee");
        assert_eq!(d[0].after, "Better tee");
        assert_eq!((d[1].before.as_str(), d[1].after.as_str()), ("c1", "c2"));
        assert_eq!(d[4].before, "");
        assert_eq!(d[5].after, "2, 1");
    }

    #[test]
    fn a_dropped_variant_shows_as_removed() {
        let mut live = content();
        live.variants.push(Variant {
            sku: "old".into(),
            options: vec![],
            price_minor: 1100,
            compare_at_minor: None,
            stock: 0,
        });
        let d = diff(&live, &content(), &|id| id.to_string());
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].field, "variants.old");
        assert_eq!(d[0].after, "");
    }
}

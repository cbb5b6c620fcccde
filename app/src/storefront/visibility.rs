//! The storefront visibility rule, written once: what a buyer may see. Read by the storefront's
//! queries (service.rs), the grid (search.rs) and the cart.

/// A seller whose listings buyers may see (alias `o` = organisations).
macro_rules! seller_visible {
    () => {
        "o.kind = 'seller' AND o.status = 'active'"
    };
}

/// The rule's conditions besides the listing's own status (aliases `o`, `c`).
macro_rules! visible_context {
    () => {
        concat!(seller_visible!(), " AND (l.category_id IS NULL OR c.browsable = 1)")
    };
}

/// The storefront visibility rule (the contract): a listing is visible and buyable iff it is live
/// (`LIVE_STATUSES`: active or sold out), its seller is active, and it has no category or a
/// browsable one. Every storefront query reads `FROM VISIBLE_FROM [more joins] WHERE VISIBLE_WHERE
/// AND ...`; the grid query (search.rs), which walks one live status at a time so an index gives
/// its order, reads `l.status = <one of LIVE_STATUSES> AND VISIBLE_CONTEXT`.
pub const VISIBLE_FROM: &str =
    "listings l JOIN organisations o ON o.id = l.organisation_id LEFT JOIN categories c ON c.id = l.category_id";
pub const LIVE_STATUSES: [&str; 2] = ["active", "sold_out"];
pub const VISIBLE_CONTEXT: &str = visible_context!();
pub const VISIBLE_WHERE: &str = concat!("l.status IN ('active', 'sold_out') AND ", visible_context!());
/// The seller page's rule: the seller part of the above.
pub const SELLER_VISIBLE: &str = seller_visible!();

//! The storefront frame's messages (header, language switch, account menu), apart from `layout.rs`
//! so that the catalog registry does not import the frame, which imports the features.

pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    ("store.home", "Home", "首页"),
    ("store.tagline", "A marketplace of independent sellers.", "独立卖家的集市。"),
    ("store.empty_catalog", "No listings yet.", "暂无商品。"),
    (
        "store.empty_catalog_hint",
        "Listings appear here once sellers publish them and they pass review.",
        "卖家发布并通过审核的商品会显示在这里。",
    ),
    ("nav.console", "Console", "运营后台"),
    // The header's link to the buyer's orders: here, not in the orders catalog, which the storefront's
    // first load does not carry (see `i18n::registry`).
    ("orders.nav", "Orders", "订单"),
    ("nav.main", "Main", "主导航"),
    ("nav.skip", "Skip to content", "跳到正文"),
    ("page.not_found_body", "The page you asked for does not exist.", "你访问的页面不存在。"),
    ("page.back_home", "Back to the home page", "返回首页"),
];

// One message per line, as in every catalog: easier to scan and to diff than rustfmt's layout.
#[rustfmt::skip]
pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    ("balance.title", "Balance", "余额"),
    ("balance.heading", "Balance", "余额"),
    ("balance.breadcrumb", "Breadcrumb", "导航路径"),
    ("balance.seller_center", "Seller center", "商家中心"),
    ("balance.pending", "Pending", "待结算"),
    ("balance.pending_hint", "Earnings of completed orders, net of commission, held for {days} days after completion.", "已完成订单扣除佣金后的收入，在完成后冻结 {days} 天。"),
    ("balance.available", "Available", "可提现"),
    ("balance.available_hint", "Released from the hold: yours to withdraw.", "已解除冻结，可以提现。"),
    ("balance.history", "History", "明细"),
    ("balance.empty", "No movements yet.", "暂无收支记录。"),
    ("balance.empty_hint", "Earnings appear here when a buyer confirms an order or it completes automatically.", "买家确认收货或订单自动完成后，收入会显示在这里。"),
    ("balance.col.when", "When", "时间"),
    ("balance.col.what", "What", "事项"),
    ("balance.col.order", "Order", "订单"),
    ("balance.col.account", "Balance", "余额类型"),
    ("balance.col.amount", "Amount", "金额"),
    ("balance.account.pending", "Pending", "待结算"),
    ("balance.account.available", "Available", "可提现"),
    ("balance.not_seller", "Only members of a seller have a balance.", "只有商家成员才有余额。"),
    ("balance.apply", "Apply to sell", "申请开店"),
];

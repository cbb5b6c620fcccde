//! Every event the platform sends to people, gathered from the capabilities that declare them: what
//! the outbox's email fan-out, the template seeding and the coverage view read.
//!
//! `EVENTS` holds the in-app events (the `notify.<event>` messages) that also go out by email. Their
//! variables are the payload keys the sending code puts in; the default texts say what the in-app
//! message says, with a link to where to act.

use crate::domain::delivery::Category::*;
use crate::domain::delivery::{DefaultEmail, EventSpec, Variable};

const fn var(name: &'static str, sample: &'static str) -> Variable {
    Variable { name, required: true, sample }
}

/// A variable with one value per language: the English default uses one, the Chinese the other.
const fn per_language(name: &'static str, sample: &'static str) -> Variable {
    Variable { name, required: false, sample }
}

const BAN_CATEGORY: Variable = per_language("category", "Fraud or fake orders");
const BAN_CATEGORY_ZH: Variable = per_language("category_zh", "欺诈或虚假订单");
const BAN_ENDS: Variable = per_language("ends", "2026-12-14 10:00:00 UTC");
const BAN_ENDS_ZH: Variable = per_language("ends_zh", "2026-12-14 10:00:00 UTC");
const NUMBER: Variable = var("number", "A-10042");
const AMOUNT: Variable = var("amount", "$19.99");
const TITLE: Variable = var("title", "Green tea, 250 g");
const REASON: Variable = var("reason", "The photos do not show the product.");
const SELLER: Variable = var("seller", "Tea House");
const REFERENCE: Variable = var("reference", "PAY-7F3K");
const ACCOUNT: Variable = var("account", "****1234");
const HOURS: Variable = var("hours", "48");
const ROLES: Variable = var("roles", "finance");
const TARGET: Variable = var("target", "Green tea, 250 g");
const CATEGORY: Variable = var("category", "Tea");
const CATEGORY_ZH: Variable = var("category_zh", "茶叶");
const UNTIL: Variable = var("until", "2027-01-06 10:00:00 UTC");
const INCIDENT: Variable = var("id", "44000000001");
const SEVERITY: Variable = var("severity", "critical");

/// One event: `(type, category, transactional, variables, en subject, en text, zh subject, zh text)`.
/// The HTML default is the text in a paragraph; the link to the site follows in both.
macro_rules! event {
    ($type:literal, $category:expr, $transactional:literal, [$($var:expr),*],
     $en_subject:literal, $en_text:literal, $zh_subject:literal, $zh_text:literal) => {
        EventSpec {
            event_type: $type,
            category: $category,
            transactional: $transactional,
            variables: &[$($var),*],
            email: Some([
                DefaultEmail {
                    subject: $en_subject,
                    text: concat!($en_text, "\n\n— Agora"),
                    html: concat!("<p>", $en_text, "</p><p>— Agora</p>"),
                },
                DefaultEmail {
                    subject: $zh_subject,
                    text: concat!($zh_text, "\n\n— Agora"),
                    html: concat!("<p>", $zh_text, "</p><p>— Agora</p>"),
                },
            ]),
        }
    };
}

pub const EVENTS: &[EventSpec] = &[
    // Orders: the order's own progress is transactional (a receipt of what happened to a purchase).
    event!("orders.paid", Orders, true, [NUMBER],
        "Order {{number}} is paid: ship it", "Order {{number}} is paid: ship it within 3 days.",
        "订单 {{number}} 已付款，请发货", "订单 {{number}} 已付款，请在 3 天内发货。"),
    event!("orders.overdue", Orders, false, [NUMBER],
        "Order {{number}} is overdue", "Order {{number}} is overdue: it was not shipped within 3 days.",
        "订单 {{number}} 已逾期", "订单 {{number}} 已逾期：付款后 3 天内未发货。"),
    event!("orders.shipped", Orders, true, [NUMBER],
        "Your order {{number}} has shipped", "Your order {{number}} has shipped.",
        "您的订单 {{number}} 已发货", "您的订单 {{number}} 已发货。"),
    event!("orders.completed", Orders, true, [NUMBER],
        "Your order {{number}} is complete", "Your order {{number}} is complete.",
        "您的订单 {{number}} 已完成", "您的订单 {{number}} 已完成。"),
    event!("orders.cancelled", Orders, true, [NUMBER],
        "Your order {{number}} was cancelled", "Your order {{number}} was cancelled.",
        "您的订单 {{number}} 已取消", "您的订单 {{number}} 已取消。"),
    // Refunds: money back is a payment result (transactional); the rest is the conversation.
    event!("refunds.requested", Orders, false, [AMOUNT, NUMBER],
        "Refund requested on order {{number}}",
        "Refund of {{amount}} requested on order {{number}}: answer before the deadline.",
        "订单 {{number}} 收到退款申请", "订单 {{number}} 收到 {{amount}} 的退款申请，请在截止前处理。"),
    event!("refunds.accepted", Orders, true, [AMOUNT, NUMBER],
        "Your refund on order {{number}} was paid back",
        "Your refund of {{amount}} on order {{number}} was accepted and paid back.",
        "订单 {{number}} 的退款已退回", "您订单 {{number}} 的 {{amount}} 退款已同意并退回。"),
    event!("refunds.refused", Orders, false, [AMOUNT, NUMBER],
        "Your refund on order {{number}} was refused",
        "The seller refused your refund of {{amount}} on order {{number}}. You may open a dispute.",
        "订单 {{number}} 的退款被拒绝", "卖家拒绝了订单 {{number}} 的 {{amount}} 退款，您可以发起纠纷。"),
    event!("refunds.withdrawn", Orders, false, [AMOUNT, NUMBER],
        "Refund request on order {{number}} withdrawn",
        "The buyer withdrew the refund request of {{amount}} on order {{number}}.",
        "订单 {{number}} 的退款申请已撤回", "买家撤回了订单 {{number}} 的 {{amount}} 退款申请。"),
    // Payments: the result of a payment is transactional.
    event!("payments.approved", PaymentsPayouts, true, [REFERENCE, AMOUNT],
        "Payment {{reference}} confirmed",
        "Your payment {{reference}} of {{amount}} was confirmed. Your orders are paid.",
        "付款 {{reference}} 已确认", "你的付款 {{reference}}（{{amount}}）已确认，订单已支付。"),
    event!("payments.rejected", PaymentsPayouts, true, [REFERENCE, REASON],
        "Proof for payment {{reference}} rejected",
        "Your proof for payment {{reference}} was rejected: {{reason}}. You can upload a new one.",
        "付款 {{reference}} 的凭证被驳回", "你的付款 {{reference}} 的凭证被驳回：{{reason}}。你可以重新上传。"),
    // Payouts: not transactional (the seller center shows them too).
    event!("payouts.approved", PaymentsPayouts, false, [AMOUNT],
        "Your payout of {{amount}} was approved", "Your payout of {{amount}} was approved; the transfer is being made.",
        "您的 {{amount}} 提现已批准", "您的 {{amount}} 提现已批准，正在转账。"),
    event!("payouts.paid", PaymentsPayouts, false, [AMOUNT, REFERENCE],
        "Your payout of {{amount}} was paid", "Your payout of {{amount}} was paid, reference {{reference}}.",
        "您的 {{amount}} 提现已打款", "您的 {{amount}} 提现已打款，转账参考号 {{reference}}。"),
    event!("payouts.failed", PaymentsPayouts, false, [AMOUNT, REASON],
        "Your payout of {{amount}} failed",
        "Your payout of {{amount}} failed: {{reason}} The money is back in your available balance.",
        "您的 {{amount}} 提现失败", "您的 {{amount}} 提现失败：{{reason}} 款项已退回可提现余额。"),
    event!("payouts.rejected", PaymentsPayouts, false, [AMOUNT, REASON],
        "Your payout of {{amount}} was rejected",
        "Your payout of {{amount}} was rejected: {{reason}} The money is back in your available balance.",
        "您的 {{amount}} 提现被拒绝", "您的 {{amount}} 提现被拒绝：{{reason}} 款项已退回可提现余额。"),
    // A changed payout account is how money gets stolen: account security, always sent.
    event!("payout_accounts.changed", AccountSecurity, true, [ACCOUNT, HOURS],
        "Your payout account was changed",
        "Your payout account {{account}} was added or changed. Payouts are held for {{hours}} hours. If this wasn't you, contact support.",
        "您的收款账户已更改", "您的收款账户 {{account}} 已新增或更改，提现暂停 {{hours}} 小时。如非本人操作，请联系客服。"),
    event!("payout_accounts.removed", AccountSecurity, true, [ACCOUNT],
        "Your payout account was removed", "Your payout account {{account}} was removed.",
        "您的收款账户已删除", "您的收款账户 {{account}} 已删除。"),
    // Listing decisions.
    event!("listings.approved", ReviewsListings, false, [TITLE],
        "Your listing “{{title}}” is live", "Your listing “{{title}}” was approved and is live.",
        "你的商品“{{title}}”已上线", "你的商品“{{title}}”已通过审核并上线。"),
    event!("listings.rejected", ReviewsListings, false, [TITLE, REASON],
        "Your listing “{{title}}” was rejected", "Your listing “{{title}}” was rejected: {{reason}}",
        "你的商品“{{title}}”未通过审核", "你的商品“{{title}}”未通过审核：{{reason}}"),
    event!("listings.blocked", ReviewsListings, false, [TITLE, REASON],
        "Your listing “{{title}}” was blocked", "Your listing “{{title}}” was blocked: {{reason}}",
        "你的商品“{{title}}”已被阻断", "你的商品“{{title}}”已被阻断：{{reason}}"),
    // Seller applications and shops.
    event!("sellers.returned", ReviewsListings, false, [SELLER, REASON],
        "Your seller application needs changes", "Your seller application “{{seller}}” needs changes: {{reason}}",
        "你的开店申请需要修改", "你的开店申请“{{seller}}”需要修改：{{reason}}"),
    event!("sellers.approved", ReviewsListings, false, [SELLER],
        "Your seller application was approved", "Your seller application “{{seller}}” was approved.",
        "你的开店申请已通过", "你的开店申请“{{seller}}”已通过。"),
    event!("sellers.rejected", ReviewsListings, false, [SELLER, REASON],
        "Your seller application was rejected", "Your seller application “{{seller}}” was rejected: {{reason}}",
        "你的开店申请未通过", "你的开店申请“{{seller}}”未通过：{{reason}}"),
    event!("sellers.activated", ReviewsListings, false, [SELLER],
        "Your shop “{{seller}}” is active", "Your shop “{{seller}}” is active: you can start listing products.",
        "你的店铺“{{seller}}”已启用", "你的店铺“{{seller}}”已启用，可以开始发布商品。"),
    event!("sellers.suspended", TrustSafety, false, [SELLER, REASON],
        "The shop “{{seller}}” was suspended", "The shop “{{seller}}” was suspended: {{reason}}",
        "店铺“{{seller}}”已被暂停", "店铺“{{seller}}”已被暂停：{{reason}}"),
    event!("sellers.reinstated", TrustSafety, false, [SELLER],
        "The shop “{{seller}}” was reinstated", "The shop “{{seller}}” was reinstated.",
        "店铺“{{seller}}”已恢复", "店铺“{{seller}}”已恢复。"),
    // Who may act for a shop is account security.
    event!("sellers.staff_added", AccountSecurity, true, [SELLER],
        "You joined the team of “{{seller}}”", "You were added to the team of “{{seller}}”.",
        "你已加入“{{seller}}”的团队", "你已被加入“{{seller}}”的团队。"),
    event!("sellers.staff_removed", AccountSecurity, true, [SELLER],
        "You left the team of “{{seller}}”", "You were removed from the team of “{{seller}}”.",
        "你已被移出“{{seller}}”的团队", "你已被移出“{{seller}}”的团队。"),
    // Disputes.
    event!("disputes.opened", TrustSafety, false, [NUMBER],
        "Dispute opened on order {{number}}", "You opened a dispute on order {{number}}.",
        "已就订单 {{number}} 发起纠纷", "您已就订单 {{number}} 发起纠纷。"),
    // Operators: an alert rule fired (issue 15). Operational, not about their own account.
    event!("incidents.opened", TrustSafety, false, [INCIDENT, TITLE, SEVERITY],
        "Incident #{{id}}: {{title}} ({{severity}})",
        "Incident #{{id}} opened: {{title}} ({{severity}}). Acknowledge it in the console's Incidents.",
        "事件 #{{id}}：{{title}}（{{severity}}）", "事件 #{{id}} 已创建：{{title}}（{{severity}}）。请在后台“事件”中确认处理。"),
    event!("disputes.opened_seller", TrustSafety, false, [NUMBER],
        "A dispute was opened on order {{number}}",
        "The buyer opened a dispute on order {{number}}. Answer it in the dispute.",
        "订单 {{number}} 有新纠纷", "买家就订单 {{number}} 发起了纠纷，请在纠纷页面回复。"),
    event!("disputes.message", TrustSafety, false, [NUMBER],
        "New message in the dispute on order {{number}}", "The seller wrote in the dispute on order {{number}}.",
        "订单 {{number}} 的纠纷有新留言", "卖家在订单 {{number}} 的纠纷中留言。"),
    event!("disputes.message_seller", TrustSafety, false, [NUMBER],
        "New message in the dispute on order {{number}}", "The buyer wrote in the dispute on order {{number}}.",
        "订单 {{number}} 的纠纷有新留言", "买家在订单 {{number}} 的纠纷中留言。"),
    event!("disputes.message_operator", TrustSafety, false, [NUMBER],
        "New message in the dispute on order {{number}}", "The platform wrote in the dispute on order {{number}}.",
        "订单 {{number}} 的纠纷有新留言", "平台在订单 {{number}} 的纠纷中留言。"),
    event!("disputes.decided_refund", TrustSafety, false, [NUMBER, AMOUNT],
        "The dispute on order {{number}} is decided",
        "The dispute on order {{number}} is decided: {{amount}} is refunded to you.",
        "订单 {{number}} 的纠纷已裁决", "订单 {{number}} 的纠纷已裁决：将向您退款 {{amount}}。"),
    event!("disputes.decided_refund_to_seller", TrustSafety, false, [NUMBER, AMOUNT],
        "The dispute on order {{number}} is decided",
        "The dispute on order {{number}} is decided for the buyer: {{amount}} refunded.",
        "订单 {{number}} 的纠纷已裁决", "订单 {{number}} 的纠纷裁决支持买家：退款 {{amount}}。"),
    event!("disputes.decided_seller", TrustSafety, false, [NUMBER],
        "The dispute on order {{number}} is decided",
        "The dispute on order {{number}} is decided for the seller: no refund.",
        "订单 {{number}} 的纠纷已裁决", "订单 {{number}} 的纠纷裁决支持卖家：不予退款。"),
    event!("disputes.decided_seller_to_seller", TrustSafety, false, [NUMBER],
        "The dispute on order {{number}} is decided", "The dispute on order {{number}} is decided in your favour.",
        "订单 {{number}} 的纠纷已裁决", "订单 {{number}} 的纠纷裁决支持您。"),
    // Trust and safety.
    event!("trust.report_reviewed.dismissed", TrustSafety, false, [TARGET],
        "Your report was reviewed", "Your report about {{target}} was reviewed: no action was needed.",
        "你的举报已审核", "你对「{{target}}」的举报已审核：无需采取措施。"),
    event!("trust.report_reviewed.listing_taken_down", TrustSafety, false, [TARGET],
        "Your report was reviewed", "Your report about {{target}} was reviewed: the listing was taken down.",
        "你的举报已审核", "你对「{{target}}」的举报已审核：该商品已下架。"),
    event!("trust.report_reviewed.seller_suspended", TrustSafety, false, [TARGET],
        "Your report was reviewed", "Your report about {{target}} was reviewed: the seller was suspended.",
        "你的举报已审核", "你对「{{target}}」的举报已审核：该卖家已被暂停。"),
    event!("trust.listing_taken_down", TrustSafety, false, [TITLE, REASON],
        "Your listing {{title}} was taken down",
        "Your listing {{title}} was taken down: {{reason}}. You can appeal from the listing's page.",
        "你的商品「{{title}}」已被下架", "你的商品「{{title}}」已被下架：{{reason}}。你可以在商品页面提出申诉。"),
    event!("trust.appeal_upheld", TrustSafety, false, [TITLE],
        "Your appeal was upheld", "Your appeal was upheld: {{title}} is back on sale.",
        "你的申诉成立", "你的申诉成立：「{{title}}」已恢复上架。"),
    event!("trust.appeal_denied", TrustSafety, false, [TITLE, REASON],
        "Your appeal was denied", "Your appeal about {{title}} was denied: {{reason}}",
        "你的申诉被驳回", "你对「{{title}}」的申诉被驳回：{{reason}}"),
    // Catalog control (the console's listing directory).
    event!("listings.recategorized", ReviewsListings, false, [TITLE, CATEGORY, CATEGORY_ZH, REASON],
        "The category of {{title}} was corrected",
        "The category of your listing {{title}} was corrected to {{category}} ({{category_zh}}): {{reason}}",
        "商品「{{title}}」的分类已更正", "你的商品「{{title}}」的分类已更正为「{{category_zh}}」（{{category}}）：{{reason}}"),
    // Account.
    event!("roles.changed", AccountSecurity, true, [ROLES],
        "Your console roles changed", "Your console roles are now: {{roles}}.",
        "你的后台角色已变更", "你的后台角色已变更为：{{roles}}。"),
    event!("users.banned", AccountSecurity, true, [BAN_CATEGORY, BAN_CATEGORY_ZH, BAN_ENDS, BAN_ENDS_ZH],
        "Your account was suspended",
        "Your account was suspended for this reason: {{category}}. The suspension ends: {{ends}}. Until then you cannot sign in.",
        "你的账号已被封禁", "你的账号因以下原因被封禁：{{category_zh}}。解封时间：{{ends_zh}}。在此之前你无法登录。"),
    // Account deletion (users::deletion): decided by an operator, and undone within the window.
    event!("account.deletion_approved", AccountSecurity, true, [UNTIL],
        "Your account was deleted",
        "As you asked, your Agora account was deleted and you were signed out everywhere. Until {{until}} the platform team can still restore it if you change your mind: contact support. After that your personal data is removed for good; orders and payments stay on record without it.",
        "你的账号已注销",
        "根据你的申请，你的 Agora 账号已注销，所有设备均已退出登录。在 {{until}} 之前，如果你改变主意，可以联系客服由平台恢复账号。此后你的个人信息将被永久删除；订单和付款记录将在去除个人信息后保留。"),
    event!("account.deletion_rejected", AccountSecurity, true, [REASON],
        "Your account deletion request was declined",
        "Your request to delete your Agora account was declined: {{reason}}. Your account stays as it is; you can ask again once this is resolved.",
        "你的账号注销申请未通过", "你的 Agora 账号注销申请未通过：{{reason}}。账号保持不变；问题解决后可以再次申请。"),
    event!("account.deletion_restored", AccountSecurity, true, [],
        "Your account was restored",
        "Your Agora account was restored and is active again. Sign in with your password as before.",
        "你的账号已恢复", "你的 Agora 账号已恢复，可以照常使用密码登录。"),
    event!("users.unbanned", AccountSecurity, true, [],
        "Your account was reinstated", "Your account was reinstated.",
        "你的账号已恢复", "你的账号已恢复。"),
    event!("users.sessions_ended", AccountSecurity, true, [],
        "You were signed out on every device",
        "The platform team signed you out on every device. Sign in again to go on; if you did not expect this, change your password.",
        "你已在所有设备上退出登录", "平台团队已将你在所有设备上退出登录。请重新登录后继续；如非预期，请修改密码。"),
    event!("account.password_changed", AccountSecurity, true, [],
        "Your password was changed",
        "Your password was changed. If this wasn't you, reset your password and contact support.",
        "你的密码已修改", "你的密码已修改。如非本人操作，请重置密码并联系客服。"),
];

pub fn all() -> impl Iterator<Item = &'static EventSpec> {
    EVENTS.iter().chain(crate::auth::events::EVENTS.iter())
}

pub fn find(event_type: &str) -> Option<&'static EventSpec> {
    all().find(|e| e.event_type == event_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::template::{validate, EmailTemplate};

    #[test]
    fn every_default_passes_its_own_validation() {
        for spec in all() {
            for default in spec.email.iter().flatten() {
                let t = EmailTemplate {
                    subject: default.subject.into(),
                    text: default.text.into(),
                    html: default.html.into(),
                };
                assert_eq!(validate(spec, &t), Ok(()), "{}", spec.event_type);
            }
        }
    }

    #[test]
    fn event_types_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for spec in all() {
            assert!(seen.insert(spec.event_type), "{} twice", spec.event_type);
        }
    }
    // That every in-app event has its `notify.<event>` message is checked in the server's tests
    // (`mail::every_in_app_event_has_its_message`): from here it would be an import circle through
    // the i18n registry, which gathers every capability.
}

//! The webhooks catalog (seller center and console share it).

pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    ("console.webhooks", "Webhooks", "Webhook"),
    ("webhooks.url_required", "Enter the endpoint's URL.", "请输入端点 URL。"),
    ("webhooks.url_too_long", "The URL is longer than 2,000 characters.", "URL 超过 2000 个字符。"),
    ("webhooks.url_invalid", "This is not a valid URL.", "这不是有效的 URL。"),
    ("webhooks.url_scheme", "The URL must start with http:// or https://.", "URL 必须以 http:// 或 https:// 开头。"),
    (
        "webhooks.url_credentials",
        "The URL must not contain a user name or password.",
        "URL 中不能包含用户名或密码。",
    ),
    (
        "webhooks.url_private",
        "The URL points to a private or local network address, which webhooks cannot reach.",
        "URL 指向私有或本地网络地址，Webhook 无法发送到该地址。",
    ),
    ("webhooks.description_too_long", "The description is longer than 200 characters.", "描述超过 200 个字符。"),
    ("webhooks.unknown_event", "Choose event types from the list.", "请从列表中选择事件类型。"),
    (
        "webhooks.endpoint_disabled",
        "The endpoint is disabled: enable it before sending a test event.",
        "该端点已停用，请先启用再发送测试事件。",
    ),
    (
        "webhooks.not_replayable",
        "Only a message that failed or ran out of retries can be sent again.",
        "只有发送失败或重试已用尽的消息才能重新发送。",
    ),
    ("webhooks.since_invalid", "Enter a date and time.", "请输入日期和时间。"),
    (
        "notify.webhooks.disabled",
        "Your webhook endpoint {url} was disabled after its deliveries kept failing.",
        "您的 Webhook 端点 {url} 因持续投递失败已被停用。",
    ),
];

pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    ("notify.title", "Notifications", "通知"),
    ("notify.bell", "Notifications, {n} unread", "通知，{n} 条未读"),
    ("notify.empty", "No notifications yet.", "暂无通知。"),
    ("notify.mark_all_read", "Mark all as read", "全部标为已读"),
    ("notify.mark_read", "Mark as read", "标为已读"),
    ("notify.unread", "Unread", "未读"),
    ("notify.see_all", "See all notifications", "查看全部通知"),
    // one per event kind; {placeholders} come from the event payload
    ("notify.roles.changed", "Your console roles are now: {roles}.", "你的后台角色已变更为：{roles}。"),
    ("notify.users.unbanned", "Your account was reinstated.", "你的账号已恢复。"),
    (
        "notify.account.password_changed",
        "Your password was changed. If this wasn't you, contact support.",
        "你的密码已修改。如非本人操作，请联系客服。",
    ),
];

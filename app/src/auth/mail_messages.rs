pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    // Links and codes that cannot be used.
    (
        "account_token.unknown",
        "This link or code is not valid. Check that you copied it whole, or ask for a new one.",
        "该链接或验证码无效。请检查是否完整复制，或重新获取。",
    ),
    ("account_token.expired", "This link or code has expired. Ask for a new one.", "该链接或验证码已过期，请重新获取。"),
    (
        "account_token.used",
        "This link or code was already used, or a newer one replaced it. Ask for a new one if you still need it.",
        "该链接或验证码已被使用，或已被更新的替代。如仍需要，请重新获取。",
    ),
    (
        "account_token.dead",
        "This code was entered wrongly too many times and no longer works. Ask for a new one.",
        "该验证码输错次数过多，已失效，请重新获取。",
    ),
    // The verified-address gate.
    (
        "auth.email_unverified",
        "Verify your email address first: open the link we mailed you when you signed up, or send a new one from your account page (Account → Email address).",
        "请先验证邮箱：打开注册时发送给你的邮件中的链接，或在账号页面（我的账号 → 邮箱地址）重新发送验证邮件。",
    ),
    ("auth.email_already_verified", "Your email address is already verified.", "你的邮箱已验证。"),
    // Account page: the address.
    ("auth.email_section", "Email address", "邮箱地址"),
    ("auth.email_verified", "Verified", "已验证"),
    ("auth.email_not_verified", "Not verified yet", "尚未验证"),
    (
        "auth.email_not_verified_hint",
        "Open the link we mailed you. Until then you can browse and buy, but not apply to sell or request a payout.",
        "请打开我们发送给你的邮件中的链接。验证之前你可以浏览和购买，但不能申请开店或申请提现。",
    ),
    ("auth.resend_link", "Send the link again", "重新发送验证邮件"),
    ("auth.resend_sent", "Sent. Check your inbox (and the spam folder).", "已发送，请查收邮件（也请检查垃圾邮件）。"),
    ("auth.change_email", "Change email address", "修改邮箱地址"),
    ("auth.new_email", "New email address", "新邮箱地址"),
    (
        "auth.change_email_hint",
        "We send a confirmation link to the new address and tell the current one. The address changes once the link is opened.",
        "我们会向新地址发送确认链接，并通知当前地址。打开链接后邮箱才会更改。",
    ),
    (
        "auth.change_email_sent",
        "Check the new address: open the link we sent there within 24 hours to finish the change.",
        "请查收新邮箱，并在 24 小时内打开我们发送的链接以完成更改。",
    ),
    ("auth.pending_email", "Waiting for confirmation:", "等待确认："),
    ("auth.email_same", "This is already your address.", "这已经是你的邮箱地址。"),
    // Verifying and confirming pages.
    ("auth.verify_title", "Verify your email address", "验证邮箱地址"),
    ("auth.verify_hint", "Confirm that the address this link was sent to is yours.", "请确认接收此链接的邮箱属于你。"),
    ("auth.verify_confirm", "Verify my address", "验证我的邮箱"),
    ("auth.verify_done", "Your email address is verified.", "你的邮箱已验证。"),
    ("auth.confirm_email_title", "Confirm your new email address", "确认新邮箱地址"),
    ("auth.confirm_email_hint", "Make the address this link was sent to your account's address.", "将接收此链接的邮箱设为你的账号邮箱。"),
    ("auth.confirm_email", "Use this address", "使用此邮箱"),
    ("auth.confirm_email_done", "Your account's email address is now", "你的账号邮箱已改为"),
    ("auth.go_to_account", "Go to your account", "前往我的账号"),
    ("auth.link_missing", "This page needs the link from the mail, with its token.", "此页面需要邮件中的完整链接（含令牌）。"),
    // Forgotten password.
    ("auth.forgot_password", "Forgot your password?", "忘记密码？"),
    ("auth.forgot_title", "Reset your password", "重置密码"),
    (
        "auth.forgot_hint",
        "Enter the address of your account. We mail you a link to choose a new password.",
        "请输入账号的邮箱地址，我们会发送一封邮件，帮助你设置新密码。",
    ),
    ("auth.send_link", "Send the link", "发送链接"),
    (
        "auth.forgot_sent",
        "If an account exists for this address, we sent it a link to choose a new password. The link works for 30 minutes.",
        "如果该邮箱已注册，我们已向其发送设置新密码的链接，链接 30 分钟内有效。",
    ),
    ("auth.reset_title", "Choose a new password", "设置新密码"),
    ("auth.reset_password", "Set the new password", "设置新密码"),
    (
        "auth.reset_done",
        "Your password is changed and every device was signed out. Sign in with the new password.",
        "密码已修改，所有设备均已退出登录。请使用新密码登录。",
    ),
    ("auth.ask_new_link", "Ask for a new link", "重新获取链接"),
    // Sign in with a code.
    ("auth.code_sign_in", "Sign in with a code by email", "通过邮件验证码登录"),
    ("auth.sign_in_with_password", "Sign in with your password instead", "改用密码登录"),
    ("auth.code_hint", "We mail you a six-digit code that works once, for 10 minutes.", "我们会发送一个六位数验证码，10 分钟内有效，仅可使用一次。"),
    ("auth.send_code", "Email me a code", "发送验证码"),
    (
        "auth.code_sent",
        "If an account exists for this address, we sent it a code. Enter it below within 10 minutes.",
        "如果该邮箱已注册，我们已向其发送验证码。请在 10 分钟内在下方输入。",
    ),
    ("auth.code", "Code from the mail", "邮件中的验证码"),
    ("auth.code_format", "Enter the six digits of the code.", "请输入六位数字验证码。"),
    ("auth.sign_in_with_code", "Sign in with the code", "使用验证码登录"),
];

pub const MESSAGES: crate::i18n::catalog::Catalog = &[
    // Codes that are not accepted.
    (
        "totp.malformed",
        "Enter the six digits from your authenticator app, or one of your recovery codes (ten letters and digits).",
        "请输入身份验证器应用中的 6 位数字，或一个恢复码（10 位字母和数字）。",
    ),
    (
        "totp.wrong",
        "That code is not right. Enter the newest code from your app (check that your phone's clock is set automatically).",
        "验证码不正确。请输入应用中最新的验证码（并确认手机时间为自动设置）。",
    ),
    ("totp.reused", "That code was already used. Wait for the next one in your app.", "该验证码已使用过，请等待应用显示下一个验证码。"),
    ("totp.required", "Enter the current code from your authenticator app.", "请输入身份验证器应用中的当前验证码。"),
    (
        "totp.challenge_gone",
        "This sign-in has expired or had too many wrong codes. Sign in again with your password.",
        "本次登录已过期或验证码错误次数过多，请重新使用密码登录。",
    ),
    ("totp.already_enabled", "Two-step sign-in is already on for your account.", "你的账号已开启两步验证。"),
    ("totp.not_started", "Start the set-up again: the key was not found.", "未找到密钥，请重新开始设置。"),
    ("totp.not_enabled", "Two-step sign-in is not on for your account.", "你的账号未开启两步验证。"),
    ("totp.not_enabled_for_user", "This user has no two-step sign-in to remove.", "该用户未开启两步验证，无需移除。"),
    (
        "totp.not_for_self",
        "Turn off your own two-step sign-in from your account page.",
        "请在你的账号页面关闭自己的两步验证。",
    ),
    (
        "auth.second_factor_required",
        "Set up two-step sign-in on your account page before using the console.",
        "使用管理后台前，请先在账号页面开启两步验证。",
    ),
    // The account page's section.
    ("sf.title", "Two-step sign-in", "两步验证"),
    (
        "sf.off",
        "Off. With it on, signing in also asks for a code from an authenticator app on your phone, so a stolen password alone opens nothing.",
        "未开启。开启后，登录时还需输入手机身份验证器应用中的验证码，仅有密码无法登录。",
    ),
    ("sf.on", "On: signing in asks for a code from your authenticator app.", "已开启：登录时需要输入身份验证器应用中的验证码。"),
    ("sf.codes_left", "Recovery codes left: {n}", "剩余恢复码：{n} 个"),
    ("sf.start", "Set up two-step sign-in", "开启两步验证"),
    (
        "sf.scan",
        "Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password, …), or type the key into it. Then enter the code it shows.",
        "请用身份验证器应用（Google Authenticator、Microsoft Authenticator、1Password 等）扫描此二维码，或手动输入密钥，然后填写应用显示的验证码。",
    ),
    ("sf.qr", "QR code of the key for your authenticator app", "身份验证器应用的密钥二维码"),
    ("sf.key", "Key", "密钥"),
    ("sf.code", "Code from the app", "应用中的验证码"),
    ("sf.turn_on", "Turn on", "开启"),
    ("sf.codes_title", "Your recovery codes", "你的恢复码"),
    (
        "sf.codes_hint",
        "If you lose your phone, each of these codes signs you in once. Keep them somewhere safe (a password manager, or printed): they are shown only now.",
        "手机丢失时，每个恢复码可用于登录一次。请妥善保存（密码管理器或打印出来）：它们只显示这一次。",
    ),
    ("sf.enabled_done", "Two-step sign-in is on.", "两步验证已开启。"),
    ("sf.renew", "New recovery codes", "重新生成恢复码"),
    ("sf.renew_hint", "The old codes stop working.", "旧的恢复码将失效。"),
    ("sf.disable", "Turn off two-step sign-in", "关闭两步验证"),
    ("sf.disabled_done", "Two-step sign-in is off. We sent you an email about it.", "两步验证已关闭，我们已发送邮件通知你。"),
    ("sf.password", "Your password", "你的密码"),
    ("sf.code_or_recovery", "Code from the app, or a recovery code", "应用中的验证码或恢复码"),
    // Operators who must enrol.
    ("sf.required_title", "Set up two-step sign-in to open the console", "开启两步验证后才能进入管理后台"),
    (
        "sf.required_text",
        "The console protects the catalog and the money: every operator signs in with a password and a code from an authenticator app. Set it up below; it takes a minute.",
        "管理后台关系到商品与资金安全：所有运营人员登录时都需要密码和身份验证器应用中的验证码。请在下方设置，只需一分钟。",
    ),
    // The sign-in step.
    ("sf.step_title", "Enter your code", "输入验证码"),
    (
        "sf.step_hint",
        "Open your authenticator app and enter the code for Agora. Lost your phone? Enter one of your recovery codes instead.",
        "打开身份验证器应用，输入 Agora 的验证码。手机丢失？可改为输入一个恢复码。",
    ),
    ("sf.verify", "Verify", "验证"),
    ("sf.sign_in_again", "Sign in again", "重新登录"),
];

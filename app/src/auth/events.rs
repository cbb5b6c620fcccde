//! The account mails (verification, password reset, address change, sign-in code, an operator's
//! invitation or reset) this capability sends: their category, variables and built-in default texts. Gathered by `notifications::events`.
//! All are account security and transactional: they always arrive and carry no unsubscribe link.
//! (`account.password_changed`, the notice after a password change or reset, is an in-app event that
//! the fan-out also mails: it is declared with the other in-app events in `notifications::events`.)
//! Variables named `secret_*` (links with tokens, codes) are blanked in the outbox once delivered.

use crate::domain::delivery::{Category, DefaultEmail, EventSpec, Variable};

const NAME: Variable = Variable { name: "name", required: false, sample: "Ada" };
const LINK: Variable =
    Variable { name: "secret_link", required: true, sample: "https://agora.example/account/verify?token=sample" };
const NEW_EMAIL: Variable = Variable { name: "new_email", required: true, sample: "ada@new.example" };
const CODE: Variable = Variable { name: "secret_code", required: true, sample: "123456" };
const UNTIL: Variable = Variable { name: "until", required: true, sample: "2026-12-07 10:15:00 UTC" };
const DEVICE: Variable = Variable { name: "device", required: true, sample: "Chrome on Windows" };
const IP: Variable = Variable { name: "ip", required: true, sample: "203.0.113.7" };
const AT: Variable = Variable { name: "at", required: true, sample: "2026-12-07 10:00:00 UTC" };
const LEFT: Variable = Variable { name: "left", required: true, sample: "9" };
const PROVIDER: Variable = Variable { name: "provider", required: true, sample: "Google" };
const PROVIDER_EMAIL: Variable = Variable { name: "provider_email", required: false, sample: "ada@gmail.example" };

const fn security(
    event_type: &'static str,
    variables: &'static [Variable],
    en: DefaultEmail,
    zh: DefaultEmail,
) -> EventSpec {
    EventSpec { event_type, category: Category::AccountSecurity, transactional: true, variables, email: Some([en, zh]) }
}

pub const EVENTS: &[EventSpec] = &[
    // Sent when an operator creates the account (users::invitations): there is no password until the
    // owner sets one with the link.
    security(
        "account.invitation",
        &[NAME, LINK],
        DefaultEmail {
            subject: "Your Agora account is ready: choose a password",
            text: "Hello {{name}},\n\nThe Agora team created an account for this address. To start using it, choose your password with this link within 72 hours (it works once):\n\n{{secret_link}}\n\nNobody else knows or can see your password. If you did not expect this mail, ignore it: the account cannot be used without the link.\n",
            html: "<p>Hello {{name}},</p><p>The Agora team created an account for this address. To start using it, choose your password with this link within 72 hours (it works once):</p><p><a href=\"{{secret_link}}\">Choose my password</a></p><p>Nobody else knows or can see your password. If you did not expect this mail, ignore it: the account cannot be used without the link.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号已创建：请设置密码",
            text: "{{name}}，你好：\n\nAgora 团队为此邮箱地址创建了账号。请在 72 小时内通过以下链接设置你的密码（仅可使用一次）：\n\n{{secret_link}}\n\n除你之外没有人知道或能看到你的密码。如果你没有预期收到本邮件，请忽略：没有此链接，账号无法使用。\n",
            html: "<p>{{name}}，你好：</p><p>Agora 团队为此邮箱地址创建了账号。请在 72 小时内通过以下链接设置你的密码（仅可使用一次）：</p><p><a href=\"{{secret_link}}\">设置我的密码</a></p><p>除你之外没有人知道或能看到你的密码。如果你没有预期收到本邮件，请忽略：没有此链接，账号无法使用。</p>",
        },
    ),
    // Sent when an operator resets the password (users::invitations): the old one no longer works and
    // every session has ended.
    security(
        "account.password_reset_by_operator",
        &[NAME, LINK],
        DefaultEmail {
            subject: "Your Agora password was reset: choose a new one",
            text: "Hello {{name}},\n\nThe Agora team reset the password of your account. Your old password no longer works and every device was signed out. Choose a new password with this link within 72 hours (it works once):\n\n{{secret_link}}\n\nIf the link has run out, use \"Forgot your password?\" on the sign-in page.\n",
            html: "<p>Hello {{name}},</p><p>The Agora team reset the password of your account. Your old password no longer works and every device was signed out. Choose a new password with this link within 72 hours (it works once):</p><p><a href=\"{{secret_link}}\">Choose a new password</a></p><p>If the link has run out, use \"Forgot your password?\" on the sign-in page.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 密码已被重置：请设置新密码",
            text: "{{name}}，你好：\n\nAgora 团队重置了你的账号密码。原密码已失效，所有设备均已退出登录。请在 72 小时内通过以下链接设置新密码（仅可使用一次）：\n\n{{secret_link}}\n\n如果链接已过期，请在登录页点击“忘记密码？”。\n",
            html: "<p>{{name}}，你好：</p><p>Agora 团队重置了你的账号密码。原密码已失效，所有设备均已退出登录。请在 72 小时内通过以下链接设置新密码（仅可使用一次）：</p><p><a href=\"{{secret_link}}\">设置新密码</a></p><p>如果链接已过期，请在登录页点击“忘记密码？”。</p>",
        },
    ),
    security(
        "account.verify_email",
        &[NAME, LINK],
        DefaultEmail {
            subject: "Confirm your email address for Agora",
            text: "Hello {{name}},\n\nPlease confirm that this is your address by opening this link within 24 hours:\n\n{{secret_link}}\n\nUntil then you can browse and buy, but not apply to sell or request a payout.\nIf you did not create an Agora account, ignore this mail.\n",
            html: "<p>Hello {{name}},</p><p>Please confirm that this is your address by opening this link within 24 hours:</p><p><a href=\"{{secret_link}}\">Confirm my email address</a></p><p>Until then you can browse and buy, but not apply to sell or request a payout.</p><p>If you did not create an Agora account, ignore this mail.</p>",
        },
        DefaultEmail {
            subject: "请验证你的 Agora 邮箱地址",
            text: "{{name}}，你好：\n\n请在 24 小时内打开以下链接，确认这是你的邮箱地址：\n\n{{secret_link}}\n\n验证之前你可以浏览和购买，但不能申请开店或申请提现。\n如果你没有注册 Agora 账号，请忽略本邮件。\n",
            html: "<p>{{name}}，你好：</p><p>请在 24 小时内打开以下链接，确认这是你的邮箱地址：</p><p><a href=\"{{secret_link}}\">验证我的邮箱</a></p><p>验证之前你可以浏览和购买，但不能申请开店或申请提现。</p><p>如果你没有注册 Agora 账号，请忽略本邮件。</p>",
        },
    ),
    security(
        "account.password_reset",
        &[NAME, LINK],
        DefaultEmail {
            subject: "Reset your Agora password",
            text: "Hello {{name}},\n\nSomeone asked to reset the password of your Agora account. To choose a new one, open this link within 30 minutes (it works once):\n\n{{secret_link}}\n\nSetting a new password signs out every device. If you did not ask for this, ignore this mail: your password stays as it is.\n",
            html: "<p>Hello {{name}},</p><p>Someone asked to reset the password of your Agora account. To choose a new one, open this link within 30 minutes (it works once):</p><p><a href=\"{{secret_link}}\">Choose a new password</a></p><p>Setting a new password signs out every device. If you did not ask for this, ignore this mail: your password stays as it is.</p>",
        },
        DefaultEmail {
            subject: "重置你的 Agora 密码",
            text: "{{name}}，你好：\n\n有人请求重置你的 Agora 账号密码。如需设置新密码，请在 30 分钟内打开以下链接（仅可使用一次）：\n\n{{secret_link}}\n\n设置新密码后所有设备都将退出登录。如果这不是你本人的操作，请忽略本邮件，你的密码不会改变。\n",
            html: "<p>{{name}}，你好：</p><p>有人请求重置你的 Agora 账号密码。如需设置新密码，请在 30 分钟内打开以下链接（仅可使用一次）：</p><p><a href=\"{{secret_link}}\">设置新密码</a></p><p>设置新密码后所有设备都将退出登录。如果这不是你本人的操作，请忽略本邮件，你的密码不会改变。</p>",
        },
    ),
    security(
        "account.change_email",
        &[NAME, NEW_EMAIL, LINK],
        DefaultEmail {
            subject: "Confirm your new email address for Agora",
            text: "Hello {{name}},\n\nTo make {{new_email}} the address of your Agora account, open this link within 24 hours:\n\n{{secret_link}}\n\nIf you did not ask for this, ignore this mail: nothing changes.\n",
            html: "<p>Hello {{name}},</p><p>To make {{new_email}} the address of your Agora account, open this link within 24 hours:</p><p><a href=\"{{secret_link}}\">Confirm my new address</a></p><p>If you did not ask for this, ignore this mail: nothing changes.</p>",
        },
        DefaultEmail {
            subject: "请确认你的 Agora 新邮箱地址",
            text: "{{name}}，你好：\n\n如需将 {{new_email}} 设为你的 Agora 账号邮箱，请在 24 小时内打开以下链接：\n\n{{secret_link}}\n\n如果这不是你本人的操作，请忽略本邮件，账号不会有任何改变。\n",
            html: "<p>{{name}}，你好：</p><p>如需将 {{new_email}} 设为你的 Agora 账号邮箱，请在 24 小时内打开以下链接：</p><p><a href=\"{{secret_link}}\">确认新邮箱</a></p><p>如果这不是你本人的操作，请忽略本邮件，账号不会有任何改变。</p>",
        },
    ),
    security(
        "account.email_change_requested",
        &[NAME, NEW_EMAIL],
        DefaultEmail {
            subject: "Your Agora account is moving to another address",
            text: "Hello {{name}},\n\nSomeone signed in to your Agora account asked to change its address to {{new_email}}. It changes once the link sent there is opened.\nIf this was not you, change your password now: that ends every session and stops the change.\n",
            html: "<p>Hello {{name}},</p><p>Someone signed in to your Agora account asked to change its address to {{new_email}}. It changes once the link sent there is opened.</p><p>If this was not you, change your password now: that ends every session and stops the change.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号邮箱即将更改",
            text: "{{name}}，你好：\n\n有人在登录你的 Agora 账号后请求将邮箱改为 {{new_email}}。打开发送到该地址的链接后即会生效。\n如果这不是你本人的操作，请立即修改密码：这会结束所有会话并阻止此次更改。\n",
            html: "<p>{{name}}，你好：</p><p>有人在登录你的 Agora 账号后请求将邮箱改为 {{new_email}}。打开发送到该地址的链接后即会生效。</p><p>如果这不是你本人的操作，请立即修改密码：这会结束所有会话并阻止此次更改。</p>",
        },
    ),
    security(
        "account.sign_in_code",
        &[NAME, CODE],
        DefaultEmail {
            subject: "Your Agora sign-in code",
            text: "Hello {{name}},\n\nYour code to sign in to Agora is:\n\n{{secret_code}}\n\nIt works once, for 10 minutes. Nobody from Agora will ever ask you for it. If you did not ask for a code, ignore this mail.\n",
            html: "<p>Hello {{name}},</p><p>Your code to sign in to Agora is:</p><p style=\"font-size:24px;letter-spacing:4px\"><strong>{{secret_code}}</strong></p><p>It works once, for 10 minutes. Nobody from Agora will ever ask you for it. If you did not ask for a code, ignore this mail.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 登录验证码",
            text: "{{name}}，你好：\n\n你的 Agora 登录验证码是：\n\n{{secret_code}}\n\n验证码 10 分钟内有效，仅可使用一次。Agora 工作人员绝不会向你索要验证码。如果你没有请求验证码，请忽略本邮件。\n",
            html: "<p>{{name}}，你好：</p><p>你的 Agora 登录验证码是：</p><p style=\"font-size:24px;letter-spacing:4px\"><strong>{{secret_code}}</strong></p><p>验证码 10 分钟内有效，仅可使用一次。Agora 工作人员绝不会向你索要验证码。如果你没有请求验证码，请忽略本邮件。</p>",
        },
    ),
    security(
        "account.locked",
        &[NAME, LINK, UNTIL],
        DefaultEmail {
            subject: "Your Agora account is locked for 15 minutes",
            text: "Hello {{name}},\n\nThere were 10 failed attempts to sign in to your Agora account within 15 minutes, so it is locked until {{until}}.\n\nIf that was you, open this link to unlock it now (it works once, within an hour):\n\n{{secret_link}}\n\nIf it was not you, someone is guessing your password: choose a new one with \"Forgot your password?\" on the sign-in page.\n",
            html: "<p>Hello {{name}},</p><p>There were 10 failed attempts to sign in to your Agora account within 15 minutes, so it is locked until {{until}}.</p><p>If that was you, open this link to unlock it now (it works once, within an hour):</p><p><a href=\"{{secret_link}}\">Unlock my account</a></p><p>If it was not you, someone is guessing your password: choose a new one with \"Forgot your password?\" on the sign-in page.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号已锁定 15 分钟",
            text: "{{name}}，你好：\n\n你的 Agora 账号在 15 分钟内有 10 次登录失败，因此已锁定至 {{until}}。\n\n如果是你本人，请打开以下链接立即解锁（仅可使用一次，1 小时内有效）：\n\n{{secret_link}}\n\n如果不是你本人，说明有人在猜测你的密码：请在登录页点击“忘记密码？”设置新密码。\n",
            html: "<p>{{name}}，你好：</p><p>你的 Agora 账号在 15 分钟内有 10 次登录失败，因此已锁定至 {{until}}。</p><p>如果是你本人，请打开以下链接立即解锁（仅可使用一次，1 小时内有效）：</p><p><a href=\"{{secret_link}}\">解锁我的账号</a></p><p>如果不是你本人，说明有人在猜测你的密码：请在登录页点击“忘记密码？”设置新密码。</p>",
        },
    ),
    security(
        "account.new_device",
        &[NAME, DEVICE, IP, AT],
        DefaultEmail {
            subject: "New sign-in to your Agora account",
            text: "Hello {{name}},\n\nYour Agora account was signed in to from a device it had not been used on before:\n\n{{device}}, IP {{ip}}, at {{at}}.\n\nIf that was you, there is nothing to do. If not, change your password now and sign out the other sessions on your account page.\n",
            html: "<p>Hello {{name}},</p><p>Your Agora account was signed in to from a device it had not been used on before:</p><p><strong>{{device}}</strong>, IP {{ip}}, at {{at}}.</p><p>If that was you, there is nothing to do. If not, change your password now and sign out the other sessions on your account page.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号有新设备登录",
            text: "{{name}}，你好：\n\n你的 Agora 账号在一台从未使用过的设备上登录：\n\n{{device}}，IP {{ip}}，时间 {{at}}。\n\n如果是你本人，无需任何操作。如果不是，请立即修改密码，并在账号页面退出其他会话。\n",
            html: "<p>{{name}}，你好：</p><p>你的 Agora 账号在一台从未使用过的设备上登录：</p><p><strong>{{device}}</strong>，IP {{ip}}，时间 {{at}}。</p><p>如果是你本人，无需任何操作。如果不是，请立即修改密码，并在账号页面退出其他会话。</p>",
        },
    ),
    // The second factor (auth::second_factor): turned on, turned off, a recovery code spent.
    security(
        "account.second_factor_enabled",
        &[NAME],
        DefaultEmail {
            subject: "Two-step sign-in is on for your Agora account",
            text: "Hello {{name}},\n\nTwo-step sign-in was turned on for your Agora account: signing in now also asks for a code from your authenticator app. Keep your recovery codes somewhere safe.\n\nIf you did not do this, reset your password now and contact us.\n",
            html: "<p>Hello {{name}},</p><p>Two-step sign-in was turned on for your Agora account: signing in now also asks for a code from your authenticator app. Keep your recovery codes somewhere safe.</p><p>If you did not do this, reset your password now and contact us.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号已开启两步验证",
            text: "{{name}}，你好：\n\n你的 Agora 账号已开启两步验证：登录时还需输入身份验证器应用中的验证码。请妥善保存你的恢复码。\n\n如果这不是你本人的操作，请立即重置密码并联系我们。\n",
            html: "<p>{{name}}，你好：</p><p>你的 Agora 账号已开启两步验证：登录时还需输入身份验证器应用中的验证码。请妥善保存你的恢复码。</p><p>如果这不是你本人的操作，请立即重置密码并联系我们。</p>",
        },
    ),
    security(
        "account.second_factor_disabled",
        &[NAME],
        DefaultEmail {
            subject: "Two-step sign-in was turned off for your Agora account",
            text: "Hello {{name}},\n\nTwo-step sign-in was turned off for your Agora account: signing in now asks for your password only.\n\nIf you did not do this, reset your password now, turn two-step sign-in back on from your account page and contact us.\n",
            html: "<p>Hello {{name}},</p><p>Two-step sign-in was turned off for your Agora account: signing in now asks for your password only.</p><p>If you did not do this, reset your password now, turn two-step sign-in back on from your account page and contact us.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号已关闭两步验证",
            text: "{{name}}，你好：\n\n你的 Agora 账号已关闭两步验证：登录时只需输入密码。\n\n如果这不是你本人的操作，请立即重置密码，在账号页面重新开启两步验证，并联系我们。\n",
            html: "<p>{{name}}，你好：</p><p>你的 Agora 账号已关闭两步验证：登录时只需输入密码。</p><p>如果这不是你本人的操作，请立即重置密码，在账号页面重新开启两步验证，并联系我们。</p>",
        },
    ),
    security(
        "account.recovery_code_used",
        &[LEFT],
        DefaultEmail {
            subject: "A recovery code was used on your Agora account",
            text: "Hello,\n\nOne of your recovery codes was just used instead of a code from your authenticator app. Recovery codes left: {{left}}. When few are left, make new ones on your account page.\n\nIf it was not you, reset your password now and contact us.\n",
            html: "<p>Hello,</p><p>One of your recovery codes was just used instead of a code from your authenticator app. Recovery codes left: <strong>{{left}}</strong>. When few are left, make new ones on your account page.</p><p>If it was not you, reset your password now and contact us.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号使用了一个恢复码",
            text: "你好：\n\n你的账号刚刚使用了一个恢复码代替身份验证器中的验证码。剩余恢复码：{{left}} 个。剩余不多时，请在账号页面重新生成。\n\n如果这不是你本人的操作，请立即重置密码并联系我们。\n",
            html: "<p>你好：</p><p>你的账号刚刚使用了一个恢复码代替身份验证器中的验证码。剩余恢复码：<strong>{{left}}</strong> 个。剩余不多时，请在账号页面重新生成。</p><p>如果这不是你本人的操作，请立即重置密码并联系我们。</p>",
        },
    ),
    security(
        "account.identity_linked",
        &[PROVIDER, PROVIDER_EMAIL],
        DefaultEmail {
            subject: "A new way to sign in was added to your Agora account",
            text: "Hello,

You can now sign in to your Agora account with {{provider}} ({{provider_email}}).

If it was not you, remove it under \"Sign-in methods\" on your account page, change your password and contact us.
",
            html: "<p>Hello,</p><p>You can now sign in to your Agora account with <strong>{{provider}}</strong> ({{provider_email}}).</p><p>If it was not you, remove it under \"Sign-in methods\" on your account page, change your password and contact us.</p>",
        },
        DefaultEmail {
            subject: "你的 Agora 账号新增了一种登录方式",
            text: "你好：

你的 Agora 账号现在可以使用 {{provider}}（{{provider_email}}）登录。

如果这不是你本人的操作，请在账号页面的“登录方式”中将其移除，修改密码并联系我们。
",
            html: "<p>你好：</p><p>你的 Agora 账号现在可以使用 <strong>{{provider}}</strong>（{{provider_email}}）登录。</p><p>如果这不是你本人的操作，请在账号页面的“登录方式”中将其移除，修改密码并联系我们。</p>",
        },
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// Every `{{var}}` a default uses is declared, and every required variable is used, in both
    /// locales and all three parts (the template engine checks saved templates; these are built in).
    #[test]
    fn the_defaults_use_exactly_their_declared_variables() {
        for spec in EVENTS {
            for email in spec.email.expect("account events are mails") {
                let all = format!("{} {} {}", email.subject, email.text, email.html);
                for used in all.split("{{").skip(1).map(|rest| rest.split("}}").next().unwrap_or("")) {
                    assert!(spec.variable(used.trim()).is_some(), "{}: undeclared {{{{{used}}}}}", spec.event_type);
                }
                for required in spec.variables.iter().filter(|v| v.required) {
                    let placeholder = format!("{{{{{}}}}}", required.name);
                    assert!(email.text.contains(&placeholder), "{}: text lacks {placeholder}", spec.event_type);
                    assert!(email.html.contains(&placeholder), "{}: html lacks {placeholder}", spec.event_type);
                }
            }
            assert!(spec.transactional && spec.category.always_on(), "{}", spec.event_type);
        }
    }
}

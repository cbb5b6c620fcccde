//! The challenge between a sign-in's two steps: a random token whose HMAC is stored as an account
//! token (five minutes, five wrong codes), carried by the browser in an HttpOnly cookie. Issued by the
//! first step (password or mailed code, `auth::service`, `auth::sign_in_code`), answered by the second
//! (`sign_in::complete`).

use crate::auth::tokens;
use crate::domain::account_token::{self, Purpose};
use crate::error::AppError;
use crate::platform::caller;
use crate::platform::change::Change;
use crate::platform::state::AppState;

/// The cookie holding the challenge between the two steps.
pub const COOKIE: &str = "agora_second_factor";

/// Issues the challenge of `user_id` inside the sign-in's change; returns the raw token.
pub async fn issue(c: &mut Change, key: &[u8], user_id: i64) -> Result<String, AppError> {
    let token = tokens::new_link_token();
    let hash = account_token::token_hash(key, Purpose::SecondFactor, &token);
    tokens::issue(c, user_id, Purpose::SecondFactor, &hash, None).await?;
    Ok(token)
}

/// Hands the challenge to the browser: HttpOnly (no script reads it), as long as the challenge lives.
pub fn set_cookie(state: &AppState, challenge: &str) {
    let max_age = Purpose::SecondFactor.lifetime_ms() / 1000;
    caller::append_set_cookie(&format!(
        "{COOKIE}={challenge}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{}",
        secure(state)
    ));
}

pub fn clear_cookie(state: &AppState) {
    caller::append_set_cookie(&format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", secure(state)));
}

fn secure(state: &AppState) -> &'static str {
    if state.settings().secure_cookies {
        "; Secure"
    } else {
        ""
    }
}

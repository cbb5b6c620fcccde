//! Whose cart a request works on: the signed-in user's (`u:<user id>`), or a guest's
//! (`g:<sha256 of a random token>` kept in an HttpOnly cookie).

use crate::error::AppError;
use crate::platform::caller;
use crate::platform::state::AppState;

/// Guest carts live this long after their last change (the cookie's lifetime).
pub const GUEST_CART_DAYS: i64 = 30;

/// Whose cart a request works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Owner {
    User(i64),
    /// The SHA-256 of the guest token.
    Guest(String),
}

impl Owner {
    pub fn key(&self) -> String {
        match self {
            Owner::User(id) => format!("u:{id}"),
            Owner::Guest(hash) => format!("g:{hash}"),
        }
    }
}

pub fn guest_cookie_name(state: &AppState) -> &'static str {
    if state.settings().secure_cookies {
        "__Host-agora_cart"
    } else {
        "agora_cart"
    }
}

pub(super) fn guest_token(state: &AppState) -> Option<String> {
    let parts = leptos::prelude::use_context::<http::request::Parts>()?;
    let token = caller::cookie_value(&parts, guest_cookie_name(state))?;
    (token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit())).then_some(token)
}

pub(super) fn set_guest_cookie(state: &AppState, token: &str, max_age_s: i64) {
    let secure = if state.settings().secure_cookies { "; Secure" } else { "" };
    caller::append_set_cookie(&format!(
        "{}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}",
        guest_cookie_name(state)
    ));
}

/// The cart this request reads: the signed-in user's, the guest cookie's, or none.
pub async fn owner_for_read(state: &AppState) -> Result<Option<Owner>, AppError> {
    if let Some(c) = caller::current_caller(state).await? {
        return Ok(Some(Owner::User(c.user_id)));
    }
    Ok(guest_token(state).map(|t| Owner::Guest(caller::hash_token(&t))))
}

/// The cart this request writes: as `owner_for_read`, creating a guest cart (and its cookie) when
/// there is none.
pub async fn owner_for_write(state: &AppState) -> Result<Owner, AppError> {
    if let Some(owner) = owner_for_read(state).await? {
        if let Owner::Guest(_) = owner {
            // Each change extends the guest cart's life.
            if let Some(token) = guest_token(state) {
                set_guest_cookie(state, &token, GUEST_CART_DAYS * 86_400);
            }
        }
        return Ok(owner);
    }
    let token = caller::new_token();
    set_guest_cookie(state, &token, GUEST_CART_DAYS * 86_400);
    Ok(Owner::Guest(caller::hash_token(&token)))
}

//! The sign-in state every page reads (`use_session`), apart from the route table in `lib.rs` so that
//! pages can name it without naming the file that names every page.

use crate::auth::api::{SignIn, SignOut, SignUp};
use crate::auth::model::Viewer;
use leptos::prelude::*;

/// Sign-in state shared by every page: who is signed in (known before rendering, never fetched by a
/// view) and the actions that change it (each ends in a fresh page load, see `reload_at`).
#[derive(Clone, Copy)]
pub struct Session {
    pub sign_in: ServerAction<SignIn>,
    pub sign_up: ServerAction<SignUp>,
    pub sign_out: ServerAction<SignOut>,
    pub viewer: Signal<Option<Viewer>>,
}

/// Loads `path` as a new page. Used when the signed-in user changes (sign in, sign up, sign out): a
/// fresh page load drops every cached view of the previous user, which a client-side navigation
/// would keep.
pub fn reload_at(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().set_href(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

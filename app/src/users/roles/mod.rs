//! Roles as data (issue 14): the permission catalog stays in code (`domain::permissions`); the roles
//! and their grants are stored (`roles`, `role_grants`). Built-in roles are seeded at start-up with
//! their default grants; super admins change them and make custom roles from the catalog
//! (`/console/roles`), each change protected and audited, in effect at the holders' next request
//! (every signed-in request reads its grants: `platform::caller`). The rules (names, grants, what may
//! be edited or deleted) are `domain::roles`.

pub mod api;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod seed;
#[cfg(feature = "ssr")]
pub mod service;

//! Seller onboarding: applying to sell (`/sell`), the application's documents and history, and the
//! seller organisation's team (`/seller/team`). The console's side (queue, decisions) is in
//! `console::sellers`; both move sellers through `service::transition`.

pub mod api;
pub mod impact;
pub mod messages;
pub mod model;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;
pub mod team;

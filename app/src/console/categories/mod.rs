//! The category tree, managed by operations (`categories.manage`): create, rename, move, disable and
//! enable. Every change keeps `categories.browsable` right for the whole subtree, in the same
//! transaction as its audit record. Reading the tree is public (`crate::categories`).

pub mod api;
pub mod messages;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod service;

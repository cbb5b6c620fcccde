//! The console's seller applications queue and seller pages.

pub mod pages;

//! Curation's server side, in three parts: `features` (featured listings and their schedule timer),
//! `sections` (the home page's sections), `directory` + `catalog_control` (the console's listing
//! directory and what an operator does to one listing).

pub use super::catalog_control::{recategorize, take_down};
pub use super::directory::{detail as directory_detail, list as list_directory};
pub use super::features::{curation, feature, move_feature, unfeature};
pub use super::sections::{move_section, save as save_section, shown_now as sections_shown_now};

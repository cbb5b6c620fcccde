//! The frames around the pages: the storefront (header, footer, language switch) and the console
//! (shell, navigation, command center). Features plug their pages into these.

pub mod console;
pub mod islands;
pub mod sections;
pub mod storefront;
pub mod storefront_messages;

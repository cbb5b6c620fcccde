//! Where the command center is mounted: `/console` itself, in the console's WASM chunk.

use crate::frame::sections::lazy_page;

lazy_page!(console, CommandCenterRoute, super::pages::CommandCenterPage);

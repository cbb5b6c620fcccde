//! The settings centre's pages: `/console/settings` (every runtime setting by group, each changed on
//! its own protected form; maintenance mode on top) and `/console/settings/versions` (every version,
//! rolled back with a protected form).

mod centre;
mod flags;
mod maintenance;
mod value;
mod versions;

pub use centre::SettingsPage;
pub use maintenance::MaintenanceBanner;
pub use versions::VersionsPage;

//! The design system: forms, states, tables, paging. Every view uses these for its loading, empty and
//! error states, so they look and read the same everywhere.

pub mod form;
pub mod protected;
pub mod states;
pub mod upload;

pub use form::{FormAlert, SubmitButton, TextArea, TextField};
pub use protected::ProtectedFields;
pub use states::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};

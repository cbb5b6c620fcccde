//! The page kit: every storefront, seller and console page is built from these, so lists, details,
//! forms and their loading, empty and error states look and read the same everywhere.
//! How to use it: docs/PAGE_KIT.md (list page, detail page, pitfalls).
//!
//! - `styles`: the only class-name constants (CARD, INPUT, LABEL, TH, TD, H1, H2, BUTTON_*...).
//! - `query`: query-string parameters (`query_param`, `query_string`, `urlencode`).
//! - `list`: `FilterBar` + `SelectFilter`/`TextFilter`/`CheckFilter`, `Counters`/`Counter`,
//!   `DataTable`, `ListResult` (a page resource: loading / error / empty / rows + pager).
//! - `detail`: `DetailHeader`, `Section`, `Card`, `Fields`/`Field`, `Timeline`, `DetailResult`.
//! - `badge`: `StatusBadge` + `Tone`; `format`: money, `Time`, `label_or_raw`.
//! - `chart`: `BarChart` (a daily series as server-rendered SVG + its data table), `ChartUnit`.
//! - `period`: the period picker's fields (`PeriodFields`) and their query (`period_query`).
//! - `form`: fields with their errors; `protected`: the protected-action fields; `states`: the
//!   loading / empty / error / forbidden states and the pager.

pub mod badge;
pub mod case_step;
pub mod chart;
pub mod detail;
pub mod done;
pub mod filter_error;
pub mod form;
pub mod format;
pub mod gate;
pub mod inline_table;
pub mod list;
pub mod period;
pub mod protected;
pub mod query;
pub mod record_header;
pub mod states;
pub mod styles;
pub mod tabs;
pub mod upload;

pub use badge::{BadgeGroup, StatusBadge, Tone};
pub use case_step::{CaseStepForm, StepText};
pub use chart::{BarChart, ChartUnit};
pub use detail::{Card, DetailHeader, DetailResult, Field, Fields, Section, Timeline, TimelineEntry};
pub use done::notify_and_reload;
pub use filter_error::FilterFieldError;
pub use filter_error::{list_filter_error, shown_by_filters};
pub use form::{DoneNotice, FormAlert, SelectField, SubmitButton, TextArea, TextField};
pub use format::{label_or_raw, money, Time};
pub use gate::{seller_error, sign_in_redirect, signed_out_error, NotSeller};
pub use inline_table::{InlineTable, NoneYet};
pub use list::{CheckFilter, Counter, Counters, DataTable, FilterBar, ListResult, SelectFilter, TextFilter};
pub use period::{period_query, PeriodFields};
pub use protected::{ProtectedFields, ProtectedIdForm};
pub use query::{query_param, query_string};
pub use record_header::RecordHeader;
pub use states::{EmptyState, ErrorState, ForbiddenState, LoadingState, Pager};
pub use tabs::TabLinks;

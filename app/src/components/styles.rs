//! The one home of the class strings pages share. Tailwind v4 finds classes by scanning the sources
//! for literal text, so every string here stays whole: never build a class name from pieces
//! (`format!("text-{colour}-700")` would be invisible to the scanner and ship without its CSS).
//! Add to a constant with `format!("{TD} tabular-nums")`: the added words are literals too.

/// A white card with a border: the body of most sections.
pub const CARD: &str = "rounded-xl border border-slate-200 bg-white p-6";
/// A tighter card with a shadow (order, dispute and refund pages).
pub const CARD_COMPACT: &str = "rounded-xl border border-slate-200 bg-white p-5 shadow-sm";
/// A card without padding, for content that brings its own (tables, lists of lines).
pub const CARD_BARE: &str = "rounded-xl border border-slate-200 bg-white";
/// A small card: one counter, one filter bar.
pub const CARD_SMALL: &str = "rounded-xl border border-slate-200 bg-white p-4";

pub const H1: &str = "text-2xl font-semibold tracking-tight";
pub const H2: &str = "text-base font-semibold text-slate-900";
/// A section heading with a larger size (a record's name at the top of its first card).
pub const H2_LARGE: &str = "text-lg font-semibold";
pub const H3: &str = "text-sm font-medium text-slate-700";
/// The line under a page title.
pub const SUBTITLE: &str = "mt-1 text-sm text-slate-500";
/// Quiet text: "nothing here", hints.
pub const MUTED: &str = "text-sm text-slate-500";

pub const LABEL: &str = "block text-sm font-medium text-slate-700";
/// Text inputs, selects and text areas.
pub const INPUT: &str = "block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-200 aria-[invalid=true]:border-red-500";
pub const CHECKBOX: &str = "h-4 w-4 rounded border-slate-300 text-indigo-600 focus:ring-2 focus:ring-indigo-200";
/// The label of a checkbox, next to it.
pub const CHECK_LABEL: &str = "text-sm text-slate-700";
pub const HINT: &str = "text-xs text-slate-500";
pub const FIELD_ERROR: &str = "text-sm text-red-600";
pub const FILE_INPUT: &str = "block w-full text-sm file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200";

/// A table in its own bordered box (`DataTable`).
pub const TABLE_WRAP: &str = "overflow-x-auto rounded-xl border border-slate-200 bg-white shadow-sm";
pub const TABLE: &str = "min-w-full divide-y divide-slate-200 text-sm";
pub const THEAD: &str = "bg-slate-50";
pub const TBODY: &str = "divide-y divide-slate-100";
pub const TH: &str = "px-4 py-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
pub const TD: &str = "px-4 py-3 align-top";
/// Narrower cells for wide tables (commission rules, ledger controls).
pub const TH_COMPACT: &str = "px-3 py-3 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
pub const TD_COMPACT: &str = "px-3 py-3 align-top";
pub const TH_COMPACT_NUM: &str = "px-3 py-3 text-right text-xs font-semibold uppercase tracking-wide text-slate-500";
pub const TD_COMPACT_NUM: &str = "px-3 py-3 text-right align-top tabular-nums";
/// Cells of a small table inside a card (no box of its own).
pub const TH_INLINE: &str = "py-2 pr-4 text-left text-xs font-semibold uppercase tracking-wide text-slate-500";
pub const TD_INLINE: &str = "py-2 pr-4 align-top";
/// Lines of an order inside a card: item, then numbers to the right.
pub const TH_LINE: &str = "py-2 pr-3 text-left font-medium text-slate-500";
pub const TH_LINE_NUM: &str = "px-3 py-2 text-right font-medium text-slate-500";
pub const TD_LINE: &str = "py-2 pr-3";
pub const TD_LINE_NUM: &str = "px-3 py-2 text-right tabular-nums";

pub const LINK: &str = "text-indigo-700 hover:underline";
/// The link to a record in the first column of a list.
pub const ROW_LINK: &str = "font-medium text-indigo-700 hover:underline";

pub const BUTTON_PRIMARY: &str = "inline-flex items-center justify-center rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-indigo-700 focus:outline-none focus:ring-2 focus:ring-indigo-300 disabled:opacity-60";
pub const BUTTON_SECONDARY: &str = "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-200 disabled:opacity-60";
pub const BUTTON_SECONDARY_SMALL: &str = "inline-flex items-center justify-center rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-sm hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-200 disabled:opacity-60";
pub const BUTTON_DANGER_SMALL: &str = "inline-flex items-center justify-center rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 focus:outline-none focus:ring-2 focus:ring-red-300 disabled:opacity-60";
/// Tiny buttons inside a row (move up, remove).
pub const BUTTON_TINY: &str = "rounded-md border border-slate-300 bg-white px-2 py-1 text-xs font-medium text-slate-700 hover:bg-slate-50 focus:outline-none focus:ring-2 focus:ring-indigo-200 disabled:opacity-40";
/// A button that reads as a link.
pub const BUTTON_LINK: &str = "text-sm font-medium text-indigo-700 hover:underline disabled:opacity-60";

/// "Done" after an action (`role="status"`).
pub const NOTICE: &str = "rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800";
/// Something that stops the action (`role="alert"`).
pub const WARNING: &str = "rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900";
pub const DANGER_BANNER: &str = "rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800";
/// The card of a dangerous action (ban, suspend, block): a red border.
pub const CARD_DANGER: &str = "rounded-xl border border-red-200 bg-white p-6";

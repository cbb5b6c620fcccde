//! The seller center (`/seller`): status and next steps, the listings table, the listing editor and
//! each listing's review history.

pub mod pages;

//! Seller onboarding: applying to sell (`/sell`), the application's documents and history, and the
//! seller organisation's team (`/seller/team`).

pub mod pages;

//! Paying for a checkout: bank transfer with proof, or the sandbox card.

pub mod pages;

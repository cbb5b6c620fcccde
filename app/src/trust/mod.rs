//! Trust & safety on the buyer's and seller's side: reporting a listing or a seller, appealing a
//! takedown.

pub mod components;
pub mod pages;

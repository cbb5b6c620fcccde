//! Curation's console pages: the curation page, the listing directory and one listing's page.

pub mod curation;
pub mod directory;
pub mod listing;

use crate::components::Tone;
use crate::domain::listing::ListingStatus;

/// How a listing status's badge looks.
fn status_tone(s: ListingStatus) -> Tone {
    match s {
        ListingStatus::Active => Tone::Success,
        ListingStatus::SoldOut | ListingStatus::PendingReview => Tone::Info,
        ListingStatus::Blocked | ListingStatus::Rejected => Tone::Danger,
        ListingStatus::Draft | ListingStatus::Inactive => Tone::Neutral,
    }
}

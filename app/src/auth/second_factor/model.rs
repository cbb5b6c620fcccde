//! What the account page and the sign-in step know of the second factor.

use serde::{Deserialize, Serialize};

/// The account page's view: on or off, and how many recovery codes are still unused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecondFactorState {
    pub enabled: bool,
    pub recovery_codes_left: i64,
}

/// A key being enrolled, shown once: as a QR code (an SVG element) for the app's camera, as text to
/// type by hand, and as the `otpauth://` address the QR code holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Enrolment {
    pub key: String,
    pub qr_svg: String,
    pub uri: String,
}

//! What an uploaded file is, decided from its bytes (never from its name or the browser's claimed
//! type), and whether it may be stored for the purpose it was sent for.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Purpose {
    /// A product photo: public once uploaded (it is meant to be shown), JPEG, PNG or WebP.
    ListingImage,
    /// A document of a seller application: readable only by the seller's members and operators
    /// who review sellers; PDF, JPEG or PNG.
    SellerDocument,
    /// A buyer's proof of a bank transfer: readable only by that buyer and operators with
    /// `payments.view`; PDF, JPEG or PNG, within the document size limit.
    PaymentProof,
    /// Evidence for a refund or dispute on one order (`uploads.kind` = `order:<id>`): readable by the
    /// uploader, the order's buyer, its seller's members and operators with `refunds.view`; PDF,
    /// JPEG or PNG, within the document size limit.
    Evidence,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::ListingImage => "listing_image",
            Purpose::SellerDocument => "seller_document",
            Purpose::PaymentProof => "payment_proof",
            Purpose::Evidence => "evidence",
        }
    }

    pub fn parse(s: &str) -> Option<Purpose> {
        [Purpose::ListingImage, Purpose::SellerDocument, Purpose::PaymentProof, Purpose::Evidence]
            .into_iter()
            .find(|p| p.as_str() == s)
    }
}

/// Kinds of seller document the application asks for.
pub const DOCUMENT_KINDS: [&str; 3] = ["business_licence", "identity", "other"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UploadError {
    Empty,
    TooLarge,
    /// Not a type this purpose accepts (whatever its name says).
    WrongType,
    /// An image whose header cannot be read, or whose dimensions are out of bounds.
    BadImage,
    TooSmallImage,
    TooLargeImage,
}

impl UploadError {
    pub fn code(self) -> &'static str {
        match self {
            UploadError::Empty => "upload.empty",
            UploadError::TooLarge => "upload.too_large",
            UploadError::WrongType => "upload.wrong_type",
            UploadError::BadImage => "upload.bad_image",
            UploadError::TooSmallImage => "upload.image_too_small",
            UploadError::TooLargeImage => "upload.image_too_large",
        }
    }

    /// The HTTP status it answers with.
    pub fn status(self) -> u16 {
        match self {
            UploadError::TooLarge => 413,
            UploadError::WrongType => 415,
            _ => 400,
        }
    }
}

/// Product photos must be at least this many pixels on each side, and at most `MAX_IMAGE_SIDE`.
pub const MIN_IMAGE_SIDE: u32 = 200;
pub const MAX_IMAGE_SIDE: u32 = 8_000;
pub const FILE_NAME_MAX_CHARS: usize = 120;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl FileType {
    pub fn content_type(self) -> &'static str {
        match self {
            FileType::Jpeg => "image/jpeg",
            FileType::Png => "image/png",
            FileType::Webp => "image/webp",
            FileType::Pdf => "application/pdf",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            FileType::Jpeg => "jpg",
            FileType::Png => "png",
            FileType::Webp => "webp",
            FileType::Pdf => "pdf",
        }
    }

    pub fn is_image(self) -> bool {
        self != FileType::Pdf
    }
}

/// What the bytes turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inspected {
    pub file_type: FileType,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

pub fn file_type(bytes: &[u8]) -> Option<FileType> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(FileType::Jpeg)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(FileType::Png)
    } else if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(FileType::Webp)
    } else if bytes.starts_with(b"%PDF-") {
        Some(FileType::Pdf)
    } else {
        None
    }
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?]) as u32)
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]) as u32)
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([*b.get(at)?, *b.get(at + 1)?, *b.get(at + 2)?, 0]))
}

/// Width and height from the image header.
pub fn dimensions(file_type: FileType, b: &[u8]) -> Option<(u32, u32)> {
    match file_type {
        FileType::Png => {
            if b.get(12..16)? != b"IHDR" {
                return None;
            }
            let w = u32::from_be_bytes(b.get(16..20)?.try_into().ok()?);
            let h = u32::from_be_bytes(b.get(20..24)?.try_into().ok()?);
            Some((w, h))
        }
        FileType::Jpeg => {
            // Walk the marker segments to the first start-of-frame.
            let mut i = 2;
            loop {
                while *b.get(i)? == 0xFF && *b.get(i + 1)? == 0xFF {
                    i += 1;
                }
                if *b.get(i)? != 0xFF {
                    return None;
                }
                let marker = *b.get(i + 1)?;
                let len = be16(b, i + 2)? as usize;
                let is_sof = (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
                if is_sof {
                    return Some((be16(b, i + 7)?, be16(b, i + 5)?));
                }
                if len < 2 {
                    return None;
                }
                i += 2 + len;
            }
        }
        FileType::Webp => match b.get(12..16)? {
            b"VP8 " => Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF)),
            b"VP8L" => {
                let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
                Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
            }
            b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
            _ => None,
        },
        FileType::Pdf => None,
    }
}

/// Decides whether `bytes` may be stored for `purpose` under `max_bytes`.
pub fn inspect(purpose: Purpose, bytes: &[u8], max_bytes: usize) -> Result<Inspected, UploadError> {
    if bytes.is_empty() {
        return Err(UploadError::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(UploadError::TooLarge);
    }
    let file_type = file_type(bytes).ok_or(UploadError::WrongType)?;
    let accepted = match purpose {
        Purpose::ListingImage => file_type.is_image(),
        Purpose::SellerDocument | Purpose::PaymentProof | Purpose::Evidence => {
            matches!(file_type, FileType::Pdf | FileType::Jpeg | FileType::Png)
        }
    };
    if !accepted {
        return Err(UploadError::WrongType);
    }
    if !file_type.is_image() {
        return Ok(Inspected { file_type, width: None, height: None });
    }
    let (w, h) = dimensions(file_type, bytes).ok_or(UploadError::BadImage)?;
    if w == 0 || h == 0 {
        return Err(UploadError::BadImage);
    }
    if w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
        return Err(UploadError::TooLargeImage);
    }
    if purpose == Purpose::ListingImage && (w < MIN_IMAGE_SIDE || h < MIN_IMAGE_SIDE) {
        return Err(UploadError::TooSmallImage);
    }
    Ok(Inspected { file_type, width: Some(w), height: Some(h) })
}

/// A file name safe to store and show: the last path segment, printable, at most 120 characters.
pub fn clean_file_name(name: &str) -> String {
    let last = name.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = last.chars().filter(|c| !c.is_control() && *c != '"').take(FILE_NAME_MAX_CHARS).collect();
    if cleaned.trim().is_empty() {
        "file".to_string()
    } else {
        cleaned.trim().to_string()
    }
}

/// Test fixtures: the smallest valid headers of each image type with given dimensions.
pub mod fixtures {
    pub fn png(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
        b
    }

    pub fn jpeg(w: u16, h: u16) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        b.extend_from_slice(b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0");
        b.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x11, 0x08]);
        b.extend_from_slice(&h.to_be_bytes());
        b.extend_from_slice(&w.to_be_bytes());
        b.extend_from_slice(&[0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MB: usize = 1024 * 1024;

    #[test]
    fn images_are_recognised_by_their_bytes_with_dimensions() {
        let i = inspect(Purpose::ListingImage, &fixtures::png(800, 600), MB).unwrap();
        assert_eq!((i.file_type, i.width, i.height), (FileType::Png, Some(800), Some(600)));
        let i = inspect(Purpose::ListingImage, &fixtures::jpeg(640, 480), MB).unwrap();
        assert_eq!((i.file_type, i.width, i.height), (FileType::Jpeg, Some(640), Some(480)));
    }

    #[test]
    fn webp_headers_are_read() {
        let mut vp8x = b"RIFF\0\0\0\0WEBPVP8X\x0a\0\0\0\0\0\0\0".to_vec();
        vp8x.extend_from_slice(&[0x1F, 0x03, 0x00, 0x57, 0x02, 0x00]); // 800 x 600, stored minus one
        assert_eq!(dimensions(FileType::Webp, &vp8x), Some((800, 600)));
    }

    #[test]
    fn a_script_named_photo_jpg_is_refused() {
        let e = inspect(Purpose::ListingImage, b"<script>alert(1)</script>", MB).unwrap_err();
        assert_eq!(e, UploadError::WrongType);
        assert_eq!(e.status(), 415);
    }

    #[test]
    fn pdfs_are_documents_not_product_photos() {
        let pdf = b"%PDF-1.7\n...";
        assert!(inspect(Purpose::SellerDocument, pdf, MB).is_ok());
        assert_eq!(inspect(Purpose::ListingImage, pdf, MB), Err(UploadError::WrongType));
    }

    #[test]
    fn sizes_and_dimensions_have_limits() {
        assert_eq!(inspect(Purpose::ListingImage, &[], MB), Err(UploadError::Empty));
        assert_eq!(inspect(Purpose::ListingImage, &fixtures::png(800, 600), 10), Err(UploadError::TooLarge));
        assert_eq!(inspect(Purpose::ListingImage, &fixtures::png(50, 600), MB), Err(UploadError::TooSmallImage));
        assert_eq!(inspect(Purpose::ListingImage, &fixtures::png(9000, 600), MB), Err(UploadError::TooLargeImage));
        assert_eq!(inspect(Purpose::ListingImage, b"\x89PNG\r\n\x1a\n garbage", MB), Err(UploadError::BadImage));
        // A small scan is fine as a document.
        assert!(inspect(Purpose::SellerDocument, &fixtures::png(50, 60), MB).is_ok());
    }

    #[test]
    fn payment_proofs_are_pdfs_or_photos_of_a_receipt() {
        assert!(inspect(Purpose::PaymentProof, b"%PDF-1.4\n...", MB).is_ok());
        assert!(inspect(Purpose::PaymentProof, &fixtures::jpeg(60, 40), MB).is_ok());
        assert_eq!(inspect(Purpose::PaymentProof, b"RIFF\0\0\0\0WEBPVP8X", MB), Err(UploadError::WrongType));
        assert_eq!(inspect(Purpose::PaymentProof, b"hello", MB), Err(UploadError::WrongType));
        assert_eq!(inspect(Purpose::PaymentProof, &fixtures::png(800, 600), 10), Err(UploadError::TooLarge));
        assert_eq!(Purpose::parse("payment_proof"), Some(Purpose::PaymentProof));
    }

    #[test]
    fn evidence_is_a_pdf_or_a_photo_within_the_document_limit() {
        assert!(inspect(Purpose::Evidence, b"%PDF-1.7\n...", MB).is_ok());
        assert!(inspect(Purpose::Evidence, &fixtures::png(120, 80), MB).is_ok());
        assert!(inspect(Purpose::Evidence, &fixtures::jpeg(60, 40), MB).is_ok());
        let wrong = inspect(Purpose::Evidence, b"<html><script>x</script>", MB).unwrap_err();
        assert_eq!((wrong, wrong.status()), (UploadError::WrongType, 415));
        assert_eq!(inspect(Purpose::Evidence, b"RIFF\0\0\0\0WEBPVP8X", MB), Err(UploadError::WrongType));
        let big = inspect(Purpose::Evidence, &fixtures::png(800, 600), 10).unwrap_err();
        assert_eq!((big, big.status()), (UploadError::TooLarge, 413));
        assert_eq!(Purpose::parse("evidence"), Some(Purpose::Evidence));
        assert_eq!(Purpose::Evidence.as_str(), "evidence");
    }

    #[test]
    fn file_names_are_cleaned() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\me\\licence.pdf"), "licence.pdf");
        assert_eq!(clean_file_name("a\"b\u{0}.png"), "ab.png");
        assert_eq!(clean_file_name(""), "file");
        assert_eq!(clean_file_name(&"x".repeat(300)).chars().count(), 120);
    }
}

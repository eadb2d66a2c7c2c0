//! The 电子协议书 (see README of the crate's caller). Interface only; being written.
use domain::view::AgreementDoc;

/// Renders the agreement. `font` is a standalone TrueType font with CJK glyphs.
pub fn render(_doc: &AgreementDoc, _font: &[u8]) -> Result<Vec<u8>, String> {
    Err("未实现".into())
}

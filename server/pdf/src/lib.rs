//! # agreement_pdf — the 电子协议书
//!
//! Renders a 高校毕业生就业协议书 (三方协议: 甲方 employer, 乙方 graduate, 丙方 school) from a
//! [`domain::view::AgreementDoc`] as an A4 PDF, in Chinese.
//!
//! ```no_run
//! # fn demo(doc: &domain::view::AgreementDoc) -> Result<(), agreement_pdf::PdfError> {
//! // Once, at start-up: the path, else $AGREEMENT_FONT, else Debian's fonts-wqy-zenhei.
//! let font = agreement_pdf::AgreementFont::load(None)?;
//! // Per request (CPU-bound, ~tens of ms: call it from a blocking task).
//! let pdf: Vec<u8> = agreement_pdf::render(doc, &font)?;
//! # Ok(()) }
//! ```
//!
//! How it works, and why:
//! - Layout is genpdf 0.2. Its font reader (rusttype 0.8) cannot open `.ttc` collections, so
//!   [`AgreementFont`] extracts face 0 into a standalone TrueType font when loading.
//! - genpdf would embed the whole multi-megabyte CJK font, uncompressed, in every PDF. Each
//!   document instead gets a font subset to the characters it uses (allsorts), and its
//!   streams are then deflated: a typical agreement is 2 pages and about 70 KB.
//! - genpdf breaks lines only at ASCII spaces and drops text wider than a line, so text is fed
//!   to it one CJK character at a time (see `text.rs`).
//! - Characters the font lacks are printed as `□`: a line never loses text silently.
//! - Only the regular style is embedded: the font has no bold face, so bold would look the
//!   same and cost a second copy of the font. Emphasis is by size and colour; bold and
//!   italic styles map to a built-in PDF font that cannot print Chinese and are never used.

mod content;
mod deflate;
mod error;
mod font;
mod text;

use domain::view::AgreementDoc;
use genpdf::fonts::{FontData, FontFamily};
use genpdf::{Document, PaperSize, SimplePageDecorator};

pub use error::PdfError;
pub use font::{AgreementFont, DEFAULT_FONT_PATH, FONT_ENV_VAR};

/// Renders the agreement as a PDF. Errors (in Chinese, for logs) only if the font cannot be
/// subset or genpdf fails; odd field values (empty, very long, unprintable) are rendered as
/// best they can be.
pub fn render(doc: &AgreementDoc, font: &AgreementFont) -> Result<Vec<u8>, PdfError> {
    let mut writer = content::Writer::new(font);
    let body = writer.agreement(doc);
    let header = writer.header(doc);

    let subset = font.subset(&writer.used)?;
    let embedded = FontData::new(subset.clone(), None)?;
    // genpdf embeds every family member separately, and printpdf scans all of Unicode for
    // each embedded font (~25 ms), so only `regular` is embedded: the other styles point at
    // a built-in PDF font (which cannot print Chinese) and are never used.
    let unused = FontData::new(subset, Some(printpdf::BuiltinFont::Helvetica))?;
    let family = FontFamily {
        regular: embedded,
        bold: unused.clone(),
        italic: unused.clone(),
        bold_italic: unused,
    };

    let mut pdf = Document::new(family);
    // The PDF title is written as raw bytes: keep it ASCII so that viewers show it correctly.
    let no: String = doc.agreement_no.chars().filter(|c| c.is_ascii_graphic()).collect();
    pdf.set_title(format!("Employment agreement {no}"));
    pdf.set_minimal_conformance(); // no ICC profile or XMP metadata: smaller files
    pdf.set_paper_size(PaperSize::A4);
    pdf.set_font_size(content::BODY_SIZE);
    pdf.set_line_spacing(1.3);
    let mut decorator = SimplePageDecorator::new();
    decorator.set_margins((12, 18, 15, 18));
    decorator.set_header(header);
    pdf.set_page_decorator(decorator);
    pdf.push(body);

    let mut out = Vec::new();
    pdf.render(&mut out)?;
    // Halves the file. Only an optimisation: if printpdf's output ever looks different, the
    // uncompressed PDF is just as valid.
    Ok(deflate::deflate_streams(&out).unwrap_or(out))
}

//! The CJK font: loaded once, then subset per document.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tag;

use crate::PdfError;

/// Debian's `fonts-wqy-zenhei`: TrueType outlines, Latin letters and digits, and a clean
/// Unicode mapping (text copied out of the PDF is the text that went in).
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc";

/// Overrides the default font path when `load` is given none.
pub const FONT_ENV_VAR: &str = "AGREEMENT_FONT";

/// Printed for characters the font has no glyph for (rare 生僻字, emoji), so that a line is
/// never shortened silently. Falls back to `?` if the font lacks it too.
const PLACEHOLDER: char = '□';

/// A standalone TrueType font with CJK glyphs, ready for [`crate::render`].
///
/// Load it once at start-up; cloning is cheap (the bytes are shared).
#[derive(Clone)]
pub struct AgreementFont(Arc<Inner>);

struct Inner {
    /// Where it came from, for error messages and `Debug`.
    path: PathBuf,
    /// A standalone `.ttf` (face 0 of a `.ttc`), the input of every subset.
    ttf: Arc<[u8]>,
    /// The same bytes as rusttype reads them: glyph lookups for coverage checks.
    glyphs: rusttype::Font<'static>,
    /// What to print for a character the font lacks.
    placeholder: char,
}

impl AgreementFont {
    /// Loads the font from `path`, else from `$AGREEMENT_FONT`, else from
    /// [`DEFAULT_FONT_PATH`]. A `.ttc` collection is reduced to its first face, because
    /// genpdf (rusttype 0.8) and PDF embedding need a standalone font. The font must have
    /// TrueType (`glyf`) outlines; CFF fonts such as Noto CJK are rejected.
    pub fn load(path: Option<&Path>) -> Result<Self, PdfError> {
        let path = match path {
            Some(p) => p.to_path_buf(),
            None => std::env::var_os(FONT_ENV_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(DEFAULT_FONT_PATH)),
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(source) => return Err(PdfError::FontUnreadable { path, source }),
        };
        Self::from_bytes(path, &bytes)
    }

    fn from_bytes(path: PathBuf, bytes: &[u8]) -> Result<Self, PdfError> {
        let fail = |why: String| PdfError::FontUnusable {
            path: path.clone(),
            reason: why,
        };
        let ttf: Arc<[u8]> = first_face(bytes).map_err(|e| fail(e.into()))?.into();
        if !has_table(&ttf, b"glyf") {
            return Err(fail("需要 TrueType 轮廓（glyf 表），CFF 字体不受支持".into()));
        }
        let glyphs = rusttype::Font::from_bytes(ttf.clone()).map_err(|e| fail(e.to_string()))?;
        if glyphs.units_per_em() == 0 {
            return Err(fail("units_per_em 为 0".into()));
        }
        let has = |c: char| glyphs.glyph(c).id().0 != 0;
        let placeholder = if has(PLACEHOLDER) { PLACEHOLDER } else { '?' };
        if !has('协') || !has(placeholder) {
            return Err(fail("缺少中文字形".into()));
        }
        Ok(AgreementFont(Arc::new(Inner {
            path,
            ttf,
            glyphs,
            placeholder,
        })))
    }

    fn glyph_id(&self, c: char) -> u16 {
        // rusttype answers glyph 0 (.notdef) for unmapped characters. Glyph ids fit in u16.
        self.0.glyphs.glyph(c).id().0 as u16
    }

    fn has_glyph(&self, c: char) -> bool {
        self.glyph_id(c) != 0
    }

    /// `c` if the font can draw it, else the placeholder.
    pub(crate) fn printable(&self, c: char) -> char {
        if c == ' ' || self.has_glyph(c) {
            c
        } else {
            self.0.placeholder
        }
    }

    /// A standalone font with only the glyphs of `chars` (and glyph 0, which PDF viewers
    /// draw for anything unmapped). Glyph ids are renumbered, so the subset must be used
    /// for layout as well as embedding: genpdf does both from the same bytes.
    pub(crate) fn subset(&self, chars: &BTreeSet<char>) -> Result<Vec<u8>, PdfError> {
        let mut ids: Vec<u16> = chars.iter().map(|&c| self.glyph_id(c)).collect();
        ids.push(0);
        ids.sort_unstable();
        ids.dedup();
        let fail = |e: &dyn fmt::Display| PdfError::Subset {
            path: self.0.path.clone(),
            reason: e.to_string(),
        };
        let file = ReadScope::new(&self.0.ttf)
            .read::<FontData<'_>>()
            .map_err(|e| fail(&e))?;
        let provider = file.table_provider(0).map_err(|e| fail(&e))?;
        // Only what rusttype needs for layout and a PDF viewer needs to draw: no `name`,
        // no hinting programs (cvt/fpgm/prep), which would only add bytes.
        let profile = SubsetProfile::Custom(vec![tag::CMAP, tag::HEAD, tag::HHEA, tag::HMTX, tag::MAXP, tag::POST]);
        subset(&provider, &ids, &profile, CmapTarget::Unicode).map_err(|e| fail(&e))
    }
}

impl fmt::Debug for AgreementFont {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgreementFont")
            .field("path", &self.0.path)
            .field("bytes", &self.0.ttf.len())
            .finish()
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// The sum the OpenType spec defines for a table or file: big-endian u32 words, zero-padded.
fn checksum(data: &[u8]) -> u32 {
    data.chunks(4)
        .map(|w| {
            let mut word = [0u8; 4];
            word[..w.len()].copy_from_slice(w);
            u32::from_be_bytes(word)
        })
        .fold(0u32, u32::wrapping_add)
}

fn has_table(sfnt: &[u8], name: &[u8; 4]) -> bool {
    let n = be16(sfnt, 4).unwrap_or(0) as usize;
    (0..n).any(|i| sfnt.get(12 + 16 * i..16 + 16 * i) == Some(&name[..]))
}

/// Face 0 of a `.ttc` collection (or the font itself) as a standalone font: its table
/// directory followed by copies of its tables, with the offsets rewritten. Table bytes are
/// copied unchanged, so their checksums stay valid, except:
/// - `post` is cut to its 32-byte version 3 header. Its glyph names (450 KB in
///   wqy-zenhei) are used by nobody here, yet every subset would parse them again.
/// - `head`'s checksum and `checkSumAdjustment` are recomputed for the new file.
fn first_face(bytes: &[u8]) -> Result<Vec<u8>, &'static str> {
    let truncated = || "文件不完整";
    let face = if bytes.get(..4) == Some(b"ttcf") {
        be32(bytes, 12).ok_or_else(truncated)? as usize
    } else {
        0
    };
    let num_tables = be16(bytes, face + 4).ok_or_else(truncated)? as usize;
    let header = bytes.get(face..face + 12 + 16 * num_tables).ok_or_else(truncated)?;

    let mut out = header.to_vec();
    let mut head_at = None;
    for i in 0..num_tables {
        let record = 12 + 16 * i;
        let tag = &header[record..record + 4];
        let (offset, len) = (
            be32(header, record + 8).unwrap() as usize,
            be32(header, record + 12).unwrap() as usize,
        );
        let mut table = bytes.get(offset..offset.saturating_add(len)).ok_or_else(truncated)?;
        let new_offset = out.len();
        if tag == b"head" {
            head_at = Some((record, new_offset, len));
        }
        if tag == b"post" && len > 32 {
            table = &table[..32];
            out.extend_from_slice(&0x0003_0000u32.to_be_bytes());
            out.extend_from_slice(&table[4..]);
            let sum = checksum(&out[new_offset..]);
            out[record + 4..record + 8].copy_from_slice(&sum.to_be_bytes());
            out[record + 12..record + 16].copy_from_slice(&32u32.to_be_bytes());
        } else {
            out.extend_from_slice(table);
        }
        out[record + 8..record + 12].copy_from_slice(&(new_offset as u32).to_be_bytes());
        // Tables start on 4-byte boundaries; the zero padding does not change checksums.
        out.resize(out.len().next_multiple_of(4), 0);
    }

    if let Some((record, head, len)) = head_at.filter(|&(_, _, len)| len >= 12) {
        // The spec computes head's own checksum with checkSumAdjustment zeroed (collections
        // written by FontForge do not), then sets the adjustment so the file sums to a magic.
        out[head + 8..head + 12].fill(0);
        let sum = checksum(&out[head..head + len]);
        out[record + 4..record + 8].copy_from_slice(&sum.to_be_bytes());
        let adjustment = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[head + 8..head + 12].copy_from_slice(&adjustment.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_face_of_a_collection_is_a_standalone_font_with_valid_checksums() {
        let ttc = std::fs::read(DEFAULT_FONT_PATH).expect("fonts-wqy-zenhei must be installed");
        let ttf = first_face(&ttc).unwrap();
        assert_ne!(&ttf[..4], b"ttcf");
        let n = be16(&ttf, 4).unwrap() as usize;
        for i in 0..n {
            let r = 12 + 16 * i;
            let (tag, sum) = (&ttf[r..r + 4], be32(&ttf, r + 4).unwrap());
            let (off, len) = (
                be32(&ttf, r + 8).unwrap() as usize,
                be32(&ttf, r + 12).unwrap() as usize,
            );
            assert_eq!(off % 4, 0);
            let mut table = ttf[off..off + len].to_vec();
            if tag == b"head" {
                table[8..12].fill(0); // excluded from head's own checksum
            }
            assert_eq!(checksum(&table), sum, "table {}", String::from_utf8_lossy(tag));
        }
        assert_eq!(checksum(&ttf), 0xB1B0_AFBA, "whole-file checksum");
        // Extracting again from the standalone font changes nothing.
        assert_eq!(first_face(&ttf).unwrap(), ttf);
        rusttype::Font::from_bytes(ttf).expect("rusttype reads the extracted face");
    }

    #[test]
    fn a_truncated_collection_is_an_error_not_a_panic() {
        let ttc = std::fs::read(DEFAULT_FONT_PATH).unwrap();
        for len in [3, 12, 16, 40, 300, 5000] {
            let _ = AgreementFont::from_bytes("cut.ttc".into(), &ttc[..len]);
        }
        assert!(AgreementFont::from_bytes("cut.ttc".into(), &ttc[..300]).is_err());
    }

    #[test]
    fn the_font_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<AgreementFont>();
    }

    #[test]
    fn a_missing_font_file_is_reported_with_its_path() {
        let err = AgreementFont::load(Some(Path::new("/nonexistent/font.ttc"))).unwrap_err();
        assert!(matches!(err, PdfError::FontUnreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("/nonexistent/font.ttc"), "{err}");
    }

    #[test]
    fn characters_missing_from_the_font_become_a_placeholder() {
        let font = AgreementFont::load(Some(Path::new(DEFAULT_FONT_PATH))).unwrap();
        assert_eq!(font.printable('协'), '协');
        assert_eq!(font.printable('A'), 'A');
        let missing = font.printable('\u{1F600}'); // an emoji
        assert!(missing == PLACEHOLDER || missing == '?');
    }
}

//! printpdf writes the embedded font and the page contents uncompressed, about 60% of a
//! finished agreement. Re-reading the PDF with lopdf to compress it costs ~20 ms, so this
//! rewrites printpdf's output directly: it knows only the simple file layout lopdf 0.26
//! writes (one xref section, objects as `N 0 obj<<…>>stream\n…endstream endobj`) and gives
//! up on anything else, leaving the caller with the uncompressed, equally valid PDF.

use std::io::Write;

use flate2::write::ZlibEncoder;
use flate2::Compression;

/// The PDF with every unfiltered stream deflated, or `None` if the file is not laid out as
/// expected.
pub(crate) fn deflate_streams(pdf: &[u8]) -> Option<Vec<u8>> {
    let xref_at = parse_num(after(pdf, rfind(pdf, b"startxref\n")?, b"startxref\n")?)?.0;
    let (objects, trailer) = parse_xref(pdf, xref_at)?;

    let mut in_order: Vec<(usize, usize)> = objects
        .iter()
        .enumerate()
        .filter_map(|(id, &o)| Some((o?, id)))
        .collect();
    in_order.sort_unstable();
    let first = in_order.first()?.0;

    let mut out = Vec::with_capacity(pdf.len() / 2);
    out.extend_from_slice(pdf.get(..first)?); // %PDF header
    let mut new_offsets = vec![None; objects.len()];
    for (i, &(start, id)) in in_order.iter().enumerate() {
        let end = in_order.get(i + 1).map_or(xref_at, |&(next, _)| next);
        new_offsets[id] = Some(out.len());
        write_object(&mut out, pdf.get(start..end)?)?;
    }

    let xref = out.len();
    write!(out, "xref\n0 {}\n", objects.len()).ok()?;
    for offset in new_offsets {
        match offset {
            Some(o) => writeln!(out, "{o:010} 00000 n "),
            None => writeln!(out, "0000000000 65535 f "),
        }
        .ok()?;
    }
    out.extend_from_slice(trailer);
    write!(out, "startxref\n{xref}\n%%EOF").ok()?;
    Some(out)
}

/// Copies one object, deflating its stream if it has an unfiltered one.
fn write_object(out: &mut Vec<u8>, object: &[u8]) -> Option<()> {
    let Some(dict_end) = find(object, b">>stream\n").map(|i| i + 2) else {
        out.extend_from_slice(object);
        return Some(());
    };
    let dict = &object[..dict_end];
    if find(dict, b"/Filter").is_some() {
        out.extend_from_slice(object);
        return Some(());
    }
    // printpdf's stream dicts hold names and numbers only: `/Length ` is the entry itself
    // (`/Length1 ` is the font's uncompressed size and stays as it is).
    let length_at = find(dict, b"/Length ")?;
    let (length, digits) = parse_num(&dict[length_at + 8..])?;
    let content_at = dict_end + b"stream\n".len();
    let content = object.get(content_at..content_at + length)?;
    let rest = &object[content_at + length..];
    if !rest.starts_with(b"endstream") {
        return None;
    }

    // The fastest level: glyph outlines barely compress better at level 6, which takes
    // three times as long.
    let mut z = ZlibEncoder::new(Vec::with_capacity(length / 2), Compression::fast());
    z.write_all(content).ok()?;
    let packed = z.finish().ok()?;

    out.extend_from_slice(&dict[..length_at]);
    write!(out, "/Filter/FlateDecode/Length {}", packed.len()).ok()?;
    out.extend_from_slice(&dict[length_at + 8 + digits..]);
    out.extend_from_slice(b"stream\n");
    out.extend_from_slice(&packed);
    out.extend_from_slice(rest);
    Some(())
}

/// The object offsets (`None` for free entries) of the single xref section at `at`, and
/// the trailer up to `startxref`.
fn parse_xref(pdf: &[u8], at: usize) -> Option<(Vec<Option<usize>>, &[u8])> {
    let section = after(pdf, at, b"xref\n")?;
    let (first_id, n) = parse_num(section)?;
    if first_id != 0 || section.get(n) != Some(&b' ') {
        return None;
    }
    let (count, m) = parse_num(&section[n + 1..])?;
    let entries = section.get(n + 1 + m + 1..)?; // past the newline
    let mut objects = Vec::with_capacity(count);
    for i in 0..count {
        let entry = entries.get(20 * i..20 * i + 20)?;
        let (offset, _) = parse_num(entry)?;
        objects.push(match entry[17] {
            b'n' => Some(offset),
            b'f' => None,
            _ => return None,
        });
    }
    let trailer = &entries[20 * count..];
    if !trailer.starts_with(b"trailer") {
        return None;
    }
    let end = rfind(trailer, b"startxref\n")?;
    Some((objects, &trailer[..end]))
}

/// A decimal number at the start of `s`, and how many digits it took.
fn parse_num(s: &[u8]) -> Option<(usize, usize)> {
    let digits = s.iter().take_while(|b| b.is_ascii_digit()).count();
    let text = std::str::from_utf8(&s[..digits]).ok()?;
    Some((text.parse().ok()?, digits))
}

fn after<'a>(s: &'a [u8], at: usize, prefix: &[u8]) -> Option<&'a [u8]> {
    s.get(at..)?.strip_prefix(prefix)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn rfind(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_but_the_expected_layout_is_left_alone() {
        for junk in [
            &b""[..],
            b"%PDF-1.3\n",
            b"startxref\n99\n%%EOF",
            b"xref\n0 1\nstartxref\n0\n%%EOF",
        ] {
            assert_eq!(deflate_streams(junk), None);
        }
    }
}

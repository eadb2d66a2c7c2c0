//! Reading .xlsx (Office Open XML, a zip of XML parts) with calamine's streaming cell reader.
//!
//! Never `worksheet_range`: it builds a dense grid over the outermost cells (A1 + XFD1048576 =
//! 17 billion cells, the process aborts). Cells are streamed one at a time and the sheet is
//! refused at its declared dimension or at the first cell outside the allowed area.
//!
//! Before calamine opens the zip, the package is checked: the parts together may not declare more
//! than [`MAX_INFLATED`] bytes (zip bombs), and `sharedStrings.xml` may not declare an absurd
//! `uniqueCount` (calamine reserves that many strings up front — a one-line forgery would abort
//! the process). The declared sizes bound what calamine can inflate: the zip crate's
//! `ZipArchive` (which calamine reads through) stops with an error as soon as a part inflates past
//! its declared size. So only `sharedStrings.xml` is inflated here (to scan it); the sheet, the
//! largest part, is inflated once, by calamine.

use std::io::{Cursor, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{DataRef, Reader, SheetType, Xlsx};
use zip::ZipArchive;

use crate::sheet::{Collector, Value};
use crate::{sheet::Cell, ImportError};

/// Everything in the package together may inflate to at most this many bytes. A full sheet
/// within the row and column limits stays far below it.
const MAX_INFLATED: u64 = 100 * 1024 * 1024;
/// At most this many parts in the package.
const MAX_PARTS: usize = 10_000;
/// The largest `uniqueCount` a shared-string table may declare.
const MAX_UNIQUE_STRINGS: u64 = 1_000_000;

/// Whether the bytes are a zip archive at all (an .xlsx is one).
pub(crate) fn is_zip(bytes: &[u8]) -> bool {
    ZipArchive::new(Cursor::new(bytes)).is_ok()
}

pub(crate) fn read(bytes: &[u8], sheet: &str) -> Result<Vec<Cell>, ImportError> {
    check_package(bytes)?;
    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<Cell>, ImportError> {
        let mut book = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
            calamine::XlsxError::Password => ImportError::Encrypted,
            _ => ImportError::Unreadable,
        })?;
        let sheets: Vec<(String, bool)> = book
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.typ == SheetType::WorkSheet))
            .collect();
        let name = crate::pick_sheet(&sheets, sheet).ok_or(ImportError::NoSheet)?;
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(|_| ImportError::Unreadable)?;
        let declared = reader.dimensions();
        Collector::check_extent(declared.end.0, declared.end.1)?;
        let mut cells = Collector::default();
        while let Some(cell) = reader.next_cell().map_err(|_| ImportError::Unreadable)? {
            let (row, col) = cell.get_position();
            cells.push(row, col, convert(cell.get_value()))?;
        }
        Ok(cells.finish())
    }));
    outcome.unwrap_or(Err(ImportError::Unreadable))
}

fn convert(v: &DataRef<'_>) -> Option<Value> {
    match v {
        DataRef::Empty => None,
        DataRef::String(s) => Value::text(s),
        DataRef::SharedString(s) => Value::text(s),
        DataRef::Int(i) => Some(Value::Int(*i)),
        DataRef::Float(f) => Some(Value::Float(*f)),
        DataRef::Bool(b) => Some(Value::Bool(*b)),
        DataRef::DateTime(_) | DataRef::DateTimeIso(_) | DataRef::DurationIso(_) => Some(Value::Date),
        DataRef::Error(_) => Some(Value::Error),
    }
}

/// Adds up the declared part sizes and scans the shared-string table.
fn check_package(bytes: &[u8]) -> Result<(), ImportError> {
    check_package_within(bytes, MAX_INFLATED)
}

/// `max_inflated` bounds the sum of the parts' declared (uncompressed) sizes. A part cannot
/// inflate past its declared size through `ZipArchive` (reading fails there, see the module
/// doc), so this bounds what calamine can inflate without inflating anything here; only the
/// shared-string table is inflated (within its declared size) to check its `uniqueCount`.
pub(crate) fn check_package_within(bytes: &[u8], max_inflated: u64) -> Result<(), ImportError> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::Unreadable)?;
    if zip.len() > MAX_PARTS {
        return Err(ImportError::ContentTooLarge);
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| ImportError::Unreadable)?;
        total = total.saturating_add(part.size());
        if total > max_inflated {
            return Err(ImportError::ContentTooLarge);
        }
        let is_shared_strings = part
            .name()
            .map_err(|_| ImportError::Unreadable)?
            .replace('\\', "/")
            .to_ascii_lowercase()
            .ends_with("sharedstrings.xml");
        if !is_shared_strings {
            continue;
        }
        let mut scanner = UniqueCountScanner::default();
        loop {
            // Fails past the declared size (Unreadable), so this stays within `max_inflated`.
            let n = part.read(&mut buf).map_err(|_| ImportError::Unreadable)?;
            if n == 0 {
                break;
            }
            scanner.feed(&buf[..n])?;
        }
        scanner.finish()?;
    }
    Ok(())
}

/// Finds every `uniqueCount` in a stream (wherever it is: conservative) and requires a plain
/// small number after it: `uniqueCount = "123"`. The key in UTF-16 refuses the part outright (a
/// real workbook is UTF-8).
#[derive(Default)]
struct UniqueCountScanner {
    /// Unprocessed tail of the previous chunks.
    carry: Vec<u8>,
}

const KEY: &[u8] = b"uniqueCount";
const KEY_UTF16LE: &[u8] = b"u\0n\0i\0q\0u\0e\0C\0o\0u\0n\0t\0";
const KEY_UTF16BE: &[u8] = b"\0u\0n\0i\0q\0u\0e\0C\0o\0u\0n\0t";
/// Longest accepted text from the key to the closing quote (key, spaces, `=`, quotes, digits).
const WINDOW: usize = 64;

impl UniqueCountScanner {
    fn feed(&mut self, chunk: &[u8]) -> Result<(), ImportError> {
        self.carry.extend_from_slice(chunk);
        self.scan(false)
    }

    fn finish(mut self) -> Result<(), ImportError> {
        self.scan(true)
    }

    fn scan(&mut self, at_end: bool) -> Result<(), ImportError> {
        if find(&self.carry, KEY_UTF16LE).is_some() || find(&self.carry, KEY_UTF16BE).is_some() {
            return Err(ImportError::Unreadable);
        }
        let mut from = 0;
        while let Some(i) = find(&self.carry[from..], KEY) {
            let at = from + i;
            if !at_end && self.carry.len() - at < WINDOW {
                // Not enough text yet to judge: keep it for the next chunk.
                self.carry.drain(..at);
                return Ok(());
            }
            let end = (at + WINDOW).min(self.carry.len());
            check_count(&self.carry[at + KEY.len()..end])?;
            from = at + KEY.len();
        }
        // Keep a tail that could hold the start of a key (re-checking a whole key is harmless).
        let keep = self.carry.len().min(KEY_UTF16LE.len() - 1);
        self.carry.drain(..self.carry.len() - keep);
        Ok(())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(hay, needle)
}

/// `rest` follows the key: optional spaces, `=`, optional spaces, a quote, digits, the same quote.
/// Anything else after the key (e.g. the word in ordinary text) is fine unless it looks like an
/// attribute; an attribute must hold a number ≤ [`MAX_UNIQUE_STRINGS`].
fn check_count(rest: &[u8]) -> Result<(), ImportError> {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\r' | b'\n');
    let mut i = rest.iter().take_while(|b| is_space(b)).count();
    if rest.get(i) != Some(&b'=') {
        return Ok(()); // not an attribute
    }
    i += 1;
    i += rest[i..].iter().take_while(|b| is_space(b)).count();
    let Some(&quote) = rest.get(i).filter(|q| matches!(q, b'"' | b'\'')) else {
        return Err(ImportError::Unreadable);
    };
    i += 1;
    let digits: Vec<u8> = rest[i..].iter().take_while(|b| **b != quote).copied().collect();
    if i + digits.len() >= rest.len() || digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(ImportError::Unreadable);
    }
    let significant: Vec<u8> = digits.into_iter().skip_while(|&d| d == b'0').collect();
    if significant.len() > 7 {
        return Err(ImportError::ContentTooLarge);
    }
    let n: u64 = significant.iter().fold(0, |n, d| n * 10 + (d - b'0') as u64);
    if n > MAX_UNIQUE_STRINGS {
        return Err(ImportError::ContentTooLarge);
    }
    Ok(())
}

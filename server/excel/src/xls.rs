//! Reading .xls (BIFF5/BIFF8 inside a CFB container).
//!
//! calamine parses every sheet of an .xls eagerly when the workbook is opened and turns each into
//! a dense grid spanning its outermost cells, after reserving room for the area a DIMENSIONS
//! record declares. Two cells at A1 and IV65536, or one forged DIMENSIONS record, make it
//! allocate gigabytes or more and abort the process; a thousand LABELSST cells pointing at one
//! 64 K-character string clone it a thousand times. So before calamine sees anything:
//!
//! 1. the container is read by our own bounded reader ([`crate::cfb`]) and the workbook stream
//!    re-wrapped in a clean container (calamine never parses the uploaded container);
//! 2. the BIFF records are walked exactly the way calamine walks them (globals until the first
//!    EOF; each sheet from its BOUNDSHEET offset, skipping nested substreams), and the file is
//!    refused if any DIMENSIONS record or cell record reaches past row
//!    [`MAX_SHEET_ROWS`](crate::MAX_SHEET_ROWS) or column
//!    [`MAX_SHEET_COLUMNS`](crate::MAX_SHEET_COLUMNS), if the dense grids of all sheets together would be too large,
//!    or if shared-string cells would copy too much text;
//! 3. formula records keep their cached value but lose their token list (only the value is
//!    imported; this also avoids calamine's quadratic formula-to-text rendering).
//!
//! calamine then runs inside `catch_unwind` as a last line of defence against panics.

use std::io::Cursor;
use std::panic::{catch_unwind, AssertUnwindSafe};

use calamine::{Data, Reader, SheetType, Xls, XlsError};

use crate::cfb::{self, Compound};
use crate::sheet::{Cell, Collector, Value};
use crate::ImportError;

/// At most this many sheets (BOUNDSHEET records).
const MAX_SHEETS: usize = 64;
/// At most this many records walked in all sheets together.
const MAX_SHEET_RECORDS: usize = 2_000_000;
/// At most this many cells in the dense grids calamine builds for all sheets together.
const MAX_DENSE_CELLS: u64 = 2_000_000;
/// At most this many characters copied out of the shared-string table into cells.
const MAX_SHARED_TEXT: u64 = 8_000_000;

pub(crate) fn read(bytes: &[u8], sheet: &str) -> Result<Vec<Cell>, ImportError> {
    let container = Compound::parse(bytes).map_err(|_| ImportError::Unreadable)?;
    let stream = match container.stream("Workbook").map_err(|_| ImportError::Unreadable)? {
        Some(s) => s,
        None => match container.stream("Book").map_err(|_| ImportError::Unreadable)? {
            Some(s) => s,
            // A password-protected .xlsx is a CFB container holding an encrypted package.
            None if container.has("EncryptedPackage") => return Err(ImportError::Encrypted),
            None => return Err(ImportError::Unreadable),
        },
    };
    drop(container);
    let stream = make_safe(stream)?;
    let clean = cfb::single_stream("Workbook", &stream).ok_or(ImportError::Unreadable)?;
    drop(stream);

    let outcome = catch_unwind(AssertUnwindSafe(|| -> Result<Vec<Cell>, ImportError> {
        let mut xls = Xls::new(Cursor::new(clean)).map_err(|e| match e {
            XlsError::Password => ImportError::Encrypted,
            _ => ImportError::Unreadable,
        })?;
        let sheets: Vec<(String, bool)> = xls
            .sheets_metadata()
            .iter()
            .map(|s| (s.name.clone(), s.typ == SheetType::WorkSheet))
            .collect();
        let name = crate::pick_sheet(&sheets, sheet).ok_or(ImportError::NoSheet)?;
        let range = xls.worksheet_range(&name).map_err(|_| ImportError::Unreadable)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let mut cells = Collector::default();
        for (r, c, v) in range.used_cells() {
            let (Ok(r), Ok(c)) = (u32::try_from(r), u32::try_from(c)) else {
                return Err(ImportError::SheetTooLarge);
            };
            cells.push(r0.saturating_add(r), c0.saturating_add(c), convert(v))?;
        }
        Ok(cells.finish())
    }));
    outcome.unwrap_or(Err(ImportError::Unreadable))
}

fn convert(v: &Data) -> Option<Value> {
    match v {
        Data::Empty => None,
        Data::String(s) => Value::text(s),
        Data::Int(i) => Some(Value::Int(*i)),
        Data::Float(f) => Some(Value::Float(*f)),
        Data::Bool(b) => Some(Value::Bool(*b)),
        Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => Some(Value::Date),
        Data::Error(_) => Some(Value::Error),
    }
}

/// Checks the workbook stream and neutralises formula token lists; returns the stream to hand to
/// calamine. Patching only ever zeroes bytes, and the checks are repeated on the patched stream
/// (a sheet offset may point into the middle of another sheet's records).
fn make_safe(mut stream: Vec<u8>) -> Result<Vec<u8>, ImportError> {
    for _ in 0..4 {
        let patches = scan(&stream)?;
        if patches.is_empty() {
            return Ok(stream);
        }
        for at in patches {
            stream[at] = 0;
            stream[at + 1] = 0;
        }
    }
    Err(ImportError::Unreadable)
}

/// One BIFF record as calamine's record iterator yields it: a record plus the CONTINUE records
/// that follow it.
struct Record<'a> {
    typ: u16,
    /// Offset of `data` in the stream.
    at: usize,
    data: &'a [u8],
    cont: Vec<&'a [u8]>,
}

/// A port of calamine's `RecordIter` (same boundaries, same errors).
struct Records<'a> {
    stream: &'a [u8],
    pos: usize,
}

fn rd16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn rd32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, ImportError>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = &self.stream[self.pos..];
        if rest.len() < 4 {
            return if rest.is_empty() {
                None
            } else {
                Some(Err(ImportError::Unreadable))
            };
        }
        let typ = rd16(rest, 0)?;
        let len = rd16(rest, 2)? as usize;
        if rest.len() < len + 4 {
            return Some(Err(ImportError::Unreadable));
        }
        let at = self.pos + 4;
        let data = &rest[4..4 + len];
        self.pos += 4 + len;
        let mut cont = Vec::new();
        loop {
            let rest = &self.stream[self.pos..];
            if rest.len() <= 4 || rd16(rest, 0) != Some(0x003C) {
                break;
            }
            let len = rd16(rest, 2)? as usize;
            if rest.len() < len + 4 {
                return Some(Err(ImportError::Unreadable));
            }
            cont.push(&rest[4..4 + len]);
            self.pos += 4 + len;
        }
        Some(Ok(Record { typ, at, data, cont }))
    }
}

/// Walks the stream like calamine; returns the offsets of formula token-list lengths to zero.
fn scan(stream: &[u8]) -> Result<Vec<usize>, ImportError> {
    let bad = || ImportError::Unreadable;
    let mut sheet_offsets = Vec::new();
    let mut shared: Vec<u32> = Vec::new();
    for record in (Records { stream, pos: 0 }) {
        let r = record?;
        match r.typ {
            // FILEPASS
            0x002F => match rd16(r.data, 0) {
                Some(0) => (),
                Some(_) => return Err(ImportError::Encrypted),
                None => return Err(bad()),
            },
            // BOUNDSHEET
            0x0085 => {
                if r.data.len() < 6 {
                    return Err(bad());
                }
                sheet_offsets.push(rd32(r.data, 0).ok_or_else(bad)? as usize);
                if sheet_offsets.len() > MAX_SHEETS {
                    return Err(ImportError::ContentTooLarge);
                }
            }
            // SST
            0x00FC => shared = shared_string_lengths(&r).ok_or_else(bad)?,
            // EOF of the globals
            0x000A => break,
            _ => (),
        }
    }

    let mut patches = Vec::new();
    let mut records_walked = 0usize;
    let mut dense: u64 = 0;
    let mut shared_text: u64 = 0;
    for pos in sheet_offsets {
        if pos > stream.len() {
            return Err(bad());
        }
        let mut values = BoundingBox::default();
        let mut formulas = BoundingBox::default();
        let mut seen_sheet_bof = false;
        let mut depth = 0usize;
        for record in (Records { stream, pos }) {
            let r = record?;
            records_walked += 1;
            if records_walked > MAX_SHEET_RECORDS {
                return Err(ImportError::ContentTooLarge);
            }
            if depth > 0 {
                match r.typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => (),
                }
                continue;
            }
            let d = r.data;
            match r.typ {
                0x0809 => {
                    if seen_sheet_bof {
                        depth += 1;
                    } else {
                        seen_sheet_bof = true;
                    }
                }
                // DIMENSIONS: calamine reserves rows × columns cells from it.
                0x0200 => check_dimensions(d)?,
                // NUMBER, LABEL, RSTRING, BOOLERR, RK
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E => {
                    let (row, col) = position(d)?;
                    values.add(row, col);
                }
                // LABELSST: the cell gets a copy of a shared string.
                0x00FD => {
                    let (row, col) = position(d)?;
                    values.add(row, col);
                    let i = rd32(d, 6).ok_or_else(bad)? as usize;
                    shared_text += shared.get(i).copied().unwrap_or(0) as u64;
                    if shared_text > MAX_SHARED_TEXT {
                        return Err(ImportError::ContentTooLarge);
                    }
                }
                // MULRK: a run of cells in one row.
                0x00BD => {
                    if d.len() < 6 {
                        return Err(bad());
                    }
                    let (row, first) = position(d)?;
                    let last = rd16(d, d.len() - 2).ok_or_else(bad)? as u32;
                    Collector::check_extent(row, last)?;
                    values.add(row, first);
                    values.add(row, last.max(first));
                }
                // FORMULA: cached value cell + formula text cell; the token list goes.
                0x0006 => {
                    if d.len() < 22 {
                        return Err(bad());
                    }
                    let (row, col) = position(d)?;
                    values.add(row, col);
                    formulas.add(row, col);
                    if d[20] != 0 || d[21] != 0 {
                        patches.push(r.at + 20);
                    }
                }
                0x000A => break,
                _ => (),
            }
        }
        dense += values.area() + formulas.area();
        if dense > MAX_DENSE_CELLS {
            return Err(ImportError::ContentTooLarge);
        }
    }
    Ok(patches)
}

/// Row and column of a cell record, checked against the sheet limits.
fn position(d: &[u8]) -> Result<(u32, u32), ImportError> {
    let row = rd16(d, 0).ok_or(ImportError::Unreadable)? as u32;
    let col = rd16(d, 2).ok_or(ImportError::Unreadable)? as u32;
    Collector::check_extent(row, col)?;
    Ok((row, col))
}

/// DIMENSIONS as calamine reads it (first row, last row + 1, first column, last column + 1).
fn check_dimensions(d: &[u8]) -> Result<(), ImportError> {
    let bad = || ImportError::Unreadable;
    let (rf, rl, cf, cl) = match d.len() {
        10 => (
            rd16(d, 0).ok_or_else(bad)? as u32,
            rd16(d, 2).ok_or_else(bad)? as u32,
            rd16(d, 4).ok_or_else(bad)? as u32,
            rd16(d, 6).ok_or_else(bad)? as u32,
        ),
        14 | 16 => (
            rd32(d, 0).ok_or_else(bad)?,
            rd32(d, 4).ok_or_else(bad)?,
            rd16(d, 8).ok_or_else(bad)? as u32,
            rd16(d, 10).ok_or_else(bad)? as u32,
        ),
        _ => return Err(bad()),
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl >= 1 && cl >= 1 {
        // calamine computes (rl - 1 - rf + 1) × (cl - 1 - cf + 1): the start must not pass the end.
        if rf > rl - 1 || cf > cl - 1 {
            return Err(ImportError::SheetTooLarge);
        }
        Collector::check_extent(rl - 1, cl - 1)
    } else {
        Ok(())
    }
}

#[derive(Default)]
struct BoundingBox(Option<(u32, u32, u32, u32)>);

impl BoundingBox {
    fn add(&mut self, row: u32, col: u32) {
        self.0 = Some(match self.0 {
            None => (row, row, col, col),
            Some((r0, r1, c0, c1)) => (r0.min(row), r1.max(row), c0.min(col), c1.max(col)),
        });
    }

    fn area(&self) -> u64 {
        self.0
            .map_or(0, |(r0, r1, c0, c1)| (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64)
    }
}

/// The character count of every string in an SST record, following calamine's
/// `parse_sst` / `read_rich_extended_string` / `read_dbcs` step by step (without decoding).
/// `None` where calamine would fail or panic.
fn shared_string_lengths(r: &Record<'_>) -> Option<Vec<u32>> {
    struct Cursor<'a> {
        data: &'a [u8],
        cont: std::collections::VecDeque<&'a [u8]>,
    }
    impl<'a> Cursor<'a> {
        fn continue_record(&mut self) -> bool {
            match self.cont.pop_front() {
                Some(d) => {
                    self.data = d;
                    true
                }
                None => false,
            }
        }
        fn skip(&mut self, mut len: usize) -> Option<()> {
            while len > 0 {
                if self.data.is_empty() && !self.continue_record() {
                    return None;
                }
                let l = len.min(self.data.len());
                self.data = &self.data[l..];
                len -= l;
            }
            Some(())
        }
        fn advance(&mut self, n: usize) -> Option<()> {
            self.data = self.data.get(n..)?;
            Some(())
        }
    }

    if r.data.len() < 8 {
        return None;
    }
    let mut c = Cursor {
        data: &r.data[8..],
        cont: r.cont.iter().copied().collect(),
    };
    let mut lengths = Vec::new();
    while !c.data.is_empty() || c.continue_record() {
        if c.data.is_empty() {
            // calamine: an empty string, nothing consumed.
            lengths.push(0);
            continue;
        }
        if c.data.len() < 3 {
            return None;
        }
        let cch = rd16(c.data, 0)? as usize;
        let flags = c.data[2];
        c.advance(3)?;
        let mut high_byte = flags & 0x1 != 0;
        let mut c_run = 0usize;
        let mut cb_ext_rst = 0usize;
        if flags & 0x8 != 0 {
            c_run = rd16(c.data, 0)? as usize;
            c.advance(2)?;
        }
        if flags & 0x4 != 0 {
            cb_ext_rst = i32::from_le_bytes(c.data.get(..4)?.try_into().ok()?) as usize;
            c.advance(4)?;
        }
        // read_dbcs
        let mut len = cch;
        while len > 0 {
            let (l, at) = if high_byte {
                let l = (c.data.len() / 2).min(len);
                (l, 2 * l)
            } else {
                let l = c.data.len().min(len);
                (l, l)
            };
            c.advance(at)?;
            len -= l;
            if len > 0 {
                if c.continue_record() {
                    high_byte = *c.data.first()? & 0x1 != 0;
                    c.advance(1)?;
                } else {
                    return None;
                }
            }
        }
        c.skip(c_run.checked_mul(4)?)?;
        c.skip(cb_ext_rst)?;
        lengths.push(cch as u32);
    }
    Some(lengths)
}

//! The cells of one worksheet, as both readers hand them over: sparse, bounded, owned.

use crate::{ImportError, MAX_SHEET_COLUMNS, MAX_SHEET_ROWS};

/// Longest cell text kept (characters, after trimming); longer texts become [`Value::TooLong`].
/// Keeps the memory of a hostile sheet bounded (at most `MAX_SHEET_ROWS × MAX_SHEET_COLUMNS` cells).
pub(crate) const MAX_CELL_CHARS: usize = 100;

/// One cell's value, reduced to what the import needs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// Text, trimmed of ASCII and full-width spaces; never empty.
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    /// A date or time (the cell has a date format).
    Date,
    /// An Excel error value such as `#N/A`.
    Error,
    /// Text longer than [`MAX_CELL_CHARS`].
    TooLong,
}

impl Value {
    /// A text cell: `None` when it is empty after trimming.
    pub(crate) fn text(raw: &str) -> Option<Value> {
        // Cheap bound before allocating: a char is at most 4 bytes, plus some room for spaces.
        if raw.len() > MAX_CELL_CHARS * 4 + 64 {
            return Some(Value::TooLong);
        }
        let s = domain::ids::normalize(raw);
        if s.is_empty() {
            None
        } else if s.chars().count() > MAX_CELL_CHARS {
            Some(Value::TooLong)
        } else {
            Some(Value::Text(s))
        }
    }
}

/// A cell at a 0-based (row, column) position.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Cell {
    pub row: u32,
    pub col: u32,
    pub value: Value,
}

/// Collects the non-empty cells of a sheet, refusing the sheet as soon as a cell lies outside
/// the allowed area or the sheet holds more cells than that area could.
#[derive(Default)]
pub(crate) struct Collector {
    cells: Vec<Cell>,
    seen: usize,
}

impl Collector {
    /// Checks a declared sheet extent (inclusive, 0-based last row and column).
    pub(crate) fn check_extent(last_row: u32, last_col: u32) -> Result<(), ImportError> {
        if last_row >= MAX_SHEET_ROWS || last_col >= MAX_SHEET_COLUMNS {
            Err(ImportError::SheetTooLarge)
        } else {
            Ok(())
        }
    }

    /// Records one cell (`None` = an empty cell, which is still position-checked and counted).
    pub(crate) fn push(&mut self, row: u32, col: u32, value: Option<Value>) -> Result<(), ImportError> {
        Self::check_extent(row, col)?;
        self.seen += 1;
        if self.seen > (MAX_SHEET_ROWS as usize) * (MAX_SHEET_COLUMNS as usize) {
            return Err(ImportError::SheetTooLarge);
        }
        if let Some(value) = value {
            self.cells.push(Cell { row, col, value });
        }
        Ok(())
    }

    /// The cells sorted by position; of two cells at the same position the first one read is kept.
    pub(crate) fn finish(mut self) -> Vec<Cell> {
        self.cells.sort_by_key(|c| (c.row, c.col));
        self.cells.dedup_by(|b, a| a.row == b.row && a.col == b.col);
        self.cells
    }
}

/// Converts a whole float to an integer when it is exact (|f| < 2^53).
pub(crate) fn whole(f: f64) -> Option<i64> {
    const LIMIT: f64 = 9_007_199_254_740_992.0; // 2^53
    (f.is_finite() && f.fract() == 0.0 && f.abs() < LIMIT).then_some(f as i64)
}

//! What can go wrong making the 电子协议书. Messages are for operators' logs; users see
//! `domain::AppError::Internal`.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The font file is missing or unreadable (e.g. fonts-wqy-zenhei not installed).
    #[error("协议书字体 {} 无法读取：{source}", .path.display())]
    FontUnreadable { path: PathBuf, source: std::io::Error },
    /// The font file was read but cannot be used (truncated, CFF outlines, no Chinese glyphs).
    #[error("协议书字体 {} 不可用：{reason}", .path.display())]
    FontUnusable { path: PathBuf, reason: String },
    /// allsorts could not subset the (already validated) font for this document.
    #[error("字体子集化失败（{}）：{reason}", .path.display())]
    Subset { path: PathBuf, reason: String },
    /// genpdf failed to lay out or write the document.
    #[error("协议书 PDF 生成失败：{0}")]
    Render(#[from] genpdf::error::Error),
}

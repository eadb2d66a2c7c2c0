//! A brotli (`.br`) and a gzip (`.gz`) copy beside every file of the site, sent as they are by
//! the server (server/src/assets.rs): the best each format can do, since it is done once.

use std::{io::Write, path::Path, path::PathBuf};

use crate::{
    error::{io, Result},
    par_each,
};

/// Compresses every file under `root` (not the copies of an earlier run), several at a time.
pub fn dir(root: &Path) -> Result<()> {
    let mut files = Vec::new();
    collect(root, &mut files)?;
    // Largest first, so that the last file to finish is a small one.
    files.sort_by_key(|(len, _)| std::cmp::Reverse(*len));
    par_each(&files, |(_, file)| compress(file))
}

fn collect(dir: &Path, out: &mut Vec<(u64, PathBuf)>) -> Result<()> {
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        if path.is_dir() {
            collect(&path, out)?;
        } else if !path.extension().is_some_and(|e| e == "br" || e == "gz") {
            out.push((std::fs::metadata(&path).map_err(io(&path))?.len(), path));
        }
    }
    Ok(())
}

fn compress(file: &Path) -> Result<()> {
    let bytes = std::fs::read(file).map_err(io(file))?;
    let with_ext = |ext: &str| {
        let mut p = file.as_os_str().to_owned();
        p.push(ext);
        PathBuf::from(p)
    };
    let gz_path = with_ext(".gz");
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes).map_err(io(&gz_path))?;
    std::fs::write(&gz_path, gz.finish().map_err(io(&gz_path))?).map_err(io(&gz_path))?;
    // Quality 11, window 22: brotli's best.
    let br_path = with_ext(".br");
    let mut br = Vec::new();
    brotli::BrotliCompress(
        &mut bytes.as_slice(),
        &mut br,
        &brotli::enc::BrotliEncoderParams::default(),
    )
    .map_err(io(&br_path))?;
    std::fs::write(&br_path, br).map_err(io(&br_path))
}

//! A strict, bounded reader for Compound File Binary containers (the envelope of .xls files), and
//! a writer for a minimal container holding one stream.
//!
//! Why not let calamine read the upload directly: its CFB reader follows sector chains without
//! cycle checks (a FAT entry pointing at itself grows a buffer until the process aborts) and
//! indexes the FAT without bounds checks. Here every chain is bounded by the number of sectors in
//! the file, every index is checked, and calamine only ever sees a container written by
//! [`single_stream`].

/// The 8-byte signature every CFB file starts with.
pub(crate) const SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

const MAX_REGULAR_SECT: u32 = 0xFFFF_FFFA;
const FATSECT: u32 = 0xFFFF_FFFD;
const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
const NOSTREAM: u32 = 0xFFFF_FFFF;
const MINI_SECTOR: usize = 64;
const MINI_CUTOFF: u64 = 4096;

/// Anything wrong with the container: the caller reports the file as unreadable.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Malformed;

type Result<T> = std::result::Result<T, Malformed>;

fn u16_at(b: &[u8], at: usize) -> Result<u16> {
    let s = b.get(at..at + 2).ok_or(Malformed)?;
    Ok(u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Result<u32> {
    let s = b.get(at..at + 4).ok_or(Malformed)?;
    Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn u64_at(b: &[u8], at: usize) -> Result<u64> {
    let lo = u32_at(b, at)? as u64;
    let hi = u32_at(b, at + 4)? as u64;
    Ok(lo | (hi << 32))
}

/// A directory entry.
struct Entry {
    name: String,
    /// 1 storage, 2 stream, 5 root.
    kind: u8,
    start: u32,
    size: u64,
}

/// A parsed container; streams are read on demand.
pub(crate) struct Compound<'a> {
    data: &'a [u8],
    sector_size: usize,
    sectors: usize,
    fat: Vec<u32>,
    minifat: Vec<u32>,
    ministream: Vec<u8>,
    entries: Vec<Entry>,
}

impl<'a> Compound<'a> {
    pub(crate) fn parse(data: &'a [u8]) -> Result<Self> {
        if data.len() < 512 || data[..8] != SIGNATURE {
            return Err(Malformed);
        }
        let sector_size = match u16_at(data, 30)? {
            9 => 512,
            12 => 4096,
            _ => return Err(Malformed),
        };
        if u16_at(data, 32)? != 6 {
            return Err(Malformed);
        }
        // Sector i starts at (i + 1) * sector_size; a short last sector is padded with zeros.
        let sectors = data.len().div_ceil(sector_size).saturating_sub(1);
        let mut c = Compound {
            data,
            sector_size,
            sectors,
            fat: Vec::new(),
            minifat: Vec::new(),
            ministream: Vec::new(),
            entries: Vec::new(),
        };

        // DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
        let mut difat: Vec<u32> = (0..109).map(|i| u32_at(data, 76 + 4 * i)).collect::<Result<_>>()?;
        let mut next = u32_at(data, 68)?;
        let mut hops = 0;
        while next < MAX_REGULAR_SECT {
            hops += 1;
            if hops > sectors {
                return Err(Malformed);
            }
            let sector = c.sector(next)?;
            let per = sector_size / 4 - 1;
            for i in 0..per {
                difat.push(u32_at(sector, 4 * i)?);
            }
            next = u32_at(sector, 4 * per)?;
        }
        let fat_sectors: Vec<u32> = difat.into_iter().filter(|&s| s < MAX_REGULAR_SECT).collect();
        if fat_sectors.len() > sectors {
            return Err(Malformed);
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector_size / 4);
        for s in fat_sectors {
            let sector = c.sector(s)?;
            fat.extend(
                sector
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
        }
        c.fat = fat;

        // Directory.
        let dir = c.read_chain(u32_at(data, 48)?, None)?;
        for raw in dir.chunks_exact(128) {
            let name_len = (u16_at(raw, 64)? as usize).min(64);
            let units: Vec<u16> = raw[..name_len]
                .chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .take_while(|&u| u != 0)
                .collect();
            let size = if sector_size == 512 {
                u32_at(raw, 120)? as u64
            } else {
                u64_at(raw, 120)?
            };
            c.entries.push(Entry {
                name: String::from_utf16_lossy(&units),
                kind: raw[66],
                start: u32_at(raw, 116)?,
                size,
            });
        }
        let root = c.entries.first().ok_or(Malformed)?;
        if root.kind != 5 {
            return Err(Malformed);
        }

        // Mini stream (held by the root entry) and mini FAT, only if some stream needs them.
        let needs_mini = c
            .entries
            .iter()
            .any(|e| e.kind == 2 && e.size > 0 && e.size < MINI_CUTOFF);
        if needs_mini {
            let (start, size) = (root.start, root.size);
            c.ministream = c.read_chain(start, Some(size))?;
            let minifat = c.read_chain(u32_at(data, 60)?, None)?;
            c.minifat = minifat
                .chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect();
        }
        Ok(c)
    }

    /// Whether a stream or storage of this name exists (ASCII case-insensitive).
    pub(crate) fn has(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name.eq_ignore_ascii_case(name))
    }

    /// The bytes of the stream of this name (ASCII case-insensitive), if there is one.
    pub(crate) fn stream(&self, name: &str) -> Result<Option<Vec<u8>>> {
        let Some(e) = self
            .entries
            .iter()
            .find(|e| e.kind == 2 && e.name.eq_ignore_ascii_case(name))
        else {
            return Ok(None);
        };
        if e.size > self.data.len() as u64 {
            return Err(Malformed);
        }
        if e.size < MINI_CUTOFF {
            self.read_mini_chain(e.start, e.size as usize).map(Some)
        } else {
            self.read_chain(e.start, Some(e.size)).map(Some)
        }
    }

    fn sector(&self, id: u32) -> Result<&'a [u8]> {
        let id = id as usize;
        if id >= self.sectors {
            return Err(Malformed);
        }
        let start = (id + 1) * self.sector_size;
        let end = (start + self.sector_size).min(self.data.len());
        self.data.get(start..end).ok_or(Malformed)
    }

    /// Follows a FAT chain; `size` = exact stream size (the chain must be long enough), or `None`
    /// for metadata chains read whole. A chain can never be longer than the file has sectors.
    fn read_chain(&self, start: u32, size: Option<u64>) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut id = start;
        let mut hops = 0;
        while id != ENDOFCHAIN {
            if let Some(size) = size {
                if out.len() as u64 >= size {
                    break;
                }
            }
            hops += 1;
            if hops > self.sectors {
                return Err(Malformed);
            }
            let sector = self.sector(id)?;
            out.extend_from_slice(sector);
            out.resize(hops * self.sector_size, 0);
            id = *self.fat.get(id as usize).ok_or(Malformed)?;
        }
        if let Some(size) = size {
            if (out.len() as u64) < size {
                return Err(Malformed);
            }
            out.truncate(size as usize);
        }
        Ok(out)
    }

    fn read_mini_chain(&self, start: u32, size: usize) -> Result<Vec<u8>> {
        let mini_sectors = self.ministream.len() / MINI_SECTOR;
        let mut out = Vec::with_capacity(size);
        let mut id = start;
        let mut hops = 0;
        while out.len() < size {
            if id == ENDOFCHAIN {
                return Err(Malformed);
            }
            hops += 1;
            if hops > mini_sectors {
                return Err(Malformed);
            }
            let i = id as usize;
            if i >= mini_sectors {
                return Err(Malformed);
            }
            out.extend_from_slice(&self.ministream[i * MINI_SECTOR..(i + 1) * MINI_SECTOR]);
            id = *self.minifat.get(i).ok_or(Malformed)?;
        }
        out.truncate(size);
        Ok(out)
    }
}

/// A version-3 container (512-byte sectors) holding one stream `name` with `data`. Streams shorter
/// than 4096 bytes are padded with zeros to 4096 so that no mini stream is needed. At most
/// 109 FAT sectors (≈ 7 MB of data), which covers every upload under `MAX_BYTES`.
pub(crate) fn single_stream(name: &str, data: &[u8]) -> Option<Vec<u8>> {
    const SS: usize = 512;
    let mut body = data.to_vec();
    if body.len() < MINI_CUTOFF as usize {
        body.resize(MINI_CUTOFF as usize, 0);
    }
    let stream_sectors = body.len().div_ceil(SS);
    // FAT sectors needed to describe themselves, the directory sector and the stream.
    let mut fat_sectors = 1;
    while fat_sectors * (SS / 4) < fat_sectors + 1 + stream_sectors {
        fat_sectors += 1;
    }
    if fat_sectors > 109 {
        return None;
    }
    let dir_sector = fat_sectors;
    let first_stream = fat_sectors + 1;
    let total = fat_sectors + 1 + stream_sectors;

    let mut fat = vec![FREESECT; fat_sectors * SS / 4];
    for entry in fat.iter_mut().take(fat_sectors) {
        *entry = FATSECT;
    }
    fat[dir_sector] = ENDOFCHAIN;
    for (i, entry) in fat.iter_mut().enumerate().take(total).skip(first_stream) {
        *entry = if i + 1 < total { (i + 1) as u32 } else { ENDOFCHAIN };
    }

    let mut out = Vec::with_capacity((total + 1) * SS);
    // Header.
    out.extend_from_slice(&SIGNATURE);
    out.extend_from_slice(&[0; 16]); // CLSID
    out.extend_from_slice(&0x003Eu16.to_le_bytes()); // minor version
    out.extend_from_slice(&3u16.to_le_bytes()); // major version
    out.extend_from_slice(&0xFFFEu16.to_le_bytes()); // byte order
    out.extend_from_slice(&9u16.to_le_bytes()); // sector shift
    out.extend_from_slice(&6u16.to_le_bytes()); // mini sector shift
    out.extend_from_slice(&[0; 6]); // reserved
    out.extend_from_slice(&0u32.to_le_bytes()); // directory sectors (0 in version 3)
    out.extend_from_slice(&(fat_sectors as u32).to_le_bytes());
    out.extend_from_slice(&(dir_sector as u32).to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes()); // transaction signature
    out.extend_from_slice(&(MINI_CUTOFF as u32).to_le_bytes());
    out.extend_from_slice(&ENDOFCHAIN.to_le_bytes()); // first mini FAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // mini FAT sectors
    out.extend_from_slice(&ENDOFCHAIN.to_le_bytes()); // first DIFAT sector
    out.extend_from_slice(&0u32.to_le_bytes()); // DIFAT sectors
    for i in 0..109 {
        let v = if i < fat_sectors { i as u32 } else { FREESECT };
        out.extend_from_slice(&v.to_le_bytes());
    }
    debug_assert_eq!(out.len(), SS);
    // FAT sectors.
    for v in &fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // Directory sector: root, the stream, two unused entries.
    out.extend_from_slice(&dir_entry("Root Entry", 5, 1, ENDOFCHAIN, 0));
    out.extend_from_slice(&dir_entry(name, 2, NOSTREAM, first_stream as u32, body.len() as u64));
    out.extend_from_slice(&[0; 256]);
    // Stream.
    out.extend_from_slice(&body);
    out.resize((total + 1) * SS, 0);
    Some(out)
}

fn dir_entry(name: &str, kind: u8, child: u32, start: u32, size: u64) -> [u8; 128] {
    let mut e = [0u8; 128];
    let units: Vec<u16> = name.encode_utf16().take(31).collect();
    for (i, u) in units.iter().enumerate() {
        e[2 * i..2 * i + 2].copy_from_slice(&u.to_le_bytes());
    }
    e[64..66].copy_from_slice(&(((units.len() + 1) * 2) as u16).to_le_bytes());
    e[66] = kind;
    e[67] = 1; // black
    e[68..72].copy_from_slice(&NOSTREAM.to_le_bytes()); // left sibling
    e[72..76].copy_from_slice(&NOSTREAM.to_le_bytes()); // right sibling
    e[76..80].copy_from_slice(&child.to_le_bytes());
    e[116..120].copy_from_slice(&start.to_le_bytes());
    e[120..128].copy_from_slice(&size.to_le_bytes());
    e
}

/// Builds a container with several streams (mini streams included) — test fixtures only.
#[cfg(test)]
pub(crate) fn with_streams(streams: &[(&str, &[u8])]) -> Vec<u8> {
    // Simple layout: every stream stored in regular sectors, padded to 4096 bytes.
    const SS: usize = 512;
    let bodies: Vec<Vec<u8>> = streams
        .iter()
        .map(|(_, d)| {
            let mut b = d.to_vec();
            b.resize(b.len().max(4096).div_ceil(SS) * SS, 0);
            b
        })
        .collect();
    let data_sectors: usize = bodies.iter().map(|b| b.len() / SS).sum();
    let dir_sectors = (streams.len() + 1).div_ceil(4);
    let mut fat_sectors = 1;
    while fat_sectors * (SS / 4) < fat_sectors + dir_sectors + data_sectors {
        fat_sectors += 1;
    }
    let total = fat_sectors + dir_sectors + data_sectors;
    let mut fat = vec![FREESECT; fat_sectors * SS / 4];
    for entry in fat.iter_mut().take(fat_sectors) {
        *entry = FATSECT;
    }
    let mut next = fat_sectors;
    let mut chain = |len: usize, fat: &mut Vec<u32>| {
        let first = next;
        for i in 0..len {
            fat[next + i] = if i + 1 < len { (next + i + 1) as u32 } else { ENDOFCHAIN };
        }
        next += len;
        first
    };
    let dir_start = chain(dir_sectors, &mut fat);
    let starts: Vec<usize> = bodies.iter().map(|b| chain(b.len() / SS, &mut fat)).collect();
    let mut header = single_stream("x", &[]).unwrap()[..SS].to_vec();
    header[44..48].copy_from_slice(&(fat_sectors as u32).to_le_bytes());
    header[48..52].copy_from_slice(&(dir_start as u32).to_le_bytes());
    for i in 0..109 {
        let v = if i < fat_sectors { i as u32 } else { FREESECT };
        header[76 + 4 * i..80 + 4 * i].copy_from_slice(&v.to_le_bytes());
    }
    let mut out = header;
    for v in &fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    // Directory: root's child is entry 1; entries chained through right siblings.
    let mut dir = Vec::new();
    dir.extend_from_slice(&dir_entry("Root Entry", 5, 1, ENDOFCHAIN, 0));
    for (i, ((name, data), start)) in streams.iter().zip(&starts).enumerate() {
        let mut e = dir_entry(name, 2, NOSTREAM, *start as u32, data.len().max(4096) as u64);
        if i + 1 < streams.len() {
            e[72..76].copy_from_slice(&((i + 2) as u32).to_le_bytes());
        }
        dir.extend_from_slice(&e);
    }
    dir.resize(dir_sectors * SS, 0);
    out.extend_from_slice(&dir);
    for b in &bodies {
        out.extend_from_slice(b);
    }
    out.resize((total + 1) * SS, 0);
    out
}

/// A container holding one small stream in the mini stream — test fixtures only.
#[cfg(test)]
pub(crate) fn with_mini_stream(name: &str, data: &[u8]) -> Vec<u8> {
    const SS: usize = 512;
    assert!(data.len() < MINI_CUTOFF as usize);
    let minis = data.len().div_ceil(MINI_SECTOR).max(1);
    let container_sectors = (minis * MINI_SECTOR).div_ceil(SS);
    // Sector 0 FAT, 1 directory, 2 mini FAT, 3.. the mini stream container.
    let total = 3 + container_sectors;
    let mut fat = vec![FREESECT; SS / 4];
    fat[0] = FATSECT;
    fat[1] = ENDOFCHAIN;
    fat[2] = ENDOFCHAIN;
    for (i, entry) in fat.iter_mut().enumerate().take(total).skip(3) {
        *entry = if i + 1 < total { (i + 1) as u32 } else { ENDOFCHAIN };
    }
    let mut minifat = vec![FREESECT; SS / 4];
    for (i, entry) in minifat.iter_mut().enumerate().take(minis) {
        *entry = if i + 1 < minis { (i + 1) as u32 } else { ENDOFCHAIN };
    }
    let mut out = single_stream("x", &[]).expect("header")[..SS].to_vec();
    out[44..48].copy_from_slice(&1u32.to_le_bytes()); // FAT sectors
    out[48..52].copy_from_slice(&1u32.to_le_bytes()); // directory
    out[60..64].copy_from_slice(&2u32.to_le_bytes()); // first mini FAT sector
    out[64..68].copy_from_slice(&1u32.to_le_bytes()); // mini FAT sectors
    out[76..80].copy_from_slice(&0u32.to_le_bytes());
    for i in 1..109 {
        out[76 + 4 * i..80 + 4 * i].copy_from_slice(&FREESECT.to_le_bytes());
    }
    for v in &fat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(&dir_entry("Root Entry", 5, 1, 3, (minis * MINI_SECTOR) as u64));
    out.extend_from_slice(&dir_entry(name, 2, NOSTREAM, 0, data.len() as u64));
    out.extend_from_slice(&[0; 256]);
    for v in &minifat {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out.extend_from_slice(data);
    out.resize((total + 1) * SS, 0);
    out
}

//! The initramfs format: cpio "newc" archives (magic `070701`, and
//! `070702` with a data checksum) read as Linux's init/initramfs.c reads
//! them, but refusing what Linux would silently skip. Pure (host-tested);
//! the iterator borrows from the archive and allocates nothing.
//!
//! One entry: a 110-byte header (the magic, then 13 fields of 8 hex
//! digits), the name and its NUL, zeros to a multiple of 4, the data, zeros
//! to a multiple of 4 (multiples counted from the start of the input, as
//! Linux counts them):
//!
//! ```text
//!  0      6    14    22   30   38    46    54       62
//!  |magic |ino |mode |uid |gid |nlink|mtime|filesize|
//!  62       70       78        86        94       102   110
//!  |devmajor|devminor|rdevmajor|rdevminor|namesize|check| name NUL pad data pad
//! ```
//!
//! As Linux:
//! - entries run until `TRAILER!!!`; zeros may follow any entry, and after
//!   a trailer another archive may start, on a multiple of 4 (`cat a.cpio
//!   b.cpio`, or a boot loader's padding);
//! - a hard link is an entry, not a directory or symlink, with nlink ≥ 2:
//!   it is linked to the first entry of the same archive with the same
//!   device, inode and type (`HardLinks`), and cpio puts the data on the last;
//! - `070702`'s check field is the sum of a regular file's data bytes.
//!
//! Stricter than Linux, which skips or truncates these silently: fields
//! must be hex; names UTF-8, at most PATH_MAX, free of `..`, `.` and empty
//! components once leading `/` and `./` are dropped (`.` alone is the root,
//! yielded as ""); padding zeros; data within the input, and only on files
//! and symlinks; symlink targets without NUL; a trailer at the end.
//! Compressed archives are recognised and refused (no decompressor here).
//! The first error ends the iteration.

use alloc::collections::BTreeMap;
use core::fmt;
use memguard_abi::linux::{S_IFBLK, S_IFCHR, S_IFDIR, S_IFIFO, S_IFLNK, S_IFMT, S_IFREG, S_IFSOCK};

/// Linux's PATH_MAX: the longest name, NUL included, and symlink target.
pub const PATH_MAX: usize = 4096;
/// Linux's NAME_MAX: the longest name component.
pub const NAME_MAX: usize = 255;
const HEADER_LEN: usize = 110;
const TRAILER: &[u8] = b"TRAILER!!!";
/// The header fields after the magic, in order, as the errors name them.
const FIELDS: [&str; 13] = [
    "ino",
    "mode",
    "uid",
    "gid",
    "nlink",
    "mtime",
    "filesize",
    "devmajor",
    "devminor",
    "rdevmajor",
    "rdevminor",
    "namesize",
    "check",
];

/// An entry's file type: the S_IFMT bits of its mode.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub enum FileType {
    Regular,
    Directory,
    Symlink,
    CharDevice,
    BlockDevice,
    Fifo,
    Socket,
}

impl FileType {
    /// The type of a full st_mode; `None` for bits Linux gives no type.
    pub fn of_mode(mode: u32) -> Option<Self> {
        Some(match mode & S_IFMT {
            S_IFREG => Self::Regular,
            S_IFDIR => Self::Directory,
            S_IFLNK => Self::Symlink,
            S_IFCHR => Self::CharDevice,
            S_IFBLK => Self::BlockDevice,
            S_IFIFO => Self::Fifo,
            S_IFSOCK => Self::Socket,
            _ => return None,
        })
    }
}

/// One file of the archive. Borrows its name and data from the archive.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Entry<'a> {
    /// The path from the root, without leading `/` or `./` (`bin/sh`);
    /// "" for the root itself.
    pub name: &'a str,
    pub file_type: FileType,
    /// The full st_mode: type bits (S_IFREG, ...) and permissions.
    pub mode: u32,
    pub ino: u32,
    pub uid: u32,
    pub gid: u32,
    pub nlink: u32,
    pub mtime: u32,
    /// A device's number as Linux's new_encode_dev makes it (what stat's
    /// st_rdev shows): `minor & 0xff | major << 8 | (minor & !0xff) << 12`;
    /// 0 for anything but a device. `rdev_pair` gives (major, minor).
    pub rdev: u32,
    /// A regular file's contents or a symlink's target; empty otherwise,
    /// and empty on all but one entry of a hard-link group (see `HardLinks`).
    pub data: &'a [u8],
    /// Which of the concatenated archives holds the entry, from 0.
    pub archive: u32,
    /// Where its header starts in the input, for messages.
    pub offset: usize,
    /// The (major, minor) of the device the archived file lived on: only
    /// hard links care.
    dev: (u32, u32),
}

impl Entry<'_> {
    /// The permission bits (with set-user-ID, set-group-ID and sticky).
    pub fn permissions(&self) -> u32 {
        self.mode & 0o7777
    }

    /// The device number as (major, minor).
    pub fn rdev_pair(&self) -> (u32, u32) {
        ((self.rdev >> 8) & 0xfff, (self.rdev & 0xff) | ((self.rdev >> 12) & 0xfff00))
    }

    /// What identifies its hard-link group, if it may be one: nlink ≥ 2 and
    /// neither a directory nor a symlink (Linux's maybe_link).
    pub fn link_key(&self) -> Option<LinkKey> {
        let linkable = !matches!(self.file_type, FileType::Directory | FileType::Symlink);
        (linkable && self.nlink >= 2).then_some(LinkKey {
            archive: self.archive,
            dev: self.dev,
            ino: self.ino,
            file_type: self.file_type,
        })
    }
}

/// The identity Linux's find_link compares (the trailer forgets them all,
/// hence the archive number).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
pub struct LinkKey {
    archive: u32,
    dev: (u32, u32),
    ino: u32,
    file_type: FileType,
}

/// Remembers the first entry of each hard-link group.
#[derive(Default)]
pub struct HardLinks<'a> {
    first: BTreeMap<LinkKey, &'a str>,
}

impl<'a> HardLinks<'a> {
    pub fn new() -> Self {
        Self::default()
    }

    /// The name `e` must be hard-linked to, or `None` when it is a file of
    /// its own: not a link, or the first of its group (then remembered;
    /// allocates). As on Linux, the caller then writes any data of `e`
    /// through the link (cpio puts a group's data on its last entry).
    pub fn target(&mut self, e: &Entry<'a>) -> Option<&'a str> {
        let key = e.link_key()?;
        match self.first.get(&key) {
            Some(first) => Some(first),
            None => {
                self.first.insert(key, e.name);
                None
            }
        }
    }
}

/// Why an archive was refused: what, where, and for which name.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Error<'a> {
    /// The offset of the entry's header (or of the bad byte between entries).
    pub offset: usize,
    /// The entry's name as the archive spells it, once it could be read.
    pub name: Option<&'a str>,
    pub kind: ErrorKind,
}

/// What was wrong. `Display` says it in words.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ErrorKind {
    /// The input ends inside a header; holds how many bytes of it exist.
    TruncatedHeader(usize),
    /// The old cpio formats (`070707`, binary): written without `-H newc`.
    OldFormat,
    /// A compressed archive (gzip, xz, ...): there is no decompressor here.
    Compressed(&'static str),
    BadMagic([u8; 6]),
    /// After zeros, a header that does not start on a multiple of 4.
    BrokenPadding,
    /// A header field that is not 8 hex digits (its name in `FIELDS`).
    BadHex(&'static str),
    /// A mode with bits above 0o177777 or a file type Linux does not know.
    BadMode(u32),
    /// A device number that Linux's dev_t cannot hold (12-bit major, 20-bit minor).
    BadDevice {
        major: u32,
        minor: u32,
    },
    EmptyName,
    NameTooLong(u32),
    TruncatedName,
    NameNotTerminated,
    NameHasNul,
    NameNotUtf8,
    DotDotComponent,
    DotComponent,
    EmptyComponent,
    ComponentTooLong,
    /// A name that is the root itself (`.`), on something not a directory.
    RootNotDirectory,
    /// `size` bytes of data, but only `left` bytes of input after the name.
    TruncatedData {
        size: u32,
        left: usize,
    },
    /// A non-zero byte where padding must be.
    BadPadding,
    /// Data on a directory, device, fifo or socket.
    DataOnSpecial(u32),
    EmptySymlink,
    SymlinkTooLong(u32),
    SymlinkHasNul,
    BadChecksum {
        header: u32,
        data: u32,
    },
    MissingTrailer,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            Self::TruncatedHeader(n) => write!(f, "the archive ends inside a header ({n} of {HEADER_LEN} bytes)"),
            Self::OldFormat => write!(f, "old cpio format: write the archive with `cpio -H newc`"),
            Self::Compressed(m) => write!(f, "{m}-compressed archive: only uncompressed newc archives are read"),
            Self::BadMagic(m) => {
                write!(f, "no cpio magic: \"{}\" (expected \"070701\" or \"070702\")", m.escape_ascii())
            }
            Self::BrokenPadding => write!(f, "broken padding: a header must start on a multiple of 4 bytes"),
            Self::BadHex(field) => write!(f, "header field {field} is not 8 hex digits"),
            Self::BadMode(m) => write!(f, "mode {m:#o} is not a Linux file type and permissions"),
            Self::BadDevice { major, minor } => {
                write!(f, "device {major}:{minor} does not fit a dev_t (major < 4096, minor < 1048576)")
            }
            Self::EmptyName => write!(f, "empty name"),
            Self::NameTooLong(n) => write!(f, "name of {n} bytes is longer than PATH_MAX ({PATH_MAX})"),
            Self::TruncatedName => write!(f, "the archive ends inside a name"),
            Self::NameNotTerminated => write!(f, "name without its terminating NUL"),
            Self::NameHasNul => write!(f, "NUL byte inside the name"),
            Self::NameNotUtf8 => write!(f, "name is not UTF-8"),
            Self::DotDotComponent => write!(f, "name has a `..` component (it would escape the root)"),
            Self::DotComponent => write!(f, "name has a `.` component"),
            Self::EmptyComponent => write!(f, "name has an empty component (`//` or a trailing `/`)"),
            Self::ComponentTooLong => write!(f, "name has a component longer than NAME_MAX ({NAME_MAX})"),
            Self::RootNotDirectory => write!(f, "the root (`.`) must be a directory"),
            Self::TruncatedData { size, left } => {
                write!(f, "{size} bytes of data run past the end of the archive ({left} bytes left)")
            }
            Self::BadPadding => write!(f, "non-zero byte in the padding"),
            Self::DataOnSpecial(n) => write!(f, "{n} bytes of data on an entry that is not a file or symlink"),
            Self::EmptySymlink => write!(f, "symlink with an empty target"),
            Self::SymlinkTooLong(n) => write!(f, "symlink target of {n} bytes is longer than PATH_MAX"),
            Self::SymlinkHasNul => write!(f, "NUL byte inside a symlink target"),
            Self::BadChecksum { header, data } => {
                write!(f, "data checksum {data:#010x} does not match the header's {header:#010x}")
            }
            Self::MissingTrailer => write!(f, "the archive ends without its TRAILER!!! entry"),
        }
    }
}

impl fmt::Display for Error<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "cpio archive, at byte {}", self.offset)?;
        if let Some(name) = self.name {
            write!(f, " ({name:?})")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// The entries of `archive` (one or several concatenated), in order,
/// trailers left out. Yields `Err` once, at the first thing wrong, then ends.
pub fn entries(archive: &[u8]) -> Entries<'_> {
    Entries { input: archive, pos: 0, archives: 0, in_archive: false, done: false }
}

/// The iterator of `entries`.
pub struct Entries<'a> {
    input: &'a [u8],
    /// Where the next header (or zero padding) starts.
    pos: usize,
    /// How many archives have begun.
    archives: u32,
    /// Inside an archive: its trailer has not been seen.
    in_archive: bool,
    done: bool,
}

impl<'a> Iterator for Entries<'a> {
    type Item = Result<Entry<'a>, Error<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let item = self.step().transpose();
        self.done = !matches!(item, Some(Ok(_)));
        item
    }
}

/// A parsed header; `checksummed` for `070702`.
struct Header {
    checksummed: bool,
    ino: u32,
    mode: u32,
    uid: u32,
    gid: u32,
    nlink: u32,
    mtime: u32,
    filesize: u32,
    dev: (u32, u32),
    rdev: (u32, u32),
    namesize: u32,
    check: u32,
}

impl<'a> Entries<'a> {
    /// The next entry; `None` at a clean end of input.
    fn step(&mut self) -> Result<Option<Entry<'a>>, Error<'a>> {
        loop {
            self.pos += self.input[self.pos..].iter().take_while(|&&b| b == 0).count();
            let at = self.pos;
            let err = |kind| Error { offset: at, name: None, kind };
            if at == self.input.len() {
                return if self.in_archive { Err(err(ErrorKind::MissingTrailer)) } else { Ok(None) };
            }
            if !at.is_multiple_of(4) {
                return Err(err(ErrorKind::BrokenPadding));
            }
            let header = parse_header(&self.input[at..]).map_err(err)?;
            if !self.in_archive {
                self.in_archive = true;
                self.archives += 1;
            }
            let (entry, next) = self.entry(at, &header)?;
            self.pos = next.min(self.input.len());
            match entry {
                Some(e) => return Ok(Some(e)),
                None => self.in_archive = false,
            }
        }
    }

    /// The entry whose header is at `at`, or `None` for a trailer, and where
    /// the next one may start.
    fn entry(&self, at: usize, h: &Header) -> Result<(Option<Entry<'a>>, usize), Error<'a>> {
        let err = |name, kind| Error { offset: at, name, kind };
        let raw = self.raw_name(at, h.namesize).map_err(|k| err(None, k))?;
        let data_at = align4(at + HEADER_LEN + raw.len() + 1);
        let name = core::str::from_utf8(raw).ok();
        let data = self.data(at + HEADER_LEN + raw.len() + 1, data_at, h.filesize).map_err(|k| err(name, k))?;
        let next = align4(data_at + data.len());
        if raw == TRAILER {
            return Ok((None, next));
        }
        let name = name.ok_or(err(None, ErrorKind::NameNotUtf8))?;
        let clean = clean_name(name).map_err(|k| err(Some(name), k))?;
        let (file_type, rdev) = check_entry(h, data).map_err(|k| err(Some(name), k))?;
        if clean.is_empty() && file_type != FileType::Directory {
            return Err(err(Some(name), ErrorKind::RootNotDirectory));
        }
        let entry = Entry {
            name: clean,
            file_type,
            mode: h.mode,
            ino: h.ino,
            uid: h.uid,
            gid: h.gid,
            nlink: h.nlink,
            mtime: h.mtime,
            rdev,
            data,
            archive: self.archives - 1,
            offset: at,
            dev: h.dev,
        };
        Ok((Some(entry), next))
    }

    /// The name after the header at `at`, without its NUL.
    fn raw_name(&self, at: usize, namesize: u32) -> Result<&'a [u8], ErrorKind> {
        if namesize as usize > PATH_MAX {
            return Err(ErrorKind::NameTooLong(namesize));
        }
        let start = at + HEADER_LEN;
        let name = self.input.get(start..start + namesize as usize).ok_or(ErrorKind::TruncatedName)?;
        let Some((&last, name)) = name.split_last() else { return Err(ErrorKind::EmptyName) };
        if last != 0 {
            return Err(ErrorKind::NameNotTerminated);
        }
        if name.is_empty() {
            return Err(ErrorKind::EmptyName);
        }
        if name.contains(&0) {
            return Err(ErrorKind::NameHasNul);
        }
        Ok(name)
    }

    /// The `size` bytes of data at `data_at`, after checking the zeros that
    /// pad the name (from `name_end`) and the data. Padding cut off by the
    /// end of input is accepted: only a trailer may come last anyway.
    fn data(&self, name_end: usize, data_at: usize, size: u32) -> Result<&'a [u8], ErrorKind> {
        let len = self.input.len();
        zeros(&self.input[name_end.min(len)..data_at.min(len)])?;
        if size == 0 {
            return Ok(&[]);
        }
        let left = len.saturating_sub(data_at);
        let end = data_at.checked_add(size as usize).filter(|&e| e <= len);
        let Some(end) = end else { return Err(ErrorKind::TruncatedData { size, left }) };
        zeros(&self.input[end..align4(end).min(len)])?;
        Ok(&self.input[data_at..end])
    }
}

/// Reads the header at the start of `b`.
fn parse_header(b: &[u8]) -> Result<Header, ErrorKind> {
    if let Some(method) = compression(b) {
        return Err(ErrorKind::Compressed(method));
    }
    if b.starts_with(&[0xc7, 0x71]) || b.starts_with(&[0x71, 0xc7]) || b.starts_with(b"070707") {
        return Err(ErrorKind::OldFormat);
    }
    let Some(magic) = b.first_chunk::<6>() else {
        // Fewer than 6 bytes: the start of a magic, or not.
        if b != &b"070701"[..b.len()] {
            let mut m = [0; 6];
            m[..b.len()].copy_from_slice(b);
            return Err(ErrorKind::BadMagic(m));
        }
        return Err(ErrorKind::TruncatedHeader(b.len()));
    };
    let checksummed = match magic {
        b"070701" => false,
        b"070702" => true,
        _ => return Err(ErrorKind::BadMagic(*magic)),
    };
    let Some(fields) = b.get(6..HEADER_LEN) else { return Err(ErrorKind::TruncatedHeader(b.len())) };
    let mut f = [0; 13];
    for (i, digits) in fields.chunks_exact(8).enumerate() {
        f[i] = hex8(digits).ok_or(ErrorKind::BadHex(FIELDS[i]))?;
    }
    let [ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor, rdevmajor, rdevminor, namesize, check] = f;
    let (dev, rdev) = ((devmajor, devminor), (rdevmajor, rdevminor));
    Ok(Header { checksummed, ino, mode, uid, gid, nlink, mtime, filesize, dev, rdev, namesize, check })
}

/// Eight hex digits (either case) as a number; nothing else is accepted.
fn hex8(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |n, &c| Some(n << 4 | char::from(c).to_digit(16)?))
}

/// The compression Linux's decompress_method would find at the start of `b`.
fn compression(b: &[u8]) -> Option<&'static str> {
    const MAGICS: [(&[u8], &str); 8] = [
        (&[0x1f, 0x8b], "gzip"),
        (&[0x1f, 0x9e], "gzip"),
        (b"BZh", "bzip2"),
        (&[0x5d, 0, 0], "lzma"),
        (&[0xfd, b'7', b'z', b'X', b'Z', 0], "xz"),
        (&[0x89, b'L', b'Z', b'O', 0], "lzo"),
        (&[0x02, 0x21, 0x4c, 0x18], "lz4"),
        (&[0x28, 0xb5, 0x2f, 0xfd], "zstd"),
    ];
    MAGICS.iter().find(|(m, _)| b.starts_with(m)).map(|&(_, name)| name)
}

/// `name` without leading `/` and `./`, refused if a component could
/// escape the root or is not a plain name.
fn clean_name(name: &str) -> Result<&str, ErrorKind> {
    let mut s = name;
    while let Some(rest) = s.strip_prefix('/').or_else(|| s.strip_prefix("./")) {
        s = rest;
    }
    if s == "." || s.is_empty() {
        return Ok("");
    }
    for comp in s.split('/') {
        match comp {
            "" => return Err(ErrorKind::EmptyComponent),
            "." => return Err(ErrorKind::DotComponent),
            ".." => return Err(ErrorKind::DotDotComponent),
            c if c.len() > NAME_MAX => return Err(ErrorKind::ComponentTooLong),
            _ => {}
        }
    }
    Ok(s)
}

/// Checks what the type of the entry says about its mode, data, device
/// and checksum; returns the type and the encoded device number.
fn check_entry(h: &Header, data: &[u8]) -> Result<(FileType, u32), ErrorKind> {
    let mode = h.mode;
    let file_type = FileType::of_mode(mode).filter(|_| mode <= 0o177777).ok_or(ErrorKind::BadMode(mode))?;
    let size = h.filesize;
    match file_type {
        FileType::Regular => {
            let sum = data.iter().fold(0u32, |s, &b| s.wrapping_add(u32::from(b)));
            if h.checksummed && sum != h.check {
                return Err(ErrorKind::BadChecksum { header: h.check, data: sum });
            }
        }
        FileType::Symlink if data.is_empty() => return Err(ErrorKind::EmptySymlink),
        FileType::Symlink if data.len() >= PATH_MAX => return Err(ErrorKind::SymlinkTooLong(size)),
        FileType::Symlink if data.contains(&0) => return Err(ErrorKind::SymlinkHasNul),
        FileType::Symlink => {}
        _ if size != 0 => return Err(ErrorKind::DataOnSpecial(size)),
        _ => {}
    }
    let rdev = match file_type {
        FileType::CharDevice | FileType::BlockDevice => encode_dev(h.rdev.0, h.rdev.1)?,
        _ => 0,
    };
    Ok((file_type, rdev))
}

/// Linux's new_encode_dev(MKDEV(major, minor)), refusing what MKDEV would truncate.
fn encode_dev(major: u32, minor: u32) -> Result<u32, ErrorKind> {
    if major > 0xfff || minor > 0xf_ffff {
        return Err(ErrorKind::BadDevice { major, minor });
    }
    Ok((minor & 0xff) | (major << 8) | ((minor & !0xff) << 12))
}

fn zeros(pad: &[u8]) -> Result<(), ErrorKind> {
    if pad.iter().all(|&b| b == 0) { Ok(()) } else { Err(ErrorKind::BadPadding) }
}

/// `n` rounded up to a multiple of 4. Offsets are below isize::MAX (they
/// index a slice, plus at most 4 KiB of name), so this cannot overflow.
const fn align4(n: usize) -> usize {
    (n + 3) & !3
}

#[cfg(all(test, not(target_os = "none")))]
#[path = "../../tests/cpio/cpio_tests.rs"]
mod tests;

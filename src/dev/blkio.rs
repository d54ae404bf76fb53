//! What Linux's block-device files promise, as arithmetic on a disk of
//! 512-byte sectors (pure, host-tested):
//! - any byte range can be read or written: it is cut into pieces that each
//!   lie inside one page-aligned 4 KiB block of the disk and cover the
//!   sectors their bytes touch; a write piece that covers sectors only in
//!   part becomes read-modify-write (Linux gets this from the block
//!   device's page cache);
//! - a read at or past the end returns 0, a write there is ENOSPC, a
//!   transfer that crosses the end is cut short (blkdev_read_iter,
//!   blkdev_write_iter);
//! - lseek may not leave the device (fixed_size_llseek: EINVAL past the end,
//!   SEEK_DATA/SEEK_HOLE ENXIO at it);
//! - the BLK* ioctls answer sizes (block/ioctl.c).

use memguard_abi::Errno;
use memguard_abi::linux::{
    BLKBSZGET, BLKFLSBUF, BLKGETSIZE, BLKGETSIZE64, BLKPBSZGET, BLKROGET, BLKSSZGET, SEEK_CUR, SEEK_DATA, SEEK_END,
    SEEK_HOLE, SEEK_SET,
};

pub const SECTOR_SIZE: u64 = 512;
/// The most one request moves: a page, the driver's buffer per request.
pub const PIECE_SIZE: u64 = 4096;

/// One request's share of a byte-range transfer.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Piece {
    /// The first sector the request covers.
    pub sector: u64,
    /// How many sectors (1..=8).
    pub sectors: u32,
    /// Where the caller's bytes begin in the request's buffer.
    pub skip: u32,
    /// How many of the caller's bytes the piece moves.
    pub len: u32,
}

impl Piece {
    /// Whether the caller's bytes fill every sector the piece covers: a
    /// write of such a piece needs no read first.
    pub fn whole_sectors(&self) -> bool {
        self.skip == 0 && u64::from(self.len) == u64::from(self.sectors) * SECTOR_SIZE
    }

    /// The request's length in bytes.
    pub fn bytes(&self) -> usize {
        self.sectors as usize * SECTOR_SIZE as usize
    }
}

/// The pieces of bytes `offset..offset + len`, in order.
pub fn pieces(offset: u64, len: u64) -> impl Iterator<Item = Piece> {
    let end = offset.saturating_add(len);
    let mut pos = offset;
    core::iter::from_fn(move || {
        if pos >= end {
            return None;
        }
        let stop = end.min((pos / PIECE_SIZE + 1) * PIECE_SIZE);
        let sector = pos / SECTOR_SIZE;
        let sectors = (stop.div_ceil(SECTOR_SIZE) - sector) as u32;
        let piece = Piece { sector, sectors, skip: (pos - sector * SECTOR_SIZE) as u32, len: (stop - pos) as u32 };
        pos = stop;
        Some(piece)
    })
}

/// How many of `len` bytes at `offset` a read moves from a device of
/// `size` bytes: none at or past the end.
pub fn clip_read(offset: u64, len: u64, size: u64) -> u64 {
    len.min(size.saturating_sub(offset))
}

/// How many of `len` bytes at `offset` a write moves, in Linux's order of
/// checks: EPERM on a read-only device, nothing for nothing, ENOSPC at
/// or past the end.
pub fn clip_write(offset: u64, len: u64, size: u64, read_only: bool) -> Result<u64, Errno> {
    if read_only {
        return Err(Errno::EPERM);
    }
    if len == 0 {
        return Ok(0);
    }
    if offset >= size {
        return Err(Errno::ENOSPC);
    }
    Ok(len.min(size - offset))
}

/// The new file position of lseek(`offset`, `whence`) from `pos` on a
/// device of `size` bytes (generic_file_llseek_size with maxsize = eof =
/// size).
pub fn seek(pos: u64, offset: i64, whence: u32, size: u64) -> Result<u64, Errno> {
    let new = match whence {
        SEEK_SET => offset,
        SEEK_CUR if offset == 0 => return Ok(pos),
        SEEK_CUR => (pos as i64).checked_add(offset).ok_or(Errno::EINVAL)?,
        SEEK_END => (size as i64).checked_add(offset).ok_or(Errno::EINVAL)?,
        SEEK_DATA | SEEK_HOLE if offset as u64 >= size => return Err(Errno::ENXIO),
        SEEK_DATA => offset,
        SEEK_HOLE => size as i64,
        _ => return Err(Errno::EINVAL),
    };
    if new < 0 || new as u64 > size {
        return Err(Errno::EINVAL);
    }
    Ok(new as u64)
}

/// What a BLK* ioctl hands back.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum BlkAnswer {
    /// Written to the argument as a 32-bit value (int, unsigned long).
    U32(u32),
    /// Written as a 64-bit value.
    U64(u64),
    /// Write back what is cached (BLKFLSBUF), then 0.
    Flush,
}

/// The answer to block-device ioctl `request` on a disk of `sectors`
/// sectors; ENOTTY for what a disk does not answer.
pub fn ioctl(request: u32, sectors: u64, read_only: bool) -> Result<BlkAnswer, Errno> {
    Ok(match request {
        // An unsigned long of sectors: EFBIG past what 32 bits hold.
        BLKGETSIZE => BlkAnswer::U32(u32::try_from(sectors).map_err(|_| Errno::EFBIG)?),
        BLKGETSIZE64 => BlkAnswer::U64(sectors * SECTOR_SIZE),
        BLKSSZGET | BLKPBSZGET => BlkAnswer::U32(SECTOR_SIZE as u32),
        BLKBSZGET => BlkAnswer::U32(block_size(sectors * SECTOR_SIZE)),
        BLKROGET => BlkAnswer::U32(u32::from(read_only)),
        BLKFLSBUF => BlkAnswer::Flush,
        _ => return Err(Errno::ENOTTY),
    })
}

/// The block size Linux gives a whole disk's file (set_init_blocksize):
/// the largest power of two from the sector size up to a page that
/// divides the size.
pub fn block_size(bytes: u64) -> u32 {
    let mut b = SECTOR_SIZE;
    while b < PIECE_SIZE && bytes & b == 0 {
        b <<= 1;
    }
    b as u32
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    fn all(offset: u64, len: u64) -> Vec<Piece> {
        pieces(offset, len).collect()
    }

    #[test]
    fn a_page_aligned_page_is_one_whole_request() {
        assert_eq!(all(8192, 4096), [Piece { sector: 16, sectors: 8, skip: 0, len: 4096 }]);
        assert!(all(8192, 4096)[0].whole_sectors());
        assert_eq!(all(0, 0), []);
    }

    #[test]
    fn unaligned_ranges_cover_the_sectors_they_touch() {
        // 10 bytes straddling the first sector boundary: two sectors, in part.
        let p = all(507, 10);
        assert_eq!(p, [Piece { sector: 0, sectors: 2, skip: 507, len: 10 }]);
        assert!(!p[0].whole_sectors());
        // The swap magic: 10 bytes at 4086, the end of the first page.
        assert_eq!(all(4086, 10), [Piece { sector: 7, sectors: 1, skip: 502, len: 10 }]);
        // One byte.
        assert_eq!(all(513, 1), [Piece { sector: 1, sectors: 1, skip: 1, len: 1 }]);
    }

    #[test]
    fn a_range_across_page_boundaries_splits_at_each() {
        let p = all(4000, 5000);
        assert_eq!(
            p,
            [
                Piece { sector: 7, sectors: 1, skip: 416, len: 96 },
                Piece { sector: 8, sectors: 8, skip: 0, len: 4096 },
                Piece { sector: 16, sectors: 2, skip: 0, len: 808 },
            ]
        );
        assert_eq!(p.iter().map(|p| u64::from(p.len)).sum::<u64>(), 5000);
        assert!(p[1].whole_sectors() && !p[0].whole_sectors() && !p[2].whole_sectors());
        // Whole sectors that are not page aligned: whole, but split.
        let p = all(1024, 8192);
        assert_eq!(p.len(), 3);
        assert!(p.iter().all(Piece::whole_sectors));
        assert_eq!((p[0].sector, p[0].sectors, p[2].sectors), (2, 6, 2));
    }

    #[test]
    fn every_piece_fits_one_buffer() {
        for offset in [0u64, 1, 511, 512, 4095, 4096, 12345] {
            for len in [1u64, 511, 512, 513, 4096, 9000] {
                let mut at = offset;
                for p in pieces(offset, len) {
                    assert!(p.bytes() as u64 <= PIECE_SIZE && p.sectors >= 1);
                    assert_eq!(p.sector * SECTOR_SIZE + u64::from(p.skip), at, "contiguous");
                    assert!(u64::from(p.skip + p.len) <= p.bytes() as u64);
                    at += u64::from(p.len);
                }
                assert_eq!(at, offset + len);
            }
        }
    }

    #[test]
    fn reads_and_writes_stop_at_the_end_as_linux_does() {
        let size = 1 << 20;
        assert_eq!(clip_read(size - 100, 4096, size), 100);
        assert_eq!(clip_read(size, 4096, size), 0);
        assert_eq!(clip_read(size + 5, 1, size), 0);
        assert_eq!(clip_write(size - 100, 4096, size, false), Ok(100));
        assert_eq!(clip_write(size, 1, size, false), Err(Errno::ENOSPC));
        assert_eq!(clip_write(size, 0, size, false), Ok(0), "nothing to write is not ENOSPC");
        assert_eq!(clip_write(0, 0, size, true), Err(Errno::EPERM), "read-only comes first");
    }

    #[test]
    fn lseek_stays_inside_the_device() {
        let size = 256 << 20;
        assert_eq!(seek(0, 0, SEEK_END, size), Ok(size));
        assert_eq!(seek(0, -4096, SEEK_END, size), Ok(size - 4096));
        assert_eq!(seek(0, 1, SEEK_END, size), Err(Errno::EINVAL));
        assert_eq!(seek(100, -101, SEEK_CUR, size), Err(Errno::EINVAL));
        assert_eq!(seek(100, 0, SEEK_CUR, size), Ok(100));
        assert_eq!(seek(0, 4086, SEEK_SET, size), Ok(4086));
        assert_eq!(seek(0, -1, SEEK_SET, size), Err(Errno::EINVAL));
        assert_eq!(seek(0, 10, SEEK_DATA, size), Ok(10));
        assert_eq!(seek(0, 10, SEEK_HOLE, size), Ok(size));
        assert_eq!(seek(0, size as i64, SEEK_DATA, size), Err(Errno::ENXIO));
        assert_eq!(seek(0, -1, SEEK_HOLE, size), Err(Errno::ENXIO));
        assert_eq!(seek(0, 0, 5, size), Err(Errno::EINVAL));
    }

    #[test]
    fn ioctls_answer_sizes() {
        let sectors = (256 << 20) / 512;
        assert_eq!(ioctl(BLKGETSIZE64, sectors, false), Ok(BlkAnswer::U64(256 << 20)));
        assert_eq!(ioctl(BLKGETSIZE, sectors, false), Ok(BlkAnswer::U32(sectors as u32)));
        assert_eq!(ioctl(BLKGETSIZE, 1 << 32, false), Err(Errno::EFBIG));
        assert_eq!(ioctl(BLKSSZGET, sectors, false), Ok(BlkAnswer::U32(512)));
        assert_eq!(ioctl(BLKBSZGET, sectors, false), Ok(BlkAnswer::U32(4096)));
        assert_eq!(ioctl(BLKROGET, sectors, true), Ok(BlkAnswer::U32(1)));
        assert_eq!(ioctl(0x5401, sectors, false), Err(Errno::ENOTTY), "TCGETS is not for disks");
        assert_eq!(block_size(3 * 512), 512);
        assert_eq!(block_size(2048), 2048);
    }
}

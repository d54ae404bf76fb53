//! The swap area's first page, as mkswap writes it and Linux reads it
//! (`union swap_header`, include/linux/swap.h): 1024 boot bytes, then
//! `info`, and the magic "SWAPSPACE2" in the page's last 10 bytes.
//!
//! ```text
//!    0  bootbits[1024]
//! 1024  version (u32, 1)       1028  last_page (u32)   1032  nr_badpages (u32)
//! 1036  sws_uuid[16]           1052  sws_volume[16]    1068  padding[117] (u32)
//! 1536  badpages[nr_badpages] (u32 each)
//! 4086  "SWAPSPACE2"
//! ```
//! Slot 0 is this page; slots 1..=last_page hold pages, but for the bad
//! ones. `parse` refuses what Linux's read_swap_header refuses, with EINVAL.
//! Pure.

use alloc::vec::Vec;
use memguard_abi::Errno;

pub const PAGE: usize = 4096;
const MAGIC: &[u8; 10] = b"SWAPSPACE2";
const VERSION: usize = 1024;
const LAST_PAGE: usize = 1028;
const NR_BADPAGES: usize = 1032;
const UUID: usize = 1036;
const LABEL: usize = 1052;
const BADPAGES: usize = 1536;
/// Linux's MAX_SWAP_BADPAGES: the bad-page list must fit before the magic.
pub const MAX_BADPAGES: u32 = ((PAGE - 10 - BADPAGES) / 4) as u32;

/// A swap header that passed every check.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct SwapHeader {
    /// The last usable slot (the area is `last_page + 1` pages).
    pub last_page: u32,
    pub bad: Vec<u32>,
    pub uuid: [u8; 16],
    pub label: [u8; 16],
}

impl SwapHeader {
    /// Slots that can hold a page: all but the header and the bad ones
    /// (Linux's `nr_good_pages`, what /proc/swaps calls Size).
    pub fn good_pages(&self) -> u32 {
        self.last_page - self.bad.len() as u32
    }
}

fn u32_at(page: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([page[at], page[at + 1], page[at + 2], page[at + 3]])
}

/// Whether `page` carries the swap signature at all (init's question).
pub fn has_magic(page: &[u8]) -> bool {
    page.len() >= PAGE && &page[PAGE - 10..PAGE] == MAGIC
}

/// Checks the header page of a device of `device_pages` pages, in Linux's
/// order: signature, version, an empty area, bad-page count, each bad
/// page, and an area longer than the device.
pub fn parse(page: &[u8], device_pages: u32) -> Result<SwapHeader, Errno> {
    if !has_magic(page) {
        return Err(Errno::EINVAL);
    }
    if u32_at(page, VERSION) != 1 {
        return Err(Errno::EINVAL);
    }
    let mut last_page = u32_at(page, LAST_PAGE);
    if last_page == 0 {
        return Err(Errno::EINVAL);
    }
    // The PTE keeps 31 bits of slot: a longer area is cut, as Linux cuts
    // one longer than its swap entries can address.
    last_page = last_page.min((1 << 31) - 1);
    let nr_bad = u32_at(page, NR_BADPAGES);
    if nr_bad > MAX_BADPAGES {
        return Err(Errno::EINVAL);
    }
    let mut bad = Vec::with_capacity(nr_bad as usize);
    for i in 0..nr_bad as usize {
        let b = u32_at(page, BADPAGES + 4 * i);
        if b == 0 || b > last_page {
            return Err(Errno::EINVAL);
        }
        bad.push(b);
    }
    bad.sort_unstable();
    bad.dedup();
    if last_page + 1 > device_pages || bad.len() as u32 >= last_page {
        return Err(Errno::EINVAL);
    }
    let mut uuid = [0; 16];
    uuid.copy_from_slice(&page[UUID..UUID + 16]);
    let mut label = [0; 16];
    label.copy_from_slice(&page[LABEL..LABEL + 16]);
    Ok(SwapHeader { last_page, bad, uuid, label })
}

/// A header as mkswap writes it (for tests, and the README's example).
pub fn build(last_page: u32, bad: &[u32]) -> Vec<u8> {
    let mut p = alloc::vec![0u8; PAGE];
    p[VERSION..VERSION + 4].copy_from_slice(&1u32.to_le_bytes());
    p[LAST_PAGE..LAST_PAGE + 4].copy_from_slice(&last_page.to_le_bytes());
    p[NR_BADPAGES..NR_BADPAGES + 4].copy_from_slice(&(bad.len() as u32).to_le_bytes());
    for (i, b) in bad.iter().enumerate() {
        p[BADPAGES + 4 * i..BADPAGES + 4 * i + 4].copy_from_slice(&b.to_le_bytes());
    }
    p[PAGE - 10..].copy_from_slice(MAGIC);
    p
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn mkswap_128m_header() {
        // mkswap on a 128 MiB image: 32768 pages, the last is 32767.
        let h = parse(&build(32767, &[]), 32768).unwrap();
        assert_eq!(h.last_page, 32767);
        assert_eq!(h.good_pages(), 32767, "131068 KiB, as Linux's /proc/swaps says");
    }

    #[test]
    fn bad_pages_are_left_out() {
        let h = parse(&build(100, &[7, 3, 7]), 101).unwrap();
        assert_eq!(h.bad, [3, 7]);
        assert_eq!(h.good_pages(), 98);
    }

    #[test]
    fn malformed_headers_are_einval() {
        let mut p = build(100, &[]);
        p[PAGE - 1] = b'1'; // SWAPSPACE1, the old format
        assert_eq!(parse(&p, 101), Err(Errno::EINVAL));
        let mut p = build(100, &[]);
        p[VERSION] = 2;
        assert_eq!(parse(&p, 101), Err(Errno::EINVAL));
        assert_eq!(parse(&build(0, &[]), 101), Err(Errno::EINVAL), "empty area");
        assert_eq!(parse(&build(100, &[0]), 101), Err(Errno::EINVAL), "the header is no bad page");
        assert_eq!(parse(&build(100, &[101]), 101), Err(Errno::EINVAL), "bad page past the end");
        assert_eq!(parse(&build(100, &[]), 100), Err(Errno::EINVAL), "longer than the device");
        assert_eq!(parse(&[0u8; PAGE], 101), Err(Errno::EINVAL), "no signature");
        assert_eq!(parse(&[0u8; 100], 101), Err(Errno::EINVAL), "short page");
        let mut p = build(100, &[]);
        p[NR_BADPAGES..NR_BADPAGES + 4].copy_from_slice(&(MAX_BADPAGES + 1).to_le_bytes());
        assert_eq!(parse(&p, 101), Err(Errno::EINVAL));
    }
}

//! swapon(path, flags) and swapoff(path), as Linux's (mm/swapfile.c) for
//! the one kind of area this kernel has: the disk /dev/vda carrying
//! mkswap's header. The header is checked by `mm::swap::header`; the
//! area, the clock and the page moves are `mm::swap` and `task::swapd`.

use super::abi::{Errno, SysResult};
use crate::dev::blk;
use crate::fs::tmpfs::{S_IFBLK, S_IFMT};
use crate::mm::swap::{area, header};

/// Linux's SWAP_FLAGS_VALID: priority (0x7fff), SWAP_FLAG_PREFER (0x8000)
/// and the three discard flags.
const SWAP_FLAGS_VALID: u32 = 0x7_ffff;
const SWAP_FLAG_PREFER: u32 = 0x8000;

/// The path, checked to be the disk's block device (ENOENT, ENOTDIR...
/// from the walk; EINVAL for anything but a block device, ENXIO for a
/// block device with no disk behind it).
fn the_disk(path_addr: u32) -> Result<(alloc::string::String, blk::DiskInfo), Errno> {
    let path = super::path::read_path_str(path_addr)?;
    let ino = super::path::inode_at(memguard_abi::linux::AT_FDCWD, path_addr, 0)?;
    let (mode, rdev) = crate::fs::root::with_tree(|t| t.get(ino).map(|n| (n.mode, n.rdev))).ok_or(Errno::ENOENT)?;
    if mode & S_IFMT != S_IFBLK {
        // A regular file would be a swap file on Linux; this kernel swaps
        // only to the disk.
        return Err(Errno::EINVAL);
    }
    if rdev != blk::vda_rdev() {
        return Err(Errno::ENXIO);
    }
    Ok((path, blk::info().ok_or(Errno::ENXIO)?))
}

/// swapon: EINVAL for unknown flags, then the path, EBUSY if the disk is
/// already swap, then the header (EINVAL if it is not mkswap's).
pub fn swapon(path: u32, flags: u32) -> SysResult {
    if flags & !SWAP_FLAGS_VALID != 0 {
        return Err(Errno::EINVAL);
    }
    let (name, disk) = the_disk(path)?;
    if area::is_on() {
        return Err(Errno::EBUSY);
    }
    let mut page = alloc::vec![0u8; header::PAGE];
    let (n, r) = blk::read_at(0, &mut page);
    if r.is_err() || n != header::PAGE {
        return Err(Errno::EIO);
    }
    let pages = (disk.bytes() / header::PAGE as u64).min(u64::from(u32::MAX)) as u32;
    let h = header::parse(&page, pages)?;
    area::activate(&name, &h)?;
    if flags & SWAP_FLAG_PREFER != 0 {
        area::with(|a| a.priority = (flags & 0x7fff) as i32);
    }
    // As Linux logs it.
    log::info!(
        "Adding {}k swap on {name}.  Priority:{} extents:1 across:{}k",
        h.good_pages() * 4,
        area::with(|a| a.priority).unwrap_or(-2),
        h.good_pages() * 4
    );
    Ok(0)
}

/// swapoff: the path, EINVAL if it is not the active area, then every page
/// comes back (ENOMEM if memory runs out first; swap stays on).
pub fn swapoff(path: u32) -> SysResult {
    // One disk, so the area is this device whatever path names it.
    the_disk(path)?;
    if !area::is_on() {
        return Err(Errno::EINVAL);
    }
    area::set_closing(true);
    let ok = crate::task::swapd::bring_everything_back();
    area::drop_cache();
    // A fault reading a slot right now holds it for a moment: let it finish.
    for _ in 0..100 {
        if !ok || area::totals().0 == 0 || area::with(|a| a.slots.used()) == Some(0) {
            break;
        }
        crate::task::sched::yield_now();
        area::drop_cache();
    }
    if !ok || area::deactivate().is_err() {
        area::set_closing(false);
        return Err(Errno::ENOMEM);
    }
    Ok(0)
}

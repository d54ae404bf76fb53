//! Kernel symbol names for backtraces, read from `/boot/kernel.sym`: a copy
//! of the kernel ELF without debug information that `make iso` adds as a boot
//! module. Without it, backtraces show addresses only.

use crate::mm::layout::{is_low_memory, phys_to_virt};
use elf::ElfBytes;
use elf::endian::LittleEndian;

/// Module name under which the symbol file is loaded.
pub const MODULE_NAME: &str = "/boot/kernel.sym";

struct Symbols {
    bytes: &'static [u8],
}

static SYMBOLS: spin::Once<Option<Symbols>> = spin::Once::new();

/// Finds the symbol module among the boot modules. Call once after boot info.
pub fn init(info: &crate::bootinfo::multiboot::BootInfo) {
    SYMBOLS.call_once(|| {
        let m = info.module(MODULE_NAME)?;
        if !is_low_memory(m.end) || m.is_empty() {
            return None;
        }
        // SAFETY: GRUB loaded the module at [start, end) in low memory, which
        // is direct-mapped and never handed to the frame allocator.
        let bytes = unsafe { core::slice::from_raw_parts(phys_to_virt(m.start) as *const u8, m.len() as usize) };
        Some(Symbols { bytes })
    });
}

/// The function containing `addr` and the offset into it. Assembly labels
/// (no type, no size) count as running up to the next symbol.
pub fn lookup(addr: u32) -> Option<(&'static str, u32)> {
    let syms = SYMBOLS.get()?.as_ref()?;
    let file = ElfBytes::<LittleEndian>::minimal_parse(syms.bytes).ok()?;
    let (table, strings) = file.symbol_table().ok()??;
    let mut best: Option<(u32, u32)> = None; // (start, name index)
    for sym in table.iter() {
        let (start, size) = (sym.st_value as u32, sym.st_size as u32);
        let fits = match sym.st_symtype() {
            elf::abi::STT_FUNC => addr >= start && addr - start < size.max(1),
            elf::abi::STT_NOTYPE => addr >= start && start >= crate::mm::layout::KERNEL_BASE,
            _ => false,
        };
        if fits && best.is_none_or(|(v, _)| start > v) {
            best = Some((start, sym.st_name));
        }
    }
    let (start, name) = best?;
    Some((strings.get(name as usize).ok()?, addr - start))
}

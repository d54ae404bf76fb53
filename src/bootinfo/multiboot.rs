//! Reads the multiboot2 boot information (through the `multiboot2` crate) into
//! a `BootInfo` that the rest of the kernel keeps for its whole life.

use super::{MemKind, MemRegion};
use multiboot2::{BootInformation, BootInformationHeader};

/// EAX at entry when a multiboot2 loader started us (spec §3.2).
pub const BOOTLOADER_MAGIC: u32 = 0x36d7_6289;
pub const MAX_REGIONS: usize = 64;
pub const MAX_MODULES: usize = 256;

/// A boot module: a file GRUB loaded, named by its command-line string.
#[derive(Clone, Copy, Debug)]
pub struct Module {
    pub name: &'static str,
    pub start: u32,
    pub end: u32,
}

impl Module {
    pub const fn len(&self) -> u32 {
        self.end - self.start
    }
    pub const fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

pub struct BootInfo {
    pub loader: &'static str,
    pub cmdline: &'static str,
    regions: [MemRegion; MAX_REGIONS],
    nregions: usize,
    modules: [Module; MAX_MODULES],
    nmodules: usize,
    /// The boot information itself, `[start, end)` physical: keep it reserved.
    pub info_start: u32,
    pub info_end: u32,
    pub dropped_regions: usize,
    pub dropped_modules: usize,
}

/// Why the boot information could not be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BootError {
    WrongMagic(u32),
    /// The information is outside the direct map, where we cannot read it yet.
    InfoNotReachable(u32),
    Malformed,
    NoMemoryMap,
}

impl core::fmt::Display for BootError {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        match self {
            Self::WrongMagic(m) => write!(
                f,
                "not started by a multiboot2 boot loader (EAX = {m:#010x}, expected {BOOTLOADER_MAGIC:#010x})"
            ),
            Self::InfoNotReachable(p) => write!(f, "boot information at {p:#x} is above low memory"),
            Self::Malformed => write!(f, "the multiboot2 boot information is malformed"),
            Self::NoMemoryMap => write!(f, "the boot loader gave no memory map"),
        }
    }
}

impl BootInfo {
    /// Checks the magic and copies out what the kernel needs. `reach` gives
    /// the kernel virtual address of a physical one, where the kernel maps it.
    pub fn parse(magic: u32, info_phys: u32, reach: fn(u32) -> Option<u32>) -> Result<Self, BootError> {
        if magic != BOOTLOADER_MAGIC {
            return Err(BootError::WrongMagic(magic));
        }
        let virt = reach(info_phys).filter(|_| info_phys.is_multiple_of(8));
        let Some(virt) = virt else { return Err(BootError::InfoNotReachable(info_phys)) };
        let ptr = virt as *const BootInformationHeader;
        // SAFETY: the magic says a multiboot2 loader put the information at
        // info_phys, which `reach` says is mapped at `virt`; the crate checks
        // sizes and the end tag before handing out any tag.
        let mbi = unsafe { BootInformation::load(ptr) }.map_err(|_| BootError::Malformed)?;
        let mut bi = BootInfo {
            loader: "",
            cmdline: "",
            regions: [MemRegion { start: 0, end: 0, kind: MemKind::Reserved }; MAX_REGIONS],
            nregions: 0,
            modules: [Module { name: "", start: 0, end: 0 }; MAX_MODULES],
            nmodules: 0,
            info_start: info_phys,
            info_end: info_phys + mbi.total_size() as u32,
            dropped_regions: 0,
            dropped_modules: 0,
        };
        // The strings live in the boot information, which stays reserved and
        // mapped for the kernel's whole life, so 'static is honest.
        let mbi: &'static BootInformation<'static> = leak(mbi);
        bi.loader = mbi.boot_loader_name_tag().and_then(|t| t.name().ok()).unwrap_or("");
        bi.cmdline = mbi.command_line_tag().and_then(|t| t.cmdline().ok()).unwrap_or("");
        let mmap = mbi.memory_map_tag().ok_or(BootError::NoMemoryMap)?;
        for area in mmap.memory_areas() {
            let region = MemRegion {
                start: area.start_address(),
                end: area.start_address().saturating_add(area.size()),
                kind: MemKind::from_raw(u32::from(area.typ())),
            };
            if bi.nregions < MAX_REGIONS {
                bi.regions[bi.nregions] = region;
                bi.nregions += 1;
            } else {
                bi.dropped_regions += 1;
            }
        }
        for m in mbi.module_tags() {
            if m.end_address() < m.start_address() {
                continue;
            }
            let module =
                Module { name: m.cmdline().unwrap_or("").trim(), start: m.start_address(), end: m.end_address() };
            if bi.nmodules < MAX_MODULES {
                bi.modules[bi.nmodules] = module;
                bi.nmodules += 1;
            } else {
                bi.dropped_modules += 1;
            }
        }
        Ok(bi)
    }

    pub fn regions(&self) -> &[MemRegion] {
        &self.regions[..self.nregions]
    }

    pub fn modules(&self) -> &[Module] {
        &self.modules[..self.nmodules]
    }

    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules().iter().find(|m| m.name == name)
    }
}

/// Keeps the parsed view alive for good (it is a few words that point into
/// the boot information; the kernel never frees either).
fn leak(mbi: BootInformation<'static>) -> &'static BootInformation<'static> {
    static SLOT: spin::Once<BootInformationWrapper> = spin::Once::new();
    &SLOT.call_once(|| BootInformationWrapper(mbi)).0
}

struct BootInformationWrapper(BootInformation<'static>);
// SAFETY: the kernel has one CPU and the boot information is never written
// after boot, so sharing a read-only view is sound.
unsafe impl Sync for BootInformationWrapper {}
// SAFETY: as above; the view only points at immutable memory.
unsafe impl Send for BootInformationWrapper {}

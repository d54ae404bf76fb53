//! The virtual memory layout, shared by every address space.
//!
//! ```text
//!  0x0000_0000 ┌──────────────────────────────┐
//!              │ user half (per process)      │  page tables made on demand,
//!              │                              │  everything starts not-present
//!  0xC000_0000 ├──────────────────────────────┤  ── kernel half: the same page
//!              │ direct map of physical       │     tables in every address
//!              │ 0..512 MiB ("low memory")    │     space, supervisor-only
//!  0xE000_0000 ├──────────────────────────────┤
//!              │ kernel stacks, each with an  │
//!              │ unmapped guard page below    │
//!  0xF000_0000 ├──────────────────────────────┤
//!              │ kernel heap (grows by pages) │
//!  0xFF80_0000 ├──────────────────────────────┤
//!              │ temporary-mapping window     │  reaches frames above 512 MiB
//!  0xFFB0_0000 ├──────────────────────────────┤
//!              │ device registers (MMIO)      │  uncached, mapped once
//!  0xFFC0_0000 └──────────────────────────────┘  (top 4 MiB unused)
//! ```
//! The kernel image is linked at 0xC010_0000, inside the direct map.

/// Where the kernel half begins; everything at or above is supervisor-only.
pub const KERNEL_BASE: u32 = 0xC000_0000;
/// Physical memory below this is permanently mapped at `KERNEL_BASE + phys`.
pub const LOW_MEMORY_END: u32 = 0x2000_0000;
pub const DIRECT_MAP_END: u32 = KERNEL_BASE + LOW_MEMORY_END;
pub const KSTACK_AREA_START: u32 = 0xE000_0000;
pub const KSTACK_AREA_END: u32 = 0xF000_0000;
pub const HEAP_START: u32 = 0xF000_0000;
pub const HEAP_END: u32 = 0xFF80_0000;
pub const KMAP_START: u32 = 0xFF80_0000;
pub const KMAP_END: u32 = MMIO_START;
/// Device registers (PCI memory BARs) are mapped here, uncached (`mmio`).
pub const MMIO_START: u32 = 0xFFB0_0000;
pub const MMIO_END: u32 = 0xFFC0_0000;
/// Kernel page tables for these PDEs exist from boot on and are shared by all
/// address spaces, so a kernel mapping made once is seen everywhere.
pub const KERNEL_PT_AREA_START: u32 = KSTACK_AREA_START;
pub const KERNEL_PT_AREA_END: u32 = MMIO_END;

/// The user half ends where the kernel half begins.
pub const USER_END: u32 = KERNEL_BASE;
/// How far a stack may grow unless RLIMIT_STACK says otherwise (Linux's
/// default soft limit).
pub const STACK_LIMIT: u32 = 8 << 20;

/// mmap without MAP_FIXED searches down from here, leaving room for the
/// stack to grow to its 8 MiB limit plus the guard gap.
pub const MMAP_TOP: u32 = USER_END - STACK_LIMIT - (1 << 20);

/// The lowest address a program is loaded at or mmap picks (Linux's
/// default vm.mmap_min_addr): page zero and its neighbours stay unmapped,
/// so a NULL dereference faults.
pub const MIN_ADDR: u32 = 0x1_0000;

const _: () = assert!(LOW_MEMORY_END.is_multiple_of(4 << 20));
const _: () = assert!(DIRECT_MAP_END == KSTACK_AREA_START);
const _: () = assert!(KSTACK_AREA_END == HEAP_START && HEAP_END == KMAP_START);

/// The kernel virtual address of a physical address in low memory.
pub const fn phys_to_virt(phys: u32) -> u32 {
    phys + KERNEL_BASE
}

/// Whether a physical frame is reachable through the direct map.
pub const fn is_low_memory(phys: u32) -> bool {
    phys < LOW_MEMORY_END
}

/// Where the kernel reaches a physical address without a temporary
/// mapping: its direct-map address, for low memory only.
pub const fn direct_map(phys: u32) -> Option<u32> {
    if is_low_memory(phys) { Some(phys_to_virt(phys)) } else { None }
}

/// The physical address of a direct-map (or kernel image) virtual address.
pub const fn virt_to_phys(virt: u32) -> u32 {
    virt - KERNEL_BASE
}

//! Control registers and the TLB (SDM Vol. 3A §2.5, §4.10.4): the switches
//! paging is built from. Physical addresses are plain `u32`s here; `mm`
//! wraps them in its own types.

use x86::controlregs::{self, Cr4};

/// CR2: the linear address of the last page fault. Read it before anything
/// can fault again (the entry path runs with interrupts off).
pub fn read_cr2() -> u32 {
    // SAFETY: reading CR2 has no side effects.
    unsafe { controlregs::cr2() as u32 }
}

/// The page-directory base in CR3 (its low 12 bits are flags, always 0 here).
pub fn read_cr3() -> u32 {
    // SAFETY: reading CR3 has no side effects.
    unsafe { controlregs::cr3() as u32 & 0xFFFF_F000 }
}

/// Loads CR3: switches address space and flushes every non-global TLB entry.
///
/// # Safety
/// `pd` must be the physical address of a complete page directory that maps
/// the kernel (the code running now, its stack and data) where it is now.
pub unsafe fn write_cr3(pd: u32) {
    // SAFETY: forwarded to the caller: the kernel stays mapped.
    unsafe { controlregs::cr3_write(u64::from(pd)) };
}

/// INVLPG: drops any TLB entry for the page holding `va`. Needed after any
/// change to a present entry; the CPU never snoops page-table writes.
pub fn invalidate_page(va: u32) {
    // SAFETY: INVLPG only discards a cached translation.
    unsafe { x86::tlb::flush(va as usize) };
}

/// CR4.PGE: entries with the G bit survive CR3 loads (the kernel half).
pub fn enable_global_pages() {
    // SAFETY: setting PGE only changes which TLB entries a CR3 load keeps;
    // the kernel marks global only mappings shared by every address space.
    unsafe { controlregs::cr4_write(controlregs::cr4() | Cr4::CR4_ENABLE_GLOBAL_PAGES) };
}

/// CPUID leaf 1's EDX: the feature bits Linux i386 passes as AT_HWCAP.
pub fn feature_bits() -> u32 {
    core::arch::x86::__cpuid(1).edx
}

/// CPUID leaf `leaf`, sub-leaf `sub`: [eax, ebx, ecx, edx].
pub fn cpuid(leaf: u32, sub: u32) -> [u32; 4] {
    let r = core::arch::x86::__cpuid_count(leaf, sub);
    [r.eax, r.ebx, r.ecx, r.edx]
}

/// IA32_BIOS_SIGN_ID (0x8B): the loaded microcode's revision in its high half.
const IA32_BIOS_SIGN_ID: u32 = 0x8B;

/// The microcode revision, read as Linux's intel_get_microcode_revision
/// does (clear the MSR, CPUID leaf 1, read it back); 0 unless the CPU is an
/// Intel family ≥ 6 with MSRs (others may not have the register: #GP).
pub fn microcode_revision() -> u32 {
    let [_, b, c, d] = cpuid(0, 0);
    let intel = [b, d, c] == [0x756e_6547, 0x4965_6e69, 0x6c65_746e];
    let [sig, _, _, edx] = cpuid(1, 0);
    if !intel || sig >> 8 & 0xf < 6 || edx & (1 << 5) == 0 {
        return 0;
    }
    // SAFETY: an Intel family-6-or-later CPU with MSRs has IA32_BIOS_SIGN_ID;
    // writing 0 to it only asks the CPU to latch the revision again.
    unsafe {
        x86::msr::wrmsr(IA32_BIOS_SIGN_ID, 0);
        core::arch::x86::__cpuid(1);
        (x86::msr::rdmsr(IA32_BIOS_SIGN_ID) >> 32) as u32
    }
}

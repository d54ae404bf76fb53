//! memguard's own system calls (numbers 1000..=1002). Linux answers them
//! with ENOSYS, which is how a program learns it is not on memguard.
use alloc::vec::Vec;

use crate::arch::nr;
use crate::arch::syscall::{syscall3, syscall5};
use crate::errno::{Errno, check};
use crate::process::Pid;

/// Memory counters of one process, or of the whole system (`mg_stats`).
/// The kernel copies at most `size_of::<MgStats>()` bytes.
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct MgStats {
    /// Every page fault taken from ring 3.
    pub page_faults: u32,
    /// Faults answered with a fresh zeroed frame.
    pub demand_zero: u32,
    /// Read faults answered by mapping the shared zero page read-only.
    pub zero_page_maps: u32,
    /// Copy-on-write faults that copied the frame.
    pub cow_copies: u32,
    /// Copy-on-write faults that found the frame no longer shared and reused it.
    pub cow_reuses: u32,
    /// Faults that grew the stack region.
    pub stack_growths: u32,
    /// Faults that mapped a page of a file (program text and data).
    pub file_maps: u32,
    /// Processes killed by a fault.
    pub kills: u32,
    /// Frames mapped in user space.
    pub resident_pages: u32,
    /// Page-table frames (page directory included).
    pub page_tables: u32,
    /// System-wide only (pid -1): usable frames.
    pub total_frames: u32,
    /// System-wide only: free frames.
    pub free_frames: u32,
    /// System-wide only: live processes.
    pub processes: u32,
}

const _: () = assert!(core::mem::size_of::<MgStats>() == 13 * 4);

/// Whose counters `mg_stats` reports.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum StatsOf {
    Me,
    Process(Pid),
    /// System-wide totals; the only form that fills the last three fields.
    System,
}

impl StatsOf {
    fn pid(self) -> Pid {
        match self {
            StatsOf::Me => 0,
            StatsOf::Process(pid) => pid,
            StatsOf::System => -1,
        }
    }
}

pub fn mg_stats(of: StatsOf) -> Result<MgStats, Errno> {
    let mut s = MgStats::default();
    let size = core::mem::size_of::<MgStats>();
    // SAFETY: `s` is valid and writable for `size` bytes.
    let r = unsafe { syscall3(nr::MG_STATS, of.pid() as usize, &mut s as *mut _ as usize, size) };
    check(r)?;
    Ok(s)
}

/// `mg_stats` into a caller-provided buffer: a test that counts faults
/// exactly pre-touches `out`, so the kernel's copy cannot fault.
pub fn mg_stats_into(of: StatsOf, out: &mut MgStats) -> Result<(), Errno> {
    let size = core::mem::size_of::<MgStats>();
    // SAFETY: `out` is valid and writable for `size` bytes.
    check(unsafe { syscall3(nr::MG_STATS, of.pid() as usize, out as *mut _ as usize, size) })
        .map(drop)
}

/// True when running on memguard (its system calls exist).
pub fn available() -> bool {
    mg_stats(StatsOf::Me) != Err(Errno::ENOSYS)
}

/// The kernel reports `mg_view` can produce.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum View {
    Gdt = 0,
    Idt = 1,
    Tss = 2,
    /// The process list.
    Ps = 3,
    /// A process's regions: arg0 = pid.
    Vmmap = 4,
    /// The page-directory and page-table entries for arg1 in process arg0.
    Pte = 5,
    /// Free and used memory.
    Free = 6,
    /// Page-fault counters.
    Pfstat = 7,
    /// The files (boot modules), one path per line.
    Files = 8,
}

/// Formats report `view` into `buf`; returns the bytes written.
pub fn mg_view(view: View, arg0: u32, arg1: u32, buf: &mut [u8]) -> Result<usize, Errno> {
    // SAFETY: `buf` is valid and writable for `buf.len()` bytes.
    let r = unsafe {
        syscall5(nr::MG_VIEW, view as usize, arg0 as usize, arg1 as usize,
                 buf.as_mut_ptr() as usize, buf.len())
    };
    check(r)
}

/// The whole report: retries with a larger buffer while the kernel fills it.
pub fn mg_view_all(view: View, arg0: u32, arg1: u32) -> Result<Vec<u8>, Errno> {
    let mut len = 16 * 1024;
    loop {
        let mut buf = alloc::vec![0u8; len];
        let n = mg_view(view, arg0, arg1, &mut buf)?;
        if n < len || len >= 1024 * 1024 {
            buf.truncate(n);
            return Ok(buf);
        }
        len *= 4;
    }
}

/// One address run through a process's page tables (`mg_translate`).
#[repr(C)]
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
pub struct MgTranslation {
    /// The page-directory entry covering the address.
    pub pde: u32,
    /// The page-table entry, 0 if there is no page table.
    pub pte: u32,
    /// Frame address | page offset; meaningful only when `present` is 1.
    pub phys: u32,
    /// 1 when the address is mapped to a frame.
    pub present: u32,
}

const _: () = assert!(core::mem::size_of::<MgTranslation>() == 16);

impl MgTranslation {
    /// The frame address (page offset dropped), if mapped.
    pub fn frame(&self) -> Option<u32> {
        (self.present != 0).then_some(self.phys & !0xfff)
    }
}

/// Translates `vaddr` in process `pid` (0 = the caller).
pub fn mg_translate(pid: Pid, vaddr: usize) -> Result<MgTranslation, Errno> {
    let mut t = MgTranslation::default();
    // SAFETY: `t` is valid and writable.
    let r = unsafe { syscall3(nr::MG_TRANSLATE, pid as usize, vaddr, &mut t as *mut _ as usize) };
    check(r)?;
    Ok(t)
}

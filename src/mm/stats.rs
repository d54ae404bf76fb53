//! Page-fault counters, per process and system-wide. Their layout is the
//! ABI of the `mg_stats` system call (1000), so it is `repr(C)` and only
//! grows at the end.

/// Counters as `mg_stats` returns them: 13 `u32`s.
#[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct MgStats {
    /// Page faults taken from user mode.
    pub page_faults: u32,
    /// Zeroed frames allocated to resolve a fault.
    pub demand_zero: u32,
    /// Read faults answered with the shared zero frame.
    pub zero_page_maps: u32,
    /// Copy-on-write copies (a private copy of a shared or file page).
    pub cow_copies: u32,
    /// Copy-on-write faults where the process held the only reference, so
    /// the page was just made writable.
    pub cow_reuses: u32,
    pub stack_growths: u32,
    /// File pages mapped straight from a module's frames (or copied where
    /// they mix file bytes with .bss).
    pub file_maps: u32,
    /// Tasks killed by a fault.
    pub kills: u32,
    /// Present user pages (the zero frame not counted).
    pub resident_pages: u32,
    /// Page-table frames (and the directory).
    pub page_tables: u32,
    /// System-wide only: frames managed, frames free, processes.
    pub total_frames: u32,
    pub free_frames: u32,
    pub processes: u32,
}

const _: () = assert!(core::mem::size_of::<MgStats>() == 13 * 4);

/// One thing the fault handler did, to be counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FaultEvent {
    None,
    DemandZero,
    ZeroPageMap,
    CowCopy,
    CowReuse,
    FileMap,
}

impl MgStats {
    pub fn count(&mut self, e: FaultEvent) {
        match e {
            FaultEvent::None => {}
            FaultEvent::DemandZero => self.demand_zero += 1,
            FaultEvent::ZeroPageMap => self.zero_page_maps += 1,
            FaultEvent::CowCopy => self.cow_copies += 1,
            FaultEvent::CowReuse => self.cow_reuses += 1,
            FaultEvent::FileMap => self.file_maps += 1,
        }
    }

    /// As bytes, for copying to user space.
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: repr(C) struct of u32s: no padding, every byte initialised.
        unsafe { core::slice::from_raw_parts(self as *const Self as *const u8, core::mem::size_of::<Self>()) }
    }
}

impl core::fmt::Display for MgStats {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        writeln!(f, "page faults       {:>10}", self.page_faults)?;
        writeln!(f, "  demand-zero     {:>10}  (zeroed frame on first write)", self.demand_zero)?;
        writeln!(f, "  zero-page maps  {:>10}  (shared zero frame on first read)", self.zero_page_maps)?;
        writeln!(f, "  COW copies      {:>10}", self.cow_copies)?;
        writeln!(f, "  COW reuses      {:>10}  (sole owner: made writable)", self.cow_reuses)?;
        writeln!(f, "  stack growths   {:>10}", self.stack_growths)?;
        writeln!(f, "  file maps       {:>10}  (module frames mapped)", self.file_maps)?;
        writeln!(f, "kills             {:>10}", self.kills)?;
        write!(f, "resident pages    {:>10}", self.resident_pages)
    }
}

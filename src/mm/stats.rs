//! Page-fault counters, per process and system-wide. The structure is the
//! `mg_stats` ABI (in `memguard-abi`); counting and printing are here.

pub use memguard_abi::MgStats;

/// One thing the fault handler did, to be counted.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FaultEvent {
    None,
    DemandZero,
    ZeroPageMap,
    CowCopy,
    CowReuse,
    FileMap,
    /// A page back from swap: `major` if it was read from the disk, else
    /// found in the swap cache.
    SwapIn {
        major: bool,
    },
}

/// Adds one fault event to a set of counters.
pub fn count(s: &mut MgStats, e: FaultEvent) {
    match e {
        FaultEvent::None => {}
        FaultEvent::DemandZero => s.demand_zero += 1,
        FaultEvent::ZeroPageMap => s.zero_page_maps += 1,
        FaultEvent::CowCopy => s.cow_copies += 1,
        FaultEvent::CowReuse => s.cow_reuses += 1,
        FaultEvent::FileMap => s.file_maps += 1,
        FaultEvent::SwapIn { major } => {
            s.swap_ins += 1;
            if major {
                s.major_faults += 1;
            }
        }
    }
}

/// Counters as the `pfstat` view prints them.
pub struct Report<'a>(pub &'a MgStats);

impl core::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        let s = self.0;
        writeln!(f, "page faults       {:>10}", s.page_faults)?;
        writeln!(f, "  demand-zero     {:>10}  (zeroed frame on first write)", s.demand_zero)?;
        writeln!(f, "  zero-page maps  {:>10}  (shared zero frame on first read)", s.zero_page_maps)?;
        writeln!(f, "  COW copies      {:>10}", s.cow_copies)?;
        writeln!(f, "  COW reuses      {:>10}  (sole owner: made writable)", s.cow_reuses)?;
        writeln!(f, "  stack growths   {:>10}", s.stack_growths)?;
        writeln!(f, "  file maps       {:>10}  (module frames mapped)", s.file_maps)?;
        writeln!(f, "  major faults    {:>10}  (page read back from swap)", s.major_faults)?;
        writeln!(f, "swap-ins          {:>10}", s.swap_ins)?;
        writeln!(f, "swap-outs         {:>10}", s.swap_outs)?;
        writeln!(f, "pages scanned     {:>10}  (by the clock)", s.pages_scanned)?;
        writeln!(f, "second chances    {:>10}  (Accessed was set: cleared, kept)", s.second_chances)?;
        writeln!(f, "swapped pages     {:>10}", s.swapped_pages)?;
        writeln!(f, "kills             {:>10}", s.kills)?;
        write!(f, "resident pages    {:>10}", s.resident_pages)
    }
}

//! System-wide fault counters (the sum over every process that ever ran).
//! Each is a word of its own, so that the fault path counts with one add
//! and no lock.

use super::stats::{FaultEvent, MgStats};
use crate::arch::x86::onecpu::add;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

/// The counters this module keeps (fields of `MgStats`, each a word of
/// its own), and `snapshot`, which reads them into one.
macro_rules! counters {
    ($($field:ident),* $(,)?) => {
        struct Counters {
            $($field: AtomicU32,)*
        }

        static GLOBAL: Counters = Counters { $($field: AtomicU32::new(0),)* };

        /// The counters now (the fields this module does not keep are 0).
        pub fn snapshot() -> MgStats {
            MgStats { $($field: GLOBAL.$field.load(Relaxed),)* ..MgStats::ZERO }
        }
    };
}

counters!(
    page_faults,
    demand_zero,
    zero_page_maps,
    cow_copies,
    cow_reuses,
    stack_growths,
    file_maps,
    kills,
    major_faults,
    swap_ins,
    swap_outs,
    pages_scanned,
    second_chances,
);

/// Counts one fault event (as `stats::count` does for a process).
pub fn count(e: FaultEvent) {
    let g = &GLOBAL;
    match e {
        FaultEvent::None => {}
        FaultEvent::DemandZero => add(&g.demand_zero, 1),
        FaultEvent::ZeroPageMap => add(&g.zero_page_maps, 1),
        FaultEvent::CowCopy => add(&g.cow_copies, 1),
        FaultEvent::CowReuse => add(&g.cow_reuses, 1),
        FaultEvent::FileMap => add(&g.file_maps, 1),
        FaultEvent::SwapIn { major } => {
            add(&g.swap_ins, 1);
            if major {
                add(&g.major_faults, 1);
            }
        }
    }
}

pub fn page_fault() {
    add(&GLOBAL.page_faults, 1);
}

pub fn stack_growth() {
    add(&GLOBAL.stack_growths, 1);
}

pub fn kill() {
    add(&GLOBAL.kills, 1);
}

/// The clock's counters: pages scanned, second chances, pages written.
pub fn clock(scanned: u32, second: u32, outs: u32) {
    add(&GLOBAL.pages_scanned, scanned);
    add(&GLOBAL.second_chances, second);
    add(&GLOBAL.swap_outs, outs);
}

/// A tmpfs page went to swap (system-wide only: no process owns it).
pub fn shmem_swap_out() {
    add(&GLOBAL.swap_outs, 1);
}

/// A tmpfs page came back from swap.
pub fn shmem_swap_in() {
    add(&GLOBAL.swap_ins, 1);
}

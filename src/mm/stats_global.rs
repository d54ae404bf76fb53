//! System-wide fault counters (the sum over every process that ever ran).
//! Each is a word of its own, so that the fault path counts with one add
//! and no lock.

use super::stats::{FaultEvent, MgStats};
use crate::arch::x86::onecpu::add;
use core::sync::atomic::{AtomicU32, Ordering::Relaxed};

struct Counters {
    page_faults: AtomicU32,
    demand_zero: AtomicU32,
    zero_page_maps: AtomicU32,
    cow_copies: AtomicU32,
    cow_reuses: AtomicU32,
    stack_growths: AtomicU32,
    file_maps: AtomicU32,
    kills: AtomicU32,
    major_faults: AtomicU32,
    swap_ins: AtomicU32,
    swap_outs: AtomicU32,
    pages_scanned: AtomicU32,
    second_chances: AtomicU32,
}

static GLOBAL: Counters = Counters {
    page_faults: AtomicU32::new(0),
    demand_zero: AtomicU32::new(0),
    zero_page_maps: AtomicU32::new(0),
    cow_copies: AtomicU32::new(0),
    cow_reuses: AtomicU32::new(0),
    stack_growths: AtomicU32::new(0),
    file_maps: AtomicU32::new(0),
    kills: AtomicU32::new(0),
    major_faults: AtomicU32::new(0),
    swap_ins: AtomicU32::new(0),
    swap_outs: AtomicU32::new(0),
    pages_scanned: AtomicU32::new(0),
    second_chances: AtomicU32::new(0),
};

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

/// The counters now (the fields this module does not keep are 0).
pub fn snapshot() -> MgStats {
    let g = &GLOBAL;
    let get = |c: &AtomicU32| c.load(Relaxed);
    MgStats {
        page_faults: get(&g.page_faults),
        demand_zero: get(&g.demand_zero),
        zero_page_maps: get(&g.zero_page_maps),
        cow_copies: get(&g.cow_copies),
        cow_reuses: get(&g.cow_reuses),
        stack_growths: get(&g.stack_growths),
        file_maps: get(&g.file_maps),
        kills: get(&g.kills),
        major_faults: get(&g.major_faults),
        swap_ins: get(&g.swap_ins),
        swap_outs: get(&g.swap_outs),
        pages_scanned: get(&g.pages_scanned),
        second_chances: get(&g.second_chances),
        ..MgStats::ZERO
    }
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

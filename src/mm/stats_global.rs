//! System-wide fault counters (the sum over every process that ever ran).

use super::stats::{FaultEvent, MgStats, count as add};
use spin::Mutex;

static GLOBAL: Mutex<MgStats> = Mutex::new(MgStats::ZERO);

pub fn count(e: FaultEvent) {
    add(&mut GLOBAL.lock(), e);
}

pub fn page_fault() {
    GLOBAL.lock().page_faults += 1;
}

pub fn stack_growth() {
    GLOBAL.lock().stack_growths += 1;
}

pub fn kill() {
    GLOBAL.lock().kills += 1;
}

pub fn snapshot() -> MgStats {
    *GLOBAL.lock()
}

/// The clock's counters: pages scanned, second chances, pages written.
pub fn clock(scanned: u32, second: u32, outs: u32) {
    let mut g = GLOBAL.lock();
    g.pages_scanned += scanned;
    g.second_chances += second;
    g.swap_outs += outs;
}

/// A tmpfs page went to swap (system-wide only: no process owns it).
pub fn shmem_swap_out() {
    GLOBAL.lock().swap_outs += 1;
}

/// A tmpfs page came back from swap.
pub fn shmem_swap_in() {
    GLOBAL.lock().swap_ins += 1;
}

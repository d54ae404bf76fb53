//! System-wide fault counters (the sum over every process that ever ran).

use super::stats::{FaultEvent, MgStats, count as add};
use spin::Mutex;

static GLOBAL: Mutex<MgStats> = Mutex::new(MgStats {
    page_faults: 0,
    demand_zero: 0,
    zero_page_maps: 0,
    cow_copies: 0,
    cow_reuses: 0,
    stack_growths: 0,
    file_maps: 0,
    kills: 0,
    resident_pages: 0,
    page_tables: 0,
    total_frames: 0,
    free_frames: 0,
    processes: 0,
});

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

//! The PIT's ticks advance with interrupts on, and the TSC-based monotonic
//! clock moves forward with them. (No timing is asserted: QEMU under load
//! may deliver ticks in bursts.)
#![no_std]
#![no_main]

mod common;
use kernel::arch::x86::{instructions::wait_for_interrupt, pit};

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    let (t0, ns0) = (pit::ticks(), kernel::time::monotonic_ns());
    while pit::ticks() < t0 + 50 {
        wait_for_interrupt();
    }
    let (t1, ns1) = (pit::ticks(), kernel::time::monotonic_ns());
    let ms = (ns1 - ns0) / 1_000_000;
    kernel::kprintln!("50 ticks = {ms} ms by the TSC");
    common::finish(t1 >= t0 + 50 && ns1 > ns0, "ticks or the clock did not advance")
}

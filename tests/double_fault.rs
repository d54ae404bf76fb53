//! Unbounded recursion overflows the boot stack into its guard page; the
//! #DF task gate switches to a good stack and reports it, instead of the
//! machine resetting.
//! expect-output: ^DOUBLE FAULT \(#DF
//! expect-output: cause: kernel stack overflow into the guard page of the boot stack
#![no_std]
#![no_main]

mod common;

#[allow(unconditional_recursion)]
#[inline(never)]
fn recurse(n: u32) -> u32 {
    let buf = core::hint::black_box([n; 16]);
    recurse(buf[3] + 1) + buf[5]
}

fn reported() -> ! {
    common::finish(true, "")
}

#[unsafe(no_mangle)]
pub extern "C" fn kmain(magic: u32, info_phys: u32) -> ! {
    common::boot(magic, info_phys);
    kernel::trap::set_double_fault_hook(reported);
    recurse(0);
    common::finish(false, "recursion returned")
}

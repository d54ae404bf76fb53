//! `priv`: privileged instructions from ring 3. With CPL 3 > IOPL 0 the CPU
//! refuses cli/hlt/in/out and moves to control registers with #GP, and
//! `int 0x0e` hits a DPL-0 gate, also #GP; the kernel must turn each into
//! SIGSEGV for the offending process only.
#![no_std]
#![no_main]

use progs::demo::verdict;
use rt::Signal;
use rt::arch::insn::Privileged;
use rt::child::expect_signal;

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    rt::println!("priv: each instruction runs in its own forked child");
    let mut ok = true;
    for insn in Privileged::ALL {
        // SAFETY: the instruction must trap; the child is disposable.
        ok &= expect_signal(insn.mnemonic(), Signal::SIGSEGV, || unsafe {
            insn.execute();
            rt::println!("  child: {} executed!", insn.mnemonic());
        });
    }
    verdict(ok)
}

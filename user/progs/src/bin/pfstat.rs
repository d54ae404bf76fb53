//! `pfstat`: the kernel's pfstat report, as the shell's built-in prints it, for any
//! shell (busybox's too). See progs::views.
#![no_std]
#![no_main]

rt::entry!(main);

fn main(args: rt::Args) -> i32 {
    progs::views::program("pfstat", args)
}

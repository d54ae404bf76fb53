//! `exitcode N`: exits with status N (0..=255), so the shell and tests can
//! check how exit codes travel through waitpid.
#![no_std]
#![no_main]

rt::entry!(main);

fn main(args: rt::Args) -> i32 {
    match args.str(1).and_then(rt::parse::parse_u32) {
        Some(n) if n <= 255 => n as i32,
        _ => {
            rt::eprintln!("usage: exitcode N   (N in 0..=255)");
            2
        }
    }
}

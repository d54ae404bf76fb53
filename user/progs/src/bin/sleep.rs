//! `sleep N`: sleeps N seconds (whole), then exits 0. A signal's default
//! action (^C at the terminal: SIGINT) ends it early, as on Linux.
#![no_std]
#![no_main]

rt::entry!(main);

fn main(args: rt::Args) -> i32 {
    let Some(secs) = args.str(1).and_then(rt::parse::parse_u32) else {
        rt::eprintln!("usage: sleep SECONDS");
        return 2;
    };
    let t = rt::time::Timespec { sec: secs as i32, nsec: 0 };
    match rt::time::nanosleep(&t) {
        Ok(()) => 0,
        Err(e) => {
            rt::eprintln!("sleep: {e}");
            1
        }
    }
}

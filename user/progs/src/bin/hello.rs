//! `hello`: the smallest program. Prints a greeting and its arguments.
#![no_std]
#![no_main]

rt::entry!(main);

fn main(args: rt::Args) -> i32 {
    rt::println!("hello, world");
    for (i, arg) in args.iter().enumerate() {
        rt::println!("argv[{i}] = {}", core::str::from_utf8(arg).unwrap_or("<not UTF-8>"));
    }
    0
}

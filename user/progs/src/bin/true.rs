//! `true`: exits 0.
#![no_std]
#![no_main]

rt::entry!(main);

fn main(_: rt::Args) -> i32 {
    0
}

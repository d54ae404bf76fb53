//! Code shared by the programs in `src/bin/`.
#![no_std]

extern crate alloc;

pub mod demo;
pub mod layout;
pub mod region;
pub mod stack;
pub mod views;

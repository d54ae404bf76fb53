//! The kernel's reports (`mg_view`) as commands: the shell's built-ins and
//! the small programs /bin/pte, vmmap, pfstat, gdt, idt and tss (so that
//! busybox's shell, or any other, reaches them too) share this code.
use rt::mg::{self, View};
use rt::parse::parse_u32;
use rt::{Errno, println};

/// A report command: its name, its one-line usage, and its view.
pub struct Report {
    pub name: &'static str,
    pub usage: &'static str,
    view: View,
    /// How many numeric arguments it takes (PID, then VADDR).
    args: usize,
}

pub static REPORTS: [Report; 6] = [
    Report { name: "vmmap", usage: "vmmap PID           show a process's memory regions", view: View::Vmmap, args: 1 },
    Report { name: "pte", usage: "pte PID VADDR       walk the page tables for an address", view: View::Pte, args: 2 },
    Report { name: "gdt", usage: "gdt                 show the GDT", view: View::Gdt, args: 0 },
    Report { name: "idt", usage: "idt                 show the IDT", view: View::Idt, args: 0 },
    Report { name: "tss", usage: "tss                 show the TSS", view: View::Tss, args: 0 },
    Report { name: "pfstat", usage: "pfstat              show page-fault counters", view: View::Pfstat, args: 0 },
];

pub fn find(name: &str) -> Option<&'static Report> {
    REPORTS.iter().find(|r| r.name == name)
}

impl Report {
    /// Runs the report with `words` (the arguments after the name); prints
    /// the usage for wrong arguments. Returns an exit status.
    pub fn run(&self, words: &[&str]) -> i32 {
        let nums: Option<alloc::vec::Vec<u32>> = words.iter().map(|w| parse_u32(w)).collect();
        match nums {
            Some(n) if n.len() == self.args => {
                show(self.view, n.first().copied().unwrap_or(0), n.get(1).copied().unwrap_or(0))
            }
            _ => {
                println!("usage: {}", self.usage);
                2
            }
        }
    }
}

/// Prints report `v`, or why there is none; 0 if it was printed.
pub fn show(v: View, arg0: u32, arg1: u32) -> i32 {
    match mg::mg_view_all(v, arg0, arg1) {
        Ok(text) => {
            let _ = rt::io::write_all(rt::fs::STDOUT, &text);
            if text.last().is_some_and(|&b| b != b'\n') {
                println!();
            }
            0
        }
        Err(Errno::ENOSYS) => {
            println!("not available on this kernel (no mg_view)");
            1
        }
        Err(e) => {
            println!("mg_view: {e}");
            1
        }
    }
}

/// The body of the small report program `name` (/bin/pte and the rest):
/// runs that report with the program's arguments.
pub fn program(name: &str, args: rt::Args) -> i32 {
    let words: alloc::vec::Vec<&str> = args.iter().skip(1).map(|a| core::str::from_utf8(a).unwrap_or("")).collect();
    match find(name) {
        Some(r) => r.run(&words),
        None => 2,
    }
}

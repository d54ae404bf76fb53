//! The shell's built-in commands. Most show a kernel report through
//! `mg_view`; on Linux those answer "not available on this kernel".
use rt::mg::{self, View};
use rt::parse::{parse_i32, parse_u32};
use rt::signal::Signal;
use rt::system::{self, RebootCmd, reboot, sysinfo};
use rt::{Errno, println};

use crate::Flow;

pub struct Builtin {
    pub name: &'static str,
    pub usage: &'static str,
    pub run: fn(&[&str]) -> Flow,
}

pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

static BUILTINS: [Builtin; 15] = [
    Builtin { name: "help", usage: "help                list commands", run: help },
    Builtin { name: "echo", usage: "echo WORDS...       print the words", run: echo },
    Builtin { name: "exit", usage: "exit [N]            leave the shell with status N", run: exit },
    Builtin {
        name: "ls",
        usage: "ls                  list the files (boot modules)",
        run: |_| view(View::Files, 0, 0),
    },
    Builtin { name: "ps", usage: "ps                  list processes", run: |_| view(View::Ps, 0, 0) },
    Builtin { name: "free", usage: "free                show free memory", run: free },
    Builtin { name: "vmmap", usage: "vmmap PID           show a process's memory regions", run: vmmap },
    Builtin { name: "pte", usage: "pte PID VADDR       walk the page tables for an address", run: pte },
    Builtin { name: "gdt", usage: "gdt                 show the GDT", run: |_| view(View::Gdt, 0, 0) },
    Builtin { name: "idt", usage: "idt                 show the IDT", run: |_| view(View::Idt, 0, 0) },
    Builtin { name: "tss", usage: "tss                 show the TSS", run: |_| view(View::Tss, 0, 0) },
    Builtin {
        name: "pfstat",
        usage: "pfstat              show page-fault counters",
        run: |_| view(View::Pfstat, 0, 0),
    },
    Builtin { name: "kill", usage: "kill PID [SIG]      send a signal (default SIGTERM)", run: kill },
    Builtin { name: "poweroff", usage: "poweroff            power the machine off", run: poweroff },
    Builtin {
        name: "clear",
        usage: "clear               clear the screen",
        run: |_| {
            rt::print!("\x1b[2J\x1b[H");
            Flow::Continue
        },
    },
];

/// Programs in /bin worth knowing about (the shell cannot list a directory).
const PROGRAMS: &str = "hello exitcode usertests null kread kwrite textwrite pastbrk priv \
    demandzero cow shm kshared sharetext stackbomb recurse1m segvfix true false sleep chello cfault";

fn help(_: &[&str]) -> Flow {
    println!("built-in commands:");
    for b in &BUILTINS {
        println!("  {}", b.usage);
    }
    println!("programs: {PROGRAMS}");
    println!("a program's line ends with how it ended: 'exit N' or 'killed by SIGNAL'");
    Flow::Continue
}

fn echo(words: &[&str]) -> Flow {
    let mut w = rt::io::FdWriter::new(rt::fs::STDOUT);
    for (i, word) in words.iter().enumerate() {
        let sep = if i == 0 { "" } else { " " };
        let _ = core::fmt::Write::write_fmt(&mut w, format_args!("{sep}{word}"));
    }
    let _ = core::fmt::Write::write_str(&mut w, "\n");
    Flow::Continue
}

fn exit(words: &[&str]) -> Flow {
    match words.first().map(|w| parse_i32(w)) {
        None => Flow::Exit(0),
        Some(Some(code)) => Flow::Exit(code),
        Some(None) => usage("exit"),
    }
}

fn usage(name: &str) -> Flow {
    if let Some(b) = find(name) {
        println!("usage: {}", b.usage);
    }
    Flow::Continue
}

/// Prints report `v`, or why there is none.
fn view(v: View, arg0: u32, arg1: u32) -> Flow {
    match mg::mg_view_all(v, arg0, arg1) {
        Ok(text) => {
            let _ = rt::io::write_all(rt::fs::STDOUT, &text);
            if text.last().is_some_and(|&b| b != b'\n') {
                println!();
            }
        }
        Err(Errno::ENOSYS) => println!("sh: not available on this kernel (no mg_view)"),
        Err(e) => println!("sh: mg_view: {e}"),
    }
    Flow::Continue
}

fn free(_: &[&str]) -> Flow {
    if mg::available() {
        return view(View::Free, 0, 0);
    }
    match sysinfo() {
        Ok(s) => println!(
            "total {} KiB, free {} KiB, {} processes (sysinfo)",
            system::total_bytes(&s) / 1024,
            system::free_bytes(&s) / 1024,
            s.procs
        ),
        Err(e) => println!("sh: sysinfo: {e}"),
    }
    Flow::Continue
}

fn vmmap(words: &[&str]) -> Flow {
    match words {
        [pid] => match parse_u32(pid) {
            Some(pid) => view(View::Vmmap, pid, 0),
            None => usage("vmmap"),
        },
        _ => usage("vmmap"),
    }
}

fn pte(words: &[&str]) -> Flow {
    match words {
        [pid, vaddr] => match (parse_u32(pid), parse_u32(vaddr)) {
            (Some(pid), Some(vaddr)) => view(View::Pte, pid, vaddr),
            _ => usage("pte"),
        },
        _ => usage("pte"),
    }
}

fn kill(words: &[&str]) -> Flow {
    let (pid, sig) = match words {
        [pid] => (parse_i32(pid), Some(Signal::SIGTERM)),
        [pid, sig] => (parse_i32(pid), Signal::parse(sig)),
        _ => return usage("kill"),
    };
    match (pid, sig) {
        (Some(pid), Some(sig)) => {
            if let Err(e) = rt::process::kill(pid, sig) {
                println!("kill: {e}");
            }
            Flow::Continue
        }
        _ => usage("kill"),
    }
}

/// Powers off through reboot(2) — but only on memguard: on a Linux host run
/// as root the same call would really power the host off.
fn poweroff(_: &[&str]) -> Flow {
    if !mg::available() {
        println!("poweroff: not memguard; refusing to power off this machine");
        return Flow::Continue;
    }
    println!("poweroff: {}", reboot(RebootCmd::PowerOff));
    Flow::Continue
}

//! The shell's built-in commands. Most show a kernel report through
//! `mg_view`; on Linux those answer "not available on this kernel".
use progs::views::{self, Report};
use rt::mg::{self, View};
use rt::parse::parse_i32;
use rt::println;
use rt::signal::Signal;
use rt::system::{self, RebootCmd, reboot, sysinfo};

use crate::Flow;

pub struct Builtin {
    pub name: &'static str,
    pub usage: &'static str,
    pub run: fn(&[&str]) -> Flow,
}

/// A command the shell runs itself: its own built-ins, and the kernel's
/// reports (progs::views, also the programs /bin/pte, vmmap, ...).
pub enum Command {
    Builtin(&'static Builtin),
    Report(&'static Report),
}

pub fn find(name: &str) -> Option<Command> {
    BUILTINS.iter().find(|b| b.name == name).map(Command::Builtin).or_else(|| views::find(name).map(Command::Report))
}

static BUILTINS: [Builtin; 9] = [
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
    demandzero cow shm kshared sharetext stackbomb recurse1m segvfix true false sleep chello cfault \
    swapdemo";

fn help(_: &[&str]) -> Flow {
    println!("built-in commands:");
    for b in &BUILTINS {
        println!("  {}", b.usage);
    }
    for r in &views::REPORTS {
        println!("  {}", r.usage);
    }
    println!("programs: {PROGRAMS}");
    println!("and Debian's busybox: its applets (cat, grep, ls -l, ...) are on the PATH; ash is its shell");
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
    if let Some(b) = BUILTINS.iter().find(|b| b.name == name) {
        println!("usage: {}", b.usage);
    }
    Flow::Continue
}

/// Prints report `v`, or why there is none.
fn view(v: View, arg0: u32, arg1: u32) -> Flow {
    views::show(v, arg0, arg1);
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

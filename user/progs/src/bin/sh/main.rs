//! `sh`: the memguard shell. Prompts `$ `, reads a line with the terminal
//! in raw mode (echoing and editing it itself, as busybox's line editor
//! does), runs a built-in or `$BINDIR/NAME` (BINDIR defaults to /bin) with
//! fork + execve + waitpid, and reports how a program ended on one line:
//! `exit N`, `killed by SIG...` or `stopped by SIG...`.
//!
//! With a controlling terminal the shell does job control: it leads its
//! own process group, and each program runs in a group of its own that
//! holds the terminal's foreground while it runs, so ^C and ^Z at the
//! terminal reach the program, not the shell.
//!
//! End of input (read returns 0, or ^D on an empty line) exits with status 0.
#![no_std]
#![no_main]

extern crate alloc;

mod builtins;
mod run;

use alloc::vec::Vec;

use rt::fs::STDIN;
use rt::line::{Line, LineReader};
use rt::{Args, print, println};

rt::entry!(main);

/// Longest command line accepted; the rest of a longer line is dropped.
const MAX_LINE: usize = 512;

/// What the shell does after a command.
pub enum Flow {
    Continue,
    Exit(i32),
}

fn main(args: Args) -> i32 {
    let Ok(mut runner) = run::Runner::new(&args) else {
        println!("sh: cannot set up (out of memory?)");
        return 1;
    };
    runner.take_terminal();
    let mut reader = LineReader::new(STDIN, Some(rt::fs::STDOUT), MAX_LINE);
    let mut line = Vec::new();
    loop {
        print!("$ ");
        match read_line_raw(&mut reader, &mut line) {
            Ok(Line::Text) => {}
            Ok(Line::Cancelled) => continue,
            Ok(Line::Eof) => {
                println!();
                return 0;
            }
            Err(e) => {
                println!("sh: read from stdin: {e}");
                return 1;
            }
        }
        let Ok(text) = core::str::from_utf8(&line) else {
            println!("sh: input is not UTF-8");
            continue;
        };
        let words: Vec<&str> = text.split_ascii_whitespace().collect();
        if let Flow::Exit(code) = execute(&mut runner, &words) {
            return code;
        }
    }
}

/// Reads a line with the terminal in raw mode (if stdin is a terminal),
/// then puts its settings back for the programs the line runs.
fn read_line_raw(reader: &mut LineReader, line: &mut Vec<u8>) -> Result<Line, rt::Errno> {
    let saved = rt::tty::tcgetattr(STDIN).ok();
    if let Some(t) = saved {
        let _ = rt::tty::tcsetattr(STDIN, &rt::tty::raw(t));
    }
    let got = reader.read_line(line);
    if let Some(t) = saved {
        let _ = rt::tty::tcsetattr(STDIN, &t);
    }
    got
}

/// Runs one command line already split into words.
fn execute(runner: &mut run::Runner, words: &[&str]) -> Flow {
    let Some(&name) = words.first() else { return Flow::Continue };
    match builtins::find(name) {
        Some(builtins::Command::Builtin(builtin)) => (builtin.run)(&words[1..]),
        Some(builtins::Command::Report(report)) => {
            report.run(&words[1..]);
            Flow::Continue
        }
        None => {
            runner.run(words);
            Flow::Continue
        }
    }
}

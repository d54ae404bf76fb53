//! `sh`: the memguard shell. Prompts `$ `, reads a line from the raw console
//! (echoing it itself: the console has no line discipline), runs a built-in
//! or `$BINDIR/NAME` (BINDIR defaults to /bin) with fork + execve + waitpid,
//! and reports how a program ended on one line: `exit N` or `killed by SIG...`.
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
    let mut reader = LineReader::new(STDIN, Some(rt::fs::STDOUT), MAX_LINE);
    let mut line = Vec::new();
    loop {
        print!("$ ");
        match reader.read_line(&mut line) {
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

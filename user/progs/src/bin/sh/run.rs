//! Running a program: fork, execve in the child, waitpid in the parent.
use alloc::ffi::CString;
use alloc::vec::Vec;

use rt::fs::STDIN;
use rt::process::{CStrArray, Fork, Pid, execve, exit_group, fork, getpid, waitpid};
use rt::tty::{getpgrp, set_ignored, setpgid, tcsetpgrp};
use rt::{Args, Errno, ExitStatus, Signal, println};

/// Exit status of a child whose execve failed with ENOENT (as POSIX shells).
const NOT_FOUND: i32 = 127;
/// Exit status of a child whose execve failed otherwise.
const NOT_EXECUTABLE: i32 = 126;

/// Where bare names are looked for without $BINDIR or $PATH: Linux's
/// usual directories (the project's programs are in /bin, busybox's applet
/// links in all four).
const DEFAULT_PATH: &[u8] = b"/bin:/usr/bin:/sbin:/usr/sbin";

pub struct Runner {
    /// Where programs live: $BINDIR if set (running on Linux from the
    /// build tree), else $PATH's directories, else DEFAULT_PATH's.
    dirs: Vec<Vec<u8>>,
    /// The shell's environment, handed to every program.
    envp: CStrArray,
    /// Job control is on: stdin is the controlling terminal.
    jobs: bool,
}

/// The signals a job-control shell ignores itself and gives back to the
/// programs it runs.
const JOB_SIGNALS: [Signal; 3] = [Signal::SIGTTOU, Signal::SIGTTIN, Signal::SIGTSTP];

impl Runner {
    pub fn new(args: &Args) -> Result<Runner, Errno> {
        let list = args.env_var("BINDIR").or(args.env_var("PATH")).unwrap_or(DEFAULT_PATH);
        // An empty entry means the current directory, as in POSIX shells.
        let dirs = list.split(|&b| b == b':').map(|d| if d.is_empty() { b".".to_vec() } else { d.to_vec() }).collect();
        Ok(Runner { dirs, envp: CStrArray::new(args.env())?, jobs: false })
    }

    /// Job control, as a shell starts it: the job-control signals ignored,
    /// a process group of its own, and that group in the terminal's
    /// foreground. Without a controlling terminal (stdin a pipe or file)
    /// programs simply run in the shell's group.
    pub fn take_terminal(&mut self) {
        if rt::tty::tcgetpgrp(STDIN).is_err() {
            return;
        }
        for sig in JOB_SIGNALS {
            let _ = set_ignored(sig, true);
        }
        let _ = setpgid(0, 0);
        self.jobs = tcsetpgrp(STDIN, getpgrp()).is_ok();
    }

    /// The paths to try for `name`: DIR/NAME for each directory for a bare
    /// name; a name containing '/' is used as is.
    fn paths_of(&self, name: &str) -> Vec<Vec<u8>> {
        if name.contains('/') {
            return alloc::vec![name.as_bytes().to_vec()];
        }
        self.dirs
            .iter()
            .map(|dir| {
                let mut path = dir.clone();
                path.push(b'/');
                path.extend_from_slice(name.as_bytes());
                path
            })
            .collect()
    }

    /// Runs `words[0]` with argv `words` and prints how it ended.
    pub fn run(&self, words: &[&str]) {
        let name = words[0];
        let paths: Result<Vec<CString>, _> = self.paths_of(name).into_iter().map(CString::new).collect();
        let (Ok(paths), Ok(argv)) = (paths, CStrArray::new(words.iter().map(|w| w.as_bytes()))) else {
            println!("sh: {name}: bad name");
            return;
        };
        let pid = match fork() {
            Ok(Fork::Child) => {
                if self.jobs {
                    // Both sides set the group and the foreground, so
                    // neither order of running after fork can race.
                    let _ = setpgid(0, 0);
                    let _ = tcsetpgrp(STDIN, getpid());
                    for sig in JOB_SIGNALS {
                        let _ = set_ignored(sig, false);
                    }
                }
                // As execvp: the first directory that has the name wins; a
                // later one is tried only when an earlier one lacks it.
                let mut e = Errno::ENOENT;
                for path in &paths {
                    e = execve(path, &argv, &self.envp);
                    if e != Errno::ENOENT {
                        break;
                    }
                }
                if e == Errno::ENOENT {
                    println!("sh: {name}: not found");
                    exit_group(NOT_FOUND);
                }
                println!("sh: {name}: {e}");
                exit_group(NOT_EXECUTABLE)
            }
            Ok(Fork::Parent(pid)) => pid,
            Err(e) => {
                println!("sh: fork: {e}");
                return;
            }
        };
        if self.jobs {
            let _ = setpgid(pid, pid);
            let _ = tcsetpgrp(STDIN, pid);
        }
        let how = self.wait(pid);
        if self.jobs {
            let _ = tcsetpgrp(STDIN, getpgrp());
        }
        match how {
            // The terminal echoed ^C or ^Z without a newline.
            Ok(how @ (ExitStatus::Signaled(Signal::SIGINT) | ExitStatus::Stopped(Signal::SIGTSTP))) => {
                println!("\n{how}")
            }
            Ok(how) => println!("{how}"),
            Err(e) => println!("sh: waitpid: {e}"),
        }
    }

    /// Waits until the program ends or (with job control) stops; a
    /// stopped program stays stopped.
    fn wait(&self, pid: Pid) -> Result<ExitStatus, Errno> {
        let options = if self.jobs { rt::wait::WUNTRACED } else { 0 };
        waitpid(pid, options).map(|(_, status)| ExitStatus::from_raw(status))
    }
}

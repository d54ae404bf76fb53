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

pub struct Runner {
    /// Where programs live: $BINDIR or /bin.
    bindir: Vec<u8>,
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
        let bindir = args.env_var("BINDIR").unwrap_or(b"/bin").to_vec();
        Ok(Runner { bindir, envp: CStrArray::new(args.env())?, jobs: false })
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

    /// "/bin/NAME" for a bare name; a name containing '/' is used as is.
    fn path_of(&self, name: &str) -> Vec<u8> {
        if name.contains('/') {
            return name.as_bytes().to_vec();
        }
        let mut path = self.bindir.clone();
        path.push(b'/');
        path.extend_from_slice(name.as_bytes());
        path
    }

    /// Runs `words[0]` with argv `words` and prints how it ended.
    pub fn run(&self, words: &[&str]) {
        let name = words[0];
        let (Ok(path), Ok(argv)) =
            (CString::new(self.path_of(name)), CStrArray::new(words.iter().map(|w| w.as_bytes())))
        else {
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
                let e = execve(&path, &argv, &self.envp);
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

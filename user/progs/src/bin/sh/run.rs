//! Running a program: fork, execve in the child, waitpid in the parent.
use alloc::ffi::CString;
use alloc::vec::Vec;

use rt::process::{CStrArray, Fork, execve, exit_group, fork, wait_exit};
use rt::{Args, Errno, println};

/// Exit status of a child whose execve failed with ENOENT (as POSIX shells).
const NOT_FOUND: i32 = 127;
/// Exit status of a child whose execve failed otherwise.
const NOT_EXECUTABLE: i32 = 126;

pub struct Runner {
    /// Where programs live: $BINDIR or /bin.
    bindir: Vec<u8>,
    /// The shell's environment, handed to every program.
    envp: CStrArray,
}

impl Runner {
    pub fn new(args: &Args) -> Result<Runner, Errno> {
        Ok(Runner { bindir: args.env_var("BINDIR").unwrap_or(b"/bin").to_vec(), envp: CStrArray::new(args.env())? })
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
        match wait_exit(pid) {
            Ok(how) => println!("{how}"),
            Err(e) => println!("sh: waitpid: {e}"),
        }
    }
}

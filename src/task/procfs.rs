//! What /proc holds, described for `fs::root::refresh_proc`, and the reader
//! of its generated files. The tree: `self` and `thread-self`; a directory
//! per process with the files of `procpid` (stat, status, maps, smaps,
//! pagemap, cmdline, environ …), the links exe, cwd and root, `fd/` (one
//! link per descriptor, named as Linux names them) and `task/` (a directory
//! per thread with the same files); the system files of `procsys`, and
//! `mounts`, a link to self/mounts as on Linux.
//!
//! A generated file's key is `id << 8 | file`: `id` the task (or 0 for a
//! system file), `file` a `PidFile` or, with bit 7 set, a `SysFile` (with
//! bit 6 too, one of the fixed files).

use super::process::Task;
use super::procpid::{self, PidFile};
use super::procsys::{self, SysFile};
use super::sched::{SCHED, Sched};
use crate::fs::Node;
use crate::fs::root::{ProcEntry, ProcKind, ProcReader};
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

const SYSTEM: u8 = 0x80;
/// With SYSTEM: the index of one of `procsys::fixed_files`.
const FIXED: u8 = 0x40;

fn key(id: u32, file: u8) -> u64 {
    u64::from(id) << 8 | u64::from(file)
}

fn generated(path: String, key: u64) -> ProcEntry {
    ProcEntry { path, kind: ProcKind::Generated(key) }
}

fn link(path: String, target: String, mode: u32) -> ProcEntry {
    ProcEntry { path, kind: ProcKind::Link { target, mode } }
}

/// The whole of /proc now.
pub fn entries() -> Vec<ProcEntry> {
    let mut v = Vec::new();
    let s = SCHED.lock();
    let (me, tid) = s.tasks.get(&s.current).map_or((1, 1), |t| (t.tgid, t.pid));
    v.push(link(String::from("self"), format!("{me}"), 0o777));
    v.push(link(String::from("thread-self"), format!("{me}/task/{tid}"), 0o777));
    for t in s.tasks.values().filter(|t| t.pid != 0 && t.is_leader() && !t.detached) {
        process_entries(&s, t, &mut v);
    }
    drop(s);
    for (name, f) in SysFile::ALL {
        v.push(generated(String::from(name), key(0, SYSTEM | f as u8)));
    }
    v.push(link(String::from("mounts"), String::from("self/mounts"), 0o777));
    // The fixed files too are made when read: nothing of /proc holds
    // page frames.
    let mut dirs: Vec<&str> = Vec::new();
    for (i, (path, _)) in procsys::fixed_files().into_iter().enumerate() {
        for (at, _) in path.match_indices('/') {
            if !dirs.contains(&&path[..at]) {
                dirs.push(&path[..at]);
                v.push(ProcEntry { path: String::from(&path[..at]), kind: ProcKind::Dir });
            }
        }
        v.push(generated(String::from(path), key(0, SYSTEM | FIXED | i as u8)));
    }
    v
}

/// /proc/<pid>: the process's files, fd/ and task/.
fn process_entries(s: &Sched, t: &Task, v: &mut Vec<ProcEntry>) {
    let pid = t.pid;
    v.push(ProcEntry { path: format!("{pid}"), kind: ProcKind::Dir });
    task_files(t, &format!("{pid}"), v);
    v.push(generated(format!("{pid}/mounts"), key(0, SYSTEM | SysFile::Mounts as u8)));
    v.push(ProcEntry { path: format!("{pid}/fd"), kind: ProcKind::Dir });
    if let Some(p) = t.process.as_ref() {
        for (fd, target, mode) in descriptors(&p.files) {
            v.push(link(format!("{pid}/fd/{fd}"), target, mode));
        }
    }
    v.push(ProcEntry { path: format!("{pid}/task"), kind: ProcKind::Dir });
    for th in s.tasks.values().filter(|x| x.tgid == t.tgid && !x.detached) {
        let dir = format!("{pid}/task/{}", th.pid);
        v.push(ProcEntry { path: dir.clone(), kind: ProcKind::Dir });
        task_files(th, &dir, v);
    }
}

/// The files every task directory has, and its links.
fn task_files(t: &Task, dir: &str, v: &mut Vec<ProcEntry>) {
    for (name, f) in PidFile::ALL {
        v.push(generated(format!("{dir}/{name}"), key(t.pid, f as u8)));
    }
    if let Some(exe) = t.exe.and_then(crate::fs::root::path_of_file) {
        v.push(link(format!("{dir}/exe"), exe, 0o777));
    }
    let Some(p) = t.process.as_ref() else { return };
    if let Ok(cwd) = crate::fs::root::path_of(p.fs.cwd) {
        v.push(link(format!("{dir}/cwd"), cwd, 0o777));
    }
    v.push(link(format!("{dir}/root"), String::from("/"), 0o777));
}

/// Each open descriptor: its number, what readlink shows (Linux's
/// d_path or "pipe:[N]"), and the link's mode (owner r/w/x by access).
fn descriptors(files: &crate::fs::FdTable) -> Vec<(u32, String, u32)> {
    let top = procpid::highest_fd(files).map_or(0, |t| t + 1);
    (0..top)
        .filter_map(|fd| {
            let f = files.get(fd).ok()?;
            let target = match f.node {
                Node::Console => String::from("/dev/console"),
                Node::Null => String::from("/dev/null"),
                Node::Zero => String::from("/dev/zero"),
                Node::Full => String::from("/dev/full"),
                Node::Random => String::from("/dev/urandom"),
                Node::Block => String::from("/dev/vda"),
                Node::PipeRead(id) | Node::PipeWrite(id) => format!("pipe:[{id}]"),
                Node::Inode(ino) => crate::fs::root::path_of(ino)
                    .ok()
                    .or_else(|| crate::fs::root::path_of_file(ino))
                    .unwrap_or_else(|| String::from("/ (deleted)")),
            };
            let mode = 0o100 | if f.readable { 0o400 } else { 0 } | if f.writable { 0o200 } else { 0 };
            Some((fd, target, mode))
        })
        .collect()
}

/// Reads generated file `key` at `offset` into `buf`.
fn read(key: u64, offset: u64, buf: &mut [u8]) -> usize {
    let (id, file) = ((key >> 8) as u32, key as u8);
    let bytes = if file & (SYSTEM | FIXED) == SYSTEM | FIXED {
        match procsys::fixed_files().into_iter().nth(usize::from(file & !(SYSTEM | FIXED))) {
            Some((_, text)) => text.into_bytes(),
            None => return 0,
        }
    } else if file & SYSTEM != 0 {
        match SysFile::from_number(file & !SYSTEM) {
            Some(f) => procsys::generate(f).into_bytes(),
            None => return 0,
        }
    } else {
        match PidFile::from_number(file) {
            Some(PidFile::Pagemap) => return procpid::pagemap(id, offset, buf),
            Some(f) => procpid::generate(id, f),
            None => return 0,
        }
    };
    let Some(rest) = usize::try_from(offset).ok().and_then(|o| bytes.get(o..)) else { return 0 };
    let n = rest.len().min(buf.len());
    buf[..n].copy_from_slice(&rest[..n]);
    n
}

/// How long a generated file may be: pagemap's 8 bytes per user page, or
/// more than any text file here.
fn bound(key: u64) -> u64 {
    if key as u8 == PidFile::Pagemap as u8 { procpid::USER_PAGES * 8 } else { 1 << 32 }
}

pub const READER: ProcReader = ProcReader { read, bound };

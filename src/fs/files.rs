//! The kernel side of files: nodes, open-file descriptions, fd tables.

pub use super::node::Node;
use super::root::module_name;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;
use memguard_abi::Errno;
use spin::Mutex;

/// Linux's default RLIMIT_NOFILE soft limit.
pub const DEFAULT_LIMIT: usize = 1024;
/// The most descriptors one table holds, whatever RLIMIT_NOFILE says
/// (Linux's default hard limit): descriptors live on the kernel heap.
pub const MAX_FDS: usize = 4096;
/// Linux's PATH_MAX, terminating NUL included.
pub const PATH_MAX: usize = 4096;

pub struct OpenFile {
    pub node: Node,
    pub readable: bool,
    pub writable: bool,
    pub offset: Mutex<u64>,
    /// O_NONBLOCK: a pipe read or write that would wait fails with EAGAIN.
    pub nonblock: core::sync::atomic::AtomicBool,
    /// O_APPEND: every write goes to the end.
    pub append: core::sync::atomic::AtomicBool,
    /// O_LARGEFILE: offsets past 2 GiB - 1 are allowed.
    pub largefile: core::sync::atomic::AtomicBool,
    /// A FIFO's read end opened O_NONBLOCK before any writer: the pipe's
    /// writer count then, so that poll reports POLLHUP only once a writer
    /// has come and gone (Linux's f_pipe). 0 otherwise.
    pub seen_writers: core::sync::atomic::AtomicU32,
}

impl OpenFile {
    /// A new description; an inode is held open (it outlives an unlink)
    /// until the description goes.
    pub fn new(node: Node, readable: bool, writable: bool) -> Arc<Self> {
        if let Node::Inode(ino) = node {
            super::root::with_tree(|t| {
                if let Some(n) = t.get_mut(ino) {
                    n.opened += 1;
                    n.writers += u32::from(writable);
                }
            });
        }
        Arc::new(OpenFile {
            node,
            readable,
            writable,
            offset: Mutex::new(0),
            nonblock: core::sync::atomic::AtomicBool::new(false),
            append: core::sync::atomic::AtomicBool::new(false),
            largefile: core::sync::atomic::AtomicBool::new(false),
            seen_writers: core::sync::atomic::AtomicU32::new(0),
        })
    }
}

impl Drop for OpenFile {
    /// The last descriptor of a description is gone: a pipe (or a FIFO's
    /// pipe) loses an end, and whoever waits on it must look again.
    fn drop(&mut self) {
        if let Node::Inode(ino) = self.node {
            if super::pipe::fifo_release(ino, self.readable, self.writable)
                && let Some(wake) = PIPE_WAKER.get()
            {
                wake();
            }
            super::root::with_tree(|t| {
                if let Some(n) = t.get_mut(ino) {
                    n.opened -= 1;
                    n.writers -= u32::from(self.writable);
                }
                t.release_if_unused(ino);
            });
            return;
        }
        let end = match self.node {
            Node::PipeRead(id) => (id, false),
            Node::PipeWrite(id) => (id, true),
            _ => return,
        };
        super::pipe::close(end.0, end.1);
        if let Some(wake) = PIPE_WAKER.get() {
            wake();
        }
    }
}

/// What wakes the tasks sleeping on pipes, set once by the task layer: a
/// descriptor can close anywhere (exit, exec, dup2), and fs knows no tasks.
static PIPE_WAKER: spin::Once<fn()> = spin::Once::new();

pub fn set_pipe_waker(wake: fn()) {
    PIPE_WAKER.call_once(|| wake);
}

/// A file descriptor: the shared description and its close-on-exec flag.
#[derive(Clone)]
pub struct Fd {
    pub file: Arc<OpenFile>,
    pub cloexec: bool,
}

#[derive(Clone)]
pub struct FdTable {
    fds: Vec<Option<Fd>>,
    /// RLIMIT_NOFILE's soft limit, capped at `MAX_FDS`: new descriptors
    /// are numbered below it (ones above, from before it was lowered, stay).
    limit: usize,
}

impl FdTable {
    /// Bytes waiting in the pipes this table holds an end of, each pipe
    /// once: the pipe data charged to the process for the OOM killer (a
    /// pipe's data lives as long as someone holds an end).
    pub fn pipe_bytes_held(&self) -> usize {
        let mut ids: Vec<u32> = self
            .fds
            .iter()
            .flatten()
            .filter_map(|fd| match fd.file.node {
                Node::PipeRead(id) | Node::PipeWrite(id) => Some(id),
                _ => None,
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().map(super::pipe::available).sum()
    }

    /// 0, 1 and 2 on the console.
    pub fn with_console() -> Self {
        let console = OpenFile::new(Node::Console, true, true);
        let fd = Fd { file: console, cloexec: false };
        FdTable { fds: alloc::vec![Some(fd.clone()), Some(fd.clone()), Some(fd)], limit: DEFAULT_LIMIT }
    }

    pub fn get(&self, fd: u32) -> Result<&Arc<OpenFile>, Errno> {
        self.fds.get(fd as usize).and_then(|f| f.as_ref()).map(|f| &f.file).ok_or(Errno::EBADF)
    }

    /// Sets RLIMIT_NOFILE's soft limit (the table never grows past
    /// `MAX_FDS`, whatever the limit).
    pub fn set_limit(&mut self, limit: u64) {
        self.limit = limit.min(MAX_FDS as u64) as usize;
    }

    /// Installs at the lowest free number (EMFILE when none is below the limit).
    pub fn install(&mut self, fd: Fd) -> Result<u32, Errno> {
        self.install_from_limit(0, fd).map_err(|_| Errno::EMFILE)
    }

    /// Installs at the lowest free number not below `min` (F_DUPFD):
    /// EINVAL for a `min` at or past the limit, EMFILE when none is free.
    pub fn install_from(&mut self, min: u32, fd: Fd) -> Result<u32, Errno> {
        if min as usize >= self.limit {
            return Err(Errno::EINVAL);
        }
        self.install_from_limit(min as usize, fd)
    }

    fn install_from_limit(&mut self, min: usize, fd: Fd) -> Result<u32, Errno> {
        let free = (min..self.limit).find(|&i| self.fds.get(i).is_none_or(|f| f.is_none())).ok_or(Errno::EMFILE)?;
        self.install_at(free as u32, fd)
    }

    pub fn cloexec(&self, fd: u32) -> Result<bool, Errno> {
        self.fds.get(fd as usize).and_then(|f| f.as_ref()).map(|f| f.cloexec).ok_or(Errno::EBADF)
    }

    /// Installs at exactly `n` (dup2), closing what was there.
    pub fn install_at(&mut self, n: u32, fd: Fd) -> Result<u32, Errno> {
        let n = n as usize;
        if n >= self.limit {
            return Err(Errno::EBADF);
        }
        if self.fds.len() <= n {
            self.fds.resize(n + 1, None);
        }
        self.fds[n] = Some(fd);
        Ok(n as u32)
    }

    pub fn close(&mut self, fd: u32) -> Result<(), Errno> {
        let slot = self.fds.get_mut(fd as usize).ok_or(Errno::EBADF)?;
        slot.take().map(|_| ()).ok_or(Errno::EBADF)
    }

    /// Sets or clears close-on-exec (FIOCLEX, FIONCLEX).
    pub fn set_cloexec(&mut self, fd: u32, on: bool) -> Result<(), Errno> {
        let slot = self.fds.get_mut(fd as usize).and_then(|f| f.as_mut()).ok_or(Errno::EBADF)?;
        slot.cloexec = on;
        Ok(())
    }

    pub fn dup_of(&self, fd: u32) -> Result<Fd, Errno> {
        Ok(Fd { file: self.get(fd)?.clone(), cloexec: false })
    }

    /// Drops close-on-exec descriptors (at execve).
    pub fn close_on_exec(&mut self) {
        for slot in self.fds.iter_mut() {
            if slot.as_ref().is_some_and(|f| f.cloexec) {
                *slot = None;
            }
        }
    }

    /// One past the highest descriptor number this table has held (its
    /// slots never shrink, as Linux's fdtable never does).
    pub fn high_water(&self) -> usize {
        self.fds.len()
    }

    pub fn open_count(&self) -> usize {
        self.fds.iter().filter(|f| f.is_some()).count()
    }
}

/// A region as `vmmap` and kill reports show it: file regions by file name.
pub fn region_line(r: &crate::mm::vma::Region) -> String {
    alloc::format!("{}", crate::mm::vma::Named(r, |m| String::from(module_name(m as usize))))
}

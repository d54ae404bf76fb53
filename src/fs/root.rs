//! The root file system: one tmpfs tree (`TREE`), made at boot with the
//! usual directories, the device nodes of /dev, and every boot module as a
//! read-only file at the path its GRUB command line names. Lookups, the
//! data of files and the devices behind device nodes.

use super::mounts::{FsKind, GENERATED, MOUNTS, Mount, sync_proc};
pub use super::mounts::{ProcEntry, ProcKind};
use super::node::Node;
use super::tmpfs::{
    Data, Follow, Ino, Inode, ROOT, S_IFBLK, S_IFCHR, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Time, Tmpfs, Walk,
};
use crate::bootinfo::multiboot::Module;
use crate::mm::addr::{PAGE_SIZE, PhysAddr};
use crate::mm::kmap::FrameWindow;
use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::Errno;
use spin::Mutex;

/// The tree. Locked briefly by each operation; never held across a sleep.
pub static TREE: Mutex<Option<Tmpfs>> = Mutex::new(None);

/// Runs `f` on the tree (made at boot by `init`).
pub fn with_tree<R>(f: impl FnOnce(&mut Tmpfs) -> R) -> R {
    let mut t = TREE.lock();
    f(t.as_mut().expect("fs::init ran at boot"))
}

/// The time now, for inode times.
pub fn now() -> Time {
    let ns = crate::time::realtime_ns();
    Time { sec: (ns / 1_000_000_000) as i64, nsec: (ns % 1_000_000_000) as u32 }
}

/// Linux's device numbers (new_encode_dev for small ones: major << 8 | minor).
pub const fn dev(major: u32, minor: u32) -> u32 {
    (minor & 0xff) | (major << 8) | ((minor & !0xff) << 12)
}
pub const DEV_NULL: u32 = dev(1, 3);
pub const DEV_ZERO: u32 = dev(1, 5);
pub const DEV_FULL: u32 = dev(1, 7);
pub const DEV_RANDOM: u32 = dev(1, 8);
pub const DEV_URANDOM: u32 = dev(1, 9);
pub const DEV_TTY: u32 = dev(5, 0);
pub const DEV_CONSOLE: u32 = dev(5, 1);

/// The standard tree: /bin /dev /etc /proc /root /sbin /sys /tmp /usr/bin,
/// the archives and boot modules, then proc on /proc and a devtmpfs with
/// the device nodes on /dev, as Debian's initramfs mounts them.
pub fn init() {
    let t0 = now();
    let mut t = Tmpfs::new(t0);
    for (dir, mode) in [
        ("bin", 0o755),
        ("dev", 0o755),
        ("etc", 0o755),
        ("proc", 0o555),
        ("root", 0o700),
        ("sbin", 0o755),
        ("sys", 0o555),
        ("tmp", 0o1777),
        ("usr", 0o755),
    ] {
        let _ = t.create(ROOT, dir, S_IFDIR | mode, Data::Special, t0);
    }
    // As Linux: the built-in initramfs, then (here) the boot modules at
    // their paths, then a user's initrd on top.
    unpack_named(&mut t, INITRAMFS, t0);
    for (index, m) in modules().iter().enumerate() {
        if m.name != INITRAMFS && m.name != INITRD {
            add_module(&mut t, index, m, t0);
        }
    }
    unpack_named(&mut t, INITRD, t0);
    // As Debian's initramfs init: proc on /proc, nosuid,nodev,noexec.
    let mut mounts = MOUNTS.lock();
    mounts.set_root(ROOT);
    if let Ok(Walk { ino: Some(proc), .. }) = t.walk(ROOT, "/proc", Follow::Yes) {
        let proc_mount = Mount {
            root: 0,
            kind: FsKind::Proc,
            source: String::from("proc"),
            flags: super::mounts::with_default_atime(
                super::mounts::MS_NOSUID | super::mounts::MS_NODEV | super::mounts::MS_NOEXEC,
            ),
            options: Vec::new(),
        };
        let _ = mounts.mount(&mut t, proc, proc_mount, FsKind::Proc.root_mode(), t0);
    }
    // And devtmpfs on /dev (`mount -t devtmpfs -o nosuid,mode=0755 udev
    // /dev`), with the links udev adds. Whatever an archive put in /dev is
    // hidden under it, as on Linux.
    if let Ok(Walk { ino: Some(dev_dir), .. }) = t.walk(ROOT, "/dev", Follow::Yes) {
        let dev_mount = Mount {
            root: 0,
            kind: FsKind::Devtmpfs,
            source: String::from("udev"),
            flags: super::mounts::with_default_atime(super::mounts::MS_NOSUID),
            options: alloc::vec![String::from("mode=755")],
        };
        if let Ok(dev) = mounts.mount(&mut t, dev_dir, dev_mount, FsKind::Devtmpfs.root_mode(), t0) {
            add_device_nodes(&mut t, dev, t0);
            for (name, target) in [("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1")]
            {
                let _ = t.create(dev, name, S_IFLNK | 0o777, Data::Symlink(String::from(target)), t0);
            }
        }
    }
    drop(mounts);
    *TREE.lock() = Some(t);
}

/// The device nodes of /dev (and of a new devtmpfs) in directory `dir`.
fn add_device_nodes(t: &mut Tmpfs, dir: Ino, now: Time) {
    for (name, rdev, mode) in [
        ("console", DEV_CONSOLE, 0o600),
        ("tty", DEV_TTY, 0o666),
        ("null", DEV_NULL, 0o666),
        ("zero", DEV_ZERO, 0o666),
        ("full", DEV_FULL, 0o666),
        ("random", DEV_RANDOM, 0o666),
        ("urandom", DEV_URANDOM, 0o666),
    ] {
        if let Ok(ino) = t.create(dir, name, S_IFCHR | mode, Data::Special, now) {
            t.get_mut(ino).expect("new").rdev = rdev;
        }
    }
    add_disk(t, dir, now);
}

/// /dev/vda when the block driver found a disk, as Debian's udev makes
/// it: brw-rw---- root:disk (group 6).
fn add_disk(t: &mut Tmpfs, dev: Ino, t0: Time) {
    if crate::dev::blk::info().is_some()
        && let Ok(ino) = t.create(dev, "vda", S_IFBLK | 0o660, Data::Special, t0)
    {
        let n = t.get_mut(ino).expect("new");
        (n.rdev, n.gid) = (crate::dev::blk::vda_rdev(), 6);
    }
}

/// The GRUB module names of the archives unpacked into the root.
const INITRAMFS: &str = "initramfs";
const INITRD: &str = "initrd";

/// Unpacks the module called `name`, if there is one.
fn unpack_named(t: &mut Tmpfs, name: &str, now: Time) {
    let Some(index) = modules().iter().position(|m| m.name == name) else { return };
    let owned;
    let bytes = match module_bytes(index) {
        Some(b) => b,
        None => {
            let mut v = alloc::vec![0u8; modules()[index].len() as usize];
            read_module(index, 0, &mut v);
            owned = v;
            &owned[..]
        }
    };
    match unpack(t, bytes, now) {
        Ok(n) => log::info!("{name}: {n} entries unpacked into the root"),
        Err(e) => crate::kprintln!("{name}: {e}; the rest of it is skipped, the kernel boots on"),
    }
}

/// Unpacks a cpio "newc" archive into `t` as Linux's initramfs does: an
/// existing non-directory at a name is replaced, directories merge, hard
/// links become links. Stops at the first malformed entry (the message
/// says where and why); what came before stays.
pub fn unpack(t: &mut Tmpfs, archive: &[u8], now: Time) -> Result<usize, alloc::string::String> {
    use super::cpio::{FileType, HardLinks, entries};
    let mut links = HardLinks::new();
    let mut count = 0;
    for e in entries(archive) {
        let e = e.map_err(|e| alloc::format!("{e}"))?;
        count += 1;
        if e.name.is_empty() {
            continue;
        }
        let (parent, name) = match e.name.rsplit_once('/') {
            Some((dir, name)) => (mkdir_p(t, dir, now).map_err(|err| alloc::format!("{}: {err:?}", e.name))?, name),
            None => (ROOT, e.name),
        };
        let existing = t.lookup(parent, name).ok().flatten();
        if e.file_type == FileType::Directory {
            match existing {
                Some(i) if t.get(i).is_some_and(Inode::is_dir) => {
                    if let Some(n) = t.get_mut(i) {
                        n.mode = e.mode;
                    }
                }
                _ => {
                    let _ = t.remove(parent, name, false, now);
                    let _ = t.create(parent, name, e.mode, Data::Special, now);
                }
            }
            continue;
        }
        if existing.is_some() {
            let dir = existing.and_then(|i| t.get(i)).is_some_and(Inode::is_dir);
            let _ = t.remove(parent, name, dir, now);
        }
        if let Some(first) = links.target(&e)
            && let Ok(w) = t.walk(ROOT, first, Follow::No)
            && let Some(ino) = w.ino
        {
            let _ = t.link(ino, parent, name, now);
            if !e.data.is_empty() {
                t.write(ino, 0, e.data, now).map_err(|err| alloc::format!("{}: {err:?}", e.name))?;
            }
            continue;
        }
        let data = match e.file_type {
            FileType::Regular => Data::File { pages: Default::default(), size: 0 },
            FileType::Symlink => Data::Symlink(alloc::string::String::from(core::str::from_utf8(e.data).unwrap_or(""))),
            _ => Data::Special,
        };
        let ino = t.create(parent, name, e.mode, data, now).map_err(|err| alloc::format!("{}: {err:?}", e.name))?;
        if let Some(n) = t.get_mut(ino) {
            (n.uid, n.gid, n.rdev) = (e.uid, e.gid, e.rdev);
            n.mtime = Time { sec: i64::from(e.mtime), nsec: 0 };
        }
        if e.file_type == FileType::Regular && !e.data.is_empty() {
            t.write(ino, 0, e.data, now).map_err(|err| alloc::format!("{}: {err:?}", e.name))?;
        }
    }
    Ok(count)
}

/// The directory `path` (relative to the root), made with its parents if
/// missing (mode 0755).
fn mkdir_p(t: &mut Tmpfs, path: &str, now: Time) -> Result<Ino, Errno> {
    let mut dir = ROOT;
    for d in path.split('/').filter(|p| !p.is_empty()) {
        dir = match t.lookup(dir, d)? {
            Some(i) if t.get(i).is_some_and(Inode::is_dir) => i,
            Some(_) => return Err(Errno::ENOTDIR),
            None => t.create(dir, d, S_IFDIR | 0o755, Data::Special, now)?,
        };
    }
    Ok(dir)
}

/// Puts module `index` at the path its name gives, making the directories
/// on the way; a name that cannot be a path is skipped with a warning.
fn add_module(t: &mut Tmpfs, index: usize, m: &Module, now: Time) {
    let parts: Vec<&str> = m.name.split('/').filter(|p| !p.is_empty() && *p != ".").collect();
    let Some((file, dirs)) = parts.split_last() else { return };
    if parts.contains(&"..") {
        log::warn!("module {:?}: '..' in its name, not added to the file system", m.name);
        return;
    }
    let mut dir = ROOT;
    for d in dirs {
        dir = match t.lookup(dir, d) {
            Ok(Some(i)) if t.get(i).is_some_and(Inode::is_dir) => i,
            Ok(None) => match t.create(dir, d, S_IFDIR | 0o755, Data::Special, now) {
                Ok(i) => i,
                Err(_) => return,
            },
            _ => {
                log::warn!("module {:?}: {d} is not a directory", m.name);
                return;
            }
        };
    }
    let data = Data::Module { index, size: u64::from(m.len()) };
    // A module stands in for the initramfs's copy of the same program, so
    // that its text is shared from the module's frames.
    if t.lookup(dir, file).ok().flatten().is_some_and(|i| t.get(i).is_some_and(|n| !n.is_dir())) {
        let _ = t.remove(dir, file, false, now);
    }
    if t.create(dir, file, S_IFREG | 0o755, data, now).is_err() {
        log::warn!("module {:?}: the name is taken", m.name);
    }
}

fn modules() -> &'static [Module] {
    crate::bootinfo::get().modules()
}

/// Walks `path` from directory `start` (see `Tmpfs::walk`). A walk that
/// may enter /proc first brings /proc up to date (the /dev/std* and fd
/// links lead there too).
pub fn walk(start: Ino, path: &str, follow: Follow) -> Result<Walk, Errno> {
    if may_enter_proc(path) || (!path.starts_with('/') && in_proc(start)) {
        refresh_proc();
    }
    with_tree(|t| t.walk(start, path, follow))
}

fn may_enter_proc(path: &str) -> bool {
    if path.contains("proc") || path.contains("dev") {
        return true;
    }
    // A proc mounted somewhere else: its directory's name (borrowed from
    // the tree: an open allocates nothing here).
    let m = MOUNTS.lock();
    with_tree(|t| {
        m.roots_of(FsKind::Proc).any(|r| {
            t.covered_by(r)
                .and_then(|at| t.name_in_parent(at))
                .is_some_and(|name| !name.is_empty() && path.contains(name))
        })
    })
}

/// What lists /proc's contents and reads its generated files: set once by
/// the task layer (fs knows no tasks).
static PROC_SOURCE: spin::Once<fn() -> Vec<ProcEntry>> = spin::Once::new();
static PROC_READER: spin::Once<ProcReader> = spin::Once::new();

/// The task layer's reader of generated /proc files: `read(key, offset,
/// buf)` fills `buf` from the file's bytes at `offset` and says how many;
/// `bound(key)` is an upper limit on the file's length (st_size stays 0,
/// as Linux's).
#[derive(Clone, Copy)]
pub struct ProcReader {
    pub read: fn(u64, u64, &mut [u8]) -> usize,
    pub bound: fn(u64) -> u64,
}

pub fn set_proc_source(f: fn() -> Vec<ProcEntry>) {
    PROC_SOURCE.call_once(|| f);
}

pub fn set_proc_reader(r: ProcReader) {
    PROC_READER.call_once(|| r);
}

/// Whether `ino` lies in a proc mount (nothing there may be written).
pub fn in_proc(ino: Ino) -> bool {
    let m = MOUNTS.lock();
    with_tree(|t| m.roots_of(FsKind::Proc).any(|r| t.is_under(ino, r)))
}

/// Rebuilds every proc mount from the task layer's description, in place.
pub fn refresh_proc() {
    let Some(source) = PROC_SOURCE.get() else { return };
    let entries = source();
    let now = now();
    let m = MOUNTS.lock();
    with_tree(|t| {
        let mut keys = GENERATED.lock();
        for root in m.roots_of(FsKind::Proc) {
            sync_proc(t, root, &entries, &mut keys, now);
        }
    });
}

/// Before a directory is listed: one in /proc is brought up to date (so
/// /proc/self/fd shows the descriptor that lists it, as Linux's does).
pub fn before_listing(dir: Ino) {
    if in_proc(dir) {
        refresh_proc();
    }
}

/// The generated-file key of `ino`, if it is one.
fn generated(ino: Ino) -> Option<u64> {
    GENERATED.lock().get(&ino).copied()
}

// ---------------------------------------------------------------------------
// mount and umount
// ---------------------------------------------------------------------------

/// Mounts a new file system over directory `at` (what a lookup reached),
/// its root of `mode`: ENOTDIR for a non-directory. A devtmpfs starts with the
/// device nodes of /dev.
pub fn mount(at: Ino, m: Mount, mode: u32) -> Result<(), Errno> {
    let kind = m.kind;
    let now = now();
    let root = with_tree(|t| MOUNTS.lock().mount(t, at, m, mode, now))?;
    if kind == FsKind::Devtmpfs {
        with_tree(|t| add_device_nodes(t, root, now));
    }
    if kind == FsKind::Proc {
        refresh_proc();
    }
    Ok(())
}

/// Unmounts the mount whose root is `root` (EINVAL if none, EBUSY while
/// in use unless `lazy`).
pub fn umount(root: Ino, lazy: bool) -> Result<(), Errno> {
    let now = now();
    let mut m = MOUNTS.lock();
    let gone = with_tree(|t| m.unmount(t, root, lazy, now))?;
    if gone.kind == FsKind::Proc {
        let mut keys = GENERATED.lock();
        with_tree(|t| keys.retain(|&ino, _| t.get(ino).is_some()));
    }
    Ok(())
}

/// Changes the flags of the mount whose root is `root` (MS_REMOUNT):
/// EINVAL if it is no mount's root.
pub fn remount(root: Ino, flags: u32) -> Result<(), Errno> {
    MOUNTS.lock().set_flags(root, flags)
}

/// Whether something in the mount whose root is `root` is in use.
pub fn mount_busy(root: Ino) -> bool {
    with_tree(|t| super::mounts::busy(t, root))
}

/// Whether `ino` is the root of a mount (the root file system's included).
pub fn is_mount_root(ino: Ino) -> bool {
    MOUNTS.lock().find(ino).is_some()
}

/// statfs's f_type and mount flags (MS_*) for inode `ino`.
pub fn statfs_of(ino: Ino) -> (u32, u32) {
    let m = MOUNTS.lock();
    with_tree(|t| m.mount_of(t, ino).map_or((FsKind::Rootfs.magic(), 0), |m| (m.kind.magic(), m.flags)))
}

/// The file system `ino` lies in (statfs).
pub fn fs_kind(ino: Ino) -> FsKind {
    let m = MOUNTS.lock();
    with_tree(|t| m.kind_of(t, ino))
}

/// The mount table with each mount point's path, oldest first (/proc/mounts).
pub fn mount_list() -> Vec<(Mount, String)> {
    let m = MOUNTS.lock();
    with_tree(|t| {
        m.iter()
            .map(|mnt| {
                let at = t.covered_by(mnt.root).unwrap_or(mnt.root);
                let path = path_of_locked(t, at).unwrap_or_else(|_| String::from("/"));
                (mnt.clone(), path)
            })
            .collect()
    })
}

/// The inode `path` names (from `start`), following links: ENOENT if none.
pub fn resolve(start: Ino, path: &str) -> Result<Ino, Errno> {
    walk(start, path, Follow::Yes)?.ino.ok_or(Errno::ENOENT)
}

/// What an open of inode `ino` reads and writes: a device node becomes its
/// device, anything else the inode itself. ENXIO for a device this kernel
/// has no driver for.
pub fn node_of(ino: Ino) -> Result<Node, Errno> {
    let (mode, rdev) = with_tree(|t| t.get(ino).map(|n| (n.mode, n.rdev))).ok_or(Errno::ENOENT)?;
    if mode & S_IFMT == S_IFBLK {
        let vda = crate::dev::blk::info().is_some() && rdev == crate::dev::blk::vda_rdev();
        return if vda { Ok(Node::Block) } else { Err(Errno::ENXIO) };
    }
    if mode & S_IFMT != S_IFCHR {
        return Ok(Node::Inode(ino));
    }
    Ok(match rdev {
        DEV_CONSOLE | DEV_TTY => Node::Console,
        DEV_NULL => Node::Null,
        DEV_ZERO => Node::Zero,
        DEV_FULL => Node::Full,
        DEV_RANDOM | DEV_URANDOM => Node::Random,
        _ => return Err(Errno::ENXIO),
    })
}

/// An absolute path (from exec and the kernel): the node it names.
pub fn lookup(path: &str) -> Result<Node, Errno> {
    node_of(resolve(ROOT, path)?)
}

/// The boot module a node is, if it is one (exec and mmap use its frames).
pub fn module_of(node: Node) -> Option<usize> {
    let Node::Inode(ino) = node else { return None };
    with_tree(|t| match t.get(ino).map(|n| &n.data) {
        Some(Data::Module { index, .. }) => Some(*index),
        _ => None,
    })
}

/// A file's size in bytes (0 for what is not a file).
pub fn size(node: Node) -> u64 {
    let Node::Inode(ino) = node else { return 0 };
    if let (Some(key), Some(r)) = (generated(ino), PROC_READER.get()) {
        return (r.bound)(key);
    }
    with_tree(|t| t.get(ino).map_or(0, Inode::size))
}

/// Reads file bytes at `offset` into `buf`; returns how many.
pub fn read(ino: Ino, offset: u64, buf: &mut [u8]) -> usize {
    if let Some(key) = generated(ino) {
        return PROC_READER.get().map_or(0, |r| (r.read)(key, offset, buf));
    }
    let module = with_tree(|t| match t.get(ino).map(|n| &n.data) {
        Some(Data::Module { index, .. }) => Some(*index),
        _ => None,
    });
    match module {
        Some(i) => read_module(i, offset, buf),
        None => with_tree(|t| t.read(ino, offset, buf)),
    }
}

/// `Tmpfs::read_with` on an ordinary file: `None` for a generated file or
/// a boot module's (those read into a buffer with `read`).
pub fn read_with(ino: Ino, offset: u64, len: usize, sink: impl FnMut(&[u8])) -> Option<usize> {
    if generated(ino).is_some() {
        return None;
    }
    with_tree(|t| match t.get(ino).map(|n| &n.data) {
        Some(Data::Module { .. }) => None,
        _ => Some(t.read_with(ino, offset, len, sink)),
    })
}

/// Whether `read_with` takes file `ino` (not generated, not a boot module's).
pub fn reads_direct(ino: Ino) -> bool {
    generated(ino).is_none() && with_tree(|t| !matches!(t.get(ino).map(|n| &n.data), Some(Data::Module { .. })))
}

/// Copies module bytes at `offset` into `buf`; returns how many.
pub fn read_module(index: usize, offset: u64, buf: &mut [u8]) -> usize {
    let m = &modules()[index];
    let len = u64::from(m.len());
    if offset >= len {
        return 0;
    }
    let n = buf.len().min((len - offset) as usize);
    let mut done = 0;
    while done < n {
        let phys = m.start + (offset as u32) + done as u32;
        let in_page = (phys % PAGE_SIZE) as usize;
        let chunk = (PAGE_SIZE as usize - in_page).min(n - done);
        let mut w = FrameWindow::new(PhysAddr::new(phys).frame());
        buf[done..done + chunk].copy_from_slice(&w.bytes()[in_page..in_page + chunk]);
        done += chunk;
    }
    n
}

/// The module's bytes as one slice, when it lies in low memory (direct map).
pub fn module_bytes(index: usize) -> Option<&'static [u8]> {
    let m = modules().get(index)?;
    if !crate::mm::layout::is_low_memory(m.end) {
        return None;
    }
    // SAFETY: the module lies in direct-mapped low memory that the frame
    // allocator never hands out, and nothing writes to it.
    Some(unsafe {
        core::slice::from_raw_parts(crate::mm::layout::phys_to_virt(m.start) as *const u8, m.len() as usize)
    })
}

pub fn module_name(index: usize) -> &'static str {
    modules().get(index).map_or("?", |m| m.name)
}

/// The absolute path of directory `ino`, from its parents' entries (what
/// getcwd returns); "/" for the root. A directory that was removed has
/// none: ENOENT, as Linux's getcwd.
pub fn path_of(ino: Ino) -> Result<String, Errno> {
    with_tree(|t| path_of_locked(t, ino))
}

/// `path_of` on the tree in hand. A mounted root is named by the entry of
/// the directory it covers.
fn path_of_locked(t: &Tmpfs, ino: Ino) -> Result<String, Errno> {
    let mut names: Vec<String> = Vec::new();
    let mut at = ino;
    while at != ROOT {
        names.push(t.name_in_parent(at).ok_or(Errno::ENOENT)?.into());
        at = t.lookup(at, "..")?.ok_or(Errno::ENOENT)?;
    }
    let mut s = String::new();
    for n in names.iter().rev() {
        s.push('/');
        s.push_str(n);
    }
    if s.is_empty() {
        s.push('/');
    }
    Ok(s)
}

/// The names of all regular files below the root, for `ls` (path, size).
pub fn list() -> Vec<(String, u32)> {
    fn walk_dir(t: &Tmpfs, dir: Ino, prefix: &str, out: &mut Vec<(String, u32)>) {
        let Ok(entries) = t.list(dir) else { return };
        for (name, ino, kind) in entries.into_iter().skip(2) {
            let path = alloc::format!("{prefix}/{name}");
            match kind {
                S_IFDIR => walk_dir(t, t.mounted_on(ino), &path, out),
                _ => out.push((path, t.get(ino).map_or(0, |n| n.size() as u32))),
            }
        }
    }
    let mut v = Vec::new();
    with_tree(|t| walk_dir(t, ROOT, "", &mut v));
    v
}

/// Before a boot module's file is written: its bytes become ordinary file
/// pages (programs already running from the module keep its frames).
/// ENOSPC if memory runs out; nothing changes then.
pub fn make_writable(ino: Ino) -> Result<(), Errno> {
    let Some(index) = with_tree(|t| match t.get(ino).map(|n| &n.data) {
        Some(Data::Module { index, .. }) => Some(*index),
        _ => None,
    }) else {
        return Ok(());
    };
    let len = u64::from(modules()[index].len());
    let mut staged = Tmpfs::new(now());
    let tmp = staged.create(ROOT, "copy", S_IFREG, Data::File { pages: Default::default(), size: 0 }, now())?;
    let mut buf = alloc::vec![0u8; 4096];
    let mut off = 0u64;
    while off < len {
        let n = read_module(index, off, &mut buf);
        staged.write(tmp, off, &buf[..n], now())?;
        off += n as u64;
    }
    let data = core::mem::replace(&mut staged.get_mut(tmp).expect("copy").data, Data::Special);
    with_tree(|t| {
        if let Some(n) = t.get_mut(ino) {
            n.data = data;
        }
        t.pages_used += len.div_ceil(4096);
    });
    Ok(())
}

/// A path that names file `ino` (the first found, searching from the
/// root), for fexecve-style exec of an open file.
pub fn path_of_file(ino: Ino) -> Option<String> {
    fn search(t: &Tmpfs, dir: Ino, prefix: &str, want: Ino) -> Option<String> {
        for (name, i, kind) in t.list(dir).ok()?.into_iter().skip(2) {
            let path = alloc::format!("{prefix}/{name}");
            let i = t.mounted_on(i);
            if i == want {
                return Some(path);
            }
            if kind == S_IFDIR
                && let Some(p) = search(t, i, &path, want)
            {
                return Some(p);
            }
        }
        None
    }
    with_tree(|t| search(t, ROOT, "", ino))
}

/// Holds inode `ino` as an open file does (a working directory).
pub fn hold(ino: Ino) {
    with_tree(|t| {
        if let Some(n) = t.get_mut(ino) {
            n.opened += 1;
        }
    });
}

/// Lets go of a `hold`; the inode goes if nothing else keeps it.
pub fn unhold(ino: Ino) {
    with_tree(|t| {
        if let Some(n) = t.get_mut(ino) {
            n.opened -= 1;
        }
        t.release_if_unused(ino);
    });
}

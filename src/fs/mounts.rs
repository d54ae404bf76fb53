//! The mount table and /proc's tree. Every file system here lives in the
//! one tmpfs tree (`root::TREE`): a mount is a fresh directory that
//! lookups reach instead of the directory it covers (`Tmpfs::mount_over`),
//! so a tmpfs mounted on /mnt hides what /mnt held until it is unmounted.
//! The table says what each mounted root is (proc, tmpfs, devtmpfs), for
//! /proc/mounts, statfs's f_type and umount's checks.
//!
//! A proc mount's contents are made from the task layer's description
//! (`ProcEntry`) by `sync_proc`, which edits the tree in place: what still
//! exists keeps its inode (a descriptor open on /proc/1/fd reads on), what
//! went is removed. Files are `Generated`: their bytes are made when read.
//!
//! Pure: everything takes the tree as an argument (host-tested below).

use super::tmpfs::{Data, Follow, Ino, Inode, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, Time, Tmpfs};
use alloc::collections::{BTreeMap, BTreeSet};
use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::Errno;

/// The file system types mount(2) knows, with Linux's names and magics.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum FsKind {
    /// The root: the initramfs's tmpfs (what Linux calls rootfs).
    Rootfs,
    Proc,
    Tmpfs,
    Devtmpfs,
}

/// statfs's f_type values (include/uapi/linux/magic.h).
pub const TMPFS_MAGIC: u32 = 0x0102_1994;
pub const PROC_SUPER_MAGIC: u32 = 0x9fa0;

impl FsKind {
    /// The type mount(2) names (None: ENODEV). rootfs is registered but
    /// Linux refuses to mount it again; here it is simply unknown.
    pub fn by_name(name: &[u8]) -> Option<FsKind> {
        match name {
            b"proc" => Some(FsKind::Proc),
            b"tmpfs" => Some(FsKind::Tmpfs),
            b"devtmpfs" => Some(FsKind::Devtmpfs),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            FsKind::Rootfs => "rootfs",
            FsKind::Proc => "proc",
            FsKind::Tmpfs => "tmpfs",
            FsKind::Devtmpfs => "devtmpfs",
        }
    }

    /// statfs's f_type: devtmpfs and the root are tmpfs underneath.
    pub fn magic(self) -> u32 {
        match self {
            FsKind::Proc => PROC_SUPER_MAGIC,
            _ => TMPFS_MAGIC,
        }
    }

    /// The mode of a new mount's root directory (tmpfs's default 1777,
    /// proc's 0555, devtmpfs's 0755).
    pub fn root_mode(self) -> u32 {
        match self {
            FsKind::Proc => 0o555,
            FsKind::Devtmpfs | FsKind::Rootfs => 0o755,
            FsKind::Tmpfs => 0o1777,
        }
    }
}

/// mount(2)'s flags that this kernel keeps (MS_*); the rest are refused
/// or ignored by the caller.
pub const MS_RDONLY: u32 = 1;
pub const MS_NOSUID: u32 = 2;
pub const MS_NODEV: u32 = 4;
pub const MS_NOEXEC: u32 = 8;
pub const MS_SYNCHRONOUS: u32 = 16;
pub const MS_DIRSYNC: u32 = 128;
pub const MS_NOATIME: u32 = 1024;
pub const MS_NODIRATIME: u32 = 2048;
pub const MS_RELATIME: u32 = 1 << 21;
pub const MS_STRICTATIME: u32 = 1 << 24;
pub const MS_LAZYTIME: u32 = 1 << 25;

/// One mount.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Mount {
    /// The mounted root directory (ROOT for the root file system).
    pub root: Ino,
    pub kind: FsKind,
    /// mount(2)'s source string ("proc", "none", ...).
    pub source: String,
    /// MS_* flags as given, with MS_RELATIME added when no atime flag was
    /// (Linux's default).
    pub flags: u32,
    /// The file system's own options as /proc/mounts shows them (`mode=755`).
    pub options: Vec<String>,
}

/// Every mount, in the order they were made.
pub struct MountTable {
    mounts: Vec<Mount>,
}

pub static MOUNTS: spin::Mutex<MountTable> = spin::Mutex::new(MountTable { mounts: Vec::new() });

/// Linux's default when no atime flag is given: relatime.
pub fn with_default_atime(flags: u32) -> u32 {
    if flags & (MS_NOATIME | MS_RELATIME | MS_STRICTATIME) == 0 { flags | MS_RELATIME } else { flags & !MS_STRICTATIME }
}

impl MountTable {
    /// The mounts, oldest first.
    pub fn iter(&self) -> impl Iterator<Item = &Mount> {
        self.mounts.iter()
    }

    /// Records the root file system (at boot).
    pub fn set_root(&mut self, root: Ino) {
        self.mounts.retain(|m| m.kind != FsKind::Rootfs);
        let m = Mount { root, kind: FsKind::Rootfs, source: String::from("rootfs"), flags: 0, options: Vec::new() };
        self.mounts.insert(0, m);
    }

    /// Mounts a new `kind` over directory `at` (what a lookup reached);
    /// returns the new root. ENOTDIR/ENOENT from the tree.
    pub fn mount(&mut self, t: &mut Tmpfs, at: Ino, m: Mount, mode: u32, now: Time) -> Result<Ino, Errno> {
        let root = t.mount_over(at, mode, now)?;
        self.mounts.push(Mount { root, ..m });
        Ok(root)
    }

    /// MS_REMOUNT: the mount whose root is `root` takes new flags.
    pub fn set_flags(&mut self, root: Ino, flags: u32) -> Result<(), Errno> {
        let m = self.mounts.iter_mut().find(|m| m.root == root).ok_or(Errno::EINVAL)?;
        m.flags = if m.kind == FsKind::Rootfs { flags } else { with_default_atime(flags) };
        Ok(())
    }

    /// The mount whose root `root` is.
    pub fn find(&self, root: Ino) -> Option<&Mount> {
        self.mounts.iter().find(|m| m.root == root)
    }

    /// umount: EINVAL unless `root` is a mount's root (the root file system
    /// cannot go: EINVAL too), EBUSY if something below it is open or is a
    /// working directory, or another mount is stacked on it, unless `lazy`
    /// (MNT_DETACH: what is open lives on, detached).
    pub fn unmount(&mut self, t: &mut Tmpfs, root: Ino, lazy: bool, now: Time) -> Result<Mount, Errno> {
        let i = self.mounts.iter().position(|m| m.root == root && m.kind != FsKind::Rootfs).ok_or(Errno::EINVAL)?;
        if !lazy && busy(t, root) {
            return Err(Errno::EBUSY);
        }
        t.unmount(root, now)?;
        Ok(self.mounts.remove(i))
    }

    /// The mounted roots of `kind`.
    pub fn roots_of(&self, kind: FsKind) -> impl Iterator<Item = Ino> + '_ {
        self.mounts.iter().filter(move |m| m.kind == kind).map(|m| m.root)
    }

    /// The mount `ino` lies in: the most recent one whose tree holds it.
    pub fn mount_of(&self, t: &Tmpfs, ino: Ino) -> Option<&Mount> {
        let is_dir = t.get(ino).is_some_and(Inode::is_dir);
        self.mounts
            .iter()
            .rev()
            .filter(|m| m.kind != FsKind::Rootfs)
            .find(|m| if is_dir { t.is_under(ino, m.root) } else { holds(t, m.root, ino) })
    }

    /// The kind of file system `ino` lies in.
    pub fn kind_of(&self, t: &Tmpfs, ino: Ino) -> FsKind {
        self.mount_of(t, ino).map_or(FsKind::Rootfs, |m| m.kind)
    }
}

/// Whether `ino` is somewhere below directory `dir`.
fn holds(t: &Tmpfs, dir: Ino, ino: Ino) -> bool {
    let Ok(list) = t.list(dir) else { return false };
    list.into_iter().skip(2).any(|(_, i, kind)| {
        let i = t.mounted_on(i);
        i == ino || (kind == S_IFDIR && holds(t, i, ino))
    })
}

/// Whether anything at or below `dir` is held open (a descriptor, a
/// working directory) or has a mount on it.
pub fn busy(t: &Tmpfs, dir: Ino) -> bool {
    if t.get(dir).is_some_and(|n| n.opened > 0) {
        return true;
    }
    let Ok(list) = t.list(dir) else { return false };
    list.into_iter().skip(2).any(|(_, i, kind)| {
        t.mounted_on(i) != i || t.get(i).is_some_and(|n| n.opened > 0) || (kind == S_IFDIR && busy(t, i))
    })
}

/// What mount(2)'s data string asks for: flags it sets (`ro`, `sync`
/// …), the root's mode, and the options /proc/mounts shows.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Options {
    pub flags: u32,
    pub mode: u32,
    pub shown: Vec<String>,
}

/// Parses mount(2)'s comma-separated data for `kind` as Linux's
/// fs_context does: the generic words (ro, rw, sync, dirsync, lazytime,
/// mand and their negations) first, then the file system's own (tmpfs
/// and devtmpfs: size, nr_inodes, mode, uid, gid, huge; proc: hidepid,
/// gid, subset); anything else is EINVAL. tmpfs shows `mode=` when it is
/// not 1777 and `size=` in kB; sizes are not enforced here.
pub fn parse_options(kind: FsKind, data: &[u8]) -> Result<Options, Errno> {
    let text = core::str::from_utf8(data).map_err(|_| Errno::EINVAL)?;
    let mut o = Options { flags: 0, mode: kind.root_mode(), shown: Vec::new() };
    let mut size = None;
    for word in text.split(',').filter(|w| !w.is_empty()) {
        let (key, value) = word.split_once('=').map_or((word, None), |(k, v)| (k, Some(v)));
        match (key, value) {
            ("ro", None) => o.flags |= MS_RDONLY,
            ("rw", None) => o.flags &= !MS_RDONLY,
            ("sync", None) => o.flags |= MS_SYNCHRONOUS,
            ("async", None) => o.flags &= !MS_SYNCHRONOUS,
            ("dirsync", None) => o.flags |= MS_DIRSYNC,
            ("lazytime", None) => o.flags |= MS_LAZYTIME,
            ("nolazytime", None) => o.flags &= !MS_LAZYTIME,
            ("mand" | "nomand", None) => {}
            ("mode", Some(v)) if kind != FsKind::Proc => {
                o.mode = u32::from_str_radix(v, 8).map_err(|_| Errno::EINVAL)? & 0o7777;
            }
            ("size", Some(v)) if kind != FsKind::Proc => size = Some(parse_size(v)?),
            ("nr_inodes" | "uid" | "gid" | "huge", Some(_)) if kind != FsKind::Proc => {}
            ("hidepid" | "gid" | "subset", Some(_)) if kind == FsKind::Proc => {}
            _ => return Err(Errno::EINVAL),
        }
    }
    if let Some(kb) = size {
        o.shown.push(alloc::format!("size={kb}k"));
    }
    if kind != FsKind::Proc && o.mode != 0o1777 {
        o.shown.push(alloc::format!("mode={:03o}", o.mode));
    }
    Ok(o)
}

/// A tmpfs size (bytes with an optional k, m or g) in kB of whole pages.
fn parse_size(v: &str) -> Result<u64, Errno> {
    let (digits, shift) = match v.as_bytes().last() {
        Some(b'k' | b'K') => (&v[..v.len() - 1], 10),
        Some(b'm' | b'M') => (&v[..v.len() - 1], 20),
        Some(b'g' | b'G') => (&v[..v.len() - 1], 30),
        _ => (v, 0),
    };
    let n: u64 = digits.parse().map_err(|_| Errno::EINVAL)?;
    let bytes = n.checked_shl(shift).filter(|b| b >> shift == n).ok_or(Errno::EINVAL)?;
    Ok(bytes.div_ceil(4096) * 4)
}

// ---------------------------------------------------------------------------
// /proc's tree
// ---------------------------------------------------------------------------

/// One file of /proc as the task layer describes it: its path below the
/// proc root and what it is.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct ProcEntry {
    pub path: String,
    pub kind: ProcKind,
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum ProcKind {
    Dir,
    /// Fixed bytes.
    File(Vec<u8>),
    /// Bytes made when read, by the task layer's reader, from this key.
    Generated(u64),
    Link {
        target: String,
        mode: u32,
    },
}

/// Which inodes are generated files, and from which key.
pub static GENERATED: spin::Mutex<BTreeMap<Ino, u64>> = spin::Mutex::new(BTreeMap::new());

/// Makes the tree below proc root `root` what `entries` say (parents
/// before children): an entry that exists with the same kind keeps its
/// inode (its contents or target updated), anything else is made or
/// removed. `keys` learns the generated files' keys and forgets removed ones.
pub fn sync_proc(t: &mut Tmpfs, root: Ino, entries: &[ProcEntry], keys: &mut BTreeMap<Ino, u64>, now: Time) {
    let mut keep = BTreeSet::new();
    for e in entries {
        let (dir, name) = match e.path.rsplit_once('/') {
            Some((d, n)) => match t.walk(root, d, Follow::No).ok().and_then(|w| w.ino) {
                Some(i) if keep.contains(&i) => (i, n),
                _ => continue,
            },
            None => (root, e.path.as_str()),
        };
        let existing = t.lookup(dir, name).ok().flatten();
        let reuse = existing.filter(|&i| same_kind(t, keys, i, &e.kind));
        let ino = match reuse {
            Some(i) => {
                update(t, keys, i, &e.kind, now);
                i
            }
            None => {
                if let Some(old) = existing {
                    remove_tree(t, keys, dir, name, old, now);
                }
                let Ok(i) = create(t, keys, dir, name, &e.kind, now) else { continue };
                i
            }
        };
        keep.insert(ino);
    }
    prune(t, keys, root, &keep, now);
}

fn same_kind(t: &Tmpfs, keys: &BTreeMap<Ino, u64>, ino: Ino, kind: &ProcKind) -> bool {
    let Some(n) = t.get(ino) else { return false };
    match kind {
        ProcKind::Dir => n.is_dir(),
        ProcKind::Link { mode, .. } => n.mode == S_IFLNK | mode,
        ProcKind::Generated(_) => keys.contains_key(&ino),
        ProcKind::File(_) => n.mode & S_IFMT == S_IFREG && !keys.contains_key(&ino),
    }
}

fn update(t: &mut Tmpfs, keys: &mut BTreeMap<Ino, u64>, ino: Ino, kind: &ProcKind, now: Time) {
    match kind {
        ProcKind::Dir => {}
        ProcKind::Generated(key) => {
            keys.insert(ino, *key);
        }
        ProcKind::Link { target, .. } => {
            if let Some(n) = t.get_mut(ino)
                && !matches!(&n.data, Data::Symlink(s) if s == target)
            {
                n.data = Data::Symlink(target.clone());
            }
        }
        ProcKind::File(bytes) => {
            let mut old = alloc::vec![0u8; bytes.len() + 1];
            let n = t.read(ino, 0, &mut old);
            if old[..n] != bytes[..] {
                let _ = t.truncate(ino, 0, now);
                let _ = t.write(ino, 0, bytes, now);
            }
        }
    }
}

fn create(
    t: &mut Tmpfs,
    keys: &mut BTreeMap<Ino, u64>,
    dir: Ino,
    name: &str,
    kind: &ProcKind,
    now: Time,
) -> Result<Ino, Errno> {
    let file = || Data::File { pages: Default::default(), size: 0 };
    match kind {
        ProcKind::Dir => t.create(dir, name, S_IFDIR | 0o555, Data::Special, now),
        ProcKind::Link { target, mode } => t.create(dir, name, S_IFLNK | mode, Data::Symlink(target.clone()), now),
        ProcKind::Generated(key) => {
            let ino = t.create(dir, name, S_IFREG | 0o444, file(), now)?;
            keys.insert(ino, *key);
            Ok(ino)
        }
        ProcKind::File(bytes) => {
            let ino = t.create(dir, name, S_IFREG | 0o444, file(), now)?;
            t.write(ino, 0, bytes, now)?;
            Ok(ino)
        }
    }
}

/// Removes `dir/name` (inode `ino`) and everything below it.
fn remove_tree(t: &mut Tmpfs, keys: &mut BTreeMap<Ino, u64>, dir: Ino, name: &str, ino: Ino, now: Time) {
    let is_dir = t.get(ino).is_some_and(Inode::is_dir);
    if is_dir && let Ok(list) = t.list(ino) {
        for (n, i, _) in list.into_iter().skip(2) {
            remove_tree(t, keys, ino, &n, i, now);
        }
    }
    keys.remove(&ino);
    let _ = t.remove(dir, name, is_dir, now);
}

/// Removes every entry below `dir` whose inode is not in `keep`.
fn prune(t: &mut Tmpfs, keys: &mut BTreeMap<Ino, u64>, dir: Ino, keep: &BTreeSet<Ino>, now: Time) {
    let Ok(list) = t.list(dir) else { return };
    for (name, ino, kind) in list.into_iter().skip(2) {
        if !keep.contains(&ino) {
            remove_tree(t, keys, dir, &name, ino, now);
        } else if kind == S_IFDIR {
            prune(t, keys, ino, keep, now);
        }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use crate::fs::tmpfs::ROOT;
    use alloc::string::ToString;

    const T0: Time = Time { sec: 1, nsec: 0 };

    fn e(path: &str, kind: ProcKind) -> ProcEntry {
        ProcEntry { path: path.to_string(), kind }
    }

    fn ino(t: &Tmpfs, path: &str) -> Option<Ino> {
        t.walk(ROOT, path, Follow::No).ok().and_then(|w| w.ino)
    }

    fn link(target: &str) -> ProcKind {
        ProcKind::Link { target: target.to_string(), mode: 0o777 }
    }

    #[test]
    fn proc_is_edited_in_place_keeping_what_still_exists() {
        let mut t = Tmpfs::new(T0);
        let proc = t.create(ROOT, "proc", S_IFDIR | 0o555, Data::Special, T0).unwrap();
        let mut keys = BTreeMap::new();
        let first = [
            e("self", link("1")),
            e("1", ProcKind::Dir),
            e("1/status", ProcKind::Generated(0x100)),
            e("1/fd", ProcKind::Dir),
            e("1/fd/0", ProcKind::Link { target: "/dev/console".to_string(), mode: 0o700 }),
            e("2", ProcKind::Dir),
            e("2/status", ProcKind::Generated(0x200)),
            e("version", ProcKind::File(b"v1\n".to_vec())),
            e("nowhere/x", ProcKind::Dir),
        ];
        sync_proc(&mut t, proc, &first, &mut keys, T0);
        let fd_dir = ino(&t, "/proc/1/fd").unwrap();
        let status = ino(&t, "/proc/1/status").unwrap();
        assert_eq!(keys.get(&status), Some(&0x100));
        assert!(ino(&t, "/proc/nowhere").is_none(), "an entry without its parent is skipped");
        let second = [
            e("self", link("2")),
            e("1", ProcKind::Dir),
            e("1/status", ProcKind::Generated(0x101)),
            e("1/fd", ProcKind::Dir),
            e("1/fd/3", ProcKind::Link { target: "pipe:[7]".to_string(), mode: 0o500 }),
            e("version", ProcKind::File(b"v2\n".to_vec())),
        ];
        let old2 = ino(&t, "/proc/2/status").unwrap();
        sync_proc(&mut t, proc, &second, &mut keys, T0);
        assert_eq!(ino(&t, "/proc/1/fd"), Some(fd_dir), "a directory that stays keeps its inode");
        assert_eq!(ino(&t, "/proc/1/status"), Some(status));
        assert_eq!(keys.get(&status), Some(&0x101));
        assert!(ino(&t, "/proc/2").is_none() && ino(&t, "/proc/1/fd/0").is_none());
        assert!(!keys.contains_key(&old2), "removed files are forgotten");
        assert!(ino(&t, "/proc/1/fd/3").is_some());
        let self_link = ino(&t, "/proc/self").unwrap();
        assert!(matches!(&t.get(self_link).unwrap().data, Data::Symlink(s) if s == "2"));
        let mut buf = [0u8; 8];
        let n = t.read(ino(&t, "/proc/version").unwrap(), 0, &mut buf);
        assert_eq!(&buf[..n], b"v2\n");
    }

    #[test]
    fn mount_options_parse_as_linuxs() {
        let o = parse_options(FsKind::Tmpfs, b"size=1m,mode=700,ro").unwrap();
        assert_eq!((o.flags, o.mode), (MS_RDONLY, 0o700));
        assert_eq!(o.shown, ["size=1024k", "mode=700"]);
        let o = parse_options(FsKind::Tmpfs, b"").unwrap();
        assert_eq!((o.mode, o.shown.len()), (0o1777, 0));
        assert_eq!(parse_options(FsKind::Devtmpfs, b"").unwrap().shown, ["mode=755"]);
        assert_eq!(parse_options(FsKind::Tmpfs, b"size=5").unwrap().shown, ["size=4k"]);
        assert_eq!(parse_options(FsKind::Tmpfs, b"bogus"), Err(Errno::EINVAL));
        assert_eq!(parse_options(FsKind::Tmpfs, b"mode=9"), Err(Errno::EINVAL));
        assert_eq!(parse_options(FsKind::Proc, b"mode=755"), Err(Errno::EINVAL));
        assert!(parse_options(FsKind::Proc, b"hidepid=2,rw").unwrap().shown.is_empty());
    }

    #[test]
    fn mounts_know_their_kind_and_refuse_to_go_while_busy() {
        let mut t = Tmpfs::new(T0);
        let mnt = t.create(ROOT, "mnt", S_IFDIR | 0o755, Data::Special, T0).unwrap();
        let mut table = MountTable { mounts: Vec::new() };
        table.set_root(ROOT);
        let m = Mount {
            root: 0,
            kind: FsKind::Tmpfs,
            source: "none".to_string(),
            flags: with_default_atime(0),
            options: Vec::new(),
        };
        let root = table.mount(&mut t, mnt, m, FsKind::Tmpfs.root_mode(), T0).unwrap();
        assert_eq!(t.get(root).unwrap().mode, S_IFDIR | 0o1777);
        let sub = t.create(root, "d", S_IFDIR | 0o755, Data::Special, T0).unwrap();
        let f = t.create(sub, "f", S_IFREG | 0o644, Data::Special, T0).unwrap();
        assert_eq!(table.kind_of(&t, f), FsKind::Tmpfs);
        assert_eq!(table.kind_of(&t, sub), FsKind::Tmpfs);
        assert_eq!(table.kind_of(&t, mnt), FsKind::Rootfs, "the covered directory is the root's");
        assert_eq!(table.find(root).unwrap().flags, MS_RELATIME);
        t.get_mut(f).unwrap().opened += 1;
        assert_eq!(table.unmount(&mut t, root, false, T0), Err(Errno::EBUSY));
        t.get_mut(f).unwrap().opened -= 1;
        assert_eq!(table.unmount(&mut t, mnt, false, T0), Err(Errno::EINVAL), "not a mount's root");
        assert_eq!(table.unmount(&mut t, ROOT, false, T0), Err(Errno::EINVAL));
        assert_eq!(table.unmount(&mut t, root, false, T0).unwrap().kind, FsKind::Tmpfs);
        assert_eq!(t.walk(ROOT, "/mnt", Follow::Yes).unwrap().ino, Some(mnt));
        assert_eq!(FsKind::by_name(b"ext4"), None);
        assert_eq!(FsKind::by_name(b"proc").map(FsKind::magic), Some(PROC_SUPER_MAGIC));
    }
}

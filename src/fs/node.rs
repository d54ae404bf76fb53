//! What a descriptor reads and writes: a device, a tmpfs inode or a pipe
//! end.

use super::tmpfs::Ino;

/// What an open file description reads and writes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Node {
    /// The serial console (and VGA): fds 0, 1, 2; /dev/console, /dev/tty.
    Console,
    /// /dev/null: reads end, writes vanish.
    Null,
    /// /dev/zero: reads zeros, writes vanish.
    Zero,
    /// /dev/full: reads zeros, writes are ENOSPC.
    Full,
    /// /dev/random and /dev/urandom.
    Random,
    /// A tmpfs inode: a file (boot modules included), a directory or a
    /// symbolic link.
    Inode(Ino),
    /// The read end of pipe `id`.
    PipeRead(u32),
    /// The write end of pipe `id`.
    PipeWrite(u32),
    /// A disk (`dev::blk`): /dev/vda.
    Block,
}

//! Building a program's memory from a checked ELF file: one region per
//! PT_LOAD backed by the file's own frames, a boot module's or a tmpfs
//! file's page cache (nothing is copied up front),
//! the heap after the last segment, and a Linux-style initial stack with
//! argc, argv, envp and the auxiliary vector.
//!
//! ```text
//!  0xC0000000 ┬ (end of the user half)
//!             │ strings: argv[], envp[], the file name; 16 random bytes
//!             │ auxv pairs ... AT_NULL
//!             │ NULL, envp[n-1] ... envp[0]
//!             │ NULL, argv[argc-1] ... argv[0]
//!  esp ──────►│ argc                       (16-byte aligned)
//! ```

use super::elf::{self, Executable, Segment};
use crate::fs;
use crate::mm::addr::{PAGE_SIZE, page_round_down};
use crate::mm::cache::Extent;
use crate::mm::user::{INITIAL_STACK, STACK_TOP, UserMemory, write_into};
use crate::mm::vma::{Backing, PastEof, Prot, Purpose, Region};
use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::Errno;

/// Total bytes of argv and envp strings and pointers accepted (Linux allows
/// a quarter of the 8 MiB stack limit).
pub const ARG_MAX: usize = 2 << 20;
/// The longest single argument or environment string, NUL included
/// (Linux's MAX_ARG_STRLEN).
pub const MAX_ARG_STRLEN: usize = 32 * 4096;

const AT_NULL: u32 = 0;
const AT_PHDR: u32 = 3;
const AT_PHENT: u32 = 4;
const AT_PHNUM: u32 = 5;
const AT_PAGESZ: u32 = 6;
const AT_BASE: u32 = 7;
const AT_FLAGS: u32 = 8;
const AT_ENTRY: u32 = 9;
const AT_UID: u32 = 11;
const AT_EUID: u32 = 12;
const AT_GID: u32 = 13;
const AT_EGID: u32 = 14;
const AT_HWCAP: u32 = 16;
const AT_CLKTCK: u32 = 17;
const AT_PLATFORM: u32 = 15;
const AT_SECURE: u32 = 23;
const AT_RANDOM: u32 = 25;
const AT_HWCAP2: u32 = 26;
const AT_EXECFN: u32 = 31;

/// A program ready to run: its memory and where to start.
pub struct Image {
    pub mem: UserMemory,
    pub entry: u32,
    pub stack_pointer: u32,
}

/// What a program is loaded from.
pub enum Source {
    /// A boot module: its text is mapped from the module's own frames.
    Module(usize),
    /// A tmpfs file (`bytes` are its contents, for the ELF checks): its
    /// segments are mapped from the file's page-cache frames.
    File { ino: fs::tmpfs::Ino, bytes: Vec<u8> },
}

impl Source {
    /// The file's bytes (a module's, if it lies in the direct map).
    pub fn bytes(&self) -> Option<&[u8]> {
        match self {
            Source::Module(index) => fs::module_bytes(*index),
            Source::File { bytes, .. } => Some(bytes),
        }
    }
}

/// Loads `source` with `argv` and `envp` into fresh user memory.
/// Nothing of the caller's is touched, so a failure leaves it intact.
pub fn load(source: &Source, path: &str, argv: &[String], envp: &[String]) -> Result<Image, Errno> {
    let bytes = source.bytes().ok_or(Errno::EIO)?;
    let exe = elf::parse(bytes).map_err(|e| {
        log::debug!("exec {path}: {e}");
        Errno::ENOEXEC
    })?;
    let mut mem = UserMemory::new().map_err(|_| Errno::ENOMEM)?;
    match source {
        Source::Module(index) => {
            let module_start = crate::bootinfo::get().modules()[*index].start;
            map_segments(&mut mem, &exe, |s, lead| Backing::File {
                module: *index as u16,
                file_start: module_start + s.offset - lead,
                file_bytes: s.filesz + lead,
                past_eof: PastEof::Zero,
                shared: false,
            })?;
        }
        Source::File { ino, .. } => {
            let file = fs::mapped::handle(*ino, false);
            map_segments(&mut mem, &exe, |s, lead| Backing::Cache {
                file: file.clone(),
                first_page: (s.offset - lead) / PAGE_SIZE,
                extent: Extent::Segment { file_bytes: s.filesz + lead },
                shared: false,
                may_write: false,
            })?;
        }
    }
    let brk = exe.brk_start();
    mem.brk_start = brk;
    mem.brk = brk;
    let stack_pointer = build_stack(&mut mem, &exe, path, argv, envp)?;
    // The stack region covers the arguments and 128 KiB more.
    let bottom = page_round_down(stack_pointer).saturating_sub(INITIAL_STACK).min(STACK_TOP - INITIAL_STACK);
    mem.map
        .insert(Region::anon(bottom..STACK_TOP, Prot::READ | Prot::WRITE, Purpose::Stack))
        .map_err(|_| Errno::ENOEXEC)?;
    Ok(Image { mem, entry: exe.entry, stack_pointer })
}

/// One file-backed region per PT_LOAD, backed as `backing` says for the
/// segment and the bytes between its page start and its address; a later
/// segment replaces what an earlier one mapped in the same page, as
/// Linux's loader does. Read-only segments are the file's own frames,
/// shared by every process running it; writable ones are copied page by
/// page when written.
fn map_segments(
    mem: &mut UserMemory,
    exe: &Executable,
    backing: impl Fn(&Segment, u32) -> Backing,
) -> Result<(), Errno> {
    for s in &exe.segments {
        let start = page_round_down(s.vaddr);
        let end = (s.vaddr + s.memsz).next_multiple_of(PAGE_SIZE);
        if end == start {
            continue;
        }
        let region =
            Region::new(start..end, s.prot, backing(s, s.vaddr - start), Purpose::Program).ok_or(Errno::ENOEXEC)?;
        mem.map_region(region).map_err(|_| Errno::ENOEXEC)?;
    }
    Ok(())
}

/// Writes the initial stack and returns the initial ESP (pointing at argc).
fn build_stack(
    mem: &mut UserMemory,
    exe: &Executable,
    path: &str,
    argv: &[String],
    envp: &[String],
) -> Result<u32, Errno> {
    let strings: usize = argv.iter().chain(envp).map(|s| s.len() + 1).sum::<usize>() + path.len() + 1 + 5;
    if strings + 4 * (argv.len() + envp.len()) > ARG_MAX {
        return Err(Errno::E2BIG);
    }
    // Strings at the very top, below a 4-byte NULL end marker.
    let mut strings_area = Vec::with_capacity(strings + 16);
    let strings_base = STACK_TOP - 4 - strings as u32 - 16;
    let random_at = strings_base;
    strings_area.extend_from_slice(&random_bytes());
    let push_str = |s: &str, area: &mut Vec<u8>| {
        let at = strings_base + area.len() as u32;
        area.extend_from_slice(s.as_bytes());
        area.push(0);
        at
    };
    let argv_ptrs: Vec<u32> = argv.iter().map(|s| push_str(s, &mut strings_area)).collect();
    let envp_ptrs: Vec<u32> = envp.iter().map(|s| push_str(s, &mut strings_area)).collect();
    let env_end = strings_base + strings_area.len() as u32;
    mem.args = crate::mm::user::ArgArea {
        arg_start: argv_ptrs.first().copied().unwrap_or(random_at + 16),
        arg_end: envp_ptrs.first().copied().unwrap_or(env_end),
        env_start: envp_ptrs.first().copied().unwrap_or(env_end),
        env_end,
    };
    let execfn = push_str(path, &mut strings_area);
    let platform = push_str("i686", &mut strings_area);
    strings_area.extend_from_slice(&[0; 4]);

    let auxv = auxiliary_vector(exe, random_at, execfn, platform);
    let mut words: Vec<u32> = Vec::with_capacity(3 + argv.len() + envp.len() + auxv.len() * 2);
    words.push(argv.len() as u32);
    words.extend(&argv_ptrs);
    words.push(0);
    words.extend(&envp_ptrs);
    words.push(0);
    for (k, v) in auxv {
        words.push(k);
        words.push(v);
    }
    let table_bytes = words.len() as u32 * 4;
    let esp = (strings_base - table_bytes) & !15;
    let table: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
    write_into(mem, esp, &table).map_err(|_| Errno::ENOMEM)?;
    write_into(mem, strings_base, &strings_area).map_err(|_| Errno::ENOMEM)?;
    Ok(esp)
}

/// The auxiliary vector, in Linux's order (fs/binfmt_elf.c) less the vDSO
/// entries: there is no vDSO here.
fn auxiliary_vector(exe: &Executable, random_at: u32, execfn: u32, platform: u32) -> [(u32, u32); 19] {
    // AT_HWCAP on i386 is CPUID leaf 1's EDX feature bits.
    let hwcap = crate::arch::x86::cpu::feature_bits();
    [
        (AT_HWCAP, hwcap),
        (AT_PAGESZ, PAGE_SIZE),
        (AT_CLKTCK, 100),
        (AT_PHDR, exe.phdr_vaddr),
        (AT_PHENT, exe.phent),
        (AT_PHNUM, exe.phnum),
        (AT_BASE, 0),
        (AT_FLAGS, 0),
        (AT_ENTRY, exe.entry),
        (AT_UID, 0),
        (AT_EUID, 0),
        (AT_GID, 0),
        (AT_EGID, 0),
        (AT_SECURE, 0),
        (AT_RANDOM, random_at),
        (AT_HWCAP2, 0),
        (AT_EXECFN, execfn),
        (AT_PLATFORM, platform),
        (AT_NULL, 0),
    ]
}

/// AT_RANDOM's 16 bytes, from the TSC (not cryptographic: nothing here is).
fn random_bytes() -> [u8; 16] {
    let mut x = crate::arch::x86::instructions::rdtsc() | 1;
    let mut out = [0u8; 16];
    for b in out.iter_mut() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    out
}

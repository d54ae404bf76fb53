//! Checking a static ELF32 i386 executable before anything is mapped. The
//! `elf` crate parses; this module refuses whatever this kernel cannot or
//! must not load, each refusal a named reason (exec turns them all into
//! ENOEXEC). Pure.

use crate::mm::addr::{PAGE_SIZE, page_round_down};
use crate::mm::layout::{MIN_ADDR, USER_END};
use crate::mm::vma::Prot;
use alloc::vec::Vec;
use elf::ElfBytes;
use elf::abi::{EM_386, ET_EXEC, PF_R, PF_W, PF_X, PT_INTERP, PT_LOAD, PT_PHDR};
use elf::endian::LittleEndian;
use elf::file::Class;

/// One PT_LOAD segment, checked.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Segment {
    pub vaddr: u32,
    pub memsz: u32,
    pub offset: u32,
    pub filesz: u32,
    pub prot: Prot,
}

/// What exec needs from a checked executable.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Executable {
    pub entry: u32,
    pub segments: Vec<Segment>,
    /// Where the program headers are in memory (AT_PHDR), if mapped.
    pub phdr_vaddr: u32,
    pub phnum: u32,
    pub phent: u32,
}

impl Executable {
    /// The page-aligned end of the highest segment: where brk starts.
    pub fn brk_start(&self) -> u32 {
        self.segments.iter().map(|s| (s.vaddr + s.memsz).next_multiple_of(PAGE_SIZE)).max().unwrap_or(0)
    }
}

/// Why an executable was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum ElfError {
    /// Not an ELF file, or its headers are cut off or inconsistent.
    Malformed,
    NotElf32,
    NotI386,
    NotExecutable,
    /// Needs a dynamic linker (PT_INTERP): only static programs run here.
    Dynamic,
    NoLoadableSegment,
    /// A segment whose file part is larger than its memory part, or lies
    /// outside the file.
    BadSegmentSize,
    /// A segment that wraps around 2^32, or reaches the kernel half, or maps
    /// below `MIN_ADDR`.
    BadSegmentAddress,
    /// vaddr and file offset disagree modulo the page size, so file pages
    /// cannot be mapped where they belong.
    Misaligned,
}

impl core::fmt::Display for ElfError {
    fn fmt(&self, f: &mut core::fmt::Formatter) -> core::fmt::Result {
        f.write_str(match self {
            ElfError::Malformed => "not a well-formed ELF file",
            ElfError::NotElf32 => "not a 32-bit ELF file",
            ElfError::NotI386 => "not an i386 program",
            ElfError::NotExecutable => "not an executable (ET_EXEC)",
            ElfError::Dynamic => "dynamically linked (needs an interpreter)",
            ElfError::NoLoadableSegment => "no loadable segment",
            ElfError::BadSegmentSize => "segment sizes do not fit the file",
            ElfError::BadSegmentAddress => "segment outside the user address range",
            ElfError::Misaligned => "segment address and file offset are not congruent mod 4096",
        })
    }
}

/// Checks `data` as a static i386 executable.
pub fn parse(data: &[u8]) -> Result<Executable, ElfError> {
    let file = ElfBytes::<LittleEndian>::minimal_parse(data).map_err(|_| ElfError::Malformed)?;
    let h = &file.ehdr;
    if h.class != Class::ELF32 {
        return Err(ElfError::NotElf32);
    }
    if h.e_machine != EM_386 {
        return Err(ElfError::NotI386);
    }
    if h.e_type != ET_EXEC {
        return Err(ElfError::NotExecutable);
    }
    let phdrs = file.segments().ok_or(ElfError::NoLoadableSegment)?;
    let mut exe = Executable {
        entry: h.e_entry as u32,
        segments: Vec::new(),
        phdr_vaddr: 0,
        phnum: u32::from(h.e_phnum),
        phent: u32::from(h.e_phentsize),
    };
    let mut phdr_segment = None;
    for ph in phdrs.iter() {
        match ph.p_type {
            PT_INTERP => return Err(ElfError::Dynamic),
            PT_PHDR => phdr_segment = Some(ph.p_vaddr as u32),
            PT_LOAD => exe.segments.push(check_segment(&ph, data.len())?),
            _ => {}
        }
    }
    if exe.segments.is_empty() {
        return Err(ElfError::NoLoadableSegment);
    }
    // AT_PHDR: PT_PHDR if present, else the loaded bytes holding e_phoff.
    let phoff = h.e_phoff as u32;
    exe.phdr_vaddr = phdr_segment.unwrap_or_else(|| {
        exe.segments
            .iter()
            .find(|s| s.offset <= phoff && phoff < s.offset + s.filesz)
            .map_or(0, |s| s.vaddr + (phoff - s.offset))
    });
    Ok(exe)
}

fn check_segment(ph: &elf::segment::ProgramHeader, file_len: usize) -> Result<Segment, ElfError> {
    let fits32 = |v: u64| u32::try_from(v).map_err(|_| ElfError::BadSegmentAddress);
    let (vaddr, memsz, offset, filesz) =
        (fits32(ph.p_vaddr)?, fits32(ph.p_memsz)?, fits32(ph.p_offset)?, fits32(ph.p_filesz)?);
    if filesz > memsz {
        return Err(ElfError::BadSegmentSize);
    }
    let file_end = offset.checked_add(filesz).ok_or(ElfError::BadSegmentSize)?;
    if file_end as usize > file_len {
        return Err(ElfError::BadSegmentSize);
    }
    let end = vaddr.checked_add(memsz).ok_or(ElfError::BadSegmentAddress)?;
    if end > USER_END || page_round_down(vaddr) < MIN_ADDR {
        return Err(ElfError::BadSegmentAddress);
    }
    if vaddr % PAGE_SIZE != offset % PAGE_SIZE {
        return Err(ElfError::Misaligned);
    }
    let mut prot = Prot::empty();
    for (bit, p) in [(PF_R, Prot::READ), (PF_W, Prot::WRITE), (PF_X, Prot::EXEC)] {
        if ph.p_flags & bit != 0 {
            prot |= p;
        }
    }
    Ok(Segment { vaddr, memsz, offset, filesz, prot })
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    /// A minimal ELF32 i386 executable: header, `n` program headers, code.
    fn build(phdrs: &[[u32; 8]]) -> Vec<u8> {
        let mut f = vec![0u8; 0x2000];
        f[..4].copy_from_slice(b"\x7fELF");
        f[4] = 1; // ELFCLASS32
        f[5] = 1; // little endian
        f[6] = 1; // EV_CURRENT
        let put16 = |f: &mut Vec<u8>, at: usize, v: u16| f[at..at + 2].copy_from_slice(&v.to_le_bytes());
        let put32 = |f: &mut Vec<u8>, at: usize, v: u32| f[at..at + 4].copy_from_slice(&v.to_le_bytes());
        put16(&mut f, 16, 2); // ET_EXEC
        put16(&mut f, 18, 3); // EM_386
        put32(&mut f, 20, 1);
        put32(&mut f, 24, 0x0804_8054); // entry
        put32(&mut f, 28, 52); // phoff
        put16(&mut f, 40, 52); // ehsize
        put16(&mut f, 42, 32); // phentsize
        put16(&mut f, 44, phdrs.len() as u16);
        for (i, ph) in phdrs.iter().enumerate() {
            for (j, v) in ph.iter().enumerate() {
                put32(&mut f, 52 + i * 32 + j * 4, *v);
            }
        }
        f
    }

    // type, offset, vaddr, paddr, filesz, memsz, flags, align
    const TEXT: [u32; 8] = [1, 0, 0x0804_8000, 0x0804_8000, 0x1000, 0x1000, 5, 0x1000];
    const DATA: [u32; 8] = [1, 0x1000, 0x0804_9000, 0x0804_9000, 0x800, 0x3000, 6, 0x1000];

    #[test]
    fn a_good_executable() {
        let exe = parse(&build(&[TEXT, DATA])).unwrap();
        assert_eq!(exe.entry, 0x0804_8054);
        assert_eq!(exe.segments.len(), 2);
        assert_eq!(exe.segments[0].prot, Prot::READ | Prot::EXEC);
        assert_eq!(exe.segments[1].prot, Prot::READ | Prot::WRITE);
        assert_eq!(exe.phdr_vaddr, 0x0804_8034);
        assert_eq!((exe.phnum, exe.phent), (2, 32));
        assert_eq!(exe.brk_start(), 0x0804_c000);
    }

    #[test]
    fn hostile_headers_are_refused() {
        let mut bad_magic = build(&[TEXT]);
        bad_magic[1] = b'X';
        assert_eq!(parse(&bad_magic), Err(ElfError::Malformed));
        let mut elf64 = build(&[TEXT]);
        elf64[4] = 2;
        assert!(parse(&elf64).is_err());
        let mut arm = build(&[TEXT]);
        arm[18] = 40;
        assert_eq!(parse(&arm), Err(ElfError::NotI386));
        let mut dyn_type = build(&[TEXT]);
        dyn_type[16] = 3;
        assert_eq!(parse(&dyn_type), Err(ElfError::NotExecutable));
        assert_eq!(parse(&build(&[])), Err(ElfError::NoLoadableSegment));
        assert_eq!(parse(&build(&[TEXT])[..40]), Err(ElfError::Malformed), "truncated header");
        assert_eq!(parse(&[]), Err(ElfError::Malformed));
        let interp = [3, 0x100, 0, 0, 0x10, 0x10, 4, 1];
        assert_eq!(parse(&build(&[interp, TEXT])), Err(ElfError::Dynamic));
    }

    #[test]
    fn hostile_segments_are_refused() {
        let seg = |f: fn(&mut [u32; 8])| {
            let mut s = TEXT;
            f(&mut s);
            parse(&build(&[s]))
        };
        assert_eq!(seg(|s| s[4] = 0x2000), Err(ElfError::BadSegmentSize), "filesz > memsz");
        assert_eq!(
            seg(|s| {
                s[4] = 0x3000;
                s[5] = 0x3000
            }),
            Err(ElfError::BadSegmentSize),
            "past the end of the file"
        );
        assert_eq!(
            seg(|s| {
                s[1] = 0xFFFF_F000;
            }),
            Err(ElfError::BadSegmentSize),
            "offset + filesz wraps"
        );
        assert_eq!(
            seg(|s| {
                s[2] = 0xBFFF_F000;
                s[5] = 0x2000
            }),
            Err(ElfError::BadSegmentAddress),
            "reaches the kernel"
        );
        assert_eq!(
            seg(|s| {
                s[2] = 0xC000_0000;
            }),
            Err(ElfError::BadSegmentAddress),
            "in the kernel"
        );
        assert_eq!(
            seg(|s| {
                s[2] = 0xFFFF_F000;
                s[5] = 0x2000
            }),
            Err(ElfError::BadSegmentAddress),
            "wraps"
        );
        assert_eq!(
            seg(|s| {
                s[2] = 0;
            }),
            Err(ElfError::BadSegmentAddress),
            "maps page zero"
        );
        assert_eq!(
            seg(|s| {
                s[2] = 0x0804_8100;
            }),
            Err(ElfError::Misaligned)
        );
    }
}

/// Linux's BINPRM_BUF_SIZE: how much of a file exec looks at for `#!`.
const BINPRM_BUF_SIZE: usize = 256;

/// A `#!` script's interpreter line, as binfmt_script reads it: `None` if
/// the file does not start with `#!`; else the interpreter and its one
/// optional argument (the rest of the line, trimmed), or ENOEXEC for an
/// empty interpreter or a line that does not end within 256 bytes.
pub fn shebang(head: &[u8]) -> Option<Result<(&str, Option<&str>), memguard_abi::Errno>> {
    let rest = head.strip_prefix(b"#!")?;
    let buf = &rest[..rest.len().min(BINPRM_BUF_SIZE - 2)];
    let line = match buf.iter().position(|&b| b == b'\n') {
        Some(end) => &buf[..end],
        None if rest.len() <= buf.len() => buf,
        None => return Some(Err(memguard_abi::Errno::ENOEXEC)),
    };
    let Ok(line) = core::str::from_utf8(line) else { return Some(Err(memguard_abi::Errno::ENOEXEC)) };
    let line = line.trim_matches(|c| c == ' ' || c == '\t' || c == '\r');
    let (interp, arg) = match line.find([' ', '\t']) {
        Some(i) => (&line[..i], Some(line[i..].trim_matches(|c| c == ' ' || c == '\t')).filter(|a| !a.is_empty())),
        None => (line, None),
    };
    if interp.is_empty() {
        return Some(Err(memguard_abi::Errno::ENOEXEC));
    }
    Some(Ok((interp, arg)))
}

#[cfg(all(test, not(target_os = "none")))]
mod shebang_tests {
    use super::shebang;
    use memguard_abi::Errno;

    #[test]
    fn interpreter_lines_as_binfmt_script_reads_them() {
        assert_eq!(shebang(b"\x7fELF"), None);
        assert_eq!(shebang(b"#!/bin/sh\necho"), Some(Ok(("/bin/sh", None))));
        assert_eq!(shebang(b"#! /bin/sh -e -x \nx"), Some(Ok(("/bin/sh", Some("-e -x")))));
        assert_eq!(shebang(b"#!\t/bin/awk\t-f\r\n"), Some(Ok(("/bin/awk", Some("-f")))));
        assert_eq!(shebang(b"#!\n"), Some(Err(Errno::ENOEXEC)));
        assert_eq!(shebang(b"#!/bin/sh"), Some(Ok(("/bin/sh", None))), "no newline, short file");
        let long = [b"#!/".as_slice(), &[b'x'; 300]].concat();
        assert_eq!(shebang(&long), Some(Err(Errno::ENOEXEC)));
    }
}

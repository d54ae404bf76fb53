//! An anonymous mapping with bounds-checked volatile access: what the demos
//! and tests poke at to make the kernel fault, share or copy pages.
use rt::Errno;
use rt::mem::{PAGE_SIZE, Prot, Sharing, mmap_anon, munmap, page_round_up};

/// `len` bytes of anonymous memory, mapped until [`Region::unmap`]. Accesses
/// are volatile so each one really reaches memory (and may really fault).
pub struct Region {
    base: *mut u8,
    len: usize,
}

impl Region {
    /// Maps `len` bytes (rounded up to pages) readable and writable.
    pub fn new(len: usize, sharing: Sharing) -> Result<Region, Errno> {
        let len = page_round_up(len);
        let base = mmap_anon(len, Prot::READ | Prot::WRITE, sharing)?;
        Ok(Region { base, len })
    }

    /// One private page.
    pub fn page() -> Result<Region, Errno> {
        Region::new(PAGE_SIZE, Sharing::Private)
    }

    pub fn addr(&self) -> usize {
        self.base as usize
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn pages(&self) -> usize {
        self.len / PAGE_SIZE
    }

    /// The address of page `i`'s first byte.
    pub fn page_addr(&self, i: usize) -> usize {
        assert!(i < self.pages());
        self.addr() + i * PAGE_SIZE
    }

    pub fn read(&self, offset: usize) -> u8 {
        assert!(offset < self.len);
        // SAFETY: in bounds of a mapping this value keeps mapped.
        unsafe { self.base.add(offset).read_volatile() }
    }

    pub fn write(&self, offset: usize, v: u8) {
        assert!(offset < self.len);
        // SAFETY: in bounds of a mapping this value keeps mapped; nothing
        // else in Rust refers to it.
        unsafe { self.base.add(offset).write_volatile(v) }
    }

    /// The 32-bit word at word index `i`.
    pub fn word(&self, i: usize) -> u32 {
        assert!(i < self.len / 4);
        // SAFETY: in bounds and 4-aligned (the base is page aligned).
        unsafe { (self.base as *const u32).add(i).read_volatile() }
    }

    pub fn set_word(&self, i: usize, v: u32) {
        assert!(i < self.len / 4);
        // SAFETY: as in `word`; nothing else in Rust refers to the mapping.
        unsafe { (self.base as *mut u32).add(i).write_volatile(v) }
    }

    /// A pointer to word `i`, for system calls that write into the region.
    pub fn word_ptr(&self, i: usize) -> *mut u32 {
        assert!(i < self.len / 4);
        // SAFETY: in bounds.
        unsafe { (self.base as *mut u32).add(i) }
    }

    /// Copies `bytes` in at `offset`.
    pub fn write_bytes(&self, offset: usize, bytes: &[u8]) {
        for (i, &b) in bytes.iter().enumerate() {
            self.write(offset + i, b);
        }
    }

    /// Removes the mapping.
    pub fn unmap(self) -> Result<(), Errno> {
        // SAFETY: the region was mapped by `new` and is consumed here, so no
        // accessor can reach it afterwards.
        unsafe { munmap(self.addr(), self.len) }
    }
}

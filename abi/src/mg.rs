//! memguard's own system calls (numbers in [`crate::nr`], 1000 and up) and
//! the records they exchange. Linux has no such calls, so these are the
//! only hand-written parts of the ABI; `c/memguard.h` mirrors them for C
//! and a host test compares the two.

/// Declares a record of `u32` words shared with user space, plus the list
/// of its field names (which the C-header test compares).
macro_rules! record {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident: u32,)* }) => {
        $(#[$meta])*
        #[repr(C)]
        #[derive(Clone, Copy, Default, Debug, PartialEq, Eq)]
        pub struct $name { $($(#[$fmeta])* pub $field: u32,)* }

        impl $name {
            /// Every field zero (usable in a `static`).
            pub const ZERO: Self = Self { $($field: 0,)* };

            /// The field names, in memory order.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];

            /// The bytes of the record, as the kernel copies them out.
            pub fn as_bytes(&self) -> &[u8] {
                // SAFETY: a repr(C) struct of u32s has no padding, so every
                // byte is initialised, and the slice borrows `self`.
                unsafe { core::slice::from_raw_parts(self as *const Self as *const u8, core::mem::size_of::<Self>()) }
            }
        }

        const _: () = assert!(core::mem::size_of::<$name>() == $name::FIELDS.len() * 4);
    };
}

record! {
    /// Memory counters of one process, or of the whole system (`mg_stats`).
    /// The kernel copies at most `size_of::<MgStats>()` bytes; new fields
    /// only ever go at the end.
    pub struct MgStats {
        /// Page faults taken from ring 3.
        pub page_faults: u32,
        /// Faults answered with a freshly zeroed frame.
        pub demand_zero: u32,
        /// Read faults answered by mapping the shared zero frame read-only.
        pub zero_page_maps: u32,
        /// Copy-on-write faults that copied the frame (a private copy of a
        /// shared or file page).
        pub cow_copies: u32,
        /// Copy-on-write faults where the frame was no longer shared, so it
        /// was just made writable.
        pub cow_reuses: u32,
        /// Faults that grew the stack region.
        pub stack_growths: u32,
        /// File pages mapped straight from a module's frames (or copied
        /// where they mix file bytes with .bss).
        pub file_maps: u32,
        /// Tasks killed by a fault.
        pub kills: u32,
        /// Present user pages (the zero frame not counted).
        pub resident_pages: u32,
        /// Page-table frames (page directory included).
        pub page_tables: u32,
        /// System-wide only (pid -1): frames the allocator manages.
        pub total_frames: u32,
        /// System-wide only: free frames.
        pub free_frames: u32,
        /// System-wide only: live processes (zombies included).
        pub processes: u32,
        /// System-wide only: processes that exited and wait to be reaped.
        pub zombies: u32,
        /// System-wide only: frames the kernel heap holds.
        pub heap_frames: u32,
        /// System-wide only: bytes of the kernel heap in use.
        pub heap_used: u32,
        /// Faults that had to read the page back from the swap device
        /// (getrusage's ru_majflt).
        pub major_faults: u32,
        /// Pages brought back from swap (from the disk or the swap cache).
        pub swap_ins: u32,
        /// Pages written to the swap device.
        pub swap_outs: u32,
        /// Resident pages the clock looked at.
        pub pages_scanned: u32,
        /// Pages the clock found used (Accessed set) and let stay.
        pub second_chances: u32,
        /// Pages of this process on the swap device now (VmSwap / 4 KiB);
        /// system-wide: swap slots in use.
        pub swapped_pages: u32,
        /// System-wide only: swap slots in all (0: no swap).
        pub swap_total: u32,
        /// System-wide only: free swap slots.
        pub swap_free: u32,
    }
}

const _: () = assert!(core::mem::size_of::<MgStats>() == 24 * 4);

record! {
    /// One address run through a process's page tables (`mg_translate`).
    pub struct MgTranslation {
        /// The page-directory entry covering the address.
        pub pde: u32,
        /// The page-table entry, 0 if there is no page table.
        pub pte: u32,
        /// Frame address | page offset; meaningful only when `present` is 1.
        pub phys: u32,
        /// 1 when the address is mapped to a frame.
        pub present: u32,
    }
}

const _: () = assert!(core::mem::size_of::<MgTranslation>() == 16);

impl MgTranslation {
    /// The frame address (page offset dropped), if mapped.
    pub fn frame(&self) -> Option<u32> {
        (self.present != 0).then_some(self.phys & !0xfff)
    }
}

record! {
    /// The kernel-side limits `mg_limits(MG_LIMITS_MEASURE, buf, size)`
    /// copies out: TSC cycles per operation, each the median of 15 timings
    /// of 16 operations, taken in the kernel with interrupts off.
    pub struct MgLimits {
        /// `rep stosd` zeroing one 4 KiB kernel page.
        pub rep_stosd_4k: u32,
        /// `rep movsd` copying one 4 KiB kernel page to another.
        pub rep_movsd_4k: u32,
        /// `mov cr3, cr3` with the current directory (a full non-global
        /// TLB flush).
        pub cr3_reload: u32,
        /// The most pages `MG_LIMITS_ARM` takes at once.
        pub window_max_pages: u32,
    }
}

const _: () = assert!(core::mem::size_of::<MgLimits>() == 16);

/// What `mg_limits(op, arg0, arg1)` does.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u32)]
pub enum LimitsOp {
    /// Copies `MgLimits` to arg0, at most arg1 bytes; returns the bytes copied.
    Measure = 0,
    /// Arms the page-fault window over [arg0, arg0 + arg1): every page
    /// present, private, anonymous and writable. Each page's entry is taken
    /// out of the page table; its next ring-3 fault puts it back and returns
    /// at once (`int 0x81`'s counterpart for #PF). EBUSY if a window is armed.
    Arm = 1,
    /// Disarms the caller's window, putting back the entries no fault put
    /// back; returns how many the faults had put back.
    Disarm = 2,
}

impl LimitsOp {
    pub const fn from_u32(v: u32) -> Option<LimitsOp> {
        match v {
            0 => Some(LimitsOp::Measure),
            1 => Some(LimitsOp::Arm),
            2 => Some(LimitsOp::Disarm),
            _ => None,
        }
    }
}

/// Declares the views with their numbers, `from_u32` and `ALL`.
macro_rules! views {
    ($($(#[$vmeta:meta])* $name:ident = $n:expr,)*) => {
        /// The text reports `mg_view` produces.
        #[derive(Clone, Copy, PartialEq, Eq, Debug)]
        #[repr(u32)]
        pub enum View {
            $($(#[$vmeta])* $name = $n,)*
        }

        impl View {
            /// Every view, in numeric order.
            pub const ALL: &'static [View] = &[$(View::$name),*];

            pub const fn from_u32(v: u32) -> Option<View> {
                match v {
                    $($n => Some(View::$name),)*
                    _ => None,
                }
            }

            /// The variant's name ("Gdt"); C spells it `MG_VIEW_GDT`.
            pub const fn name(self) -> &'static str {
                match self { $(View::$name => stringify!($name),)* }
            }
        }
    };
}

views! {
    Gdt = 0,
    Idt = 1,
    Tss = 2,
    /// The process list.
    Ps = 3,
    /// A process's regions: arg0 = pid.
    Vmmap = 4,
    /// The page-directory and page-table entries for arg1 in process arg0.
    Pte = 5,
    /// Free and used memory.
    Free = 6,
    /// Page-fault counters, system-wide.
    Pfstat = 7,
    /// The files (boot modules), one path per line.
    Files = 8,
    /// Live kernel heap allocations made after allocation number arg0, by
    /// call chain (boot with `heaptrace`).
    Heap = 9,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn views_round_trip() {
        for (i, &v) in View::ALL.iter().enumerate() {
            assert_eq!(v as u32, i as u32);
            assert_eq!(View::from_u32(i as u32), Some(v));
        }
        assert_eq!(View::from_u32(View::ALL.len() as u32), None);
    }

    #[test]
    fn records_are_their_words() {
        let t = MgTranslation { pde: 1, pte: 2, phys: 0x1234_5678, present: 1 };
        assert_eq!(t.as_bytes()[8..12], 0x1234_5678u32.to_le_bytes());
        assert_eq!(t.frame(), Some(0x1234_5000));
        assert_eq!(MgTranslation::default().frame(), None);
        assert_eq!(MgStats::FIELDS.first(), Some(&"page_faults"));
        assert_eq!(MgStats::default().as_bytes().len(), 96);
        assert_eq!(MgLimits::FIELDS, ["rep_stosd_4k", "rep_movsd_4k", "cr3_reload", "window_max_pages"]);
    }

    #[test]
    fn limits_ops_round_trip() {
        for op in [LimitsOp::Measure, LimitsOp::Arm, LimitsOp::Disarm] {
            assert_eq!(LimitsOp::from_u32(op as u32), Some(op));
        }
        assert_eq!(LimitsOp::from_u32(3), None);
    }
}

//! memguard only: its own system calls, and exact fault accounting.
//!
//! The counters are exact, so the tests can be too, provided nothing else
//! faults inside the measured window. That takes care:
//! - after fork every stack page is copy-on-write, so the stack the window
//!   uses is touched first (`prefault_stack`);
//! - code may be mapped on first use, so each measurement runs once as a
//!   warm-up over other pages before the counted run;
//! - a new 4 MiB range needs a page table, so the pages counted share a
//!   page table made beforehand;
//! - the system-wide free-frame count can move because of other processes
//!   (the harness parent copying its own stack on wake-up), so a counted run
//!   is tried up to three times and passes if one attempt is exact.
use core::hint::black_box;

use progs::region::Region;
use rt::arch::nr;
use rt::arch::syscall::syscall3;
use rt::child::spawn;
use rt::errno::check;
use rt::mem::{PAGE_SIZE, Sharing};
use rt::mg::{self, MgStats, StatsOf, View, mg_stats, mg_stats_into, mg_translate, mg_view};
use rt::process::{getpid, kill, wait_exit};
use rt::signal::Signal;
use rt::time::sleep_ms;
use rt::{Errno, println};

use crate::check::{Fail, OrFail, Outcome, Test, ensure, expect_err, expect_exit, need_mg};

pub static TESTS: &[Test] = &[
    Test { name: "mg_stats", run: mg_stats_basic },
    Test { name: "mg_view", run: mg_view_all },
    Test { name: "mg_translate", run: mg_translate_basic },
    Test { name: "mg_demand_zero_exact", run: demand_zero_exact },
    Test { name: "mg_zero_page_exact", run: zero_page_exact },
    Test { name: "mg_cow_one_fault", run: cow_one_fault },
    Test { name: "mg_fork_is_cheap", run: fork_is_cheap },
    Test { name: "mg_fork_300_no_leak", run: fork_300_no_leak },
];

const ATTEMPTS: usize = 3;
/// Pages touched in one counted run.
const N: usize = 16;
const FOUR_MIB: usize = 4 * 1024 * 1024;

fn system() -> Result<MgStats, Fail> {
    mg_stats(StatsOf::System).or_fail("mg_stats(-1)")
}

fn mg_stats_basic() -> Outcome {
    need_mg()?;
    let s = system()?;
    ensure!(
        s.total_frames > 0 && s.free_frames > 0 && s.free_frames <= s.total_frames,
        "system: total {} free {}",
        s.total_frames,
        s.free_frames
    );
    ensure!(s.processes >= 2, "system: {} processes, but the harness and this test run", s.processes);
    let me = mg_stats(StatsOf::Me).or_fail("mg_stats(0)")?;
    ensure!(me.resident_pages > 0 && me.page_tables >= 1, "me: {me:?}");
    let by_pid = mg_stats(StatsOf::Process(getpid())).or_fail("mg_stats(getpid())")?;
    ensure!(by_pid.page_tables == me.page_tables, "mg_stats(getpid()) differs from mg_stats(0)");
    expect_err("mg_stats(no such pid)", mg_stats(StatsOf::Process(0x7fff_fff0)), Errno::ESRCH)?;
    // A short buffer gets a short copy, and nothing past it.
    let mut words = [u32::MAX; 13];
    // SAFETY: `words` is 52 writable bytes; the kernel may write 8.
    let n = check(unsafe { syscall3(nr::MG_STATS, 0, words.as_mut_ptr() as usize, 8) });
    ensure!(n == Ok(8), "mg_stats with size 8 returned {n:?}, want 8");
    ensure!(words[2..].iter().all(|&w| w == u32::MAX), "mg_stats wrote past the size it was given");
    Ok(())
}

fn mg_view_all() -> Outcome {
    need_mg()?;
    let local = 0u32;
    let stack_addr = black_box(&local) as *const u32 as u32;
    let me = getpid() as u32;
    let views = [
        (View::Gdt, 0, 0),
        (View::Idt, 0, 0),
        (View::Tss, 0, 0),
        (View::Ps, 0, 0),
        (View::Vmmap, me, 0),
        (View::Pte, me, stack_addr),
        (View::Free, 0, 0),
        (View::Pfstat, 0, 0),
        (View::Files, 0, 0),
        (View::Heap, 0, 0),
    ];
    for (view, a0, a1) in views {
        let text = mg::mg_view_all(view, a0, a1).or_fail("mg_view")?;
        ensure!(!text.is_empty(), "mg_view({view:?}) is empty");
    }
    let files = mg::mg_view_all(View::Files, 0, 0).or_fail("mg_view(FILES)")?;
    ensure!(files.windows(14).any(|w| w == b"/bin/usertests"), "FILES does not list /bin/usertests");
    let mut small = [0xeeu8; 8];
    let n = mg_view(View::Ps, 0, 0, &mut small[..4]).or_fail("mg_view into 4 bytes")?;
    ensure!(n <= 4 && small[4..] == [0xee; 4], "mg_view wrote past a 4-byte buffer (returned {n})");
    let mut buf = [0u8; 64];
    // SAFETY: `buf` is 64 writable bytes.
    let bad =
        check(unsafe { rt::arch::syscall::syscall5(nr::MG_VIEW, 99, 0, 0, buf.as_mut_ptr() as usize, buf.len()) });
    expect_err("mg_view(99)", bad, Errno::EINVAL)
}

fn mg_translate_basic() -> Outcome {
    need_mg()?;
    let local = 0x5a5a_u32;
    let addr = black_box(&local) as *const u32 as usize;
    let t = mg_translate(0, addr).or_fail("mg_translate(stack)")?;
    ensure!(t.present == 1 && t.phys & 0xfff == (addr & 0xfff) as u32, "stack {addr:#x}: {t:x?}");
    let null = mg_translate(0, 0).or_fail("mg_translate(0)")?;
    ensure!(null.present == 0, "address 0 is mapped: {null:x?}");
    let kernel = mg_translate(0, 0xC010_0000).or_fail("mg_translate(kernel)")?;
    ensure!(kernel.present == 1, "the kernel image is not mapped: {kernel:x?}");
    expect_err("mg_translate(no such pid)", mg_translate(0x7fff_fff0, addr), Errno::ESRCH)
}

/// Touches 16 KiB of stack below the caller, so that calls made later from
/// the caller's frame find their stack pages present and private.
#[inline(never)]
fn prefault_stack() {
    let mut buf = [0u8; 16 * 1024];
    black_box(&mut buf);
}

/// Counter changes across one call of `f`: this process's fault counters and
/// the system's free frames (positive = frames freed).
#[derive(Debug, Default)]
struct Delta {
    faults: i64,
    demand_zero: i64,
    zero_maps: i64,
    cow_copies: i64,
    free_frames: i64,
}

fn measure(f: impl Fn()) -> Result<Delta, Fail> {
    let (mut sys0, mut me0, mut me1, mut sys1) = black_box(Default::default());
    let ok = mg_stats_into(StatsOf::System, &mut sys0)
        .and_then(|_| mg_stats_into(StatsOf::Me, &mut me0))
        .map(|_| f())
        .and_then(|_| mg_stats_into(StatsOf::Me, &mut me1))
        .and_then(|_| mg_stats_into(StatsOf::System, &mut sys1));
    ok.or_fail("mg_stats")?;
    let (me0, me1, sys0, sys1): (MgStats, MgStats, MgStats, MgStats) = (me0, me1, sys0, sys1);
    let d = |a: u32, b: u32| b as i64 - a as i64;
    Ok(Delta {
        faults: d(me0.page_faults, me1.page_faults),
        demand_zero: d(me0.demand_zero, me1.demand_zero),
        zero_maps: d(me0.zero_page_maps, me1.zero_page_maps),
        cow_copies: d(me0.cow_copies, me1.cow_copies),
        free_frames: d(sys0.free_frames, sys1.free_frames),
    })
}

/// Runs `f(first_page)` once as a warm-up at page 1, then up to ATTEMPTS
/// times on fresh pages until `good` accepts the counters.
fn counted(f: impl Fn(usize), good: impl Fn(&Delta) -> bool) -> Outcome {
    prefault_stack();
    measure(|| f(1))?;
    let mut last = Delta::default();
    for attempt in 1..=ATTEMPTS {
        last = measure(|| f(1 + attempt * N))?;
        if good(&last) {
            return Ok(());
        }
    }
    Err(Fail::Failed(alloc::format!("{N} pages: {last:?}")))
}

/// A 4 MiB-aligned window inside an 8 MiB mapping, its page table made by
/// touching page 0.
fn window() -> Result<(Region, usize), Fail> {
    let r = Region::new(2 * FOUR_MIB, Sharing::Private).or_fail("mmap 8 MiB")?;
    let base = (r.addr() + FOUR_MIB - 1) & !(FOUR_MIB - 1);
    r.write(base - r.addr(), 1);
    Ok((r, base))
}

fn demand_zero_exact() -> Outcome {
    need_mg()?;
    let (r, base) = window()?;
    let off = base - r.addr();
    let write = |first: usize| (first..first + N).for_each(|p| r.write(off + p * PAGE_SIZE, 1));
    counted(write, |d| d.faults == N as i64 && d.demand_zero == N as i64 && d.free_frames == -(N as i64))
}

fn zero_page_exact() -> Outcome {
    need_mg()?;
    let (r, base) = window()?;
    let off = base - r.addr();
    let read = |first: usize| {
        (first..first + N).for_each(|p| {
            black_box(r.read(off + p * PAGE_SIZE));
        })
    };
    counted(read, |d| d.faults == N as i64 && d.zero_maps == N as i64 && d.demand_zero == 0 && d.free_frames == 0)
}

/// After fork, the child's first write to a page it shares with its parent
/// costs exactly one fault, which copies.
fn cow_one_fault() -> Outcome {
    need_mg()?;
    let r = Region::new((2 + ATTEMPTS * N) * PAGE_SIZE, Sharing::Private).or_fail("mmap")?;
    (0..r.pages()).for_each(|p| r.write(p * PAGE_SIZE, 1));
    expect_exit(0, || {
        let write_one = |first: usize| r.write(first * PAGE_SIZE, 2);
        match counted(write_one, |d| d.faults == 1 && d.cow_copies == 1) {
            Ok(()) => 0,
            Err(Fail::Failed(why)) => {
                println!("  child: one write: {why}");
                1
            }
            Err(Fail::Skipped(_)) => 1,
        }
    })
}

/// Fork shares pages instead of copying them: a process with 32 MiB written
/// forks for far less than 32 MiB of frames (page tables and a few copies).
fn fork_is_cheap() -> Outcome {
    need_mg()?;
    let r = Region::new(32 * 1024 * 1024, Sharing::Private).or_fail("mmap 32 MiB")?;
    (0..r.pages()).for_each(|p| r.write(p * PAGE_SIZE, 1));
    let before = system()?.free_frames as i64;
    let child = spawn(|| {
        loop {
            let _ = sleep_ms(1000);
        }
    })
    .or_fail("fork")?;
    let _ = sleep_ms(50);
    let after = system()?.free_frames as i64;
    let _ = kill(child, Signal::SIGKILL);
    let _ = wait_exit(child);
    let used = before - after;
    ensure!(used < (r.pages() / 8) as i64, "forking a process with 32 MiB written used {used} frames");
    Ok(())
}

/// 300 fork/exit/wait cycles give back every frame they took.
fn fork_300_no_leak() -> Outcome {
    need_mg()?;
    let cycle = || -> Outcome {
        let pid = spawn(|| 0).or_fail("fork")?;
        let ended = wait_exit(pid).or_fail("waitpid")?;
        ensure!(ended.success(), "child {ended}");
        Ok(())
    };
    (0..20).try_for_each(|_| cycle())?;
    let mut leaked = 0;
    for _ in 0..ATTEMPTS {
        let before = system()?.free_frames as i64;
        (0..300).try_for_each(|_| cycle())?;
        leaked = before - system()?.free_frames as i64;
        if leaked == 0 {
            return Ok(());
        }
    }
    Err(Fail::Failed(alloc::format!("300 cycles changed free frames by {}", -leaked)))
}

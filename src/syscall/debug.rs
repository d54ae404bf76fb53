//! The project's own system calls (numbers 1000 and up, outside Linux's
//! range), for seeing the mechanism from user space:
//! - 1000 `mg_stats(pid, buf, size)`: fault counters (`MgStats`); pid 0 is
//!   the caller, -1 the whole system;
//! - 1001 `mg_view(view, arg0, arg1, buf, len)`: a text report (GDT, IDT,
//!   TSS, ps, vmmap, pte, free, pfstat, files, heap), truncated to `len`;
//! - 1002 `mg_translate(pid, vaddr, out)`: one page walk as numbers.

use super::abi::{Errno, SysResult};
use super::uaccess::copy_out;
use crate::arch::x86::{gdt, idt, tss};
use crate::mm::addr::VirtAddr;
use crate::mm::paging::walk_directory;
use crate::mm::stats::{MgStats, Report};
use crate::task::process::{IDLE_PID, Pid, Task};
use crate::task::sched::{SCHED, with_process};
use alloc::string::String;
use core::fmt::Write;
use memguard_abi::{MgTranslation, View};

fn resolve_pid(pid: i32) -> Result<Pid, Errno> {
    match pid {
        0 => Ok(crate::task::sched::current_pid()),
        p if p > 0 => Ok(p as Pid),
        _ => Err(Errno::ESRCH),
    }
}

/// Runs `f` on a live task's record (its process must still exist).
fn with_task<R>(pid: Pid, f: impl FnOnce(&Task) -> R) -> Result<R, Errno> {
    let s = SCHED.lock();
    let t = s.tasks.get(&pid).filter(|t| t.pid != IDLE_PID && t.process.is_some()).ok_or(Errno::ESRCH)?;
    Ok(f(t))
}

fn system_stats() -> MgStats {
    let f = crate::mm::phys::stats();
    let mut g = crate::mm::stats_global::snapshot();
    let s = SCHED.lock();
    g.resident_pages = s.tasks.values().filter_map(|t| t.process.as_ref()).map(|p| p.mem.resident_pages()).sum();
    g.page_tables = crate::mm::paging::page_table_frames();
    g.total_frames = f.total;
    g.free_frames = f.free;
    // User tasks only: the idle task and the kernel threads are always there.
    g.processes = s.tasks.values().filter(|t| !t.kthread).count() as u32;
    g.zombies =
        s.tasks.values().filter(|t| matches!(t.state, crate::task::process::TaskState::Zombie(_))).count() as u32;
    let (used, size) = crate::mm::heap::usage();
    g.heap_frames = (size / 4096) as u32;
    g.heap_used = used as u32;
    let (total, free) = crate::mm::swap::area::totals();
    (g.swap_total, g.swap_free, g.swapped_pages) = (total, free, total - free);
    g
}

pub fn stats(pid: i32, buf: u32, size: u32) -> SysResult {
    let st = if pid == -1 {
        system_stats()
    } else {
        with_task(resolve_pid(pid)?, |t| t.process.as_ref().expect("checked").mem.stats_now())?
    };
    let bytes = st.as_bytes();
    let n = bytes.len().min(size as usize);
    with_process(|p| copy_out(&mut p.mem, buf, &bytes[..n]))?;
    Ok(n as u32)
}

pub fn view(which: u32, arg0: u32, arg1: u32, buf: u32, len: u32) -> SysResult {
    if which == View::Vmmap as u32 || which == View::Pte as u32 {
        with_task(resolve_pid(arg0 as i32)?, |_| ())?;
    }
    let mut text = String::new();
    let w = &mut text;
    let _ = match View::from_u32(which).ok_or(Errno::EINVAL)? {
        View::Gdt => gdt::dump(w),
        View::Idt => idt::dump(w),
        View::Tss => tss::dump(w),
        View::Ps => ps(w),
        View::Vmmap => vmmap(w, resolve_pid(arg0 as i32)?),
        View::Pte => pte(w, resolve_pid(arg0 as i32)?, arg1),
        View::Free => free(w),
        View::Pfstat => write!(w, "system-wide:\n{}\n", Report(&system_stats())),
        View::Files => files(w),
        View::Heap => heap(w, arg0),
    };
    let n = text.len().min(len as usize);
    with_process(|p| copy_out(&mut p.mem, buf, &text.as_bytes()[..n]))?;
    Ok(n as u32)
}

fn ps(w: &mut String) -> core::fmt::Result {
    // One line per task: a thread shows its group's id in TGID and shares
    // its page directory (and so RSS and faults) with the group.
    writeln!(w, "  PID  TGID  PPID S NAME             PAGE-DIR    RSS  FAULTS  KILLS")?;
    let s = SCHED.lock();
    for t in s.tasks.values().filter(|t| t.pid != IDLE_PID && !t.detached) {
        let (rss, faults) = t.process.as_ref().map_or((0, 0), |p| (p.mem.resident_pages(), p.mem.stats.page_faults));
        writeln!(
            w,
            "{:>5} {:>5} {:>5} {} {:<16} {:#010x} {:>6} {:>7} {:>6}",
            t.pid,
            t.tgid,
            s.tasks.get(&t.ppid).map_or(t.ppid, |p| p.tgid),
            t.state.letter(),
            t.name,
            t.directory(),
            rss,
            faults,
            t.kills_by_fault
        )?;
    }
    Ok(())
}

fn vmmap(w: &mut String, pid: Pid) -> core::fmt::Result {
    let s = SCHED.lock();
    let Some(p) = s.tasks.get(&pid).and_then(|t| t.process.as_ref()) else { return writeln!(w, "no process {pid}") };
    writeln!(w, "pid {pid}: {} regions, brk {:#010x}", p.mem.map.len(), p.mem.brk)?;
    writeln!(w, "START    END      PROT SHARING     SIZE  KIND")?;
    for r in p.mem.map.iter() {
        writeln!(w, "{}", crate::fs::region_line(r))?;
    }
    Ok(())
}

fn pte(w: &mut String, pid: Pid, vaddr: u32) -> core::fmt::Result {
    let s = SCHED.lock();
    let Some(p) = s.tasks.get(&pid).and_then(|t| t.process.as_ref()) else { return writeln!(w, "no process {pid}") };
    writeln!(w, "pid {pid}, virtual address {vaddr:#010x}")?;
    write!(w, "{}", p.mem.space.walk(VirtAddr::new(vaddr)))?;
    match p.mem.map.find(vaddr) {
        Some(r) => writeln!(w, "region: {}", crate::fs::region_line(r)),
        None if vaddr >= crate::mm::layout::KERNEL_BASE => writeln!(w, "region: the kernel half (supervisor-only)"),
        None => writeln!(w, "region: none (any access is killed)"),
    }
}

fn free(w: &mut String) -> core::fmt::Result {
    let f = crate::mm::phys::stats();
    let (heap_used, heap_size) = crate::mm::heap::usage();
    let (high_total, high_free) = crate::mm::phys::high_memory();
    writeln!(w, "              KiB     frames")?;
    writeln!(w, "total   {:>10} {:>10}", f.total * 4, f.total)?;
    writeln!(w, "used    {:>10} {:>10}", (f.total - f.free) * 4, f.total - f.free)?;
    writeln!(w, "free    {:>10} {:>10}", f.free * 4, f.free)?;
    writeln!(
        w,
        "high    {:>10} {:>10}  (above the 512 MiB direct map; {} free)",
        high_total * 4,
        high_total,
        high_free
    )?;
    writeln!(w, "page tables (user): {} frames", crate::mm::paging::page_table_frames())?;
    writeln!(w, "kernel heap: {} of {} KiB in use", heap_used / 1024, heap_size / 1024)
}

fn files(w: &mut String) -> core::fmt::Result {
    for (name, size) in crate::fs::list() {
        writeln!(w, "{name:<24} {size:>8}")?;
    }
    Ok(())
}

/// The heap view: what is live from after allocation `since`, by caller.
fn heap(w: &mut String, since: u32) -> core::fmt::Result {
    use crate::mm::heaptrace::{self, Record};
    // Copy the records out first: formatting allocates, and every
    // allocation takes the trace's lock.
    let Some(live) = crate::mm::heap::with_trace(|t| t.len()) else {
        return writeln!(w, "heap trace: off (boot with `heaptrace` on the kernel command line)");
    };
    let mut recs = alloc::vec![Record::default(); live + 64];
    let (seq, missed, n) = crate::mm::heap::with_trace(|t| {
        let mut n = 0;
        for (slot, r) in recs.iter_mut().zip(t.live()) {
            *slot = *r;
            n += 1;
        }
        (t.seq, t.missed, n)
    })
    .unwrap_or_default();
    let total: u32 = recs[..n].iter().map(|r| r.size).sum();
    writeln!(w, "heap trace: {seq} allocations so far, {n} live ({total} bytes), {missed} not recorded")?;
    let groups = heaptrace::group(&mut recs[..n], since);
    let (count, bytes) = groups.iter().fold((0, 0), |(c, b), g| (c + g.count, b + g.bytes));
    writeln!(w, "live from after allocation {since}: {count} objects, {bytes} bytes")?;
    for g in &groups {
        let (lo, hi) = g.sizes;
        let size = if lo == hi { alloc::format!("{lo}") } else { alloc::format!("{lo}..{hi}") };
        writeln!(w, "{:>6} x {size} bytes = {} (allocations {}..{})", g.count, g.bytes, g.seqs.0, g.seqs.1)?;
        for &ret in g.stack.iter().take_while(|&&r| r != 0) {
            match crate::symbols::lookup(ret - 1) {
                Some((name, _)) if name.starts_with("__rust") || name.contains("alloc..") => {}
                Some((name, off)) => writeln!(w, "    {:#}+{:#x}", rustc_demangle::demangle(name), off + 1)?,
                None => writeln!(w, "    {ret:#010x}")?,
            }
        }
    }
    Ok(())
}

/// mg_translate: {pde, pte, phys, present} for `vaddr` in `pid`.
pub fn translate(pid: i32, vaddr: u32, out: u32) -> SysResult {
    let pid = resolve_pid(pid)?;
    let pd = with_task(pid, |t| t.process.as_ref().expect("checked").mem.space.directory_frame())?;
    let walk = walk_directory(pd, VirtAddr::new(vaddr));
    let t = MgTranslation {
        pde: walk.pde.raw(),
        pte: walk.pte.map_or(0, |e| e.raw()),
        phys: walk.phys.map_or(0, |p| p.as_u32()),
        present: u32::from(walk.phys.is_some()),
    };
    with_process(|p| copy_out(&mut p.mem, out, t.as_bytes()))?;
    Ok(0)
}

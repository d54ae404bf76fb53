//! set_thread_area (243) and get_thread_area (244): a program's TLS entries
//! in the GDT, as Linux's arch/x86/kernel/tls.c handles them, errors in its
//! order: EFAULT reading the `user_desc`; EINVAL for a descriptor a user may
//! not have (`UserSegment::allowed`); ESRCH when -1 asks for a free entry
//! and there is none; EFAULT writing the chosen entry back; EINVAL for an
//! index outside 6–8.

use super::abi::{Errno, SysResult};
use super::uaccess::{self, Plain};
use crate::arch::x86::descriptor::SegmentDescriptor;
use crate::arch::x86::gdt;
use crate::arch::x86::tls::{TLS_FIRST, UserSegment, slot_of_index};
use crate::arch::x86::trap::TrapFrame;
use crate::task::sched::{SCHED, with_process};
use memguard_abi::linux::user_desc;

fn segment_of(d: &user_desc) -> UserSegment {
    UserSegment {
        base: d.base_addr,
        limit: d.limit,
        seg_32bit: d.seg_32bit() != 0,
        contents: d.contents() as u8,
        read_exec_only: d.read_exec_only() != 0,
        limit_in_pages: d.limit_in_pages() != 0,
        seg_not_present: d.seg_not_present() != 0,
        useable: d.useable() != 0,
    }
}

fn user_desc_of(index: u32, s: UserSegment) -> user_desc {
    let mut d = user_desc::zeroed();
    d.entry_number = index;
    d.base_addr = s.base;
    d.limit = s.limit;
    d.set_seg_32bit(s.seg_32bit.into());
    d.set_contents(s.contents.into());
    d.set_read_exec_only(s.read_exec_only.into());
    d.set_limit_in_pages(s.limit_in_pages.into());
    d.set_seg_not_present(s.seg_not_present.into());
    d.set_useable(s.useable.into());
    d
}

/// clone's CLONE_SETTLS on i386: the `user_desc` at `u_info` for the
/// child, checked as set_thread_area checks it, but -1 may not ask for an
/// entry here (Linux's can_allocate is false): EINVAL.
pub fn clone_tls(u_info: u32) -> Result<(usize, SegmentDescriptor), Errno> {
    let d: user_desc = with_process(|p| uaccess::read(&mut p.mem, u_info))?;
    let seg = segment_of(&d);
    if !seg.allowed() {
        return Err(Errno::EINVAL);
    }
    let slot = slot_of_index(d.entry_number).ok_or(Errno::EINVAL)?;
    Ok((slot, seg.descriptor()))
}

/// set_thread_area(u_info).
pub fn set_thread_area(frame: &mut TrapFrame, u_info: u32) -> SysResult {
    let d: user_desc = with_process(|p| uaccess::read(&mut p.mem, u_info))?;
    let seg = segment_of(&d);
    if !seg.allowed() {
        return Err(Errno::EINVAL);
    }
    let mut index = d.entry_number;
    if index == u32::MAX {
        let free = SCHED.lock().current_task().tls.iter().position(|e| *e == SegmentDescriptor::NULL);
        index = TLS_FIRST + free.ok_or(Errno::ESRCH)? as u32;
        with_process(|p| uaccess::write(&mut p.mem, u_info, &index))?;
    }
    let slot = slot_of_index(index).ok_or(Errno::EINVAL)?;
    let desc = seg.descriptor();
    {
        let mut s = SCHED.lock();
        let t = s.current_task();
        t.tls[slot] = desc;
        gdt::load_tls(&t.tls);
    }
    // A data segment register naming this entry is reloaded on the way
    // back to ring 3; if the entry was cleared it would fault there, in the
    // kernel, so it becomes null instead (as Linux's loadsegment fixup).
    if !desc.present() {
        let sel = index << 3 | 3;
        for reg in [&mut frame.ds, &mut frame.es, &mut frame.fs, &mut frame.gs] {
            if *reg == sel {
                *reg = 0;
            }
        }
    }
    Ok(0)
}

/// get_thread_area(u_info): the entry `u_info->entry_number` names.
pub fn get_thread_area(u_info: u32) -> SysResult {
    let index: u32 = with_process(|p| uaccess::read(&mut p.mem, u_info))?;
    let slot = slot_of_index(index).ok_or(Errno::EINVAL)?;
    let desc = SCHED.lock().current_task().tls[slot];
    with_process(|p| uaccess::write(&mut p.mem, u_info, &user_desc_of(index, UserSegment::of(desc))))?;
    Ok(0)
}

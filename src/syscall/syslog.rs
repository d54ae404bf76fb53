//! syslog(2) (klogctl in C libraries): the kernel's message log, for
//! `dmesg`. The log itself is `console::kmsg` (pure); this is Linux's
//! do_syslog: its actions, its argument checks in its order.

use super::abi::{Errno, SysResult};
use super::uaccess;
use crate::console::{kmsg, with_kmsg};
use crate::task::lifecycle::interrupted;
use crate::task::process::Wait;
use crate::task::sched::{self, with_process};

const ACTION_CLOSE: i32 = 0;
const ACTION_OPEN: i32 = 1;
const ACTION_READ: i32 = 2;
const ACTION_READ_ALL: i32 = 3;
const ACTION_READ_CLEAR: i32 = 4;
const ACTION_CLEAR: i32 = 5;
const ACTION_CONSOLE_OFF: i32 = 6;
const ACTION_CONSOLE_ON: i32 = 7;
const ACTION_CONSOLE_LEVEL: i32 = 8;
const ACTION_SIZE_UNREAD: i32 = 9;
const ACTION_SIZE_BUFFER: i32 = 10;

/// How often a blocked SYSLOG_ACTION_READ looks for new lines.
const READ_POLL_NS: u64 = 50_000_000;

/// syslog(type, buf, len). Every caller is root, so every action is
/// allowed; the console level is accepted (1..8) but the serial console
/// always shows everything, as the tests read it.
pub fn syslog(action: i32, buf: u32, len: i32) -> SysResult {
    match action {
        ACTION_CLOSE | ACTION_OPEN | ACTION_CONSOLE_OFF | ACTION_CONSOLE_ON => Ok(0),
        ACTION_READ | ACTION_READ_ALL | ACTION_READ_CLEAR => {
            if buf == 0 || len < 0 {
                return Err(Errno::EINVAL);
            }
            if len == 0 {
                return Ok(0);
            }
            uaccess::user_range(buf, len as u32)?;
            let mut out = alloc::vec![0u8; (len as usize).min(kmsg::SIZE)];
            let n = match action {
                ACTION_READ => loop {
                    let n = with_kmsg(|k| k.read(&mut out));
                    if n > 0 {
                        break n;
                    }
                    if interrupted() {
                        return Err(Errno::ERESTARTSYS);
                    }
                    sched::sleep_until_woken(Wait::Poll, Some(crate::time::monotonic_ns() + READ_POLL_NS));
                },
                _ => with_kmsg(|k| {
                    let n = k.read_all(&mut out);
                    if action == ACTION_READ_CLEAR {
                        k.clear();
                    }
                    n
                }),
            };
            with_process(|p| uaccess::copy_out(&mut p.mem, buf, &out[..n]))?;
            Ok(n as u32)
        }
        ACTION_CLEAR => {
            with_kmsg(|k| k.clear());
            Ok(0)
        }
        ACTION_CONSOLE_LEVEL if (1..=8).contains(&len) => Ok(0),
        ACTION_CONSOLE_LEVEL => Err(Errno::EINVAL),
        ACTION_SIZE_UNREAD => Ok(with_kmsg(|k| k.unread()) as u32),
        ACTION_SIZE_BUFFER => Ok(kmsg::SIZE as u32),
        _ => Err(Errno::EINVAL),
    }
}

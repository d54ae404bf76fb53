//! The kernel's message log, as Linux keeps it for `dmesg`: every line the
//! kernel prints (boot report, log records, kill reports) also goes into a
//! fixed ring of bytes, each line prefixed as syslog(2) hands it out:
//! `<L>[seconds.micros] text` (L the syslog level: 3 error, 4 warning,
//! 6 info, 7 debug). When the ring is full the oldest lines go. Pure: the
//! kernel keeps one in a static and gives it the clock (`console::kmsg`).

/// The ring's size: Linux's smallest log_buf_len (CONFIG_LOG_BUF_SHIFT=14).
pub const SIZE: usize = 16 * 1024;

/// syslog levels of the kernel's own lines.
pub const LEVEL_ERR: u8 = 3;
pub const LEVEL_WARNING: u8 = 4;
pub const LEVEL_INFO: u8 = 6;
pub const LEVEL_DEBUG: u8 = 7;

pub struct Kmsg {
    buf: [u8; SIZE],
    /// Bytes ever written; the ring holds the last min(written, SIZE).
    written: u64,
    /// Where SYSLOG_ACTION_CLEAR left the log: older bytes are not read.
    cleared: u64,
    /// Where SYSLOG_ACTION_READ goes on from.
    read: u64,
    /// The next byte starts a line (and so gets the prefix).
    at_line_start: bool,
    /// The level of the line being written.
    level: u8,
}

impl Default for Kmsg {
    fn default() -> Self {
        Self::new()
    }
}

impl Kmsg {
    pub const fn new() -> Self {
        Kmsg { buf: [0; SIZE], written: 0, cleared: 0, read: 0, at_line_start: true, level: LEVEL_INFO }
    }

    /// Sets the level of the next line that starts.
    pub fn set_level(&mut self, level: u8) {
        if self.at_line_start {
            self.level = level;
        }
    }

    /// Appends `text`; each line that starts gets `<L>[s.us] ` with the
    /// time `now_ns` since boot.
    pub fn push(&mut self, text: &[u8], now_ns: u64) {
        for &b in text {
            if self.at_line_start {
                let mut prefix = [0u8; 32];
                let n = format_prefix(&mut prefix, self.level, now_ns);
                for &p in &prefix[..n] {
                    self.put(p);
                }
                self.at_line_start = false;
            }
            if b == b'\r' {
                continue;
            }
            self.put(b);
            if b == b'\n' {
                self.at_line_start = true;
                self.level = LEVEL_INFO;
            }
        }
    }

    fn put(&mut self, b: u8) {
        self.buf[(self.written % SIZE as u64) as usize] = b;
        self.written += 1;
    }

    /// The oldest byte still held and not cleared, moved up to a line
    /// start when the ring has overwritten part of a line.
    fn first(&self) -> u64 {
        let held = self.written.saturating_sub(SIZE as u64);
        if self.cleared >= held {
            return self.cleared;
        }
        // Skip the torn line the ring cut into.
        let mut at = held;
        while at < self.written {
            let b = self.byte(at);
            at += 1;
            if b == b'\n' {
                return at;
            }
        }
        at
    }

    fn byte(&self, at: u64) -> u8 {
        self.buf[(at % SIZE as u64) as usize]
    }

    /// SYSLOG_ACTION_READ_ALL: the newest whole lines that fit in `out`
    /// (older ones dropped first), copied; the count.
    pub fn read_all(&self, out: &mut [u8]) -> usize {
        let end = self.end_of_lines();
        let mut start = self.first();
        // Drop whole lines from the front until the rest fits.
        while end - start > out.len() as u64 {
            match (start..end).find(|&i| self.byte(i) == b'\n') {
                Some(nl) => start = nl + 1,
                None => return 0,
            }
        }
        self.copy(start, end, out)
    }

    /// SYSLOG_ACTION_READ: unread bytes (of whole lines) from where the
    /// last read stopped, at most `out.len()`; they are then read.
    pub fn read(&mut self, out: &mut [u8]) -> usize {
        let start = self.read.max(self.first());
        let end = self.end_of_lines().min(start + out.len() as u64);
        let n = self.copy(start, end, out);
        self.read = start + n as u64;
        n
    }

    /// SYSLOG_ACTION_SIZE_UNREAD.
    pub fn unread(&self) -> usize {
        self.end_of_lines().saturating_sub(self.read.max(self.first())) as usize
    }

    /// SYSLOG_ACTION_CLEAR.
    pub fn clear(&mut self) {
        self.cleared = self.end_of_lines();
    }

    /// Where the last complete line ends (a line still being written is
    /// not handed out yet).
    fn end_of_lines(&self) -> u64 {
        if self.at_line_start {
            return self.written;
        }
        let first = self.written.saturating_sub(SIZE as u64);
        (first..self.written).rev().find(|&i| self.byte(i) == b'\n').map_or(first, |nl| nl + 1)
    }

    fn copy(&self, start: u64, end: u64, out: &mut [u8]) -> usize {
        let n = (end.saturating_sub(start) as usize).min(out.len());
        for (i, o) in out[..n].iter_mut().enumerate() {
            *o = self.byte(start + i as u64);
        }
        n
    }
}

/// `<L>[%5lu.%06lu] ` into `out`; its length.
fn format_prefix(out: &mut [u8; 32], level: u8, now_ns: u64) -> usize {
    use core::fmt::Write;
    struct Buf<'a>(&'a mut [u8; 32], usize);
    impl Write for Buf<'_> {
        fn write_str(&mut self, s: &str) -> core::fmt::Result {
            let b = s.as_bytes();
            let n = b.len().min(self.0.len() - self.1);
            self.0[self.1..self.1 + n].copy_from_slice(&b[..n]);
            self.1 += n;
            Ok(())
        }
    }
    let mut w = Buf(out, 0);
    let _ = write!(w, "<{}>[{:5}.{:06}] ", level, now_ns / 1_000_000_000, now_ns / 1000 % 1_000_000);
    w.1
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use alloc::vec;

    fn all(k: &Kmsg) -> alloc::string::String {
        let mut out = vec![0u8; SIZE];
        let n = k.read_all(&mut out);
        alloc::string::String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn lines_get_level_and_time() {
        let mut k = Kmsg::new();
        k.push(b"memguard: booting\n", 0);
        k.set_level(LEVEL_WARNING);
        k.push(b"low memory\r\n", 1_234_567_890);
        assert_eq!(all(&k), "<6>[    0.000000] memguard: booting\n<4>[    1.234567] low memory\n");
    }

    #[test]
    fn a_line_being_written_is_not_handed_out() {
        let mut k = Kmsg::new();
        k.push(b"one\ntw", 0);
        assert_eq!(all(&k), "<6>[    0.000000] one\n");
        k.push(b"o\n", 0);
        assert_eq!(all(&k).lines().count(), 2);
    }

    #[test]
    fn read_all_keeps_the_newest_whole_lines_that_fit() {
        let mut k = Kmsg::new();
        k.push(b"aaaa\nbbbb\ncccc\n", 0);
        // Each line is 23 bytes: two would need 46.
        let mut out = [0u8; 45];
        let n = k.read_all(&mut out);
        assert_eq!(&out[..n], b"<6>[    0.000000] cccc\n");
        let mut out = [0u8; 46];
        let n = k.read_all(&mut out);
        assert_eq!(&out[..n], b"<6>[    0.000000] bbbb\n<6>[    0.000000] cccc\n");
    }

    #[test]
    fn a_full_ring_drops_the_oldest_lines_whole() {
        let mut k = Kmsg::new();
        for i in 0..2000 {
            k.push(alloc::format!("line {i}\n").as_bytes(), 0);
        }
        let text = all(&k);
        assert!(text.starts_with("<6>["), "a torn line leads: {:?}", &text[..40]);
        assert!(text.ends_with("line 1999\n"));
        assert!(text.len() <= SIZE);
    }

    #[test]
    fn read_goes_on_and_clear_forgets() {
        let mut k = Kmsg::new();
        k.push(b"first\n", 0);
        assert_eq!(k.unread(), 24);
        let mut out = [0u8; 10];
        assert_eq!(k.read(&mut out), 10);
        assert_eq!(k.unread(), 14);
        let mut rest = [0u8; 64];
        assert_eq!(k.read(&mut rest), 14);
        assert_eq!(&rest[..14], b"000000] first\n");
        assert_eq!(k.unread(), 0);
        k.push(b"second\n", 0);
        k.clear();
        assert_eq!(all(&k), "");
        assert_eq!(k.unread(), 0);
        k.push(b"third\n", 0);
        assert_eq!(all(&k), "<6>[    0.000000] third\n");
    }
}

//! The line discipline: what the terminal does with each byte typed,
//! under the termios a program set (Linux's n_tty, the parts a console
//! uses). Pure: bytes in, echo bytes and signal requests out; the kernel
//! side (`console::tty`) feeds it serial input and reads lines from it.
//!
//! ```text
//!  typed ──► receive(c) ──► [ complete lines | line being edited ]
//!               │                 0 .. canon   canon .. len
//!               ├─► echo bytes (ECHO, ECHOCTL, erase sequences)
//!               └─► TtySignal (ISIG: ^C, ^\, ^Z) for the foreground group
//! ```
//!
//! Canonical mode (ICANON): input is edited until a line ends (NL, VEOL,
//! VEOL2 or VEOF); reads take one line at a time and a VEOF at the start
//! of a line reads as end of file. Raw mode: every byte is readable at
//! once, and VMIN/VTIME (the reader's business) say when a read returns.
//!
//! One difference from Linux, on purpose: a VEOF stored in canonical mode
//! keeps its own byte (Linux stores a NUL), so a program that switches to
//! raw mode still reads the ^D that ended piped input as ^D.

use memguard_abi::linux::{
    ECHO, ECHOCTL, ECHOE, ECHOK, ECHOKE, ECHONL, ICANON, ICRNL, IEXTEN, IGNCR, INLCR, ISIG, ISTRIP, IUTF8, IXON,
    NOFLSH, VEOF, VEOL, VEOL2, VERASE, VINTR, VKILL, VLNEXT, VQUIT, VREPRINT, VSTART, VSTOP, VSUSP, VWERASE, termios,
};

/// Linux's N_TTY_BUF_SIZE: the most input the terminal holds.
pub const BUF_SIZE: usize = 4096;

/// A signal typed at the terminal (ISIG), for its foreground group.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum TtySignal {
    /// VINTR (^C): SIGINT.
    Interrupt,
    /// VQUIT (^\): SIGQUIT.
    Quit,
    /// VSUSP (^Z): SIGTSTP.
    Suspend,
}

/// The byte could not be taken: the buffer is full. It stays with the
/// sender (the UART holds it back) until a reader makes room.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct NoRoom;

/// Where echo goes (the console, or a test's buffer).
pub trait Echo {
    fn put(&mut self, bytes: &[u8]);
}

/// What a read found.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Take {
    /// This many bytes were copied.
    Data(usize),
    /// A VEOF at the start of a line: the read returns 0.
    EndOfFile,
    /// Nothing to read yet (canonical: no complete line).
    Nothing,
}

/// How a stored byte ends a line (canonical mode).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    No,
    /// NL, VEOL, VEOL2, or the last byte when canonical mode came back:
    /// delivered with the line.
    Line,
    /// VEOF: ends the line and is not delivered.
    Eof,
}

/// Linux's console defaults (tty_std_termios and INIT_C_CC), at 115200 baud.
pub const DEFAULT_TERMIOS: termios = termios {
    c_iflag: ICRNL | IXON,
    c_oflag: memguard_abi::linux::OPOST | memguard_abi::linux::ONLCR,
    c_cflag: memguard_abi::linux::B115200
        | memguard_abi::linux::CS8
        | memguard_abi::linux::CREAD
        | memguard_abi::linux::HUPCL
        | memguard_abi::linux::CLOCAL,
    c_lflag: ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN,
    c_line: 0,
    // ^C ^\ DEL ^U ^D, VTIME 0, VMIN 1, VSWTC 0, ^Q ^S ^Z, VEOL 0, ^R ^O ^W ^V, VEOL2 0.
    c_cc: [3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0, 0, 0],
};

fn is_cntrl(c: u8) -> bool {
    c < 0x20 || c == 0x7f
}

fn is_continuation(c: u8) -> bool {
    c & 0xc0 == 0x80
}

/// The input buffer and editing state of one terminal.
pub struct Ldisc {
    pub termios: termios,
    bytes: [u8; BUF_SIZE],
    ends: [End; BUF_SIZE],
    head: usize,
    len: usize,
    /// Canonical mode: the first `canon` bytes are complete lines.
    canon: usize,
    /// The last byte was VLNEXT: take the next one literally.
    lnext: bool,
    /// The output column (for erasing a tab), and where the line being
    /// edited started.
    column: u32,
    canon_column: u32,
}

impl Default for Ldisc {
    fn default() -> Self {
        Self::new()
    }
}

impl Ldisc {
    pub const fn new() -> Self {
        Ldisc {
            termios: DEFAULT_TERMIOS,
            bytes: [0; BUF_SIZE],
            ends: [End::No; BUF_SIZE],
            head: 0,
            len: 0,
            canon: 0,
            lnext: false,
            column: 0,
            canon_column: 0,
        }
    }

    fn lflag(&self, f: u32) -> bool {
        self.termios.c_lflag & f != 0
    }

    fn iflag(&self, f: u32) -> bool {
        self.termios.c_iflag & f != 0
    }

    /// Whether `c` is control character `index` (a 0 there is disabled).
    fn is(&self, c: u8, index: u32) -> bool {
        let cc = self.termios.c_cc[index as usize];
        cc != 0 && c == cc
    }

    fn canonical(&self) -> bool {
        self.lflag(ICANON)
    }

    fn at(&self, i: usize) -> (u8, End) {
        let k = (self.head + i) % BUF_SIZE;
        (self.bytes[k], self.ends[k])
    }

    fn push(&mut self, c: u8, end: End) {
        let k = (self.head + self.len) % BUF_SIZE;
        self.bytes[k] = c;
        self.ends[k] = end;
        self.len += 1;
        if end != End::No {
            self.canon = self.len;
        }
    }

    fn pop(&mut self) -> (u8, End) {
        let v = self.at(0);
        self.head = (self.head + 1) % BUF_SIZE;
        self.len -= 1;
        self.canon = self.canon.saturating_sub(1);
        v
    }

    /// Bytes a read could take now without blocking: whole lines
    /// (canonical), or everything (raw).
    pub fn available(&self) -> usize {
        if self.canonical() { self.canon } else { self.len }
    }

    /// Whether a read would not block (poll's POLLIN): a complete line in
    /// canonical mode; in raw mode VMIN bytes when VTIME is 0, else one.
    pub fn readable(&self) -> bool {
        if self.canonical() {
            return self.canon > 0;
        }
        let (min, time) = (
            self.termios.c_cc[memguard_abi::linux::VMIN as usize],
            self.termios.c_cc[memguard_abi::linux::VTIME as usize],
        );
        let want = if time == 0 && min > 0 { usize::from(min) } else { 1 };
        self.len >= want
    }

    /// TIOCINQ/FIONREAD: bytes in complete lines (the VEOF markers not
    /// counted) in canonical mode, every byte in raw mode.
    pub fn inq(&self) -> usize {
        if !self.canonical() {
            return self.len;
        }
        (0..self.canon).filter(|&i| self.at(i).1 != End::Eof).count()
    }

    /// Drops all input (TCFLSH, TCSETSF, a signal character).
    pub fn flush_input(&mut self) {
        self.head = 0;
        self.len = 0;
        self.canon = 0;
        self.lnext = false;
    }

    /// Takes new settings. Leaving canonical mode makes every byte
    /// readable; entering it with input waiting makes that input one line
    /// (Linux's n_tty_set_termios).
    pub fn set_termios(&mut self, t: termios) {
        let was = self.canonical();
        self.termios = t;
        if was == self.canonical() {
            return;
        }
        for i in 0..self.len {
            self.ends[(self.head + i) % BUF_SIZE] = End::No;
        }
        self.lnext = false;
        if self.canonical() && self.len > 0 {
            self.ends[(self.head + self.len - 1) % BUF_SIZE] = End::Line;
            self.canon = self.len;
        } else {
            self.canon = 0;
        }
    }

    /// Notes bytes written to the terminal (after output processing), to
    /// keep the output column.
    pub fn note_output(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.column = match b {
                b'\n' | b'\r' => 0,
                b'\t' => (self.column | 7) + 1,
                8 => self.column.saturating_sub(1),
                b if is_cntrl(b) || (self.iflag(IUTF8) && is_continuation(b)) => self.column,
                _ => self.column + 1,
            };
        }
    }

    fn echo_raw(&mut self, out: &mut dyn Echo, bytes: &[u8]) {
        self.note_output(bytes);
        out.put(bytes);
    }

    /// Echoes `c` as typed: a control character as ^X under ECHOCTL.
    fn echo_char(&mut self, out: &mut dyn Echo, c: u8) {
        if self.lflag(ECHOCTL) && is_cntrl(c) && c != b'\t' {
            self.echo_raw(out, &[b'^', c ^ 0x40]);
        } else {
            self.echo_raw(out, &[c]);
        }
    }

    /// Takes one typed byte. Err(NoRoom) leaves it unread.
    pub fn receive(&mut self, c: u8, out: &mut dyn Echo) -> Result<Option<TtySignal>, NoRoom> {
        // Raw input waits while the buffer is full; canonical input too
        // while whole lines wait for a reader. A full buffer holding only
        // the line being edited still takes editing keys and the line's
        // end, so the line can always finish.
        if self.len >= BUF_SIZE - 1 && !(self.canonical() && self.canon == 0) {
            return Err(NoRoom);
        }
        let c = if self.iflag(ISTRIP) { c & 0x7f } else { c };
        if self.lnext {
            self.lnext = false;
            self.store(c, out);
            return Ok(None);
        }
        if self.iflag(IXON) && (self.is(c, VSTART) || self.is(c, VSTOP)) {
            // Flow control: taken, never stored (output is not held back here).
            return Ok(None);
        }
        if self.lflag(ISIG) {
            let sig = if self.is(c, VINTR) {
                Some(TtySignal::Interrupt)
            } else if self.is(c, VQUIT) {
                Some(TtySignal::Quit)
            } else if self.is(c, VSUSP) {
                Some(TtySignal::Suspend)
            } else {
                None
            };
            if let Some(sig) = sig {
                if !self.lflag(NOFLSH) {
                    self.flush_input();
                }
                if self.lflag(ECHO) {
                    self.echo_char(out, c);
                }
                return Ok(Some(sig));
            }
        }
        let c = match c {
            b'\r' if self.iflag(IGNCR) => return Ok(None),
            b'\r' if self.iflag(ICRNL) => b'\n',
            b'\n' if self.iflag(INLCR) => b'\r',
            c => c,
        };
        if self.canonical() && self.special(c, out) {
            return Ok(None);
        }
        self.store(c, out);
        Ok(None)
    }

    /// Canonical mode's editing and line-ending keys; false for an
    /// ordinary byte.
    fn special(&mut self, c: u8, out: &mut dyn Echo) -> bool {
        let iexten = self.lflag(IEXTEN);
        if self.is(c, VERASE) || self.is(c, VKILL) || (iexten && self.is(c, VWERASE)) {
            self.erase(c, out);
        } else if iexten && self.is(c, VLNEXT) {
            self.lnext = true;
            if self.lflag(ECHO) && self.lflag(ECHOCTL) {
                self.echo_raw(out, b"^\x08");
            }
        } else if iexten && self.lflag(ECHO) && self.is(c, VREPRINT) {
            self.echo_char(out, c);
            self.echo_raw(out, b"\n");
            for i in self.canon..self.len {
                let b = self.at(i).0;
                self.echo_char(out, b);
            }
        } else if c == b'\n' {
            if self.lflag(ECHO) || self.lflag(ECHONL) {
                self.echo_raw(out, b"\n");
            }
            self.push(c, End::Line);
        } else if self.is(c, VEOF) {
            self.push(c, End::Eof);
        } else if self.is(c, VEOL) || (iexten && self.is(c, VEOL2)) {
            if self.lflag(ECHO) {
                self.mark_line_start();
                self.echo_char(out, c);
            }
            self.push(c, End::Line);
        } else {
            return false;
        }
        true
    }

    fn mark_line_start(&mut self) {
        if self.len == self.canon {
            self.canon_column = self.column;
        }
    }

    /// An ordinary byte: echoed (ECHO) and stored. A canonical line that
    /// fills the buffer drops further ordinary bytes.
    fn store(&mut self, c: u8, out: &mut dyn Echo) {
        if self.len >= BUF_SIZE - 1 {
            return;
        }
        if self.lflag(ECHO) {
            if c == b'\n' {
                self.echo_raw(out, b"\n");
            } else {
                self.mark_line_start();
                self.echo_char(out, c);
            }
        }
        self.push(c, End::No);
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kill {
    Char,
    Word,
    Line,
}

impl Ldisc {
    /// VERASE, VWERASE, VKILL: takes back the last character, word or the
    /// whole line being edited, echoing the erasure as Linux's eraser()
    /// does (backspace-space-backspace under ECHOE, the key itself
    /// otherwise; ECHOK's newline after a kill without ECHOKE).
    fn erase(&mut self, key: u8, out: &mut dyn Echo) {
        if self.len == self.canon {
            return;
        }
        let kind = if self.is(key, VERASE) {
            Kill::Char
        } else if self.is(key, VWERASE) {
            Kill::Word
        } else {
            Kill::Line
        };
        if kind == Kill::Line {
            if !self.lflag(ECHO) {
                self.len = self.canon;
                return;
            }
            if !self.lflag(ECHOK) || !self.lflag(ECHOKE) || !self.lflag(ECHOE) {
                self.len = self.canon;
                self.echo_char(out, key);
                if self.lflag(ECHOK) {
                    self.echo_raw(out, b"\n");
                }
                return;
            }
        }
        let utf8 = self.iflag(IUTF8);
        let mut seen_alnums = 0;
        while self.len > self.canon {
            // One character: with IUTF8 its continuation bytes too.
            let mut at = self.len - 1;
            while utf8 && is_continuation(self.at(at).0) && at > self.canon {
                at -= 1;
            }
            let c = self.at(at).0;
            if utf8 && is_continuation(c) {
                break;
            }
            if kind == Kill::Word {
                if c.is_ascii_alphanumeric() || c == b'_' {
                    seen_alnums += 1;
                } else if seen_alnums > 0 {
                    break;
                }
            }
            self.len = at;
            if self.lflag(ECHO) {
                self.echo_erasure(c, kind, key, out);
            }
            if kind == Kill::Char {
                break;
            }
        }
    }

    fn echo_erasure(&mut self, c: u8, kind: Kill, key: u8, out: &mut dyn Echo) {
        if kind == Kill::Char && !self.lflag(ECHOE) {
            self.echo_char(out, key);
        } else if c == b'\t' {
            // Back to where the tab started: count the columns of what
            // precedes it on the line (from a previous tab, or from the
            // line's start column).
            let mut cols = 0u32;
            let mut after_tab = false;
            for i in (self.canon..self.len).rev() {
                let b = self.at(i).0;
                if b == b'\t' {
                    after_tab = true;
                    break;
                } else if is_cntrl(b) {
                    if self.lflag(ECHOCTL) {
                        cols += 2;
                    }
                } else if !(self.iflag(IUTF8) && is_continuation(b)) {
                    cols += 1;
                }
            }
            if !after_tab {
                cols += self.canon_column;
            }
            for _ in 0..8 - (cols & 7) {
                self.echo_raw(out, b"\x08");
            }
        } else {
            if is_cntrl(c) && self.lflag(ECHOCTL) {
                self.echo_raw(out, b"\x08 \x08");
            }
            if !is_cntrl(c) || self.lflag(ECHOCTL) {
                self.echo_raw(out, b"\x08 \x08");
            }
        }
    }

    /// Takes input for a read into `buf`: in canonical mode up to the end
    /// of the first line (its NL included, a VEOF not); in raw mode what
    /// is there.
    pub fn take(&mut self, buf: &mut [u8]) -> Take {
        if self.canonical() {
            if self.canon == 0 {
                return Take::Nothing;
            }
            let mut n = 0;
            while n < buf.len() {
                match self.pop() {
                    (_, End::Eof) if n == 0 => return Take::EndOfFile,
                    (_, End::Eof) => break,
                    (c, End::Line) => {
                        buf[n] = c;
                        n += 1;
                        break;
                    }
                    (c, End::No) => {
                        buf[n] = c;
                        n += 1;
                    }
                }
            }
            return Take::Data(n);
        }
        let n = buf.len().min(self.len);
        for slot in buf.iter_mut().take(n) {
            *slot = self.pop().0;
        }
        if n == 0 { Take::Nothing } else { Take::Data(n) }
    }
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;
    use std::vec::Vec;

    impl Echo for Vec<u8> {
        fn put(&mut self, bytes: &[u8]) {
            self.extend_from_slice(bytes);
        }
    }

    /// Feeds `input`; returns the echo and the signals raised.
    fn feed(l: &mut Ldisc, input: &[u8]) -> (Vec<u8>, Vec<TtySignal>) {
        let mut echo = Vec::new();
        let mut sigs = Vec::new();
        for &c in input {
            if let Some(s) = l.receive(c, &mut echo).expect("room") {
                sigs.push(s);
            }
        }
        (echo, sigs)
    }

    fn read(l: &mut Ldisc, max: usize) -> Take {
        let mut buf = vec![0u8; max];
        l.take(&mut buf)
    }

    fn read_str(l: &mut Ldisc) -> Vec<u8> {
        let mut buf = [0u8; 256];
        match l.take(&mut buf) {
            Take::Data(n) => buf[..n].to_vec(),
            other => panic!("expected data, got {other:?}"),
        }
    }

    fn raw() -> termios {
        let mut t = DEFAULT_TERMIOS;
        t.c_lflag &= !(ICANON | ECHO | ISIG | IEXTEN);
        t
    }

    #[test]
    fn default_is_linux_console() {
        let t = DEFAULT_TERMIOS;
        assert_eq!(t.c_iflag, 0o2400); // ICRNL | IXON
        assert_eq!(t.c_oflag, 0o5); // OPOST | ONLCR
        assert_eq!(t.c_lflag, 0o105073);
        assert_eq!(t.c_cc[VINTR as usize], 3);
        assert_eq!(t.c_cc[VERASE as usize], 0x7f);
        assert_eq!(t.c_cc[memguard_abi::linux::VMIN as usize], 1);
    }

    #[test]
    fn canonical_line_waits_for_newline_and_echoes() {
        let mut l = Ldisc::new();
        let (echo, _) = feed(&mut l, b"hi");
        assert_eq!(echo, b"hi");
        assert!(!l.readable());
        assert_eq!(read(&mut l, 10), Take::Nothing);
        let (echo, _) = feed(&mut l, b"\r");
        assert_eq!(echo, b"\n", "CR becomes NL (ICRNL) and echoes as NL");
        assert!(l.readable());
        assert_eq!(l.inq(), 3);
        assert_eq!(read_str(&mut l), b"hi\n");
        assert!(!l.readable());
    }

    #[test]
    fn one_line_per_read_and_short_buffers() {
        let mut l = Ldisc::new();
        feed(&mut l, b"abc\nde\n");
        assert_eq!(read(&mut l, 2), Take::Data(2));
        let mut buf = [0u8; 10];
        assert_eq!(l.take(&mut buf), Take::Data(2));
        assert_eq!(&buf[..2], b"c\n");
        assert_eq!(read_str(&mut l), b"de\n");
    }

    #[test]
    fn erase_kill_and_word_erase() {
        let mut l = Ldisc::new();
        let (echo, _) = feed(&mut l, b"abx\x7fc\n");
        assert_eq!(echo, b"abx\x08 \x08c\n");
        assert_eq!(read_str(&mut l), b"abc\n");
        let (echo, _) = feed(&mut l, b"junk\x15ok\n");
        assert_eq!(echo, b"junk\x08 \x08\x08 \x08\x08 \x08\x08 \x08ok\n", "ECHOKE erases the line visibly");
        assert_eq!(read_str(&mut l), b"ok\n");
        feed(&mut l, b"one two  \x17three\n");
        assert_eq!(read_str(&mut l), b"one three\n");
        // Erasing on an empty line does nothing, echoes nothing.
        let (echo, _) = feed(&mut l, b"\x7f\x7fz\n");
        assert_eq!(echo, b"z\n");
        assert_eq!(read_str(&mut l), b"z\n");
    }

    #[test]
    fn erase_stops_at_a_finished_line() {
        let mut l = Ldisc::new();
        feed(&mut l, b"a\n\x7f\x7fb\n");
        assert_eq!(read_str(&mut l), b"a\n");
        assert_eq!(read_str(&mut l), b"b\n");
    }

    #[test]
    fn control_characters_echo_as_caret() {
        let mut l = Ldisc::new();
        let (echo, _) = feed(&mut l, b"\x01\x7f");
        assert_eq!(echo, b"^A\x08 \x08\x08 \x08", "^A takes two columns to erase");
        let mut t = DEFAULT_TERMIOS;
        t.c_lflag &= !ECHOE;
        l.set_termios(t);
        let (echo, _) = feed(&mut l, b"x\x7f");
        assert_eq!(echo, b"x^?", "without ECHOE the erase key echoes itself");
    }

    #[test]
    fn kill_without_echoke_echoes_key_and_newline() {
        let mut l = Ldisc::new();
        let mut t = DEFAULT_TERMIOS;
        t.c_lflag &= !ECHOKE;
        l.set_termios(t);
        let (echo, _) = feed(&mut l, b"ab\x15");
        assert_eq!(echo, b"ab^U\n");
        assert_eq!(l.available(), 0);
    }

    #[test]
    fn eof_at_line_start_reads_as_end_of_file() {
        let mut l = Ldisc::new();
        let (echo, _) = feed(&mut l, b"\x04");
        assert!(echo.is_empty());
        assert!(l.readable());
        assert_eq!(l.inq(), 0);
        assert_eq!(read(&mut l, 10), Take::EndOfFile);
        // After text, ^D ends the line without a newline; the next ^D is EOF.
        feed(&mut l, b"ab\x04\x04");
        assert_eq!(read_str(&mut l), b"ab");
        assert_eq!(read(&mut l, 10), Take::EndOfFile);
        assert_eq!(read(&mut l, 10), Take::Nothing);
    }

    #[test]
    fn signal_keys_flush_and_echo() {
        let mut l = Ldisc::new();
        let (echo, sigs) = feed(&mut l, b"abc\x03");
        assert_eq!(echo, b"abc^C");
        assert_eq!(sigs, [TtySignal::Interrupt]);
        assert_eq!(l.available(), 0);
        feed(&mut l, b"x\n");
        assert_eq!(read_str(&mut l), b"x\n", "the flush took only what came before");
        let (_, sigs) = feed(&mut l, b"\x1c\x1a");
        assert_eq!(sigs, [TtySignal::Quit, TtySignal::Suspend]);
        // NOFLSH keeps the input; without ISIG ^C is data.
        let mut t = DEFAULT_TERMIOS;
        t.c_lflag |= NOFLSH;
        l.set_termios(t);
        feed(&mut l, b"k\x03\n");
        assert_eq!(read_str(&mut l), b"k\n");
        l.set_termios(raw());
        let (echo, sigs) = feed(&mut l, b"\x03");
        assert!(sigs.is_empty() && echo.is_empty());
        assert_eq!(read_str(&mut l), b"\x03");
    }

    #[test]
    fn disabled_characters_never_match() {
        let mut l = Ldisc::new();
        let mut t = DEFAULT_TERMIOS;
        t.c_cc[VINTR as usize] = 0;
        l.set_termios(t);
        let (echo, sigs) = feed(&mut l, b"\x00\x03\n");
        assert!(sigs.is_empty());
        assert_eq!(echo, b"^@^C\n");
        assert_eq!(read_str(&mut l), b"\x00\x03\n");
    }

    #[test]
    fn raw_mode_takes_bytes_as_they_come() {
        let mut l = Ldisc::new();
        l.set_termios(raw());
        let (echo, _) = feed(&mut l, b"a\rb\x7f");
        assert!(echo.is_empty());
        assert!(l.readable());
        assert_eq!(read(&mut l, 2), Take::Data(2));
        assert_eq!(read_str(&mut l), b"b\x7f");
        assert_eq!(read(&mut l, 4), Take::Nothing);
    }

    #[test]
    fn vmin_decides_readable_for_poll() {
        let mut l = Ldisc::new();
        let mut t = raw();
        t.c_cc[memguard_abi::linux::VMIN as usize] = 3;
        l.set_termios(t);
        feed(&mut l, b"ab");
        assert!(!l.readable());
        feed(&mut l, b"c");
        assert!(l.readable());
        t.c_cc[memguard_abi::linux::VTIME as usize] = 1; // VTIME set: one byte is enough
        l.set_termios(t);
        l.flush_input();
        feed(&mut l, b"a");
        assert!(l.readable());
    }

    #[test]
    fn switching_modes_keeps_typed_ahead_input() {
        let mut l = Ldisc::new();
        feed(&mut l, b"ls\npart");
        l.set_termios(raw());
        assert_eq!(l.available(), 7);
        assert_eq!(read(&mut l, 3), Take::Data(3));
        // Back to canonical: what waits is one line.
        l.set_termios(DEFAULT_TERMIOS);
        assert_eq!(read_str(&mut l), b"part");
        // A ^D typed in canonical mode reads as ^D once raw.
        feed(&mut l, b"\x04");
        l.set_termios(raw());
        assert_eq!(read_str(&mut l), b"\x04");
    }

    #[test]
    fn literal_next_and_reprint() {
        let mut l = Ldisc::new();
        let (echo, _) = feed(&mut l, b"\x16\x7f\n");
        assert_eq!(echo, b"^\x08^?\n");
        assert_eq!(read_str(&mut l), b"\x7f\n");
        let (echo, _) = feed(&mut l, b"ab\x12");
        assert_eq!(echo, b"ab^R\nab");
    }

    #[test]
    fn echonl_and_no_echo() {
        let mut l = Ldisc::new();
        let mut t = DEFAULT_TERMIOS;
        t.c_lflag &= !ECHO;
        t.c_lflag |= ECHONL;
        l.set_termios(t);
        let (echo, _) = feed(&mut l, b"secret\n");
        assert_eq!(echo, b"\n");
        assert_eq!(read_str(&mut l), b"secret\n");
    }

    #[test]
    fn flow_control_keys_are_taken() {
        let mut l = Ldisc::new();
        feed(&mut l, b"a\x13\x11b\n");
        assert_eq!(read_str(&mut l), b"ab\n");
    }

    #[test]
    fn tab_erase_goes_back_to_the_tab_stop() {
        let mut l = Ldisc::new();
        l.note_output(b"$ ");
        let (echo, _) = feed(&mut l, b"a\t\x7f");
        // The line started at column 2; "a" ends at 3; the tab went to 8.
        assert_eq!(echo, b"a\t\x08\x08\x08\x08\x08");
    }

    #[test]
    fn full_buffer_holds_raw_input_back() {
        let mut l = Ldisc::new();
        l.set_termios(raw());
        let mut sink = Vec::new();
        for _ in 0..BUF_SIZE - 1 {
            l.receive(b'x', &mut sink).unwrap();
        }
        assert_eq!(l.receive(b'y', &mut sink), Err(NoRoom));
        assert_eq!(read(&mut l, 1), Take::Data(1));
        assert_eq!(l.receive(b'y', &mut sink), Ok(None));
    }

    #[test]
    fn full_canonical_line_can_still_end() {
        let mut l = Ldisc::new();
        let mut sink = Vec::new();
        for _ in 0..BUF_SIZE + 10 {
            l.receive(b'x', &mut sink).unwrap();
        }
        assert_eq!(l.receive(b'\n', &mut sink), Ok(None));
        assert!(l.readable());
        // Now a line waits: more input is held back.
        assert_eq!(l.receive(b'z', &mut sink), Err(NoRoom));
    }
}

//! The console as a terminal: its line discipline, fed from COM1's input
//! ring; its output processing; its window size; and who owns it (the
//! session it controls and that session's foreground process group).
//! The ownership rules are the task layer's (`task::jobctl`); this module
//! only keeps the numbers.
//!
//! Input is processed when it arrives (IRQ 4, through the task layer,
//! which sends the signals typed) and again by readers after they made
//! room: bytes the line discipline cannot take stay in the serial ring,
//! and the UART holds the rest back.

use super::ldisc::{Echo, Ldisc, NoRoom, Take, TtySignal};
use super::{serial, vga};
use memguard_abi::linux::{ONLCR, OPOST, termios, winsize};
use spin::Mutex;

/// The terminal's state.
pub struct Terminal {
    pub ldisc: Ldisc,
    /// The session it is the controlling terminal of, if any.
    pub session: Option<u32>,
    /// Its foreground process group, if any.
    pub pgrp: Option<u32>,
    pub winsize: winsize,
}

static TTY: Mutex<Terminal> = Mutex::new(Terminal {
    ldisc: Ldisc::new(),
    session: None,
    pgrp: None,
    winsize: winsize { ws_row: 25, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0 },
});

/// Runs `f` on the terminal. Never call into the task layer from `f`.
pub fn with<R>(f: impl FnOnce(&mut Terminal) -> R) -> R {
    f(&mut TTY.lock())
}

/// Sends output to both screens: with OPOST|ONLCR each `\n` goes out as
/// `\r\n` on serial.
fn emit(bytes: &[u8], oflag: u32) {
    if oflag & (OPOST | ONLCR) == OPOST | ONLCR {
        serial::write_bytes(bytes);
    } else {
        serial::write_raw(bytes);
    }
    vga::write_bytes(bytes);
}

/// Echo, processed as output.
struct ConsoleEcho(u32);

impl Echo for ConsoleEcho {
    fn put(&mut self, bytes: &[u8]) {
        emit(bytes, self.0);
    }
}

/// A program's output (write on the console).
pub fn output(bytes: &[u8]) {
    let oflag = {
        let mut t = TTY.lock();
        t.ldisc.note_output(bytes);
        t.ldisc.termios.c_oflag
    };
    emit(bytes, oflag);
}

/// The signal keys typed in one batch of input, in the order to send.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Typed {
    pub interrupt: bool,
    pub quit: bool,
    pub suspend: bool,
}

/// What one `pump` did.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct Pumped {
    /// The signal keys typed.
    pub typed: Typed,
    /// The foreground group to send them to.
    pub pgrp: Option<u32>,
    /// Bytes the line discipline received (zero: nothing changed for a
    /// reader, and nobody needs waking).
    pub bytes: u32,
}

/// Moves the input waiting in the serial ring through the line
/// discipline (echoing it) until it is all taken or the terminal is full.
pub fn pump() -> Pumped {
    serial::poll_input();
    let mut typed = Typed::default();
    let mut bytes = 0;
    let mut t = TTY.lock();
    let mut echo = ConsoleEcho(t.ldisc.termios.c_oflag);
    while let Some(b) = serial::take_byte() {
        bytes += 1;
        match t.ldisc.receive(b, &mut echo) {
            Ok(Some(TtySignal::Interrupt)) => typed.interrupt = true,
            Ok(Some(TtySignal::Quit)) => typed.quit = true,
            Ok(Some(TtySignal::Suspend)) => typed.suspend = true,
            Ok(None) => {}
            Err(NoRoom) => {
                serial::unread(b);
                bytes -= 1;
                break;
            }
        }
    }
    Pumped { typed, pgrp: t.pgrp, bytes }
}

/// Takes input for a read (see `Ldisc::take`).
pub fn take(buf: &mut [u8]) -> Take {
    TTY.lock().ldisc.take(buf)
}

/// Whether a read on the console would not block: a complete line in
/// canonical mode, VMIN bytes (or one, with VTIME) in raw mode. For poll
/// and select.
pub fn readable() -> bool {
    TTY.lock().ldisc.readable()
}

/// The settings now.
pub fn termios() -> termios {
    TTY.lock().ldisc.termios
}

/// New settings; `flush` drops the input first (TCSETSF).
pub fn set_termios(t: termios, flush: bool) {
    let mut tty = TTY.lock();
    if flush {
        tty.ldisc.flush_input();
    }
    tty.ldisc.set_termios(t);
}

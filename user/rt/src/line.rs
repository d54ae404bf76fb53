//! Reading a line from a terminal in raw mode, one byte per `read`.
//!
//! With the terminal's line discipline off (no echo, no erase, no
//! end-of-file key: `tty::raw`), the reader does those itself, and works
//! the same when stdin is a pipe or a file, where `read` returning 0 is end
//! of input.
//!
//! Keys understood: printable bytes; Backspace (0x08) and DEL (0x7f) erase;
//! CR or LF ends the line (CR LF counts once); ^C (0x03) drops the line; ^U
//! (0x15) erases it; ^D (0x04) on an empty line is end of input; ESC [ ...
//! sequences (arrow keys) are skipped; other control bytes are ignored.
use alloc::vec::Vec;

use crate::errno::Errno;
use crate::fs::{self, Fd};
use crate::io::write_all;

/// What one input byte means.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Key {
    Insert(u8),
    Erase,
    EraseLine,
    Submit,
    Cancel,
    EndOfInput,
    Ignore,
}

#[derive(Clone, Copy, PartialEq, Eq, Default, Debug)]
enum State {
    #[default]
    Normal,
    /// The last byte was CR: a LF right after it is part of the same newline.
    AfterCr,
    /// Seen ESC.
    Escape,
    /// Seen ESC [: skip to the final byte (0x40..=0x7e).
    Csi,
}

/// Turns bytes into keys; keeps the little state escape sequences and CR LF need.
#[derive(Default)]
pub struct Decoder {
    state: State,
}

impl Decoder {
    pub fn feed(&mut self, b: u8, line_empty: bool) -> Key {
        let state = core::mem::take(&mut self.state);
        match (state, b) {
            (State::AfterCr, b'\n') => Key::Ignore,
            (State::Escape, b'[') => {
                self.state = State::Csi;
                Key::Ignore
            }
            (State::Escape, _) => Key::Ignore,
            (State::Csi, 0x40..=0x7e) => Key::Ignore,
            (State::Csi, _) => {
                self.state = State::Csi;
                Key::Ignore
            }
            (_, b'\r') => {
                self.state = State::AfterCr;
                Key::Submit
            }
            (_, b'\n') => Key::Submit,
            (_, 0x08 | 0x7f) => Key::Erase,
            (_, 0x03) => Key::Cancel,
            (_, 0x15) => Key::EraseLine,
            (_, 0x04) if line_empty => Key::EndOfInput,
            (_, 0x1b) => {
                self.state = State::Escape;
                Key::Ignore
            }
            (_, b'\t') => Key::Insert(b' '),
            (_, 0x00..=0x1f) => Key::Ignore,
            (_, b) => Key::Insert(b),
        }
    }
}

/// What `read_line` got.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Line {
    /// A line is in the buffer (without its newline).
    Text,
    /// The user dropped the line with ^C.
    Cancelled,
    /// End of input and nothing typed.
    Eof,
}

/// Reads lines from `fd`, echoing to `echo` if given.
pub struct LineReader {
    fd: Fd,
    echo: Option<Fd>,
    max: usize,
    decoder: Decoder,
}

impl LineReader {
    /// Lines longer than `max` bytes are cut (extra bytes are dropped).
    pub fn new(fd: Fd, echo: Option<Fd>, max: usize) -> LineReader {
        LineReader { fd, echo, max, decoder: Decoder::default() }
    }

    fn echo(&self, bytes: &[u8]) {
        if let Some(fd) = self.echo {
            let _ = write_all(fd, bytes);
        }
    }

    /// Reads one line into `line` (cleared first).
    pub fn read_line(&mut self, line: &mut Vec<u8>) -> Result<Line, Errno> {
        line.clear();
        loop {
            let mut b = [0u8];
            match fs::read(self.fd, &mut b) {
                Ok(0) if line.is_empty() => return Ok(Line::Eof),
                Ok(0) => return Ok(Line::Text),
                Ok(_) => {}
                Err(Errno::EINTR) => continue,
                Err(e) => return Err(e),
            }
            match self.decoder.feed(b[0], line.is_empty()) {
                Key::Insert(c) if line.len() < self.max => {
                    line.push(c);
                    self.echo(&[c]);
                }
                Key::Insert(_) | Key::Ignore => {}
                Key::Erase => {
                    if line.pop().is_some() {
                        self.echo(b"\x08 \x08");
                    }
                }
                Key::EraseLine => {
                    for _ in line.drain(..) {
                        self.echo(b"\x08 \x08");
                    }
                }
                Key::Submit => {
                    self.echo(b"\n");
                    return Ok(Line::Text);
                }
                Key::Cancel => {
                    self.echo(b"^C\n");
                    line.clear();
                    return Ok(Line::Cancelled);
                }
                Key::EndOfInput => return Ok(Line::Eof),
            }
        }
    }
}

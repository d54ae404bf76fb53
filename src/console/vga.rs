//! VGA text mode: 80×25 cells at physical 0xB8000, each a character byte and
//! an attribute byte (background << 4 | foreground), written with volatile
//! stores because the screen reads them, not the CPU.

use core::ptr::NonNull;
use spin::Mutex;
use volatile::VolatilePtr;

use crate::mm::layout::phys_to_virt;

const WIDTH: usize = 80;
const HEIGHT: usize = 25;
const BUFFER_PHYS: u32 = 0xB8000;

/// VGA's 16 text colours.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u8)]
pub enum Color {
    Black = 0,
    Blue = 1,
    Green = 2,
    Cyan = 3,
    Red = 4,
    Brown = 6,
    LightGray = 7,
    DarkGray = 8,
    LightRed = 12,
    Yellow = 14,
    White = 15,
}

struct Screen {
    col: usize,
    row: usize,
    attr: u8,
}

static SCREEN: Mutex<Screen> = Mutex::new(Screen { col: 0, row: 0, attr: 0x07 });

fn cell(index: usize) -> VolatilePtr<'static, u16> {
    debug_assert!(index < WIDTH * HEIGHT);
    let base = phys_to_virt(BUFFER_PHYS) as *mut u16;
    // SAFETY: the direct map covers physical 0xB8000 for the kernel's whole
    // life, and index < 80*25 keeps the pointer inside the text buffer.
    unsafe { VolatilePtr::new(NonNull::new_unchecked(base.add(index))) }
}

impl Screen {
    fn put(&mut self, byte: u8) {
        match byte {
            b'\n' => self.newline(),
            b'\r' => self.col = 0,
            0x08 => {
                if self.col > 0 {
                    self.col -= 1;
                    cell(self.row * WIDTH + self.col).write(u16::from(self.attr) << 8 | u16::from(b' '));
                }
            }
            _ => {
                if self.col == WIDTH {
                    self.newline();
                }
                let shown = if (0x20..0x7f).contains(&byte) { byte } else { 0xfe };
                cell(self.row * WIDTH + self.col).write(u16::from(self.attr) << 8 | u16::from(shown));
                self.col += 1;
            }
        }
    }

    fn newline(&mut self) {
        self.col = 0;
        if self.row + 1 < HEIGHT {
            self.row += 1;
            return;
        }
        let base = phys_to_virt(BUFFER_PHYS) as *mut u16;
        // SAFETY: both ranges lie inside the 80×25 text buffer (direct
        // mapped for good); `copy` handles the overlap. A plain memmove is
        // fine for VGA memory: it has no read side effects, and the call
        // cannot be optimised away since the buffer escapes to hardware.
        unsafe { core::ptr::copy(base.add(WIDTH), base, WIDTH * (HEIGHT - 1)) };
        self.clear_row(HEIGHT - 1);
    }

    fn clear_row(&mut self, row: usize) {
        for col in 0..WIDTH {
            cell(row * WIDTH + col).write(u16::from(self.attr) << 8 | u16::from(b' '));
        }
    }
}

/// Blanks the screen and homes the cursor.
pub fn clear() {
    let mut s = SCREEN.lock();
    for row in 0..HEIGHT {
        s.clear_row(row);
    }
    s.col = 0;
    s.row = 0;
}

/// Sets the colour of what is written next.
pub fn set_color(fg: Color, bg: Color) {
    SCREEN.lock().attr = (bg as u8) << 4 | fg as u8;
}

pub fn write_str(s: &str) {
    write_bytes(s.as_bytes());
}

pub fn write_bytes(bytes: &[u8]) {
    let mut s = SCREEN.lock();
    for &b in bytes {
        s.put(b);
    }
}

/// Releases the screen lock for the panic path.
///
/// # Safety
/// Only the panic path may call this: the interrupted writer never resumes.
pub unsafe fn force_unlock() {
    // SAFETY: the caller guarantees the holder will not run again.
    unsafe { SCREEN.force_unlock() };
}

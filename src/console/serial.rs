//! COM1 (I/O port 0x3F8) through the `uart_16550` driver.
//!
//! Output is polled. Input arrives through IRQ 4 into a ring buffer that
//! the terminal (`tty::pump`) drains; `poll_input` also moves bytes by hand.

use spin::Mutex;
use uart_16550::backend::PioBackend;
use uart_16550::{Config, Uart16550};

const COM1: u16 = 0x3F8;
const INPUT_CAPACITY: usize = 1024;

static PORT: Mutex<Option<Uart16550<PioBackend>>> = Mutex::new(None);
static INPUT: Mutex<InputRing> = Mutex::new(InputRing::new());

/// Bytes received but not yet read. When it is full the rest stay in the
/// UART, which then stops accepting more: input is held back, never lost.
struct InputRing {
    buf: [u8; INPUT_CAPACITY],
    head: usize,
    len: usize,
}

impl InputRing {
    const fn new() -> Self {
        Self { buf: [0; INPUT_CAPACITY], head: 0, len: 0 }
    }
    fn is_full(&self) -> bool {
        self.len == INPUT_CAPACITY
    }
    fn push(&mut self, b: u8) {
        debug_assert!(!self.is_full());
        self.buf[(self.head + self.len) % INPUT_CAPACITY] = b;
        self.len += 1;
    }
    fn push_front(&mut self, b: u8) {
        if self.is_full() {
            return;
        }
        self.head = (self.head + INPUT_CAPACITY - 1) % INPUT_CAPACITY;
        self.buf[self.head] = b;
        self.len += 1;
    }
    fn pop(&mut self) -> Option<u8> {
        if self.len == 0 {
            return None;
        }
        let b = self.buf[self.head];
        self.head = (self.head + 1) % INPUT_CAPACITY;
        self.len -= 1;
        Some(b)
    }
}

/// Programs COM1 for 115200 8N1. Without a UART the console is VGA only.
pub fn init() {
    let mut port = PORT.lock();
    if port.is_some() {
        return;
    }
    save_early_input();
    // SAFETY: 0x3F8..0x3FF are COM1's registers on every PC and nothing else
    // in the kernel drives them; the driver is kept in PORT for good.
    let Ok(mut uart) = (unsafe { Uart16550::new_port(COM1) }) else { return };
    if uart.init(Config::default()).is_ok() {
        *port = Some(uart);
    }
}

/// Keeps bytes that arrived before the kernel took over the UART: the
/// driver's init discards stale input, as Linux's does. (Input sent before
/// the kernel is up can still be lost in the instant of the init itself;
/// tools/qemu-run.sh holds piped input back until the kernel has spoken.)
fn save_early_input() {
    use crate::arch::x86::instructions::inb;
    const LSR_DATA_READY: u8 = 1;
    let mut input = INPUT.lock();
    while !input.is_full() {
        // SAFETY: reading COM1's line-status and data registers has no
        // effect beyond taking the received byte, which we keep.
        let ready = unsafe { inb(COM1 + 5) } & LSR_DATA_READY != 0;
        if !ready {
            break;
        }
        // SAFETY: as above.
        input.push(unsafe { inb(COM1) });
    }
}

/// Sends bytes, turning each `\n` into `\r\n`.
pub fn write_bytes(bytes: &[u8]) {
    let mut port = PORT.lock();
    let Some(uart) = port.as_mut() else { return };
    for chunk in bytes.split_inclusive(|&b| b == b'\n') {
        match chunk.split_last() {
            Some((b'\n', head)) => {
                uart.send_bytes_exact(head);
                uart.send_bytes_exact(b"\r\n");
            }
            _ => uart.send_bytes_exact(chunk),
        }
    }
}

/// Sends bytes as they are (a terminal without ONLCR output processing).
pub fn write_raw(bytes: &[u8]) {
    if let Some(uart) = PORT.lock().as_mut() {
        uart.send_bytes_exact(bytes);
    }
}

/// Lets the UART raise IRQ 4 when a byte arrives.
pub fn enable_receive_interrupt() {
    if let Some(uart) = PORT.lock().as_mut() {
        uart.enable_interrupts(uart_16550::spec::registers::IER::DATA_READY);
    }
}

/// Moves every byte waiting in the UART into the input ring. Called from
/// the IRQ 4 handler and by readers that poll. Returns how many arrived.
pub fn poll_input() -> usize {
    let mut port = PORT.lock();
    let Some(uart) = port.as_mut() else { return 0 };
    let mut input = INPUT.lock();
    let mut n = 0;
    while !input.is_full() {
        let Ok(b) = uart.try_receive_byte() else { break };
        input.push(b);
        n += 1;
    }
    n
}

/// The oldest byte in the input ring, if any (without asking the UART).
pub fn take_byte() -> Option<u8> {
    INPUT.lock().pop()
}

/// Puts a byte back to be read first next time.
pub fn unread(b: u8) {
    INPUT.lock().push_front(b);
}

/// Drops the console lock if a panic interrupted a writer, so the panic
/// report can still get out.
///
/// # Safety
/// Only the panic path may call this: the interrupted writer never resumes.
pub unsafe fn force_unlock() {
    // SAFETY: the caller guarantees the holder will not run again.
    unsafe { PORT.force_unlock() };
}

//! The `log` crate's backend: `[ warn] target: message` on both consoles,
//! the level coloured on VGA. Serial stays plain text so tests can match it.

use super::vga::{self, Color};
use log::{Level, LevelFilter, Log, Metadata, Record};

struct KernelLogger;

static LOGGER: KernelLogger = KernelLogger;

impl Log for KernelLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if !self.enabled(record.metadata()) {
            return;
        }
        let (tag, color) = match record.level() {
            Level::Error => ("error", Color::LightRed),
            Level::Warn => (" warn", Color::Yellow),
            Level::Info => (" info", Color::Green),
            Level::Debug => ("debug", Color::Cyan),
            Level::Trace => ("trace", Color::DarkGray),
        };
        super::try_with_kmsg(|k| {
            k.set_level(match record.level() {
                Level::Error => super::kmsg::LEVEL_ERR,
                Level::Warn => super::kmsg::LEVEL_WARNING,
                Level::Info => super::kmsg::LEVEL_INFO,
                Level::Debug | Level::Trace => super::kmsg::LEVEL_DEBUG,
            })
        });
        super::serial::write_bytes(b"[");
        super::serial::write_bytes(tag.as_bytes());
        super::serial::write_bytes(b"] ");
        vga::set_color(color, Color::Black);
        vga::write_str(tag);
        vga::set_color(Color::LightGray, Color::Black);
        vga::write_str(" ");
        crate::kprintln!("{}", record.args());
    }

    fn flush(&self) {}
}

/// Installs the logger; the level comes from the command line later (`log=`).
pub fn init() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(LevelFilter::Info);
    }
}

/// Parses a `log=` value from the kernel command line.
pub fn parse_level(s: &str) -> Option<LevelFilter> {
    match s {
        "error" => Some(LevelFilter::Error),
        "warn" => Some(LevelFilter::Warn),
        "info" => Some(LevelFilter::Info),
        "debug" => Some(LevelFilter::Debug),
        "trace" => Some(LevelFilter::Trace),
        _ => None,
    }
}

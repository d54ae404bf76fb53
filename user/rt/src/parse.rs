//! Number parsing for command arguments.

/// Parses "123", "0x7b" or "0X7B".
pub fn parse_u32(s: &str) -> Option<u32> {
    match s.strip_prefix("0x").or_else(|| s.strip_prefix("0X")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok(),
        None => s.parse().ok(),
    }
}

/// Parses a signed decimal ("-1", "42").
pub fn parse_i32(s: &str) -> Option<i32> {
    s.parse().ok()
}

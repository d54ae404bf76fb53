//! The kernel command line: space-separated words, some of them `key=value`
//! (`init=/bin/sh`, `log=debug`). Unknown words are kept for whoever wants them.

/// The value of the last `key=value` word for `key`, if any.
pub fn value<'a>(cmdline: &'a str, key: &str) -> Option<&'a str> {
    cmdline
        .split_ascii_whitespace()
        .filter_map(|w| w.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .last()
}

/// Whether the bare word `flag` is present.
pub fn has_flag(cmdline: &str, flag: &str) -> bool {
    cmdline.split_ascii_whitespace().any(|w| w == flag)
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    #[test]
    fn finds_last_value() {
        let c = "/boot/kernel.elf init=/bin/sh log=debug init=/bin/init quiet";
        assert_eq!(value(c, "init"), Some("/bin/init"));
        assert_eq!(value(c, "log"), Some("debug"));
        assert_eq!(value(c, "nothing"), None);
        assert!(has_flag(c, "quiet"));
        assert!(!has_flag(c, "loud"));
    }

    #[test]
    fn empty_and_odd_lines() {
        assert_eq!(value("", "init"), None);
        assert_eq!(value("init=", "init"), Some(""));
        assert_eq!(value("a=b=c", "a"), Some("b=c"));
    }
}

//! The kernel command line: space-separated words, some of them `key=value`
//! (`init=/bin/sh`, `log=debug`). Unknown words are kept for whoever wants them.

/// The value of the last `key=value` word for `key`, if any.
pub fn value<'a>(cmdline: &'a str, key: &str) -> Option<&'a str> {
    cmdline
        .split_ascii_whitespace()
        .take_while(|w| *w != "--")
        .filter_map(|w| w.split_once('='))
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v)
        .last()
}

/// The words after a lone `--`: extra arguments for init, as on Linux.
pub fn init_args(cmdline: &str) -> impl Iterator<Item = &str> {
    cmdline.split_ascii_whitespace().skip_while(|w| *w != "--").skip(1)
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
    fn init_arguments_follow_a_double_dash() {
        let c = "init=/bin/bench log=info -- --pages 16 --reps 3";
        assert_eq!(init_args(c).collect::<Vec<_>>(), vec!["--pages", "16", "--reps", "3"]);
        assert_eq!(init_args("init=/bin/sh").count(), 0);
        assert_eq!(value(c, "init"), Some("/bin/bench"));
    }

    #[test]
    fn empty_and_odd_lines() {
        assert_eq!(value("", "init"), None);
        assert_eq!(value("init=", "init"), Some(""));
        assert_eq!(value("a=b=c", "a"), Some("b=c"));
    }
}

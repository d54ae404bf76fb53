//! The kernel command line, split as Linux's `next_arg` splits it: words
//! separated by spaces outside double quotes, some of them `key=value`
//! (`init=/bin/sh`, `log=debug`); a leading quote of a word or of its value
//! is dropped with its closing one, so `init="/bin/my prog"` and
//! `-- "hello world"` carry spaces. Words after a lone `--` are init's
//! arguments. Unknown words are kept for whoever wants them. Pure.

use alloc::string::String;

/// One word: its name and, for `key=value`, the value (quotes dropped).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Word<'a> {
    pub key: &'a str,
    pub value: Option<&'a str>,
}

impl Word<'_> {
    /// The word as init sees it in argv: `key=value`, or the bare key.
    pub fn to_arg(self) -> String {
        match self.value {
            Some(v) => alloc::format!("{}={v}", self.key),
            None => String::from(self.key),
        }
    }
}

/// Every word of the command line, in order.
pub fn words(cmdline: &str) -> impl Iterator<Item = Word<'_>> {
    let mut rest = cmdline;
    core::iter::from_fn(move || {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        if rest.is_empty() {
            return None;
        }
        let (word, after) = split_word(rest);
        rest = after;
        Some(parse_word(word))
    })
}

/// The first word of `s` (which starts with no space) and what follows.
fn split_word(s: &str) -> (&str, &str) {
    let mut in_quote = false;
    for (i, c) in s.char_indices() {
        if c == '"' {
            in_quote = !in_quote;
        } else if c.is_ascii_whitespace() && !in_quote {
            return (&s[..i], &s[i..]);
        }
    }
    (s, "")
}

/// One raw word as Linux's next_arg reads it.
fn parse_word(w: &str) -> Word<'_> {
    let quoted = w.starts_with('"');
    let w = if quoted { &w[1..] } else { w };
    let w = if quoted { w.strip_suffix('"').unwrap_or(w) } else { w };
    match w.split_once('=') {
        Some((key, value)) => {
            let value = match value.strip_prefix('"') {
                Some(v) if !quoted => v.strip_suffix('"').unwrap_or(v),
                Some(v) => v,
                None => value,
            };
            Word { key, value: Some(value) }
        }
        None => Word { key: w, value: None },
    }
}

/// The words before a lone `--` (the kernel's own).
fn kernel_words(cmdline: &str) -> impl Iterator<Item = Word<'_>> {
    words(cmdline).take_while(|w| *w != Word { key: "--", value: None })
}

/// The value of the last `key=value` word for `key`, if any.
pub fn value<'a>(cmdline: &'a str, key: &str) -> Option<&'a str> {
    kernel_words(cmdline).filter(|w| w.key == key).filter_map(|w| w.value).last()
}

/// The words after a lone `--`: extra arguments for init, as on Linux.
pub fn init_args(cmdline: &str) -> impl Iterator<Item = String> + '_ {
    words(cmdline).skip_while(|w| *w != Word { key: "--", value: None }).skip(1).map(Word::to_arg)
}

/// Whether the bare word `flag` is present.
pub fn has_flag(cmdline: &str, flag: &str) -> bool {
    kernel_words(cmdline).any(|w| w.key == flag && w.value.is_none())
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
        assert_eq!(value("-- init=/bin/x", "init"), None, "init's own arguments are not the kernel's");
    }

    #[test]
    fn quotes_carry_spaces_as_on_linux() {
        let c = r#"init="/bin/my prog" log=debug -- "hello world" x="a b" plain"#;
        assert_eq!(value(c, "init"), Some("/bin/my prog"));
        assert_eq!(value(c, "log"), Some("debug"));
        assert_eq!(init_args(c).collect::<Vec<_>>(), vec!["hello world", "x=a b", "plain"]);
        // A quoted whole word, and a quote in the middle (kept, as Linux keeps it).
        assert_eq!(words(r#""a=b c""#).collect::<Vec<_>>(), vec![Word { key: "a", value: Some("b c") }]);
        assert_eq!(words(r#"a"b c"d"#).collect::<Vec<_>>(), vec![Word { key: r#"a"b c"d"#, value: None }]);
        // An unclosed quote runs to the end.
        assert_eq!(init_args(r#"-- "no end here"#).collect::<Vec<_>>(), vec!["no end here"]);
    }

    #[test]
    fn empty_and_odd_lines() {
        assert_eq!(value("", "init"), None);
        assert_eq!(value("init=", "init"), Some(""));
        assert_eq!(value("a=b=c", "a"), Some("b=c"));
        assert_eq!(words("   ").count(), 0);
        assert_eq!(init_args("--").count(), 0);
    }
}

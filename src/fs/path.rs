//! Path lookup as Linux walks it, over a tree given by a function that says
//! what a canonical absolute path names. Pure (host-tested).
//!
//! Rules (path_resolution(7)): components longer than NAME_MAX are
//! ENAMETOOLONG; a file used as a directory (`/bin/sh/x`, `/bin/sh/`,
//! `/bin/sh/..`) is ENOTDIR; a missing component is ENOENT; the kernel has no
//! working directory, so relative paths start at `/`.

use alloc::string::String;
use alloc::vec::Vec;
use memguard_abi::Errno;

/// Linux's NAME_MAX: the longest path component.
pub const NAME_MAX: usize = 255;

/// What a canonical path names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    File,
    Directory,
    Missing,
}

/// Resolves `path` to its canonical form and what it names. A missing last
/// component gives `Kind::Missing` (open with O_CREAT wants to know); any
/// other missing or misused component is an error.
pub fn resolve(path: &str, kind_of: impl Fn(&str) -> Kind) -> Result<(String, Kind), Errno> {
    if path.is_empty() {
        return Err(Errno::ENOENT);
    }
    let comps: Vec<&str> = path.split('/').collect();
    let mut parts: Vec<&str> = Vec::new();
    let mut kind = Kind::Directory; // the root
    let joined = |parts: &[&str]| {
        let mut s = String::from("/");
        s.push_str(&parts.join("/"));
        s
    };
    for (i, comp) in comps.iter().enumerate() {
        if comp.len() > NAME_MAX {
            return Err(Errno::ENAMETOOLONG);
        }
        let last = i + 1 == comps.len();
        match *comp {
            "" if i == 0 => {}
            "" | "." | ".." if kind == Kind::File => return Err(Errno::ENOTDIR),
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            name => {
                match kind {
                    Kind::File => return Err(Errno::ENOTDIR),
                    Kind::Missing => return Err(Errno::ENOENT),
                    Kind::Directory => {}
                }
                parts.push(name);
                kind = kind_of(&joined(&parts));
                if kind == Kind::Missing && !last {
                    return Err(Errno::ENOENT);
                }
            }
        }
    }
    Ok((joined(&parts), kind))
}

#[cfg(all(test, not(target_os = "none")))]
mod tests {
    use super::*;

    fn tree(p: &str) -> Kind {
        match p {
            "/" | "/bin" | "/dev" => Kind::Directory,
            "/bin/sh" | "/dev/null" => Kind::File,
            _ => Kind::Missing,
        }
    }

    fn r(p: &str) -> Result<(String, Kind), Errno> {
        resolve(p, tree)
    }

    #[test]
    fn ordinary_paths() {
        assert_eq!(r("/bin/sh"), Ok(("/bin/sh".into(), Kind::File)));
        assert_eq!(r("//bin//sh"), Ok(("/bin/sh".into(), Kind::File)));
        assert_eq!(r("/bin/./sh"), Ok(("/bin/sh".into(), Kind::File)));
        assert_eq!(r("/dev/../bin/sh"), Ok(("/bin/sh".into(), Kind::File)));
        assert_eq!(r("/../bin/sh"), Ok(("/bin/sh".into(), Kind::File)));
        assert_eq!(r("bin/sh"), Ok(("/bin/sh".into(), Kind::File)), "relative to /");
        assert_eq!(r("/"), Ok(("/".into(), Kind::Directory)));
        assert_eq!(r("/bin/"), Ok(("/bin".into(), Kind::Directory)));
    }

    #[test]
    fn errors_as_linux_gives_them() {
        assert_eq!(r(""), Err(Errno::ENOENT));
        assert_eq!(r("/bin/sh/"), Err(Errno::ENOTDIR));
        assert_eq!(r("/bin/sh/x"), Err(Errno::ENOTDIR));
        assert_eq!(r("/bin/sh/.."), Err(Errno::ENOTDIR));
        assert_eq!(r("/bin/sh/."), Err(Errno::ENOTDIR));
        assert_eq!(r("/nope/x"), Err(Errno::ENOENT));
        assert_eq!(r("/bin/nope"), Ok(("/bin/nope".into(), Kind::Missing)));
        let long = "a".repeat(256);
        assert_eq!(r(&format!("/bin/{long}")), Err(Errno::ENAMETOOLONG));
        assert_eq!(r(&format!("/bin/{}", "a".repeat(255))), Ok((format!("/bin/{}", "a".repeat(255)), Kind::Missing)));
    }
}

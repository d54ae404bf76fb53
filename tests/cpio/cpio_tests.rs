//! Host tests of src/fs/cpio.rs (included there as its `tests` module):
//! hand-built archives, one per rule and per hostile case, and archives
//! written by GNU cpio (`make-fixtures.sh`) and by tools/mkinitramfs.sh.

use super::*;

/// One entry as raw parts, so a test can break any of them.
#[derive(Clone)]
struct E {
    magic: &'static str,
    /// ino, mode, uid, gid, nlink, mtime, filesize, devmajor, devminor,
    /// rdevmajor, rdevminor, namesize, check (the order of `FIELDS`).
    f: [u32; 13],
    name: Vec<u8>,
    data: Vec<u8>,
}

impl E {
    /// A well-formed entry: sizes from `name` and `data`, nlink 1.
    fn new(name: &str, mode: u32, data: &[u8]) -> E {
        let mut n = name.as_bytes().to_vec();
        n.push(0);
        let f = [1, mode, 0, 0, 1, 0, data.len() as u32, 0, 0, 0, 0, n.len() as u32, 0];
        E { magic: "070701", f, name: n, data: data.to_vec() }
    }

    fn set(mut self, field: &str, value: u32) -> E {
        self.f[FIELDS.iter().position(|&x| x == field).unwrap()] = value;
        self
    }

    /// Header, name, zeros to 4, data, zeros to 4 (alone, it starts at 0).
    fn bytes(&self) -> Vec<u8> {
        let mut v = self.magic.as_bytes().to_vec();
        for x in self.f {
            v.extend(format!("{x:08X}").bytes());
        }
        v.extend(&self.name);
        pad4(&mut v);
        v.extend(&self.data);
        pad4(&mut v);
        v
    }
}

fn pad4(v: &mut Vec<u8>) {
    v.resize(v.len().next_multiple_of(4), 0);
}

fn dir(name: &str) -> E {
    E::new(name, 0o40755, b"")
}
fn file(name: &str, data: &[u8]) -> E {
    E::new(name, 0o100644, data)
}
fn symlink(name: &str, target: &[u8]) -> E {
    E::new(name, 0o120777, target)
}
fn trailer() -> E {
    E::new("TRAILER!!!", 0, b"")
}

/// The entries, then a trailer.
fn archive(es: &[E]) -> Vec<u8> {
    es.iter().chain([&trailer()]).flat_map(E::bytes).collect()
}

fn all(a: &[u8]) -> Result<Vec<Entry<'_>>, Error<'_>> {
    entries(a).collect()
}

fn names(a: &[u8]) -> Vec<&str> {
    all(a).unwrap().iter().map(|e| e.name).collect()
}

/// The kind of the error `a` ends with.
fn refused(a: &[u8]) -> ErrorKind {
    all(a).unwrap_err().kind
}

static GNU_NEWC: &[u8] = include_bytes!("gnu-newc.cpio");
static GNU_CRC: &[u8] = include_bytes!("gnu-crc.cpio");
static MKINITRAMFS: &[u8] = include_bytes!("mkinitramfs.cpio");

#[test]
fn reads_every_file_type() {
    let a = archive(&[
        dir("."),
        dir("bin"),
        E::new("./bin/sh", 0o100755, b"#!").set("ino", 42).set("uid", 1000).set("gid", 100).set("mtime", 1_700_000_000),
        symlink("/bin/link", b"sh"),
        E::new("dev/console", 0o20600, b"").set("rdevmajor", 5).set("rdevminor", 1),
        E::new("dev/sda1", 0o60660, b"").set("rdevmajor", 8).set("rdevminor", 1),
        E::new("dev/big", 0o20600, b"").set("rdevmajor", 4).set("rdevminor", 300),
        E::new("run/fifo", 0o10644, b""),
        E::new("run/sock", 0o140755, b""),
    ]);
    let es = all(&a).unwrap();
    let got: Vec<_> = es.iter().map(|e| (e.name, e.file_type, e.permissions(), e.data)).collect();
    use FileType::*;
    assert_eq!(
        got,
        [
            ("", Directory, 0o755, &b""[..]),
            ("bin", Directory, 0o755, b""),
            ("bin/sh", Regular, 0o755, b"#!"),
            ("bin/link", Symlink, 0o777, b"sh"),
            ("dev/console", CharDevice, 0o600, b""),
            ("dev/sda1", BlockDevice, 0o660, b""),
            ("dev/big", CharDevice, 0o600, b""),
            ("run/fifo", Fifo, 0o644, b""),
            ("run/sock", Socket, 0o755, b""),
        ]
    );
    let sh = es[2];
    assert_eq!((sh.mode, sh.ino, sh.uid, sh.gid, sh.nlink, sh.mtime), (0o100755, 42, 1000, 100, 1, 1_700_000_000));
    assert_eq!((sh.archive, sh.rdev, sh.offset), (0, 0, 112 + 116));
    // new_encode_dev, as stat's st_rdev shows it, and back.
    assert_eq!((es[4].rdev, es[4].rdev_pair()), (0x501, (5, 1)));
    assert_eq!((es[5].rdev, es[5].rdev_pair()), (0x801, (8, 1)));
    assert_eq!((es[6].rdev, es[6].rdev_pair()), (0x10_042c, (4, 300)));
}

#[test]
fn names_lose_leading_slashes_and_dots() {
    let a = archive(&[dir("."), dir("./"), dir("/"), dir("/."), file("/a", b""), file("./b", b""), file("//./c", b"")]);
    assert_eq!(names(&a), ["", "", "", "", "a", "b", "c"]);
    let long = "n".repeat(NAME_MAX);
    assert_eq!(names(&archive(&[file(&long, b"")])), [long.as_str()]);
    assert_eq!(names(&archive(&[])), Vec::<&str>::new());
}

#[test]
fn archives_written_by_gnu_cpio() {
    let es = all(GNU_NEWC).unwrap();
    let got: Vec<_> = es.iter().map(|e| (e.name, e.mode, e.data)).collect();
    assert_eq!(
        got,
        [
            ("", 0o40755, &b""[..]),
            ("bin", 0o40755, b""),
            ("bin/hello", 0o100755, b"hello\n"),
            ("bin/sh", 0o120777, b"hello"),
            ("dev", 0o40755, b""),
            ("dev/console", 0o20644, b""),
            ("etc", 0o40755, b""),
            ("etc/hard1", 0o100644, b""),
            ("etc/hard2", 0o100644, b"linked\n"),
            ("etc/passwd", 0o100644, b"root:x:0:0:root:/root:/bin/sh\n"),
            ("run", 0o40755, b""),
            ("run/fifo", 0o10644, b""),
            ("tmp", 0o41777, b""),
        ]
    );
    assert!(es.iter().all(|e| e.mtime == 1_700_000_000 && e.uid == 0 && e.archive == 0));
    assert_eq!(es[5].rdev_pair(), (5, 1));
    // cpio puts a hard-link group's data on its last entry.
    let mut links = HardLinks::new();
    let targets: Vec<_> = es.iter().map(|e| links.target(e)).collect();
    assert_eq!(targets[7], None);
    assert_eq!(targets[8], Some("etc/hard1"));
    assert_eq!(targets.iter().flatten().count(), 1);
    // The checksummed format holds the same entries, checksums verified.
    assert_eq!(all(GNU_CRC).unwrap(), es);
}

#[test]
fn checksums_of_070702_are_verified() {
    let sum = u32::from(b'h') + u32::from(b'i');
    let good = E { magic: "070702", ..file("f", b"hi") }.set("check", sum);
    assert_eq!(all(&archive(std::slice::from_ref(&good))).unwrap()[0].data, b"hi");
    let bad = good.clone().set("check", sum + 1);
    assert_eq!(refused(&archive(std::slice::from_ref(&bad))), ErrorKind::BadChecksum { header: sum + 1, data: sum });
    // 070701 ignores the field, and only regular files are summed.
    assert!(all(&archive(&[E { magic: "070701", ..bad }])).is_ok());
    assert!(all(&archive(&[E { magic: "070702", ..dir("d") }.set("check", 7)])).is_ok());
    // One byte of GNU cpio's bin/hello changed.
    let mut a = GNU_CRC.to_vec();
    let at = a.windows(6).position(|w| w == b"hello\n").unwrap();
    a[at] = b'j';
    assert_eq!(refused(&a), ErrorKind::BadChecksum { header: 542, data: 544 });
}

#[test]
fn concatenated_archives_and_zeros_between() {
    let mut a = vec![0; 8];
    a.extend(archive(&[file("a", b"1"), file("b", b"2")]));
    a.extend([0; 512]);
    a.extend(archive(&[file("c", b"3")]));
    a.extend([0; 7]);
    let es = all(&a).unwrap();
    assert_eq!(es.iter().map(|e| (e.name, e.archive)).collect::<Vec<_>>(), [("a", 0), ("b", 0), ("c", 1)]);
    // Zeros between the entries of one archive, as Linux's Reset state skips them.
    let mut a = file("a", b"1").bytes();
    a.extend([0; 12]);
    a.extend(archive(&[file("b", b"2")]));
    assert_eq!(names(&a), ["a", "b"]);
    assert!(all(&[]).unwrap().is_empty());
    assert!(all(&[0; 100]).unwrap().is_empty());
    assert_eq!(names(GNU_NEWC.repeat(2).as_slice()).len(), 26);
}

#[test]
fn hard_links_link_to_the_first_of_their_group() {
    let link = |name: &str, data: &[u8]| file(name, data).set("ino", 7).set("nlink", 3);
    let a = archive(&[
        link("x", b""),
        link("y", b""),
        dir("d").set("ino", 7).set("nlink", 3),
        symlink("s", b"x").set("ino", 7).set("nlink", 3),
        link("z", b"data"),
        file("one", b"").set("ino", 7),
        link("otherdev", b"").set("devminor", 1),
    ]);
    let mut a2 = a.clone();
    a2.extend(archive(&[link("next", b"")]));
    let es = all(&a2).unwrap();
    let mut links = HardLinks::new();
    let targets: Vec<_> = es.iter().map(|e| (e.name, links.target(e))).collect();
    assert_eq!(
        targets,
        [
            ("x", None),
            ("y", Some("x")),
            ("d", None),
            ("s", None),
            ("z", Some("x")),
            ("one", None),
            ("otherdev", None),
            ("next", None), // the trailer ends every group
        ]
    );
    assert_eq!(es[4].data, b"data");
}

#[test]
fn hostile_names_are_refused() {
    use ErrorKind::*;
    let named = |name: &[u8]| E { name: name.to_vec(), ..file("", b"") }.set("namesize", name.len() as u32);
    let cases: [(E, ErrorKind); 18] = [
        (named(b""), EmptyName),
        (named(b"\0"), EmptyName),
        (named(b"abc"), NameNotTerminated),
        (named(b"a\0b\0"), NameHasNul),
        (named(b"\xff\0"), NameNotUtf8),
        (file("../etc/passwd", b""), DotDotComponent),
        (file("a/../../b", b""), DotDotComponent),
        (file("/..", b""), DotDotComponent),
        (file("./..", b""), DotDotComponent),
        (file("a/..", b""), DotDotComponent),
        (file("a//b", b""), EmptyComponent),
        (file("a/", b""), EmptyComponent),
        (file("a/./b", b""), DotComponent),
        (file("a/.", b""), DotComponent),
        (file(&"n".repeat(NAME_MAX + 1), b""), ComponentTooLong),
        (file(".", b""), RootNotDirectory),
        (file("x", b"").set("namesize", PATH_MAX as u32 + 1), NameTooLong(PATH_MAX as u32 + 1)),
        (file("x", b"").set("namesize", 4000), TruncatedName),
    ];
    for (e, kind) in cases {
        assert_eq!(refused(&archive(std::slice::from_ref(&e))), kind, "name {:?}", e.name.escape_ascii().to_string());
    }
    let a = archive(&[dir("bin"), file("bin/../../x", b"")]);
    let err = all(&a).unwrap_err();
    assert_eq!((err.offset, err.name), (116, Some("bin/../../x")));
}

#[test]
fn hostile_headers_are_refused() {
    use ErrorKind::*;
    let with_start = |start: &[u8]| {
        let mut a = archive(&[file("f", b"")]);
        a[..start.len()].copy_from_slice(start);
        a
    };
    assert_eq!(refused(&with_start(b"07070X")), BadMagic(*b"07070X"));
    assert_eq!(refused(&with_start(b"hello!")), BadMagic(*b"hello!"));
    assert_eq!(refused(&with_start(b"070707")), OldFormat);
    assert_eq!(refused(&with_start(&[0xc7, 0x71])), OldFormat);
    assert_eq!(refused(&with_start(&[0x1f, 0x8b, 8])), Compressed("gzip"));
    assert_eq!(refused(&with_start(&[0xfd, b'7', b'z', b'X', b'Z', 0])), Compressed("xz"));
    assert_eq!(refused(&with_start(&[0x28, 0xb5, 0x2f, 0xfd])), Compressed("zstd"));
    // Each field with one digit that is not hex.
    for (i, field) in FIELDS.iter().enumerate() {
        for bad in *b"g +x" {
            let mut a = archive(&[file("f", b"")]);
            a[6 + 8 * i + 3] = bad;
            assert_eq!(refused(&a), BadHex(field));
        }
    }
    // Lower case is hex too.
    let mut a = archive(&[file("f", b"")]);
    a[6 + 8..6 + 16].copy_from_slice(b"000081a4");
    assert_eq!(all(&a).unwrap()[0].mode, 0o100644);
    let a = archive(&[file("f", b"")]);
    assert_eq!(refused(&a[..50]), TruncatedHeader(50));
    assert_eq!(refused(&a[..3]), TruncatedHeader(3));
    assert_eq!(refused(&archive(&[E::new("f", 0o30644, b"")])), BadMode(0o30644));
    assert_eq!(refused(&archive(&[E::new("f", 0o1100644, b"")])), BadMode(0o1100644));
    let dev = |major, minor| E::new("c", 0o20600, b"").set("rdevmajor", major).set("rdevminor", minor);
    assert_eq!(refused(&archive(&[dev(0x1000, 0)])), BadDevice { major: 0x1000, minor: 0 });
    assert_eq!(refused(&archive(&[dev(1, 0x10_0000)])), BadDevice { major: 1, minor: 0x10_0000 });
    assert_eq!(all(&archive(&[dev(0xfff, 0xf_ffff)])).unwrap()[0].rdev_pair(), (0xfff, 0xf_ffff));
}

#[test]
fn hostile_sizes_and_padding_are_refused() {
    use ErrorKind::*;
    let huge = file("f", b"abc").set("filesize", u32::MAX);
    let a = archive(&[huge]);
    assert_eq!(refused(&a), TruncatedData { size: u32::MAX, left: a.len() - 112 });
    let a = archive(&[file("f", b"abc").set("filesize", 1000)]);
    assert_eq!(refused(&a), TruncatedData { size: 1000, left: a.len() - 112 });
    let mut a = file("f", b"abc").bytes();
    a.truncate(114);
    assert_eq!(refused(&a), TruncatedData { size: 3, left: 2 });
    // Non-zero padding after the name (113..116) and after the data (119).
    let mut a = archive(&[file("fo", b"abc")]);
    a[113] = 1;
    assert_eq!(refused(&a), BadPadding);
    let mut a = archive(&[file("fo", b"abc")]);
    a[119] = b'0';
    assert_eq!(refused(&a), BadPadding);
    // Two zeros leave the next header off a multiple of 4.
    let mut a = file("a", b"").bytes();
    a.extend([0, 0]);
    a.extend(archive(&[file("b", b"")]));
    assert_eq!(refused(&a), BrokenPadding);
    let mut a = archive(&[file("a", b"")]);
    a.extend(b"junk");
    assert_eq!(refused(&a), BadMagic(*b"junk\0\0"));
    assert_eq!(refused(&archive(&[E::new("d", 0o40755, b"abc")])), DataOnSpecial(3));
    assert_eq!(refused(&archive(&[E::new("p", 0o10644, b"x")])), DataOnSpecial(1));
    assert_eq!(refused(&archive(&[symlink("s", b"")])), EmptySymlink);
    assert_eq!(refused(&archive(&[symlink("s", b"a\0b")])), SymlinkHasNul);
    assert_eq!(refused(&archive(&[symlink("s", &[b'a'; PATH_MAX])])), SymlinkTooLong(PATH_MAX as u32));
    assert!(all(&archive(&[symlink("s", &[b'a'; PATH_MAX - 1])])).is_ok());
}

#[test]
fn an_archive_must_end_with_its_trailer() {
    let a = file("a", b"1").bytes();
    assert_eq!(all(&a).unwrap_err(), Error { offset: a.len(), name: None, kind: ErrorKind::MissingTrailer });
    let mut a = archive(&[file("a", b"1")]);
    a.extend(file("b", b"2").bytes());
    a.extend([0; 16]);
    assert_eq!(refused(&a), ErrorKind::MissingTrailer);
    // The trailer's own padding may be cut off: nothing follows it.
    let a = archive(&[file("a", b"1")]);
    assert_eq!(names(&a[..a.len() - 3]), ["a"]);
}

#[test]
fn the_first_error_ends_the_iteration() {
    let a = archive(&[file("a", b""), file("../b", b""), file("c", b"")]);
    let mut it = entries(&a);
    assert_eq!(it.next().unwrap().unwrap().name, "a");
    assert_eq!(it.next().unwrap().unwrap_err().kind, ErrorKind::DotDotComponent);
    assert!(it.next().is_none());
    assert!(it.next().is_none());
}

/// Every prefix and every one-byte change of a real archive: no panic, and
/// a prefix that cuts anything before the trailer's name is refused.
#[test]
fn no_damage_makes_it_panic() {
    let a = GNU_NEWC;
    let trailer_end = a.windows(10).position(|w| w == TRAILER).unwrap() + 11;
    for n in 0..a.len() {
        let r = all(&a[..n]);
        assert_eq!(r.is_err(), n > 0 && n < trailer_end, "prefix of {n} bytes");
    }
    for i in 0..a.len() {
        for b in [0, 0xff, b'0', b'F', b'/', b'.'] {
            let mut d = a.to_vec();
            d[i] = b;
            let _ = all(&d);
        }
    }
}

#[test]
fn messages_say_what_is_wrong() {
    let a = archive(&[dir("bin"), file("bin/../../x", b"")]);
    let err = all(&a).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cpio archive, at byte 116 (\"bin/../../x\"): name has a `..` component (it would escape the root)"
    );
    let gz = [0x1f, 0x8b, 8, 0];
    assert_eq!(
        all(&gz).unwrap_err().to_string(),
        "cpio archive, at byte 0: gzip-compressed archive: only uncompressed newc archives are read"
    );
    assert_eq!(
        ErrorKind::BadMagic(*b"\x01abc\"d").to_string(),
        "no cpio magic: \"\\x01abc\\\"d\" (expected \"070701\" or \"070702\")"
    );
    use ErrorKind::*;
    let kinds = [
        TruncatedHeader(1),
        OldFormat,
        Compressed("xz"),
        BadMagic(*b"abcdef"),
        BrokenPadding,
        BadHex("mode"),
        BadMode(0o30000),
        BadDevice { major: 1, minor: 2 },
        EmptyName,
        NameTooLong(5000),
        TruncatedName,
        NameNotTerminated,
        NameHasNul,
        NameNotUtf8,
        DotDotComponent,
        DotComponent,
        EmptyComponent,
        ComponentTooLong,
        RootNotDirectory,
        TruncatedData { size: 9, left: 1 },
        BadPadding,
        DataOnSpecial(3),
        EmptySymlink,
        SymlinkTooLong(5000),
        SymlinkHasNul,
        BadChecksum { header: 1, data: 2 },
        MissingTrailer,
    ];
    let texts: std::collections::BTreeSet<String> = kinds.iter().map(|k| k.to_string()).collect();
    assert_eq!(texts.len(), kinds.len(), "every kind has its own message");
}

/// What tools/mkinitramfs.sh writes (`make-fixtures.sh` gives it
/// `hello.txt` as /bin/init): Linux's root layout, sorted, every mtime 0.
#[test]
fn the_archive_mkinitramfs_writes() {
    let es = all(MKINITRAMFS).unwrap();
    let got: Vec<_> = es.iter().map(|e| (e.name, e.mode)).collect();
    assert_eq!(
        got,
        [
            ("bin", 0o40755),
            ("bin/init", 0o100755),
            ("dev", 0o40755),
            ("etc", 0o40755),
            ("etc/group", 0o100644),
            ("etc/hostname", 0o100644),
            ("etc/passwd", 0o100644),
            ("init", 0o120777),
            ("proc", 0o40555),
            ("root", 0o40700),
            ("sbin", 0o40755),
            ("sbin/init", 0o120777),
            ("sys", 0o40555),
            ("tmp", 0o41777),
            ("usr", 0o40755),
            ("usr/bin", 0o40755),
        ]
    );
    assert!(es.iter().all(|e| e.mtime == 0 && e.uid == 0 && e.gid == 0 && e.archive == 0));
    assert_eq!(es[1].data, include_bytes!("hello.txt"));
    assert_eq!(es[6].data, b"root:x:0:0:root:/root:/bin/sh\n");
    assert_eq!((es[7].data, es[11].data), (&b"/bin/init"[..], &b"/bin/init"[..]));
}

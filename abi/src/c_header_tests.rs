//! `c/memguard.h` must agree with this crate on the one part of the ABI that
//! is not Linux's (memguard's own call numbers, records and views): the
//! header is read as text and compared with the Rust definitions.
extern crate std;
use std::string::String;
use std::vec::Vec;

use crate::{LimitsOp, MgLimits, MgStats, MgTranslation, View, nr};

const HEADER: &str = include_str!("../c/memguard.h");

/// `#define NAME VALUE` lines whose name starts with `prefix`.
fn defines(prefix: &str) -> Vec<(String, u32)> {
    HEADER
        .lines()
        .filter_map(|l| l.strip_prefix("#define "))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            let name = words.next()?.strip_prefix(prefix)?;
            Some((name.into(), words.next()?.parse().ok()?))
        })
        .collect()
}

/// The lines between `open` (e.g. "struct mg_stats {") and the next "};".
fn body(open: &str) -> Vec<&str> {
    let start = HEADER.find(open).unwrap_or_else(|| panic!("memguard.h has no `{open}`")) + open.len();
    let len = HEADER[start..].find("};").expect("closing brace");
    HEADER[start..start + len].lines().map(|l| l.split("/*").next().unwrap().trim()).filter(|l| !l.is_empty()).collect()
}

/// The field names of a C struct of `__u32` words, in order.
fn u32_fields(open: &str) -> Vec<&str> {
    body(open)
        .into_iter()
        .map(|l| {
            let field = l.strip_prefix("__u32 ").and_then(|f| f.strip_suffix(';'));
            field.unwrap_or_else(|| panic!("`{l}` in {open} is not a `__u32 name;` line"))
        })
        .collect()
}

#[test]
fn call_numbers_match() {
    let rust =
        [("STATS", nr::MG_STATS), ("VIEW", nr::MG_VIEW), ("TRANSLATE", nr::MG_TRANSLATE), ("LIMITS", nr::MG_LIMITS)];
    let c = defines("MG_NR_");
    assert_eq!(c.len(), rust.len(), "memguard.h defines {c:?}");
    for (name, n) in rust {
        assert!(c.contains(&(name.into(), n)), "MG_NR_{name} should be {n} in memguard.h, has {c:?}");
    }
}

#[test]
fn limits_ops_match() {
    let c = defines("MG_LIMITS_");
    let rust = [("MEASURE", LimitsOp::Measure), ("ARM", LimitsOp::Arm), ("DISARM", LimitsOp::Disarm)];
    assert_eq!(c.len(), rust.len(), "memguard.h defines {c:?}");
    for (name, op) in rust {
        assert!(c.contains(&(name.into(), op as u32)), "MG_LIMITS_{name} should be {}", op as u32);
    }
}

#[test]
fn records_match() {
    assert_eq!(u32_fields("struct mg_stats {"), MgStats::FIELDS);
    assert_eq!(u32_fields("struct mg_translation {"), MgTranslation::FIELDS);
    assert_eq!(u32_fields("struct mg_limits {"), MgLimits::FIELDS);
}

#[test]
fn views_match() {
    let c: Vec<(String, u32)> = body("enum mg_view {")
        .into_iter()
        .map(|l| {
            let (name, n) = l.trim_end_matches(',').split_once(" = ").expect("NAME = value");
            (name.into(), n.parse().expect("a number"))
        })
        .collect();
    let rust: Vec<(String, u32)> =
        View::ALL.iter().map(|&v| (std::format!("MG_VIEW_{}", v.name().to_uppercase()), v as u32)).collect();
    assert_eq!(c, rust);
}

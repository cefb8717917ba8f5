//! Compiles English in: `i18n/en.json` is the source of every text key. It
//! becomes `core::i18n::Text` (one variant per key) and its English strings;
//! the other languages are data files loaded on demand.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

#[path = "src/core/i18n/file.rs"]
mod file;

fn variant(key: &str) -> String {
    let mut chars = key.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn main() {
    println!("cargo:rerun-if-changed=i18n/en.json");
    println!("cargo:rerun-if-changed=src/core/i18n/file.rs");
    let source = "i18n/en.json";
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    let entries = file::parse(&text).unwrap_or_else(|e| panic!("{source}: {e}"));
    assert!(!entries.is_empty(), "{source}: no keys");
    for (key, value) in &entries {
        let plain = key.starts_with(|c: char| c.is_ascii_lowercase())
            && key.chars().all(|c| c.is_ascii_alphanumeric());
        assert!(
            plain,
            "{source}: key {key:?} must be camelCase letters and digits"
        );
        assert!(!value.trim().is_empty(), "{source}: {key} is empty");
    }

    let mut out = String::new();
    let n = entries.len();
    out.push_str(
        "/// The key of a string shown or announced to the user (`i18n/en.json` lists them, with English).\n\
         #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\n\
         pub enum Text {\n",
    );
    for (key, value) in &entries {
        let _ = writeln!(out, "    /// `{key}`: {value:?}\n    {},", variant(key));
    }
    out.push_str("}\n\nimpl Text {\n    /// Every key, in the order of `i18n/en.json`.\n");
    let _ = writeln!(out, "    pub const ALL: [Text; {n}] = [");
    for (key, _) in &entries {
        let _ = writeln!(out, "        Text::{},", variant(key));
    }
    out.push_str("    ];\n}\n\n");
    let _ = writeln!(out, "const KEYS: [&str; {n}] = [");
    for (key, _) in &entries {
        let _ = writeln!(out, "    {key:?},");
    }
    out.push_str("];\n\n");
    let _ = writeln!(out, "const ENGLISH: [&str; {n}] = [");
    for (_, value) in &entries {
        let _ = writeln!(out, "    {value:?},");
    }
    out.push_str("];\n");

    let dest = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("text.rs");
    fs::write(&dest, out).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

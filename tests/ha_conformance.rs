//! HA conformance runner: replays every upstream scenario under
//! `<conformance>/ha/` through the engine and compares the log with
//! `log.expect` line for line. Scenarios listed in
//! `tests/ha_known_failures.txt` must fail; every other one must pass, so
//! the list can only shrink. Prints the pass count.

use pvesim::sim::replay::{replay, TestDir};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn conformance_dir() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("PVESIM_CONFORMANCE_DIR") {
        return Some(PathBuf::from(d));
    }
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    [
        manifest.join("../shared/conformance"),
        manifest.join("../../shared/conformance"),
    ]
    .into_iter()
    .find(|p| p.is_dir())
}

fn known_failures() -> BTreeMap<String, String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/ha_known_failures.txt");
    let text = std::fs::read_to_string(path).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once(char::is_whitespace) {
            Some((name, why)) => (name.to_string(), why.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

/// The first differing line, for the failure report.
fn first_diff(expect: &str, got: &str) -> String {
    let e: Vec<&str> = expect.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    for i in 0..e.len().max(g.len()) {
        let a = e.get(i).copied().unwrap_or("<eof>");
        let b = g.get(i).copied().unwrap_or("<eof>");
        if a != b {
            return format!("line {}: expected `{a}`, got `{b}`", i + 1);
        }
    }
    "identical".into()
}

#[test]
fn ha_conformance() {
    let Some(root) = conformance_dir() else {
        panic!("conformance data not found; set PVESIM_CONFORMANCE_DIR");
    };
    let ha = root.join("ha");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&ha)
        .expect("read conformance/ha")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("log.expect").is_file())
        .collect();
    dirs.sort();
    assert!(!dirs.is_empty(), "no scenarios in {}", ha.display());

    let known = known_failures();
    let mut passed = 0;
    let mut unexpected_fail = Vec::new();
    let mut unexpected_pass = Vec::new();
    for dir in &dirs {
        let name = dir.file_name().unwrap().to_string_lossy().to_string();
        let expect = std::fs::read_to_string(dir.join("log.expect")).unwrap();
        let got = TestDir::load(dir).map(|t| replay(&t)).unwrap_or_else(|e| e);
        let ok = got == expect;
        if ok {
            passed += 1;
        }
        match (ok, known.contains_key(&name)) {
            (false, false) => {
                unexpected_fail.push(format!("{name}: {}", first_diff(&expect, &got)))
            }
            (true, true) => unexpected_pass.push(name),
            _ => {}
        }
    }
    let stale: Vec<&String> = known
        .keys()
        .filter(|k| {
            !dirs
                .iter()
                .any(|d| d.file_name().unwrap().to_string_lossy() == k.as_str())
        })
        .collect();
    println!("HA conformance: {passed}/{} scenarios pass", dirs.len());
    assert!(
        unexpected_fail.is_empty(),
        "scenarios failing but not in tests/ha_known_failures.txt:\n{}",
        unexpected_fail.join("\n")
    );
    assert!(
        unexpected_pass.is_empty(),
        "scenarios passing but listed in tests/ha_known_failures.txt (remove them):\n{}",
        unexpected_pass.join("\n")
    );
    assert!(
        stale.is_empty(),
        "known failures without scenario: {stale:?}"
    );
}

//! corosync.conf round-trip conformance over the upstream parser corpus
//! (`$PVESIM_CONFORMANCE_DIR/corosync`, else `../shared/conformance/corosync`
//! relative to the package): for every file, parse succeeds and verification
//! reports no error (with the corpus' own name table); the written text parses
//! back to the same structure; and it equals the original once blank lines
//! are removed from both. Known failures are listed in
//! `tests/corosync_known_failures.txt`; a listed file that passes fails the
//! test, so the list only shrinks.

use pvesim::format::corosync;
use std::path::PathBuf;

fn corpus_dir() -> PathBuf {
    match std::env::var_os("PVESIM_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d).join("corosync"),
        None => {
            // `../shared` beside the checkout (also tried one level up, for worktrees).
            let m = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            let a = m.join("../shared/conformance/corosync");
            if a.is_dir() {
                a
            } else {
                m.join("../../shared/conformance/corosync")
            }
        }
    }
}

/// The corpus README's name table.
fn resolve(host: &str) -> Option<String> {
    let table = [
        ("prox1", "127.0.1.1"),
        ("prox1-ring1", "127.0.2.1"),
        ("prox2", "127.0.1.2"),
        ("prox2-ring1", "127.0.2.2"),
        ("prox3", "127.0.1.3"),
        ("prox3-ring1", "127.0.2.3"),
        ("prox4", "127.0.1.4"),
        ("prox4-ring1", "127.0.2.4"),
    ];
    table
        .iter()
        .find(|(h, _)| *h == host)
        .map(|(_, ip)| ip.to_string())
}

fn no_blank(s: &str) -> String {
    s.lines()
        .filter(|l| !l.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn check(text: &str) -> Result<(), String> {
    let conf = corosync::parse(text).map_err(|e| format!("parse: {e}"))?;
    let v = corosync::verify(&conf, &resolve);
    if !v.errors.is_empty() {
        return Err(format!("verification errors: {:?}", v.errors));
    }
    let written = corosync::write(&conf);
    let again = corosync::parse(&written).map_err(|e| format!("reparse: {e}"))?;
    if again != conf {
        return Err("written text parses to a different structure".into());
    }
    if no_blank(&written) != no_blank(text) {
        return Err(format!("written text differs:\n{written}"));
    }
    Ok(())
}

#[test]
fn corosync_corpus_round_trips() {
    let dir = corpus_dir();
    let known: Vec<String> = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/corosync_known_failures.txt"),
    )
    .unwrap_or_default()
    .lines()
    .map(|l| l.trim().to_string())
    .filter(|l| !l.is_empty() && !l.starts_with('#'))
    .collect();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("conformance corpus {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "conf"))
        .collect();
    files.sort();
    assert!(files.len() >= 3, "corpus too small: {files:?}");
    let mut problems = Vec::new();
    for f in &files {
        let name = f.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(f).unwrap();
        let result = check(&text);
        let listed = known.contains(&name);
        match (result, listed) {
            (Ok(()), true) => problems.push(format!(
                "{name}: passes now, remove it from the known failures"
            )),
            (Err(e), false) => problems.push(format!("{name}: {e}")),
            _ => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn warnings_name_the_host_name_ring_addresses() {
    let text = std::fs::read_to_string(corpus_dir().join("multiple-nodes.conf")).unwrap();
    let conf = corosync::parse(&text).unwrap();
    let v = corosync::verify(&conf, &resolve);
    assert_eq!(v.warnings.len(), 8);
    assert_eq!(
        v.warnings[0],
        "warning: ring0_addr 'prox1' for node 'prox1' resolves to '127.0.1.1' - consider replacing it with the currently resolved IP address for stability"
    );
}

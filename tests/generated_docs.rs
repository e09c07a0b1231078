//! The checked-in completions and man pages must match what the clap
//! definitions generate now. Regenerate with
//! `PVESIM_REGEN_DOCS=1 cargo test --test generated_docs`.

use std::path::Path;

#[test]
fn completions_and_man_pages_are_current() {
    let base = Path::new(env!("CARGO_MANIFEST_DIR"));
    let regen = std::env::var_os("PVESIM_REGEN_DOCS").is_some();
    let files = pvesim::cli::docs::render_all();
    assert!(files.len() >= 4, "nothing generated");
    let mut stale = Vec::new();
    if regen {
        for dir in ["completions", "man"] {
            let _ = std::fs::remove_dir_all(base.join(dir));
        }
    }
    for (rel, bytes) in &files {
        let path = base.join(rel);
        if regen {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, bytes).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(rel.display().to_string());
        }
    }
    // No leftover files from commands that no longer exist.
    for dir in [
        "completions/bash",
        "completions/zsh",
        "completions/fish",
        "man",
    ] {
        for entry in std::fs::read_dir(base.join(dir)).unwrap() {
            let rel = Path::new(dir).join(entry.unwrap().file_name());
            if !files.iter().any(|(r, _)| *r == rel) {
                stale.push(format!("{} (no longer generated)", rel.display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files (run PVESIM_REGEN_DOCS=1 cargo test --test generated_docs): {stale:?}"
    );
}

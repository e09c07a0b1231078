//! pmxcfs turns read-only on a node without quorum. Every tool that writes
//! under /etc/pve must refuse there (exit 255, the real text) and change
//! nothing; reads keep working.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

fn run(root: &Path, node: &str, tool: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin(tool)
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .env("TZ", "UTC")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn ok(root: &Path, node: &str, tool: &str, args: &[&str]) -> String {
    let (code, out, err) = run(root, node, tool, args);
    assert_eq!(code, 0, "{tool} {args:?} failed: {err}");
    out
}

/// Every real file under etc/pve with its content (pmxcfs' virtual dot
/// files are regenerated views and left out).
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let name = e.file_name().to_string_lossy().into_owned();
            let ft = std::fs::symlink_metadata(&p).unwrap().file_type();
            if ft.is_dir() {
                stack.push(p);
            } else if ft.is_file() && !name.starts_with('.') {
                let rel = p.strip_prefix(dir).unwrap().display().to_string();
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

#[test]
fn a_node_without_quorum_refuses_every_write_and_keeps_reading() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "pvesim",
        &["init", "--nodes", "2", "--cluster", "lab"],
    );
    ok(root, "pve1", "qm", &["create", "100", "--memory", "512"]);
    ok(root, "pve1", "pvesim", &["power", "pve2", "off"]);
    let before = snapshot(&root.join("etc/pve"));

    let no_quorum = "cluster not ready - no quorum?";
    let read_only = "Permission denied";
    let cases: &[(&str, &[&str], &str)] = &[
        ("qm", &["create", "101", "--memory", "512"], no_quorum),
        ("qm", &["start", "100"], no_quorum),
        ("qm", &["set", "100", "--memory", "1024"], read_only),
        ("qm", &["destroy", "100"], read_only),
        ("ha-manager", &["add", "vm:100"], no_quorum),
        ("pvecm", &["addnode", "pve9"], no_quorum),
    ];
    let mut failures = Vec::new();
    for (tool, args, text) in cases {
        let (code, _out, err) = run(root, "pve1", tool, args);
        if code != 255 || !err.contains(text) {
            failures.push(format!(
                "{tool} {args:?}: exit {code}, stderr {err:?} (want 255 and {text:?})"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(
        snapshot(&root.join("etc/pve")),
        before,
        "a refused command changed /etc/pve"
    );

    // Reads still work.
    assert!(ok(root, "pve1", "qm", &["config", "100"]).contains("memory: 512"));
    assert!(ok(root, "pve1", "qm", &["list"]).contains("100"));
    // corosync-quorumtool (and so pvecm status) exits 2 without quorum.
    let (code, out, _) = run(root, "pve1", "pvecm", &["status"]);
    assert_eq!(code, 2);
    assert!(out.contains("Quorate:          No"), "{out}");
    ok(root, "pve1", "ha-manager", &["config"]);

    // A powered-off machine runs no command at all (project decision 9).
    for (tool, args) in [
        ("ha-manager", &["status"][..]),
        ("qm", &["list"][..]),
        ("pvecm", &["status"][..]),
    ] {
        let (code, _, err) = run(root, "pve2", tool, args);
        assert_eq!(code, 255, "{tool} {args:?} on a powered-off machine: {err}");
        assert!(
            err.contains("machine 'pve2' is powered off"),
            "{tool}: {err}"
        );
    }

    // With the expected votes lowered the node is quorate and writes work.
    ok(root, "pve1", "pvecm", &["expected", "1"]);
    ok(root, "pve1", "qm", &["set", "100", "--memory", "1024"]);
    assert!(ok(root, "pve1", "qm", &["config", "100"]).contains("memory: 1024"));
}

#[test]
fn private_files_get_the_modes_of_a_real_cluster() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "pvesim",
        &["init", "--nodes", "2", "--cluster", "lab"],
    );
    let mode = |rel: &str| {
        std::fs::metadata(root.join("etc/pve").join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("priv"), 0o700);
    assert_eq!(mode("priv/authkey.key"), 0o600);
    assert_eq!(mode("priv/authorized_keys"), 0o600);
    assert_eq!(mode("nodes/pve1/priv"), 0o700);
    assert_eq!(mode("priv/acme"), 0o700);
}

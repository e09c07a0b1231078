//! Read-only commands leave the state root as they found it: after the
//! views were refreshed once, `qm list`, `qm status`, `pvecm status`,
//! `pvecm nodes`, `ha-manager status` and `pvesr status` change no file,
//! link or directory under the root (same set of entries, same contents,
//! same modification times). Their refresh of the virtual files must find
//! nothing to do, which is also what keeps them fast (docs/benchmarks.md).
//! A hand edit of a guest config is still picked up by the next command.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::SystemTime;

fn run(root: &Path, node: &str, tool: &str, args: &[&str]) -> String {
    let out = Command::new(assert_cmd::cargo::cargo_bin(tool))
        .args(args)
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh root with a cluster of `nodes` nodes named `name`.
fn new_cluster(nodes: &str, name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    run(
        dir.path(),
        "pve1",
        "pvesim",
        &["init", "--nodes", nodes, "--cluster", name],
    );
    dir
}

/// One entry of the root: kind, content (file bytes or link target),
/// modification time.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Dir(SystemTime),
    File(Vec<u8>, SystemTime),
    Link(PathBuf),
}

fn snapshot(root: &Path) -> BTreeMap<PathBuf, Entry> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<PathBuf, Entry>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let rel = p.strip_prefix(root).unwrap().to_path_buf();
            let md = std::fs::symlink_metadata(&p).unwrap();
            if md.file_type().is_symlink() {
                out.insert(rel, Entry::Link(std::fs::read_link(&p).unwrap()));
            } else if md.is_dir() {
                out.insert(rel, Entry::Dir(md.modified().unwrap()));
                walk(root, &p, out);
            } else {
                let content = std::fs::read(&p).unwrap();
                out.insert(rel, Entry::File(content, md.modified().unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

fn assert_unchanged(
    before: &BTreeMap<PathBuf, Entry>,
    after: &BTreeMap<PathBuf, Entry>,
    what: &str,
) {
    for (p, e) in after {
        match before.get(p) {
            None => panic!("{what} created {}", p.display()),
            Some(b) if b != e => panic!("{what} changed {}", p.display()),
            _ => {}
        }
    }
    for p in before.keys() {
        assert!(after.contains_key(p), "{what} removed {}", p.display());
    }
}

#[test]
fn read_only_commands_change_nothing_under_the_root() {
    let dir = new_cluster("3", "ro");
    let root = dir.path();
    for (vmid, node) in [("100", "pve1"), ("101", "pve2"), ("102", "pve1")] {
        run(
            root,
            node,
            "qm",
            &["create", vmid, "--scsi0", "local-zfs:1"],
        );
    }
    run(root, "pve1", "qm", &["start", "102"]);
    run(root, "pve1", "ha-manager", &["add", "vm:100"]);
    run(
        root,
        "pve1",
        "pvesr",
        &["create-local-job", "100-0", "pve2"],
    );
    run(root, "pve1", "pvesim", &["tick", "3"]);
    // The guest directories as they are some time after the last change:
    // the views trust them from then on instead of listing the guests (the
    // one command after this stores that in the simulator's counters).
    age_guest_dirs(root);
    run(root, "pve1", "qm", &["list"]);

    let before = snapshot(root);
    for (node, vmid) in [("pve1", "102"), ("pve2", "101")] {
        let commands: &[(&str, &[&str])] = &[
            ("qm", &["list"]),
            ("qm", &["list", "--full"]),
            ("qm", &["status", vmid]),
            ("pvecm", &["status"]),
            ("pvecm", &["nodes"]),
            ("ha-manager", &["status"]),
            ("pvesr", &["status"]),
        ];
        for (tool, args) in commands {
            run(root, node, tool, args);
            let after = snapshot(root);
            assert_unchanged(&before, &after, &format!("{tool} {args:?} on {node}"));
        }
    }
    let list = run(root, "pve1", "qm", &["list"]);
    assert!(list.contains("       102 VM 102"), "{list}");
    assert!(list.contains(" running "), "{list}");

    // A hand edit saved the way editors save (a new file renamed over the
    // config) is noticed by the next read-only command.
    let conf = root.join("etc/pve/nodes/pve1/qemu-server/102.conf");
    let v102 = guest_version(root, 102);
    let mut text = std::fs::read_to_string(&conf).unwrap();
    text.push_str("name: edited\n");
    let tmp = conf.with_extension("conf.swp");
    std::fs::write(&tmp, &text).unwrap();
    std::fs::rename(&tmp, &conf).unwrap();
    let list = run(root, "pve1", "qm", &["list"]);
    assert!(list.contains("       102 edited "), "{list}");
    let v102_edited = guest_version(root, 102);
    assert!(v102_edited > v102);

    // An edit in place (same file, so its directory does not change) is
    // read by the tools at once, and counted in `.vmlist` at the latest when
    // its directory next changes.
    age_guest_dirs(root);
    run(root, "pve1", "qm", &["list"]);
    text = text.replace("name: edited", "name: again");
    std::fs::OpenOptions::new()
        .write(true)
        .truncate(true)
        .open(&conf)
        .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()))
        .unwrap();
    let list = run(root, "pve1", "qm", &["list"]);
    assert!(list.contains("       102 again "), "{list}");
    run(root, "pve1", "qm", &["create", "103"]);
    assert!(guest_version(root, 102) > v102_edited);
}

/// Set the modification time of every directory under the nodes of the
/// cluster tree an hour back, as if the last change were that long ago.
fn age_guest_dirs(root: &Path) {
    let hour_ago = SystemTime::now() - std::time::Duration::from_secs(3600);
    let nodes = root.join("etc/pve/nodes");
    let mut dirs = vec![nodes.clone()];
    for n in std::fs::read_dir(&nodes).unwrap() {
        let n = n.unwrap().path();
        for d in std::fs::read_dir(&n).unwrap() {
            let d = d.unwrap().path();
            if d.is_dir() {
                dirs.push(d);
            }
        }
        dirs.push(n);
    }
    for d in dirs {
        std::fs::File::open(&d)
            .and_then(|f| f.set_modified(hour_ago))
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()));
    }
}

/// The `.vmlist` version of one guest on pve1.
fn guest_version(root: &Path, vmid: u32) -> u64 {
    let vmlist = std::fs::read_to_string(root.join("etc/pve/.vmlist")).unwrap();
    let key = format!("\"{vmid}\": {{ \"node\": \"pve1\", \"type\": \"qemu\", \"version\": ");
    let rest = &vmlist[vmlist.find(&key).unwrap_or_else(|| panic!("{vmlist}")) + key.len()..];
    rest[..rest.find(' ').unwrap()].parse().unwrap()
}

/// A reader that goes away (`pvesr status | head -1`) ends the tool the way
/// it ends the real ones: by SIGPIPE, without a panic message on stderr.
#[cfg(unix)]
#[test]
fn closed_stdout_ends_the_tool_quietly() {
    use std::os::unix::process::ExitStatusExt;
    let dir = new_cluster("2", "pipe");
    let root = dir.path();
    for (tool, args) in [
        ("pvecm", &["status"][..]),
        ("qm", &["list"][..]),
        ("pvesr", &["status"][..]),
        ("ha-manager", &["status"][..]),
    ] {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin(tool))
            .args(args)
            .env("PVESIM_ROOT", root)
            .env("PVESIM_NODE", "pve1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // close the read end before the tool writes anything
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stderr.contains("panicked"),
            "{tool} {args:?} panicked on a closed stdout: {stderr}"
        );
        assert!(
            out.status.success() || out.status.signal() == Some(libc::SIGPIPE),
            "{tool} {args:?}: {:?}, stderr {stderr}",
            out.status
        );
    }
}

//! `pvesim shell`: the emulated tools come first on PATH, and the root and
//! node are exported to what runs inside.

use assert_cmd::Command;

fn root() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .args(["init", "--nodes", "3"])
        .assert()
        .success();
    dir
}

#[test]
fn shell_exports_root_node_and_puts_tools_first_on_path() {
    let dir = root();
    let out = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .env_remove("PVESIM_NODE")
        .args([
            "shell",
            "--node",
            "pve2",
            "-c",
            "echo $PVESIM_NODE; echo $PVESIM_ROOT; command -v pvesim",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "pve2");
    assert_eq!(
        std::path::Path::new(lines[1]),
        std::fs::canonicalize(dir.path()).unwrap()
    );
    let exe = assert_cmd::cargo::cargo_bin("pvesim");
    assert_eq!(std::path::Path::new(lines[2]), exe);
}

#[test]
fn shell_passes_the_exit_code_and_refuses_a_missing_root() {
    let dir = root();
    Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .args(["shell", "-c", "exit 3"])
        .assert()
        .code(3);
    let missing = dir.path().join("nope");
    let out = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", &missing)
        .args(["shell", "-c", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pvesim init"));
}

#[test]
fn shell_rejects_a_node_name_that_escapes_the_root() {
    let dir = root();
    let out = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .args(["shell", "--node", "../x", "-c", "true"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(255));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid node name '../x'"));
}

#[test]
fn shell_refuses_an_unknown_node() {
    let dir = root();
    Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .args(["shell", "--node", "pve9", "-c", "true"])
        .assert()
        .code(255)
        .stdout("")
        .stderr("no such machine 'pve9'\n");
}

#[test]
fn interactive_bash_keeps_the_tools_first_after_the_users_bashrc() {
    if !std::path::Path::new("/bin/bash").exists() {
        return;
    }
    let dir = root();
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::fs::write(bin.join("qm"), "#!/bin/sh\necho SHADOW\n").unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(bin.join("qm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        home.path().join(".bashrc"),
        "export PATH=\"$HOME/bin:$PATH\"\n",
    )
    .unwrap();
    let out = Command::cargo_bin("pvesim")
        .unwrap()
        .env("PVESIM_ROOT", dir.path())
        .env("HOME", home.path())
        .env("SHELL", "/bin/bash")
        .args(["shell", "--node", "pve2"])
        .write_stdin("command -v qm\nexit\n")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let exe = assert_cmd::cargo::cargo_bin("qm");
    assert!(
        text.lines().any(|l| std::path::Path::new(l) == exe),
        "{text}"
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.starts_with(&format!(
            "pvesim shell on {} pve2: the Proxmox tools here are emulated",
            std::fs::canonicalize(dir.path()).unwrap().display()
        )),
        "{err}"
    );
}

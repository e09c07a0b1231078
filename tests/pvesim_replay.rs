//! `pvesim replay` as a user runs it: the binary on an upstream test
//! directory prints the log; unusable input is an error.

use assert_cmd::Command;
use std::fs;

fn pvesim() -> Command {
    let mut c = Command::cargo_bin("pvesim").unwrap();
    let root = tempfile::tempdir().unwrap();
    c.env("PVESIM_ROOT", root.path())
        .env("PVESIM_NODE", "node1");
    c
}

#[test]
fn replays_a_small_scenario() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("cmdlist"),
        r#"[["power node1 on","power node2 on","power node3 on"],["network node3 off"]]"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("hardware_status"),
        r#"{"node1":{"power":"off","network":"off"},"node2":{"power":"off","network":"off"},"node3":{"power":"off","network":"off"}}"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("service_config"),
        r#"{"vm:103":{"node":"node3","state":"enabled"}}"#,
    )
    .unwrap();
    fs::write(dir.path().join("manager_status"), "{}").unwrap();
    let out = pvesim().arg("replay").arg(dir.path()).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "info      0     hardware: starting simulation");
    assert!(text.contains(
        "info    240    node1/crm: recover service 'vm:103' from fenced node 'node3' to node 'node1'"
    ));
    assert!(text.contains("info    166     watchdog: execute power node3 off"));
    assert_eq!(
        *lines.last().unwrap(),
        "info    720     hardware: exit simulation - done"
    );
}

#[test]
fn missing_directory_is_an_error() {
    pvesim()
        .arg("replay")
        .arg("/nonexistent/test-dir")
        .assert()
        .failure()
        .code(255)
        .stderr("testdir '/nonexistent/test-dir' does not exist or is not a directory!\n");
}

//! `pvesim schedule-analyze`: the next events of a schedule, in local time,
//! and the error for a schedule that does not parse.

use assert_cmd::Command;

fn pvesim(root: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("pvesim").unwrap();
    c.env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", "pve1")
        .env_remove("TZ");
    c
}

#[test]
fn analyze_lists_events() {
    let d = tempfile::tempdir().unwrap();
    let out = pvesim(d.path())
        .args([
            "schedule-analyze",
            "*/15",
            "--starttime",
            "1715594850",
            "--iterations",
            "3",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        String::from_utf8(out).unwrap(),
        "1715595300 2024-05-13 10:15:00\n1715596200 2024-05-13 10:30:00\n1715597100 2024-05-13 10:45:00\n"
    );
}

#[test]
fn analyze_default_ten_and_time_zone() {
    let d = tempfile::tempdir().unwrap();
    let out = pvesim(d.path())
        .env("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
        .args(["schedule-analyze", "daily", "--starttime", "1715594850"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 10);
    assert_eq!(lines[0], "1715637600 2024-05-14 00:00:00");
    assert_eq!(lines[9], "1716415200 2024-05-23 00:00:00");
}

#[test]
fn analyze_stops_when_no_more_events() {
    let d = tempfile::tempdir().unwrap();
    pvesim(d.path())
        .args(["schedule-analyze", "2015-10-21", "--starttime", "0"])
        .assert()
        .success()
        .stdout("1445385600 2015-10-21 00:00:00\n");
}

#[test]
fn analyze_defaults_to_simulated_clock() {
    let d = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(d.path().join("sim")).unwrap();
    std::fs::write(d.path().join("sim/clock"), "1715594850\n").unwrap();
    pvesim(d.path())
        .args(["schedule-analyze", "hourly", "--iterations", "1"])
        .assert()
        .success()
        .stdout("1715598000 2024-05-13 11:00:00\n");
}

#[test]
fn analyze_rejects_bad_schedule() {
    let d = tempfile::tempdir().unwrap();
    pvesim(d.path())
        .args(["schedule-analyze", "mon 0 0", "--starttime", "0"])
        .assert()
        .code(255)
        .stdout("")
        .stderr(
            "schedule: invalid format - invalid calendar event 'mon 0 0' - \
             unable to parse calendar event at '0' - unexpected trailing text\n",
        );
    let out = pvesim(d.path())
        .args(["schedule-analyze", "*/0", "--starttime", "0"])
        .assert()
        .code(255)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(
        err.starts_with(
            "schedule: invalid format - invalid calendar event '*/0' - unable to parse"
        ),
        "{err}"
    );
}

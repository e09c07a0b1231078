//! The event log of a state root (`sim/events.log`): what the HA daemons,
//! the replication runner and the lab bench did, one line per event, in the
//! line format of the upstream HA simulator:
//!
//! ```text
//! info    120    pve1/crm: node 'pve3': state changed from 'online' => 'unknown'
//! ```
//!
//! The time column counts simulated seconds since the root's epoch
//! ([`crate::sim::clock::DEFAULT_START`]), so a fresh lab reads like an
//! upstream test log.

use crate::store::{Root, StoreError};
use std::io::Write;

/// The path of the event log.
pub fn path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("events.log")
}

/// Seconds since the root's epoch for a simulated time.
pub fn rel_time(t: i64) -> i64 {
    t - crate::sim::clock::DEFAULT_START
}

/// Format one line (without newline) as the upstream simulator does.
pub fn format_line(level: &str, t: i64, source: &str, msg: &str) -> String {
    format!("{level:<5} {:>5} {source:>12}: {msg}", rel_time(t))
}

/// Append lines to the event log. Appends of whole lines with O_APPEND are
/// atomic enough for a log: a reader never sees a torn line from one write.
pub fn append(root: &Root, lines: &[String]) -> Result<(), StoreError> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut buf = String::new();
    for l in lines {
        buf.push_str(l);
        buf.push('\n');
    }
    std::fs::create_dir_all(root.sim_dir())?;
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path(root))?;
    f.write_all(buf.as_bytes())?;
    Ok(())
}

/// Record a lab-bench action (`pvesim power pve1 off`) at the current
/// simulated time.
pub fn bench_action(root: &Root, what: &str) -> Result<(), StoreError> {
    let now = crate::sim::clock::now(root)?;
    append(
        root,
        &[format_line(
            "info",
            now,
            "pvesim",
            &format!("execute {what}"),
        )],
    )
}

/// When `node` last lost power, by the event log: a lab-bench power-off
/// or its watchdog's reset (`None`: no such line). Guests on it ran, and
/// wrote, until then.
/// `pending` are lines not yet appended to the file (newest last).
pub fn last_power_loss(root: &Root, node: &str, pending: &[String]) -> Option<i64> {
    let bench = format!(": execute power {node} off");
    let watchdog = format!(": server '{node}' stopped by poweroff (watchdog)");
    let hit = |l: &&str| l.ends_with(&bench) || l.ends_with(&watchdog);
    let time = |l: &str| {
        l.split_whitespace()
            .nth(1)?
            .parse::<i64>()
            .ok()
            .map(|rel| rel + crate::sim::clock::DEFAULT_START)
    };
    match pending.iter().map(String::as_str).rev().find(hit) {
        Some(l) => time(l),
        None => read(root).ok()?.lines().rev().find(hit).and_then(time),
    }
}

/// The whole event log (empty when nothing happened yet).
pub fn read(root: &Root) -> Result<String, StoreError> {
    Ok(crate::store::read_opt(&path(root))?.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_use_the_simulator_layout_and_append() {
        let d = tempfile::tempdir().unwrap();
        let r = Root::at(d.path());
        let t = crate::sim::clock::DEFAULT_START + 20;
        assert_eq!(
            format_line("info", t, "node1/crm", "got lock 'ha_manager_lock'"),
            "info     20    node1/crm: got lock 'ha_manager_lock'"
        );
        append(&r, &["a".into()]).unwrap();
        append(&r, &["b".into(), "c".into()]).unwrap();
        assert_eq!(read(&r).unwrap(), "a\nb\nc\n");
    }
}

//! The per-node replication state file
//! (`/var/lib/pve-manager/pve-replication-state.json`, pvesr.md §5):
//! `{ "<vmid>": { "local/<target>": { <state fields> } } }`, written as
//! compact JSON with sorted keys.

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The state of one (guest, target) pair.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobState {
    /// Iteration (start time) of the last scheduler run that started the job.
    #[serde(default, deserialize_with = "de_int")]
    pub last_iteration: i64,
    /// Start time of the last attempt; `pvesr schedule-now` sets it to 0.
    #[serde(default, deserialize_with = "de_int")]
    pub last_try: i64,
    /// Start time of the last successful run; 0 = never.
    #[serde(default, deserialize_with = "de_int")]
    pub last_sync: i64,
    /// Consecutive failures.
    #[serde(default, deserialize_with = "de_int")]
    pub fail_count: i64,
    /// Last error, without its trailing newline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Run time in seconds (always 0 in the emulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<serde_json::Number>,
    /// The node that ran the job last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_node: Option<String>,
    /// Storage IDs the job used last time (sorted, unique).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storeid_list: Option<Vec<String>>,
    /// Process of a running job (never visible in the emulation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ptime: Option<i64>,
    /// Keys this version does not know, kept as they are.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

/// Accept an integer written as a JSON number or a string (Perl writes
/// either), and `null` as 0.
fn de_int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
    let v = Value::deserialize(d)?;
    match &v {
        Value::Null => Ok(0),
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().map(|f| f as i64))
            .ok_or_else(|| serde::de::Error::custom(format!("invalid integer {n}"))),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| serde::de::Error::custom(format!("invalid integer '{s}'"))),
        other => Err(serde::de::Error::custom(format!("invalid integer {other}"))),
    }
}

/// The whole file: vmid -> tid (`local/<target>`) -> state.
pub type StateFile = BTreeMap<String, BTreeMap<String, JobState>>;

/// Parse the state file text; empty text is `{}`.
pub fn parse(text: &str) -> Result<StateFile, String> {
    if text.trim().is_empty() {
        return Ok(StateFile::new());
    }
    serde_json::from_str(text).map_err(|e| format!("unable to parse replication state - {e}"))
}

/// Compact JSON with sorted keys (no trailing newline, as upstream).
pub fn write(state: &StateFile) -> String {
    // Going through `Value` sorts the keys of every object.
    let v = serde_json::to_value(state).expect("state serializes");
    serde_json::to_string(&v).expect("value serializes")
}

/// The target id of a target node.
pub fn tid(target: &str) -> String {
    format!("local/{target}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_example_round_trip() {
        let text = r#"{"100":{"local/pve2":{"duration":0,"fail_count":0,"last_iteration":1715594880,"last_node":"pve1","last_sync":1715594880,"last_try":1715594880,"storeid_list":["local-zfs"]}}}"#;
        let st = parse(text).unwrap();
        let js = &st["100"]["local/pve2"];
        assert_eq!(js.last_sync, 1_715_594_880);
        assert_eq!(
            js.storeid_list.as_deref(),
            Some(&["local-zfs".to_string()][..])
        );
        assert_eq!(write(&st), text);
    }

    #[test]
    fn defaults_strings_and_unknown_keys() {
        let st =
            parse(r#"{"100":{"local/pve2":{"last_sync":"17","foo":[1],"duration":0.131211}}}"#)
                .unwrap();
        let js = &st["100"]["local/pve2"];
        assert_eq!((js.last_sync, js.last_try, js.fail_count), (17, 0, 0));
        assert_eq!(
            write(&st),
            r#"{"100":{"local/pve2":{"duration":0.131211,"fail_count":0,"foo":[1],"last_iteration":0,"last_sync":17,"last_try":0}}}"#
        );
        assert!(parse("").unwrap().is_empty());
        assert!(parse("{x").is_err());
    }
}

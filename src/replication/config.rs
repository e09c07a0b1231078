//! `/etc/pve/replication.cfg` (pvesr.md §4): typed parse with warnings,
//! the exact writer, property validation shared with the `pvesr` command
//! line, and the file digest (SHA-1 of the raw text).

use super::calendar::verify_schedule;
use super::job::{format_number, parse_job_id, Job, RemoveMode};
use crate::format::section_config;
use std::collections::{BTreeMap, BTreeSet};

/// The file name under `/etc/pve`.
pub const FILE: &str = "replication.cfg";
/// The file as the warnings name it.
const SHOWN: &str = "/etc/pve/replication.cfg";

/// The parsed file: jobs by id, their file order, the digest of the text
/// and the warnings for what was skipped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReplicationConfig {
    pub jobs: BTreeMap<String, Job>,
    /// Ids in file order (new jobs are appended).
    pub order: Vec<String>,
    pub digest: String,
    pub warnings: Vec<String>,
}

/// Keys a job section may hold.
pub const KEYS: &[&str] = &[
    "comment",
    "disable",
    "rate",
    "remove_job",
    "schedule",
    "source",
    "target",
];

/// Check a node name (`pve-node` format).
pub fn valid_node_name(n: &str) -> bool {
    let b = n.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
}

/// Parse a JSON-schema `number`.
pub fn parse_number(v: &str) -> Option<f64> {
    let t = v.trim();
    let ok = !t.is_empty()
        && t.bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'-' | b'+' | b'e' | b'E'))
        && t.bytes().any(|c| c.is_ascii_digit());
    if !ok {
        return None;
    }
    t.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Parse a Proxmox boolean.
pub fn parse_bool(v: &str) -> Option<bool> {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "on" | "true" => Some(true),
        "0" | "no" | "off" | "false" => Some(false),
        _ => None,
    }
}

/// Validate one property value as the schema does; the error is the text
/// after `<key>: `.
pub fn check_property(key: &str, value: &str) -> Result<(), String> {
    match key {
        "target" | "source" => {
            if valid_node_name(value) {
                Ok(())
            } else {
                Err("invalid format - value does not look like a valid node name".into())
            }
        }
        "schedule" => {
            if value.chars().count() > 128 {
                return Err("value may only be 128 characters long".into());
            }
            verify_schedule(value)
                .map(|_| ())
                .map_err(|e| format!("invalid format - {e}"))
        }
        "rate" => match parse_number(value) {
            None => Err(format!("type check ('number') failed - got '{value}'")),
            Some(r) if r < 1.0 => Err("value must have a minimum value of 1".into()),
            Some(_) => Ok(()),
        },
        "comment" => {
            if value.chars().count() > 4096 {
                Err("value may only be 4096 characters long".into())
            } else {
                Ok(())
            }
        }
        "disable" => parse_bool(value)
            .map(|_| ())
            .ok_or_else(|| format!("type check ('boolean') failed - got '{value}'")),
        "remove_job" => RemoveMode::parse(value).map(|_| ()).ok_or_else(|| {
            format!("value '{value}' does not have a value in the enumeration 'local, full'")
        }),
        _ => Err(crate::format::NOT_IN_SCHEMA.into()),
    }
}

/// Set a checked property on a job.
pub fn set_property(job: &mut Job, key: &str, value: &str) -> Result<(), String> {
    check_property(key, value)?;
    match key {
        "target" => job.target = value.to_string(),
        "source" => job.source = Some(value.to_string()),
        "schedule" => job.schedule = Some(value.to_string()),
        "rate" => job.rate = parse_number(value),
        "comment" => job.comment = Some(value.to_string()),
        "disable" => job.disable = parse_bool(value).unwrap_or(false),
        "remove_job" => job.remove_job = RemoveMode::parse(value),
        _ => unreachable!("checked above"),
    }
    Ok(())
}

/// Remove a property from a job.
pub fn delete_property(job: &mut Job, key: &str) {
    match key {
        "source" => job.source = None,
        "schedule" => job.schedule = None,
        "rate" => job.rate = None,
        "comment" => job.comment = None,
        "disable" => job.disable = false,
        "remove_job" => job.remove_job = None,
        _ => {}
    }
}

/// Percent-encode a comment: every byte outside 0x20-0x24, 0x26-0x39,
/// 0x3B-0x7E becomes `%XX`.
pub fn encode_comment(c: &str) -> String {
    let mut out = String::new();
    for b in c.bytes() {
        if matches!(b, 0x20..=0x24 | 0x26..=0x39 | 0x3B..=0x7E) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decode `%XX` sequences.
pub fn decode_comment(c: &str) -> String {
    let b = c.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && b[i + 1].is_ascii_hexdigit()
            && b[i + 2].is_ascii_hexdigit()
        {
            let hex = |x: u8| (x as char).to_digit(16).unwrap_or(0) as u8;
            out.push(hex(b[i + 1]) * 16 + hex(b[i + 2]));
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Whether a job id (already known to parse) is in canonical form: no
/// leading zero in either number.
fn is_canonical_job_id(id: &str) -> bool {
    id.split_once('-').is_some_and(|(g, n)| {
        !(g.len() > 1 && g.starts_with('0') || n.len() > 1 && n.starts_with('0'))
    })
}

fn is_job_header_id(id: &str) -> bool {
    match id.split_once('-') {
        Some((g, n)) => {
            !g.is_empty()
                && !n.is_empty()
                && g.bytes().all(|b| b.is_ascii_digit())
                && n.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

impl ReplicationConfig {
    /// Parse the file text (absent file: empty text).
    pub fn parse(text: &str) -> ReplicationConfig {
        let mut cfg = Self::parse_jobs(text);
        cfg.digest = sha1_hex(text.as_bytes());
        cfg
    }

    /// [`parse`](Self::parse) without the digest (left empty), for readers
    /// that only look at or rewrite the jobs.
    pub fn parse_jobs(text: &str) -> ReplicationConfig {
        let raw = section_config::parse_ref(SHOWN, text);
        let mut cfg = ReplicationConfig {
            warnings: raw.warnings.iter().map(|w| w.message.clone()).collect(),
            ..ReplicationConfig::default()
        };
        for sec in &raw.sections {
            if !is_job_header_id(sec.id) {
                cfg.warnings.push(format!(
                    "file {SHOWN} line {} - ignore config line: {}: {}",
                    sec.line, sec.ty, sec.id
                ));
                continue;
            }
            let (guest, num) = match parse_job_id(sec.id) {
                Ok(v) => v,
                Err(e) => {
                    cfg.warnings
                        .push(format!("file {SHOWN} line {} - {e}", sec.line));
                    continue;
                }
            };
            if sec.ty != "local" {
                cfg.warnings.push(format!(
                    "file {SHOWN} line {} - ignore section with unknown type '{}'",
                    sec.line, sec.ty
                ));
                continue;
            }
            // the canonical id (leading zeros dropped), as normalize_job_id
            let id = if is_canonical_job_id(sec.id) {
                sec.id.to_string()
            } else {
                format!("{guest}-{num}")
            };
            let mut job = Job {
                id: String::new(),
                guest,
                ..Job::default()
            };
            for p in raw.props_of(sec) {
                if !KEYS.contains(&p.key) {
                    cfg.warnings.push(format!(
                        "file {SHOWN} line {} (section '{id}') - unable to parse value of '{}': unexpected property '{}'",
                        p.line, p.key, p.key
                    ));
                    continue;
                }
                let decoded;
                let value = match (p.value, p.key) {
                    (None, "disable") => "1",
                    (None, _) => "",
                    (Some(v), "comment") => {
                        decoded = decode_comment(v);
                        decoded.as_str()
                    }
                    (Some(v), _) => v,
                };
                if let Err(e) = set_property(&mut job, p.key, value) {
                    cfg.warnings.push(format!(
                        "file {SHOWN} line {} (section '{id}') - unable to parse value of '{}': {e}",
                        p.line, p.key
                    ));
                }
            }
            if job.target.is_empty() {
                cfg.warnings.push(format!(
                    "file {SHOWN} line {} (section '{id}') - missing value for required option 'target'",
                    sec.line
                ));
                continue;
            }
            if cfg.jobs.contains_key(&id) {
                cfg.warnings.push(format!(
                    "file {SHOWN} line {} - duplicate section '{id}'",
                    sec.line
                ));
                continue;
            }
            job.id = id.clone();
            cfg.order.push(id.clone());
            cfg.jobs.insert(id, job);
        }
        // One job per (guest, target), examined in job-id order (the
        // target id is `local/<target>`: the target names the pair).
        let mut seen: BTreeSet<(u32, &str)> = BTreeSet::new();
        let mut dropped = Vec::new();
        for (id, job) in &cfg.jobs {
            if !seen.insert((job.guest, job.target.as_str())) {
                dropped.push(id.clone());
            }
        }
        for id in dropped {
            let job = &cfg.jobs[&id];
            cfg.warnings.push(format!(
                "delete job {id}: replication job for guest '{}' to target '{}' already exists",
                job.guest,
                job.tid()
            ));
            cfg.jobs.remove(&id);
            cfg.order.retain(|i| i != &id);
        }
        cfg
    }

    /// Add or replace a job (new ids go to the end of the file).
    pub fn insert(&mut self, job: Job) {
        if !self.jobs.contains_key(&job.id) {
            self.order.push(job.id.clone());
        }
        self.jobs.insert(job.id.clone(), job);
    }

    pub fn remove(&mut self, id: &str) -> Option<Job> {
        self.order.retain(|i| i != id);
        self.jobs.remove(id)
    }

    /// The file text, after the checks of §4.5.
    pub fn write(&self) -> Result<String, String> {
        let mut seen = BTreeSet::new();
        let mut out = String::new();
        for id in &self.order {
            let Some(job) = self.jobs.get(id) else {
                continue;
            };
            if !id.starts_with(&format!("{}-", job.guest)) {
                return Err("property 'guest' has wrong value".into());
            }
            if !seen.insert((job.guest, job.tid())) {
                return Err(format!(
                    "replication job for guest '{}' to target '{}' already exists",
                    job.guest,
                    job.tid()
                ));
            }
            out.push_str(&format!("local: {id}\n"));
            if let Some(c) = job.comment.as_deref().filter(|c| !c.is_empty()) {
                out.push_str(&format!("\tcomment {}\n", encode_comment(c)));
            }
            if job.disable {
                out.push_str("\tdisable\n");
            }
            out.push_str(&format!("\ttarget {}\n", job.target));
            if let Some(r) = job.rate {
                out.push_str(&format!("\trate {}\n", format_number(r)));
            }
            if let Some(m) = job.remove_job {
                out.push_str(&format!("\tremove_job {m}\n"));
            }
            if let Some(s) = &job.schedule {
                out.push_str(&format!("\tschedule {s}\n"));
            }
            if let Some(s) = &job.source {
                out.push_str(&format!("\tsource {s}\n"));
            }
            out.push('\n');
        }
        Ok(out)
    }
}

/// The SHA-1 hex digest of a config file (one implementation, in `ha::digest`).
pub use crate::ha::digest::sha1_hex;

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC_EXAMPLE: &str = "local: 100-0\n\tcomment nightly%3A offsite\n\tdisable\n\ttarget pve2\n\trate 10\n\tschedule mon..fri 22:00\n\tsource pve1\n\nlocal: 101-1\n\ttarget pve3\n\tsource pve1\n\n";

    #[test]
    fn sha1_known_values() {
        assert_eq!(sha1_hex(b""), "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
        assert_eq!(
            sha1_hex(&[b'a'; 1000]),
            "291e9a6c66994949b57ba5e650361e98fc36b1ba"
        );
    }

    #[test]
    fn spec_example_round_trips() {
        let cfg = ReplicationConfig::parse(SPEC_EXAMPLE);
        assert!(cfg.warnings.is_empty(), "{:?}", cfg.warnings);
        let j = &cfg.jobs["100-0"];
        assert_eq!(j.comment.as_deref(), Some("nightly: offsite"));
        assert!(j.disable);
        assert_eq!(j.rate, Some(10.0));
        assert_eq!(j.schedule.as_deref(), Some("mon..fri 22:00"));
        assert_eq!(cfg.write().unwrap(), SPEC_EXAMPLE);
        assert_eq!(ReplicationConfig::parse("").digest, sha1_hex(b""));
    }

    #[test]
    fn normalizes_and_warns() {
        let text = "local: 100-007\n\ttarget pve2\n\trate abc\n\tfoo bar\n\nlocal: 99-0\n\ttarget pve2\n\nremote: 101-0\n\ttarget pve2\n\nlocal: 100-1\n\ttarget pve3\n\nlocal: 100-10\n\ttarget pve2\n\n";
        let cfg = ReplicationConfig::parse(text);
        // 100-10 sorts before 100-7, so 100-7 is the duplicate dropped.
        assert_eq!(cfg.order, ["100-1", "100-10"]);
        let w = cfg.warnings.join("\n");
        assert!(
            w.contains("type check ('number') failed - got 'abc'"),
            "{w}"
        );
        assert!(w.contains("unexpected property 'foo'"), "{w}");
        assert!(w.contains("guest IDs < 100 are reserved"), "{w}");
        assert!(w.contains("unknown type 'remote'"), "{w}");
        assert!(
            w.contains("delete job 100-7: replication job for guest '100' to target 'local/pve2' already exists"),
            "{w}"
        );
    }

    #[test]
    fn comment_encoding() {
        assert_eq!(encode_comment("a%b:c\nü"), "a%25b%3Ac%0A%C3%BC");
        assert_eq!(decode_comment("a%25b%3Ac%0A%C3%BC"), "a%b:c\nü");
        assert_eq!(decode_comment("100%"), "100%");
    }

    #[test]
    fn write_checks() {
        let mut cfg = ReplicationConfig::default();
        cfg.insert(Job {
            id: "100-0".into(),
            guest: 100,
            target: "pve2".into(),
            ..Job::default()
        });
        cfg.insert(Job {
            id: "100-1".into(),
            guest: 100,
            target: "pve2".into(),
            ..Job::default()
        });
        assert_eq!(
            cfg.write().unwrap_err(),
            "replication job for guest '100' to target 'local/pve2' already exists"
        );
        cfg.remove("100-1");
        cfg.insert(Job {
            id: "100-5".into(),
            guest: 101,
            target: "pve3".into(),
            ..Job::default()
        });
        assert_eq!(cfg.write().unwrap_err(), "property 'guest' has wrong value");
    }

    #[test]
    fn parse_jobs_is_parse_without_the_digest() {
        let text = format!(
            "{SPEC_EXAMPLE}local: 0102-00\n\ttarget pve2\n\nlocal: 102-0\n\ttarget pve3\n\n"
        );
        let full = ReplicationConfig::parse(&text);
        let jobs = ReplicationConfig::parse_jobs(&text);
        assert_eq!(full.digest, sha1_hex(text.as_bytes()));
        assert_eq!(jobs.digest, "");
        assert_eq!(
            ReplicationConfig {
                digest: String::new(),
                ..full.clone()
            },
            jobs
        );
        assert_eq!(full.order, ["100-0", "101-1", "102-0"]);
        assert_eq!(full.jobs["102-0"].target, "pve2");
        assert_eq!(full.jobs["102-0"].id, "102-0");
        assert_eq!(
            full.warnings,
            ["file /etc/pve/replication.cfg line 16 - duplicate section '102-0'"]
        );
    }
}

//! The bad-input catalogue: every parser is fed truncated, binary, oversized
//! and mutated input and must answer with a value or an error, never a panic.
//!
//! Each parser is registered once in `parsers()` with a few valid samples;
//! the mutations are generated deterministically from those samples, so a
//! failure reproduces. (The cargo-fuzz targets in `fuzz/` explore further.)

use std::panic::{catch_unwind, AssertUnwindSafe};

type Parser = fn(&str) -> Result<(), String>;

struct Entry {
    name: &'static str,
    parse: Parser,
    samples: &'static [&'static str],
}

fn parsers() -> Vec<Entry> {
    use pvesim::format::{property_string::PropertyString, section_config};
    vec![
        Entry {
            name: "replication.cfg",
            parse: |t| {
                use pvesim::replication::config::ReplicationConfig;
                let c = ReplicationConfig::parse(t);
                // What was read writes back and reads again the same.
                let text = c.write()?;
                let again = ReplicationConfig::parse(&text);
                if again.jobs != c.jobs {
                    return Err("round trip changed the jobs".into());
                }
                if c.jobs.is_empty() && !t.trim().is_empty() && c.warnings.is_empty() {
                    return Err("input ignored without a warning".into());
                }
                Ok(())
            },
            samples: &[
                "local: 100-0\n\tcomment nightly%3A offsite\n\tdisable\n\ttarget pve2\n\trate 10\n\tschedule mon..fri 22:00\n\tsource pve1\n\n",
                "local: 101-1\n\ttarget pve3\n\tsource pve1\n\n",
            ],
        },
        Entry {
            name: "calendar event",
            parse: |t| {
                pvesim::replication::calendar::CalendarEvent::parse(t)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            },
            samples: &["mon..fri 8..17,22:0/15", "*-*/5 *:*:*/20 UTC"],
        },
        Entry {
            name: "replication state",
            parse: |t| pvesim::replication::state::parse(t).map(|_| ()),
            samples: &[
                r#"{"100":{"local/pve2":{"duration":0,"fail_count":0,"last_iteration":1715594880,"last_node":"pve1","last_sync":1715594880,"last_try":1715594880,"storeid_list":["local-zfs"]}}}"#,
            ],
        },
        Entry {
            name: "corosync.conf",
            parse: |t| {
                if let Ok(conf) = pvesim::format::corosync::parse(t) {
                    let text = pvesim::format::corosync::write(&conf);
                    pvesim::format::corosync::parse(&text).map_err(|e| e.to_string())?;
                }
                Ok(())
            },
            samples: &[
                "totem {\n  cluster_name: lab\n  config_version: 3\n  version: 2\n}\n\nnodelist {\n  node {\n    name: pve1\n    nodeid: 1\n    quorum_votes: 1\n    ring0_addr: 192.168.1.11\n  }\n}\n",
            ],
        },
        Entry {
            name: "datacenter.cfg",
            parse: |t| {
                let p = pvesim::format::datacenter::parse(t);
                let _ = (p.config.ha(), p.config.crs(), p.config.migration());
                let _ = pvesim::format::datacenter::write(&p.config);
                Ok(())
            },
            samples: &["keyboard: en-us\nha: shutdown_policy=migrate\ncrs: ha=static,ha-rebalance-on-start=1\nmigration: secure,network=10.0.0.0/24\n"],
        },
        Entry {
            name: "guest config",
            parse: |t| {
                let (cfg, _warnings) = pvesim::guest::config::VmConfig::parse(t, 100);
                let _ = cfg.write();
                Ok(())
            },
            samples: &[
                "boot: order=scsi0;ide2;net0\ncores: 2\nmemory: 2048\nname: web01\nscsi0: local-zfs:vm-100-disk-0,iothread=1,size=32G\n\n[snap1]\nmemory: 1024\nsnaptime: 1700000000\n",
            ],
        },
        Entry {
            name: "storage.cfg",
            parse: |t| {
                let c = pvesim::storage::config::StorageConfig::parse(t);
                let _ = c.write();
                Ok(())
            },
            samples: &["dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\n"],
        },
        Entry {
            name: "groups.cfg",
            parse: |t| {
                let (g, _) = pvesim::ha::groups::GroupsConfig::parse(t);
                let (again, _) = pvesim::ha::groups::GroupsConfig::parse(&g.write());
                if again.groups.len() != g.groups.len() {
                    return Err("round trip changed the groups".into());
                }
                Ok(())
            },
            samples: &["group: prefer-pve1\n\tnodes pve1:2,pve2:1\n\tnofailback 1\n\trestricted 0\n\n"],
        },
        Entry {
            name: "rules.cfg",
            parse: |t| {
                let (r, _) = pvesim::ha::rules::RulesConfig::parse(t);
                let (again, _) = pvesim::ha::rules::RulesConfig::parse(&r.write());
                if again.rules.len() != r.rules.len() {
                    return Err("round trip changed the rules".into());
                }
                Ok(())
            },
            samples: &["node-affinity: pin\n\tnodes pve1:100,pve2:10\n\tresources vm:100\n\tstrict 1\n\nresource-affinity: apart\n\taffinity negative\n\tresources vm:100,vm:101\n\n"],
        },
        Entry {
            name: "resources.cfg",
            parse: |t| {
                let c = pvesim::ha::config::ResourcesConfig::parse("resources.cfg", t);
                let _ = c.write();
                Ok(())
            },
            samples: &["vm: 100\n\tmax_relocate 2\n\tstate started\n\nct: 101\n\tcomment web\n\tfailback 0\n\n"],
        },
        Entry {
            name: "manager_status",
            parse: |t| pvesim::ha::types::ManagerStatus::parse(t).map(|_| ()),
            samples: &[r#"{"master_node":"node1","node_status":{"node1":"online","node3":"fence"},"service_status":{"vm:101":{"state":"started","node":"node1","uid":"abc","running":1}},"timestamp":5}"#],
        },
        Entry {
            name: "lrm_status",
            parse: |t| pvesim::ha::types::LrmStatus::parse(t).map(|_| ()),
            samples: &[r#"{"state":"active","mode":"active","results":{"x":{"sid":"vm:100","state":"started","exit_code":0}},"timestamp":21}"#],
        },
        Entry {
            name: "section config",
            parse: |t| {
                let p = section_config::parse("x.cfg", t);
                // What was read writes back and reads again the same.
                let again = section_config::parse("x.cfg", &section_config::write(&p.sections));
                if again.sections.len() != p.sections.len() {
                    return Err("round trip changed the section count".into());
                }
                Ok(())
            },
            samples: &[
                "vm: 100\n\tmax_relocate 2\n\tstate started\n\nct: 101\n\tcomment web\n\n",
                "zfspool: local-zfs\n\tpool rpool/data\n\tsparse 1\n\tcontent images,rootdir\n\n",
            ],
        },
        Entry {
            name: "property string",
            parse: |t| {
                PropertyString::parse(t, Some("file"))
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            },
            samples: &[
                "local-zfs:vm-100-disk-0,size=32G,cache=none",
                "comment=\"a,b\",ha=static",
            ],
        },
    ]
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn inputs(samples: &[&str]) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut rng = Rng(0x9e3779b97f4a7c15);
    for s in samples {
        let b = s.as_bytes();
        // truncated at every byte
        for i in 0..b.len() {
            out.push(b[..i].to_vec());
        }
        // mutated: byte flips, insertions of separators, deletions
        for _ in 0..300 {
            let mut m = b.to_vec();
            for _ in 0..(1 + rng.next() % 4) {
                let pos = (rng.next() as usize) % (m.len() + 1);
                match rng.next() % 4 {
                    0 if pos < m.len() => m[pos] = rng.next() as u8,
                    1 => m.insert(pos, b":,= \t\n\"#\\\0"[(rng.next() % 10) as usize]),
                    2 if pos < m.len() => {
                        m.remove(pos);
                    }
                    _ => m.insert(pos, rng.next() as u8),
                }
            }
            out.push(m);
        }
        // oversized: the sample repeated to over a megabyte
        out.push(b.repeat(1 + (1 << 20) / b.len().max(1)));
    }
    // binary garbage
    for len in [1usize, 7, 64, 4096] {
        out.push((0..len).map(|_| rng.next() as u8).collect());
    }
    out.push(Vec::new());
    out
}

#[test]
fn no_parser_panics_on_bad_input() {
    let mut failures = Vec::new();
    for entry in parsers() {
        for (i, bytes) in inputs(entry.samples).iter().enumerate() {
            let text = String::from_utf8_lossy(bytes);
            let r = catch_unwind(AssertUnwindSafe(|| (entry.parse)(&text)));
            match r {
                Err(_) => failures.push(format!("{}: input #{i} panicked: {text:?}", entry.name)),
                Ok(Err(msg)) if msg.trim().is_empty() => {
                    failures.push(format!("{}: input #{i} gave an empty error", entry.name))
                }
                Ok(_) => {}
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

//! Proof under load and faults: many commands at once on one root lose no
//! acknowledged change, and commands killed with SIGKILL at random points
//! never leave a file that does not parse; the next tick carries on.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};

fn bin(tool: &str) -> PathBuf {
    assert_cmd::cargo::cargo_bin(tool)
}

fn cmd(root: &Path, node: &str, tool: &str, args: &[String]) -> Command {
    let mut c = Command::new(bin(tool));
    c.args(args)
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .env("TZ", "UTC")
        .stdin(Stdio::null());
    c
}

fn ok(root: &Path, node: &str, tool: &str, args: &[&str]) {
    let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
    let out = cmd(root, node, tool, &args).output().unwrap();
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A small deterministic generator, so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

/// Every file under the root that has a format must parse completely.
fn check_all_files_parse(root: &Path) -> Vec<String> {
    let mut bad = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let e = e.unwrap();
            let p = e.path();
            let ft = std::fs::symlink_metadata(&p).unwrap().file_type();
            if ft.is_dir() {
                stack.push(p);
                continue;
            }
            if !ft.is_file() {
                continue;
            }
            let name = e.file_name().to_string_lossy().into_owned();
            if name.contains(".tmp.") {
                continue; // a writer killed before its rename; never read
            }
            let text = match std::fs::read_to_string(&p) {
                Ok(t) => t,
                Err(_) => continue,
            };
            let rel = p.strip_prefix(root).unwrap().display().to_string();
            let parent = p.parent().unwrap().file_name().unwrap().to_string_lossy();
            let problem: Option<String> =
                if name.ends_with(".json") || name == "manager_status" || name == "lrm_status" {
                    if text.trim().is_empty() {
                        None
                    } else {
                        serde_json::from_str::<serde_json::Value>(&text)
                            .err()
                            .map(|e| e.to_string())
                    }
                } else if name == "corosync.conf" {
                    pvesim::format::corosync::parse(&text)
                        .err()
                        .map(|e| e.to_string())
                } else if name.ends_with(".cfg") && name != "datacenter.cfg" {
                    let p = pvesim::format::section_config::parse(&name, &text);
                    p.warnings.first().map(|w| w.message.clone())
                } else if name.ends_with(".conf") && (parent == "qemu-server") {
                    let vmid: u32 = name.trim_end_matches(".conf").parse().unwrap_or(0);
                    let (_, warnings) = pvesim::guest::config::VmConfig::parse(&text, vmid);
                    warnings.first().cloned()
                } else {
                    None
                };
            if let Some(p) = problem {
                bad.push(format!("{rel}: {p}"));
            }
        }
    }
    bad
}

fn duplicates(root: &Path) -> Vec<u32> {
    pvesim::cluster::pmxcfs::duplicate_vmids(&root.join("etc/pve"))
        .unwrap()
        .into_iter()
        .map(|(v, _)| v)
        .collect()
}

fn conf_nodes(root: &Path, vmid: u32) -> Vec<String> {
    ["pve1", "pve2", "pve3"]
        .iter()
        .filter(|n| {
            root.join(format!("etc/pve/nodes/{n}/qemu-server/{vmid}.conf"))
                .exists()
        })
        .map(|n| n.to_string())
        .collect()
}

#[test]
fn two_hundred_parallel_commands_lose_no_acknowledged_change() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "pvesim",
        &["init", "--nodes", "3", "--cluster", "lab"],
    );
    // Guests the parallel phase works on: 100-139 (sets, HA), 140-159
    // (replication: a local ZFS disk on pve1), 160-169 (migrations).
    for vmid in 100..170u32 {
        let v = vmid.to_string();
        if (140..160).contains(&vmid) {
            ok(
                root,
                "pve1",
                "qm",
                &["create", &v, "--scsi0", "local-zfs:1"],
            );
        } else {
            ok(root, "pve1", "qm", &["create", &v]);
        }
    }
    for vmid in 120..140u32 {
        ok(
            root,
            "pve1",
            "ha-manager",
            &["add", &format!("vm:{vmid}"), "--state", "stopped"],
        );
    }

    // The 200 commands: (node, tool, args, what an acknowledgement promises).
    #[derive(Clone)]
    enum Promise {
        Created(u32),
        Named(u32, String),
        HaAdded(String),
        HaComment(String, String),
        Job(String),
        MovedTo(u32, String),
        Nothing,
    }
    let mut jobs: Vec<(String, &str, Vec<String>, Promise)> = Vec::new();
    let nodes = ["pve1", "pve2", "pve3"];
    for i in 0..60u32 {
        let vmid = 200 + i;
        jobs.push((
            nodes[i as usize % 3].into(),
            "qm",
            vec![
                "create".into(),
                vmid.to_string(),
                "--memory".into(),
                "1024".into(),
            ],
            Promise::Created(vmid),
        ));
    }
    for i in 0..40u32 {
        let vmid = 100 + i;
        let name = format!("guest-{vmid}");
        jobs.push((
            "pve1".into(),
            "qm",
            vec![
                "set".into(),
                vmid.to_string(),
                "--name".into(),
                name.clone(),
            ],
            Promise::Named(vmid, name),
        ));
    }
    for i in 0..20u32 {
        let sid = format!("vm:{}", 100 + i);
        jobs.push((
            nodes[i as usize % 3].into(),
            "ha-manager",
            vec![
                "add".into(),
                sid.clone(),
                "--state".into(),
                "stopped".into(),
            ],
            Promise::HaAdded(sid),
        ));
    }
    for i in 0..20u32 {
        let sid = format!("vm:{}", 200 + i);
        jobs.push((
            "pve2".into(),
            "ha-manager",
            vec![
                "add".into(),
                sid.clone(),
                "--state".into(),
                "stopped".into(),
            ],
            Promise::HaAdded(sid),
        ));
    }
    for i in 0..20u32 {
        let sid = format!("vm:{}", 120 + i);
        let comment = format!("c{i}");
        jobs.push((
            "pve3".into(),
            "ha-manager",
            vec![
                "set".into(),
                sid.clone(),
                "--comment".into(),
                comment.clone(),
            ],
            Promise::HaComment(sid, comment),
        ));
    }
    for i in 0..20u32 {
        let id = format!("{}-0", 140 + i);
        jobs.push((
            "pve1".into(),
            "pvesr",
            vec![
                "create-local-job".into(),
                id.clone(),
                nodes[1 + i as usize % 2].into(),
                "--schedule".into(),
                "*/15".into(),
            ],
            Promise::Job(id),
        ));
    }
    for i in 0..10u32 {
        let vmid = 160 + i;
        let target = nodes[1 + i as usize % 2].to_string();
        jobs.push((
            "pve1".into(),
            "qm",
            vec!["migrate".into(), vmid.to_string(), target.clone()],
            Promise::MovedTo(vmid, target),
        ));
    }
    for _ in 0..10 {
        jobs.push((
            "pve1".into(),
            "pvesim",
            vec!["tick".into(), "--quiet".into()],
            Promise::Nothing,
        ));
    }
    assert_eq!(jobs.len(), 200);
    // Interleave deterministically.
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for i in (1..jobs.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        jobs.swap(i, j);
    }

    let queue = Arc::new(Mutex::new(
        jobs.clone().into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let results: Arc<Mutex<BTreeMap<usize, Output>>> = Arc::new(Mutex::new(BTreeMap::new()));
    let workers: Vec<_> = (0..12)
        .map(|_| {
            let queue = Arc::clone(&queue);
            let results = Arc::clone(&results);
            let root = root.to_path_buf();
            std::thread::spawn(move || loop {
                let Some((i, (node, tool, args, _))) = queue.lock().unwrap().pop() else {
                    return;
                };
                let out = cmd(&root, &node, tool, &args).output().unwrap();
                results.lock().unwrap().insert(i, out);
            })
        })
        .collect();
    for w in workers {
        w.join().unwrap();
    }
    let results = results.lock().unwrap();

    let resources = std::fs::read_to_string(root.join("etc/pve/ha/resources.cfg")).unwrap();
    let ha = pvesim::format::section_config::parse("resources.cfg", &resources);
    let replication =
        std::fs::read_to_string(root.join("etc/pve/replication.cfg")).unwrap_or_default();
    let mut acked = 0;
    let mut missing = Vec::new();
    for (i, (_, tool, args, promise)) in jobs.iter().enumerate() {
        let out = &results[&i];
        if !out.status.success() {
            // Refused commands must say why.
            assert!(!out.stderr.is_empty(), "{tool} {args:?} failed silently");
            continue;
        }
        acked += 1;
        let holds = match promise {
            Promise::Created(v) => conf_nodes(root, *v).len() == 1,
            Promise::Named(v, name) => conf_nodes(root, *v).first().is_some_and(|n| {
                std::fs::read_to_string(
                    root.join(format!("etc/pve/nodes/{n}/qemu-server/{v}.conf")),
                )
                .unwrap()
                .contains(&format!("name: {name}"))
            }),
            Promise::HaAdded(sid) => ha
                .sections
                .iter()
                .any(|s| format!("{}:{}", s.ty, s.id) == *sid),
            Promise::HaComment(sid, c) => ha.sections.iter().any(|s| {
                format!("{}:{}", s.ty, s.id) == *sid && s.get("comment") == Some(c.as_str())
            }),
            Promise::Job(id) => replication.contains(&format!("local: {id}\n")),
            Promise::MovedTo(v, target) => conf_nodes(root, *v) == vec![target.clone()],
            Promise::Nothing => true,
        };
        if !holds {
            missing.push(format!("{tool} {args:?}"));
        }
    }
    assert!(missing.is_empty(), "acknowledged but lost: {missing:#?}");
    assert!(acked >= 190, "only {acked} of 200 commands succeeded");
    assert_eq!(check_all_files_parse(root), Vec::<String>::new());
    assert_eq!(duplicates(root), Vec::<u32>::new());
}

#[test]
fn commands_killed_at_random_points_leave_a_consistent_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    ok(
        root,
        "pve1",
        "pvesim",
        &["init", "--nodes", "3", "--cluster", "lab"],
    );
    let shared =
        "nfs: shared\n\texport /e\n\tpath /mnt/pve/shared\n\tserver 10.0.0.5\n\tcontent images\n\n";
    let cfg = root.join("etc/pve/storage.cfg");
    let text = std::fs::read_to_string(&cfg).unwrap() + shared;
    std::fs::write(&cfg, text).unwrap();
    for vmid in 100..110u32 {
        let v = vmid.to_string();
        ok(root, "pve1", "qm", &["create", &v, "--scsi0", "shared:1"]);
        ok(root, "pve1", "ha-manager", &["add", &format!("vm:{v}")]);
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut next_vmid = 300u32;
    for round in 0..200u32 {
        let (node, tool, args): (&str, &str, Vec<String>) = match rng.next() % 6 {
            0 | 1 => (
                "pve1",
                "pvesim",
                vec!["tick".into(), "5".into(), "--quiet".into()],
            ),
            2 => {
                next_vmid += 1;
                (
                    "pve2",
                    "qm",
                    vec![
                        "create".into(),
                        next_vmid.to_string(),
                        "--memory".into(),
                        "256".into(),
                    ],
                )
            }
            3 => {
                let v = 100 + (rng.next() % 10) as u32;
                (
                    "pve1",
                    "ha-manager",
                    vec![
                        "set".into(),
                        format!("vm:{v}"),
                        "--comment".into(),
                        format!("r{round}"),
                    ],
                )
            }
            4 => {
                let v = 100 + (rng.next() % 10) as u32;
                let n = conf_nodes(root, v).pop().unwrap_or_else(|| "pve1".into());
                let node: &str = match n.as_str() {
                    "pve2" => "pve2",
                    "pve3" => "pve3",
                    _ => "pve1",
                };
                (
                    node,
                    "qm",
                    vec![
                        "set".into(),
                        v.to_string(),
                        "--description".into(),
                        format!("round {round}"),
                    ],
                )
            }
            _ => {
                let n = ["pve1", "pve2", "pve3"][(rng.next() % 3) as usize];
                let on = rng.next().is_multiple_of(2);
                (
                    "pve1",
                    "pvesim",
                    vec![
                        "network".into(),
                        n.into(),
                        if on { "on" } else { "off" }.into(),
                    ],
                )
            }
        };
        let mut child = cmd(root, node, tool, &args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_micros(rng.next() % 20_000));
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        if round % 20 == 19 {
            let bad = check_all_files_parse(root);
            assert!(bad.is_empty(), "after {round} kills: {bad:#?}");
        }
    }
    // Everything back on, and the next ticks carry on from what is there.
    for n in ["pve1", "pve2", "pve3"] {
        ok(root, "pve1", "pvesim", &["network", n, "on"]);
        ok(root, "pve1", "pvesim", &["power", n, "on"]);
    }
    let run = |tool: &str, args: &[&str]| -> Output {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        cmd(root, "pve1", tool, &args).output().unwrap()
    };
    let stable = run("pvesim", &["tick", "--until-stable", "--quiet"]);
    let status = run("ha-manager", &["status"]);
    let status = String::from_utf8_lossy(&status.stdout).into_owned();
    // what the event log says of the services that are not started
    let explain = |status: &str| -> String {
        let log = run("pvesim", &["log"]);
        let log = String::from_utf8_lossy(&log.stdout).into_owned();
        let mut out = status.to_string();
        for l in status.lines().filter(|l| l.starts_with("service ")) {
            if l.ends_with(", started)") {
                continue;
            }
            let sid = l.split_whitespace().nth(1).unwrap_or_default();
            let about: Vec<&str> = log.lines().filter(|x| x.contains(sid)).collect();
            let tail = &about[about.len().saturating_sub(30)..];
            out.push_str(&format!("\nevent log of {sid}:\n{}\n", tail.join("\n")));
        }
        if std::env::var_os("PVESIM_PROOF_KEEP").is_some() {
            let keep = tempfile::Builder::new()
                .prefix("proof-root")
                .tempdir()
                .unwrap()
                .keep();
            let _ = Command::new("cp")
                .arg("-a")
                .arg(format!("{}/.", root.display()))
                .arg(&keep)
                .status();
            out.push_str(&format!("\nroot kept at {}\n", keep.display()));
        }
        out
    };
    assert!(
        stable.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&stable.stderr),
        explain(&status)
    );
    assert_eq!(check_all_files_parse(root), Vec::<String>::new());
    assert_eq!(duplicates(root), Vec::<u32>::new());
    for vmid in 100..110 {
        let line = status
            .lines()
            .find(|l| l.starts_with(&format!("service vm:{vmid} (")))
            .unwrap_or_else(|| panic!("vm:{vmid} missing:\n{status}"));
        assert!(line.ends_with(", started)"), "{line}\n{}", explain(&status));
    }
}

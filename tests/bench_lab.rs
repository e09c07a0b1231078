//! The lab bench (`pvesim init/use/host/power/network/split/heal/status`)
//! over the real binaries: fresh roots, machines, faults, and the B.10
//! quorum table rows they stage.

use assert_cmd::Command;

struct Lab {
    dir: tempfile::TempDir,
}

impl Lab {
    fn empty() -> Lab {
        Lab {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn run(&self, bin: &str, node: Option<&str>, args: &[&str]) -> (i32, String, String) {
        let mut c = Command::cargo_bin(bin).unwrap();
        c.env("PVESIM_ROOT", self.dir.path())
            .env("TZ", "UTC")
            .args(args);
        match node {
            Some(n) => c.env("PVESIM_NODE", n),
            None => c.env_remove("PVESIM_NODE"),
        };
        let o = c.output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8(o.stdout).unwrap(),
            String::from_utf8(o.stderr).unwrap(),
        )
    }
    fn sim(&self, args: &[&str]) -> String {
        let (c, o, e) = self.run("pvesim", None, args);
        assert_eq!(c, 0, "pvesim {args:?}: {e}");
        o
    }
    fn sim_err(&self, args: &[&str]) -> String {
        let (c, _, e) = self.run("pvesim", None, args);
        assert_ne!(c, 0, "pvesim {args:?} should fail");
        e
    }
    fn quorate(&self, node: &str) -> bool {
        let (c, _, e) = self.run("pvecm", Some(node), &["status"]);
        assert!(c == 0 || c == 2, "{node}: {e}");
        c == 0
    }
    fn etq(&self, node: &str) -> (u32, u32, u32) {
        let (_, o, _) = self.run("pvecm", Some(node), &["status"]);
        let get = |label: &str| -> u32 {
            let l = o
                .lines()
                .find(|l| l.starts_with(label))
                .unwrap_or_else(|| panic!("{label} in {o}"));
            l[18..].split_whitespace().next().unwrap().parse().unwrap()
        };
        (get("Expected votes:"), get("Total votes:"), get("Quorum:"))
    }
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.path().join(rel)).unwrap()
    }
}

#[test]
fn init_creates_standalone_machines_and_refuses_an_existing_root() {
    let lab = Lab::empty();
    let out = lab.sim(&["init"]);
    assert!(out.contains("3 machine(s): pve1, pve2, pve3"), "{out}");
    for (i, n) in ["pve1", "pve2", "pve3"].iter().enumerate() {
        assert!(lab
            .dir
            .path()
            .join(format!("hosts/{n}/etc/pve/nodes/{n}/qemu-server"))
            .is_dir());
        assert!(lab
            .read(&format!("hosts/{n}/etc/pve/storage.cfg"))
            .contains("zfspool: local-zfs\n\tpool rpool/data\n\tsparse\n"));
        assert_eq!(
            lab.read(&format!("hosts/{n}/etc/pve/.members")),
            format!("{{\n\"nodename\": \"{n}\",\n\"version\": 0\n}}\n")
        );
        let hw = pvesim::sim::hardware::Hardware::load(&pvesim::store::Root::at(lab.dir.path()))
            .unwrap();
        assert_eq!(
            hw.machines[i].addresses,
            vec![format!("192.168.1.{}", 11 + i)]
        );
        assert_eq!(hw.machines[i].cpu_model, "EPYC-7302");
    }
    assert_eq!(lab.read("sim/pve-version"), "9\n");
    assert!(!lab.dir.path().join("etc/pve").exists());
    let e = lab.sim_err(&["init"]);
    assert!(e.contains("already exists - use --force"), "{e}");
    lab.sim(&[
        "init",
        "--force",
        "--nodes",
        "2",
        "--pve-version",
        "8",
        "--cpu-model",
        "Xeon-6248",
    ]);
    assert!(!lab.dir.path().join("hosts/pve3").exists());
    assert_eq!(lab.read("sim/pve-version"), "8\n");
    assert!(lab.read("sim/hardware.json").contains("Xeon-6248"));
    assert!(lab
        .sim_err(&["init", "--force", "--nodes", "0"])
        .contains("nodes"));
    assert!(lab
        .sim_err(&["init", "--force", "--pve-version", "7"])
        .contains("pve-version"));
    assert!(lab
        .sim_err(&["init", "--force", "--name", "a_b"])
        .contains("valid node name"));
}

#[test]
fn init_with_cluster_builds_a_quorate_cluster_and_status_shows_it() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "3", "--cluster", "demo"]);
    for n in ["pve1", "pve2", "pve3"] {
        assert!(lab.quorate(n));
    }
    let s = lab.sim(&["status"]);
    assert!(
        s.contains("cluster:  demo (config version 3, 3 node(s))"),
        "{s}"
    );
    assert!(
        s.contains("pve2     192.168.1.12  on     on       member 2  1,2,3      yes      3/3/2"),
        "{s}"
    );
    lab.sim(&["use", "pve2"]);
    assert!(lab
        .read("etc/pve/.members")
        .starts_with("{\n\"nodename\": \"pve2\""));
    assert_eq!(
        std::fs::read_link(lab.dir.path().join("etc/pve/local")).unwrap(),
        std::path::Path::new("nodes/pve2")
    );
    assert!(lab
        .sim_err(&["use", "pve9"])
        .contains("no such machine 'pve9'"));
}

#[test]
fn host_add_power_network_and_split_validate_their_input() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "2"]);
    assert!(lab.sim(&["host", "add", "pve3"]).contains("192.168.1.13"));
    lab.sim(&[
        "host",
        "add",
        "pve4",
        "--ip",
        "10.0.0.4",
        "--ip",
        "10.1.0.4",
        "--cpu-model",
        "EPYC-9654",
    ]);
    let hw = lab.read("sim/hardware.json");
    assert!(hw.contains("\"10.1.0.4\"") && hw.contains("EPYC-9654"));
    assert!(lab
        .sim_err(&["host", "add", "pve4"])
        .contains("machine 'pve4' already exists"));
    assert!(lab
        .sim_err(&["host", "add", "pve5", "--ip", "10.0.0.4"])
        .contains("address '10.0.0.4' is already used by machine 'pve4'"));
    assert!(lab
        .sim_err(&["host", "add", "pve5", "--ip", "10.0.0.400"])
        .contains("valid IP address"));
    assert!(!lab.sim_err(&["host", "add", "-x"]).is_empty());
    assert!(lab
        .sim_err(&["host", "add", "averyveryverylongname"])
        .contains("15 characters"));
    assert!(lab
        .sim_err(&["power", "nosuch", "off"])
        .contains("no such machine 'nosuch'"));
    assert!(!lab.sim_err(&["network", "pve1", "sideways"]).is_empty());
    assert!(lab
        .sim_err(&["split", "pve1,pve2", "pve2"])
        .contains("more than one group"));
    assert!(lab
        .sim_err(&["split", "pve1,nosuch"])
        .contains("no such machine 'nosuch'"));
    // A powered-off standalone machine refuses commands too.
    lab.sim(&["power", "pve2", "off"]);
    let (c, _, e) = lab.run("pvecm", Some("pve2"), &["apiver"]);
    assert_eq!((c, e.as_str()), (255, "machine 'pve2' is powered off\n"));
    let (c, _, e) = lab.run("pvecm", Some("nosuch"), &["apiver"]);
    assert_eq!((c, e.as_str()), (255, "no such machine 'nosuch'\n"));
}

#[test]
fn quorum_table_rows_of_the_spec() {
    // 5 nodes, 3:2 split.
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "5", "--cluster", "demo"]);
    lab.sim(&["split", "pve1,pve2,pve3", "pve4,pve5"]);
    assert_eq!(lab.etq("pve1"), (5, 3, 3));
    assert!(lab.quorate("pve1"));
    assert_eq!(lab.etq("pve5"), (5, 2, 3));
    assert!(!lab.quorate("pve5"));
    lab.sim(&["heal"]);
    assert!(lab.quorate("pve5"));

    // 3 nodes + lms QDevice: nodes 2 and 3 off, node 1 alone stays quorate.
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "3", "--cluster", "demo"]);
    lab.sim(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    let (c, _, e) = lab.run("pvecm", Some("pve1"), &["qdevice", "setup", "192.168.1.50"]);
    assert_eq!(
        (c, e.as_str()),
        (
            255,
            "Clusters with an odd node count are not officially supported!\n"
        )
    );
    let (c, _, e) = lab.run(
        "pvecm",
        Some("pve1"),
        &["qdevice", "setup", "192.168.1.50", "--force"],
    );
    assert_eq!(c, 0, "{e}");
    assert!(lab
        .read("etc/pve/corosync.conf")
        .contains("      algorithm: lms\n"));
    assert!(!lab
        .read("etc/pve/corosync.conf")
        .contains("votes: 1\n  }\n  provider"));
    lab.sim(&["power", "pve2", "off"]);
    lab.sim(&["power", "pve3", "off"]);
    assert_eq!(lab.etq("pve1"), (5, 3, 3));
    assert!(lab.quorate("pve1"));
    // qnetd down, node 3 off: {1,2} is not quorate.
    lab.sim(&["power", "pve2", "on"]);
    lab.sim(&["power", "qnetd", "off"]);
    assert_eq!(lab.etq("pve1"), (5, 2, 3));
    assert!(!lab.quorate("pve1"));

    // All nodes online is required for qdevice setup; an unreachable qnetd fails.
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "2", "--cluster", "demo"]);
    lab.sim(&["power", "pve2", "off"]);
    let (_, _, e) = lab.run("pvecm", Some("pve1"), &["qdevice", "setup", "192.168.1.50"]);
    assert_eq!(
        e,
        "All nodes must be online! Node pve2 is offline, aborting.\n"
    );
}

#[test]
fn a_node_removed_by_hand_runs_no_corosync() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "3", "--cluster", "demo"]);
    // Edit corosync.conf by hand: drop pve3, bump the version.
    let text = lab.read("etc/pve/corosync.conf");
    let start = text.find("  node {\n    name: pve3").unwrap();
    let end = start + text[start..].find("  }\n").unwrap() + 4;
    let edited = format!("{}{}", &text[..start], &text[end..])
        .replace("config_version: 3", "config_version: 4");
    std::fs::write(lab.dir.path().join("etc/pve/corosync.conf"), edited).unwrap();
    let (c, out, e) = lab.run("pvecm", Some("pve3"), &["status"]);
    assert_eq!((c, e.as_str()), (1, "Cannot initialize CMAP service\n"));
    assert!(out.starts_with("Cluster information\n"));
    assert_eq!(lab.etq("pve1"), (2, 2, 2));
}

/// Add `line` to the quorum section and bump config_version by hand.
fn edit_quorum(lab: &Lab, line: &str, from: u32) {
    let p = lab.dir.path().join("etc/pve/corosync.conf");
    let t = std::fs::read_to_string(&p).unwrap();
    let t = t
        .replace(
            "  provider: corosync_votequorum",
            &format!("  provider: corosync_votequorum\n  {line}"),
        )
        .replace(
            &format!("config_version: {from}"),
            &format!("config_version: {}", from + 1),
        );
    std::fs::write(&p, t).unwrap();
}

fn flags(lab: &Lab, node: &str) -> String {
    let (_, o, _) = lab.run("pvecm", Some(node), &["status"]);
    o.lines()
        .find(|l| l.starts_with("Flags:"))
        .unwrap()
        .to_string()
}

#[test]
fn hand_edited_two_node_and_wait_for_all() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "2", "--cluster", "demo"]);
    edit_quorum(&lab, "two_node: 1", 2);
    assert_eq!(
        flags(&lab, "pve1"),
        "Flags:            2Node Quorate WaitForAll "
    );
    assert_eq!(lab.etq("pve1"), (2, 2, 1));
    // The survivor keeps quorum ...
    lab.sim(&["power", "pve2", "off"]);
    assert!(lab.quorate("pve1"));
    // ... but after its own restart it waits for all.
    lab.sim(&["power", "pve1", "off"]);
    lab.sim(&["power", "pve1", "on"]);
    assert!(!lab.quorate("pve1"));
    lab.sim(&["power", "pve2", "on"]);
    assert!(lab.quorate("pve1") && lab.quorate("pve2"));
}

#[test]
fn hand_edited_auto_tie_breaker_decides_a_two_two_split() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "4", "--cluster", "demo"]);
    edit_quorum(&lab, "auto_tie_breaker: 1", 4);
    lab.sim(&["split", "pve1,pve2", "pve3,pve4"]);
    assert!(lab.quorate("pve1") && lab.quorate("pve2"));
    assert!(!lab.quorate("pve3") && !lab.quorate("pve4"));
    assert_eq!(flags(&lab, "pve3"), "Flags:            AutoTieBreaker ");
}

#[test]
fn last_man_standing_lowers_expected_votes_after_the_window() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "4", "--cluster", "demo"]);
    edit_quorum(&lab, "last_man_standing: 1", 4);
    let root = pvesim::store::Root::at(lab.dir.path());
    let later = |secs: i64| {
        let t = pvesim::sim::clock::now(&root).unwrap();
        pvesim::sim::clock::set(&root, t + secs).unwrap();
        pvesim::cluster::sync_time(&root).unwrap();
    };
    assert_eq!(
        flags(&lab, "pve1"),
        "Flags:            Quorate LastManStanding "
    );
    lab.sim(&["power", "pve4", "off"]);
    assert_eq!(lab.etq("pve1"), (4, 3, 3));
    later(5);
    assert_eq!(lab.etq("pve1"), (4, 3, 3), "window not over yet");
    later(5);
    assert_eq!(lab.etq("pve1"), (3, 3, 2));
    lab.sim(&["power", "pve3", "off"]);
    assert!(lab.quorate("pve1"));
    later(10);
    assert_eq!(lab.etq("pve1"), (2, 2, 2));
    // Going from 2 to 1 needs auto_tie_breaker.
    lab.sim(&["power", "pve2", "off"]);
    later(10);
    assert!(!lab.quorate("pve1"));
}

fn qdevice_cell(lab: &Lab, node: &str) -> String {
    let (_, o, _) = lab.run("pvecm", Some(node), &["status"]);
    let line = o
        .lines()
        .find(|l| l.ends_with("(local)"))
        .unwrap()
        .to_string();
    line[22..33].trim().to_string()
}

#[test]
fn lms_qdevice_keeps_the_vote_with_the_active_partition() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "3", "--cluster", "demo"]);
    lab.sim(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    let (c, _, e) = lab.run(
        "pvecm",
        Some("pve1"),
        &["qdevice", "setup", "192.168.1.50", "--force"],
    );
    assert_eq!(c, 0, "{e}");
    assert_eq!(lab.etq("pve1"), (5, 5, 3));
    lab.sim(&["split", "pve1", "pve2", "pve3"]);
    assert_eq!(qdevice_cell(&lab, "pve1"), "A,V,NMW");
    assert_eq!(qdevice_cell(&lab, "pve2"), "A,NV,NMW");
    assert!(lab.quorate("pve1") && !lab.quorate("pve2") && !lab.quorate("pve3"));
    lab.sim(&["power", "pve1", "off"]);
    assert_eq!(qdevice_cell(&lab, "pve2"), "A,V,NMW");
    assert!(lab.quorate("pve2"));
    // pve1 comes back as a newcomer and does not take the vote away.
    lab.sim(&["power", "pve1", "on"]);
    assert_eq!(qdevice_cell(&lab, "pve1"), "A,NV,NMW");
    assert_eq!(qdevice_cell(&lab, "pve2"), "A,V,NMW");
    lab.sim(&["network", "pve3", "off"]);
    lab.sim(&["network", "pve3", "on"]);
    assert_eq!(qdevice_cell(&lab, "pve2"), "A,V,NMW");
    assert!(!lab.quorate("pve1") && lab.quorate("pve2"));
}

#[test]
fn five_nodes_lms_three_way_split_gives_node_one_the_vote() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "5", "--cluster", "demo"]);
    lab.sim(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    let (c, _, e) = lab.run(
        "pvecm",
        Some("pve1"),
        &["qdevice", "setup", "192.168.1.50", "--force"],
    );
    assert_eq!(c, 0, "{e}");
    lab.sim(&["split", "pve1", "pve2,pve3", "pve4,pve5"]);
    assert_eq!(lab.etq("pve1"), (9, 5, 5));
    assert!(lab.quorate("pve1"));
    assert_eq!(lab.etq("pve2"), (9, 2, 5));
    assert_eq!(lab.etq("pve4"), (9, 2, 5));
}

#[test]
fn fifty_parallel_bench_commands_lose_no_update() {
    let lab = Lab::empty();
    lab.sim(&["init", "--nodes", "3", "--cluster", "demo"]);
    let root = lab.dir.path().to_path_buf();
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                let args: Vec<String> = match i % 5 {
                    0..=2 => vec!["host".into(), "add".into(), format!("m{i}")],
                    3 => vec!["network".into(), "pve3".into(), "off".into()],
                    _ => vec!["network".into(), "pve3".into(), "on".into()],
                };
                Command::cargo_bin("pvesim")
                    .unwrap()
                    .env("PVESIM_ROOT", &root)
                    .args(&args)
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let o = h.join().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let hw =
        pvesim::sim::hardware::Hardware::load(&pvesim::store::Root::at(lab.dir.path())).unwrap();
    assert_eq!(hw.machines.len(), 3 + 30);
    let mut addrs: Vec<&String> = hw.machines.iter().flat_map(|m| &m.addresses).collect();
    addrs.sort();
    addrs.dedup();
    assert_eq!(addrs.len(), 33, "every machine got its own address");
    for m in hw.machines.iter().filter(|m| m.name.starts_with('m')) {
        assert!(lab
            .dir
            .path()
            .join(format!("hosts/{}/etc/pve/storage.cfg", m.name))
            .is_file());
    }
    // The runtime state stays consistent: after the last switch everyone agrees.
    lab.sim(&["network", "pve3", "on"]);
    for n in ["pve1", "pve2", "pve3"] {
        assert!(lab.quorate(n));
    }
}

#[test]
fn a_directory_with_other_files_is_never_taken_or_cleared() {
    let lab = Lab::empty();
    let p = lab.dir.path();
    std::fs::write(p.join("notes.txt"), "keep\n").unwrap();
    let msg = format!(
        "'{}' is not empty and is not a pvesim state root (it holds 'notes.txt') - choose a new or empty directory for PVESIM_ROOT\n",
        p.display()
    );
    for args in [
        &["init"][..],
        &["init", "--force"],
        &["demo"],
        &["demo", "--force"],
    ] {
        let (c, out, err) = lab.run("pvesim", None, args);
        assert_eq!(
            (c, out.as_str(), err.as_str()),
            (255, "", msg.as_str()),
            "{args:?}"
        );
    }
    let names: Vec<_> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, vec!["notes.txt"]);
    // a root's directory may hold the user's files too: replacing the root
    // (demo again, init --force) removes only pvesim's own directories
    std::fs::remove_file(p.join("notes.txt")).unwrap();
    lab.sim(&["demo"]);
    std::fs::write(p.join("notes.txt"), "keep\n").unwrap();
    std::fs::create_dir(p.join("mine")).unwrap();
    lab.sim(&["demo"]);
    lab.sim(&["init", "--force", "--nodes", "2"]);
    assert_eq!(
        std::fs::read_to_string(p.join("notes.txt")).unwrap(),
        "keep\n"
    );
    assert!(p.join("mine").is_dir());
    assert!(lab.sim(&["status"]).contains("pve2"));
}

/// Run `bin` with `PVESIM_ROOT` set to `root` (any path).
fn run_at(root: &std::path::Path, bin: &str, args: &[&str]) -> (i32, String, String) {
    let o = Command::cargo_bin(bin)
        .unwrap()
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", "pve1")
        .env("TZ", "UTC")
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

#[test]
fn a_root_that_cannot_be_made_is_named_in_the_error() {
    let lab = Lab::empty();
    let file = lab.dir.path().join("file");
    std::fs::write(&file, "mine\n").unwrap();
    let (c, out, err) = run_at(&file, "pvesim", &["init", "--force"]);
    assert_eq!(
        (c, out.as_str(), err),
        (
            255,
            "",
            format!("state root '{}' is not a directory\n", file.display())
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine\n");
    let long = lab.dir.path().join("x".repeat(300));
    let (c, _, err) = run_at(&long, "pvesim", &["init"]);
    assert_eq!(
        (c, err),
        (
            255,
            format!(
                "unable to create state root '{}' - File name too long\n",
                long.display()
            )
        )
    );
}

#[test]
fn files_that_are_not_text_give_one_clear_line() {
    let lab = Lab::empty();
    lab.sim(&["init", "--cluster", "c"]);
    let pve = lab.dir.path().join("etc/pve");
    let storage = pve.join("storage.cfg");
    std::fs::write(&storage, b"\xff\xfe dir: local\n").unwrap();
    let (c, _, err) = lab.run("pvesm", Some("pve1"), &["status"]);
    assert_eq!(
        (c, err),
        (
            255,
            format!("{}: file is not valid UTF-8\n", storage.display())
        )
    );
    assert_eq!(std::fs::read(&storage).unwrap(), b"\xff\xfe dir: local\n");
    // datacenter.cfg is read as the real parser reads bytes: a line it
    // cannot use is warned about and skipped, the rest still applies
    std::fs::write(pve.join("datacenter.cfg"), b"\n\xff\xfe\ncrs: ha=static\n").unwrap();
    let (c, out, err) = lab.run("ha-manager", Some("pve1"), &["status"]);
    assert_eq!(c, 0, "{err}");
    assert_eq!(err, "ignore config line: \u{fffd}\u{fffd}\n");
    assert!(out.starts_with("quorum OK\n"), "{out}");
}

//! pvecm over the real binaries on temporary roots: building clusters,
//! `pvecm status`/`nodes` text from every node's point of view after power
//! and network faults, qdevice (ffsplit) tie-breaks, `pvecm expected`, the
//! read-only rule, concurrency, and bad input.

use assert_cmd::Command;
use std::path::Path;

struct Lab {
    dir: tempfile::TempDir,
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Lab {
    fn new(nodes: usize) -> Lab {
        let lab = Lab {
            dir: tempfile::tempdir().unwrap(),
        };
        lab.bench(&["init", "--nodes", &nodes.to_string()]);
        lab
    }

    /// A cluster `demo` built as the spec's examples: create on pve1, then
    /// `pvecm add pve1` on every other node in order.
    fn cluster(nodes: usize) -> Lab {
        let lab = Lab::new(nodes);
        lab.ok("pve1", &["create", "demo"]);
        for i in 2..=nodes {
            lab.ok(&format!("pve{i}"), &["add", "pve1"]);
        }
        lab
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn run(&self, bin: &str, node: Option<&str>, args: &[&str]) -> Out {
        let mut c = Command::cargo_bin(bin).unwrap();
        c.env("PVESIM_ROOT", self.root())
            .env("TZ", "UTC")
            .args(args);
        match node {
            Some(n) => c.env("PVESIM_NODE", n),
            None => c.env_remove("PVESIM_NODE"),
        };
        let o = c.output().unwrap();
        Out {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }

    fn bench(&self, args: &[&str]) -> Out {
        let o = self.run("pvesim", None, args);
        assert_eq!(o.code, 0, "pvesim {args:?}: {}", o.stderr);
        o
    }

    fn pvecm(&self, node: &str, args: &[&str]) -> Out {
        self.run("pvecm", Some(node), args)
    }

    fn ok(&self, node: &str, args: &[&str]) -> Out {
        let o = self.pvecm(node, args);
        assert_eq!(
            o.code, 0,
            "pvecm {args:?} on {node}: {}{}",
            o.stdout, o.stderr
        );
        o
    }

    fn status(&self, node: &str) -> Out {
        self.pvecm(node, &["status"])
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root().join(rel)).unwrap()
    }

    fn quorate(&self, node: &str) -> bool {
        let o = self.status(node);
        assert!(o.code == 0 || o.code == 2, "{}", o.stderr);
        o.code == 0
    }
}

/// Everything from "Votequorum information" on.
fn votequorum(s: &str) -> &str {
    &s[s.find("Votequorum information").expect("votequorum block")..]
}

const HEAD3: &str = "Cluster information
-------------------
Name:             demo
Config Version:   3
Transport:        knet
Secure auth:      on

";

#[test]
fn three_node_status_matches_the_spec_examples_through_a_network_cut() {
    let lab = Lab::cluster(3);
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    let expected = format!(
        "{HEAD3}Quorum information
------------------
Date:             Wed Jan  1 00:00:00 2025
Quorum provider:  corosync_votequorum
Nodes:            3
Node ID:          0x00000001
Ring ID:          1.c
Quorate:          Yes

Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      3
Quorum:           2  
Flags:            Quorate 

Membership information
----------------------
    Nodeid      Votes Name
0x00000001          1 192.168.1.11 (local)
0x00000002          1 192.168.1.12
0x00000003          1 192.168.1.13
"
    );
    assert_eq!(o.stdout, expected);
    assert_eq!(
        lab.ok("pve2", &["nodes"]).stdout,
        "\nMembership information\n----------------------\n    Nodeid      Votes Name\n         1          1 pve1\n         2          1 pve2 (local)\n         3          1 pve3\n"
    );
    // The corosync.conf the spec shows (C.7.2).
    let conf = lab.read("etc/pve/corosync.conf");
    assert!(conf.starts_with("logging {\n  debug: off\n  to_syslog: yes\n}\n\nnodelist {\n  node {\n    name: pve1\n    nodeid: 1\n    quorum_votes: 1\n    ring0_addr: 192.168.1.11\n  }\n"));
    assert!(conf.ends_with("  secauth: on\n  token_coefficient: 125\n  version: 2\n}\n\n"));
    // .members as the spec's example (pve1 is the `pvesim use` node).
    assert_eq!(
        lab.read("etc/pve/.members"),
        "{\n\"nodename\": \"pve1\",\n\"version\": 9,\n\"cluster\": { \"name\": \"demo\", \"version\": 3, \"nodes\": 3, \"quorate\": 1 },\n\"nodelist\": {\n  \"pve1\": { \"id\": 1, \"online\": 1, \"ip\": \"192.168.1.11\"},\n  \"pve2\": { \"id\": 2, \"online\": 1, \"ip\": \"192.168.1.12\"},\n  \"pve3\": { \"id\": 3, \"online\": 1, \"ip\": \"192.168.1.13\"}\n  }\n}\n"
    );

    // Example 2a: pve3 powered off.
    lab.bench(&["power", "pve3", "off"]);
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("Nodes:            2\nNode ID:          0x00000001\nRing ID:          1.10\nQuorate:          Yes\n"));
    assert!(o
        .stdout
        .contains("Total votes:      2\nQuorum:           2  \n"));
    // A powered-off machine refuses commands (project decision 9).
    let o = lab.status("pve3");
    assert_eq!(o.code, 255);
    assert_eq!(o.stderr, "machine 'pve3' is powered off\n");

    // Example 2b: network cut, then powered on: pve3 alone.
    lab.bench(&["network", "pve3", "off"]);
    lab.bench(&["power", "pve3", "on"]);
    let o = lab.status("pve3");
    assert_eq!(o.code, 2);
    assert_eq!(
        votequorum(&o.stdout),
        "Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
Total votes:      1
Quorum:           2 Activity blocked
Flags:            

Membership information
----------------------
    Nodeid      Votes Name
0x00000003          1 192.168.1.13 (local)
"
    );
    assert!(o
        .stdout
        .contains("Ring ID:          3.10\nQuorate:          No\n"));
    assert!(lab.quorate("pve1") && lab.quorate("pve2"));

    // Restore: everyone agrees again on a new ring.
    lab.bench(&["network", "pve3", "on"]);
    for n in ["pve1", "pve2", "pve3"] {
        let o = lab.status(n);
        assert_eq!(o.code, 0, "{n}");
        assert!(o.stdout.contains("Nodes:            3\n"));
        assert!(o.stdout.contains("Ring ID:          1.14\n"));
    }
}

#[test]
fn two_node_cluster_loses_quorum_refuses_writes_and_expected_restores_it() {
    let lab = Lab::cluster(2);
    assert!(lab.quorate("pve1") && lab.quorate("pve2"));
    lab.bench(&["power", "pve2", "off"]);
    let o = lab.status("pve1");
    assert_eq!(o.code, 2);
    assert!(o.stdout.contains("Config Version:   2\n"));
    assert!(o
        .stdout
        .contains("Ring ID:          1.c\nQuorate:          No\n"));
    assert!(o.stdout.contains("Expected votes:   2\nHighest expected: 2\nTotal votes:      1\nQuorum:           2 Activity blocked\nFlags:            \n"));
    // Writes under etc/pve are refused: by the tools that check ...
    let o = lab.pvecm("pve1", &["addnode", "pve9", "--new_node_ip", "10.0.0.9"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "cluster not ready - no quorum?\n")
    );
    // ... and by pmxcfs itself.
    let root = pvesim::store::Root::at(lab.root());
    let pve = pvesim::cluster::pve_for(&root, "pve1").unwrap();
    assert!(!pve.writable());
    let err = pve
        .write("datacenter.cfg", "\nkeyboard: de\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("unable to open file '/etc/pve/datacenter.cfg.tmp."),
        "{err}"
    );
    assert!(err.ends_with("' - Permission denied"), "{err}");
    assert!(!lab.root().join("etc/pve/datacenter.cfg").exists());
    assert!(lab.read("etc/pve/.members").contains("\"quorate\": 0"));

    // `pvecm expected 1` makes the survivor quorate again.
    let o = lab.ok("pve1", &["expected", "1"]);
    assert_eq!(o.stdout, "");
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("Expected votes:   1\nHighest expected: 1\nTotal votes:      1\nQuorum:           1  \nFlags:            Quorate \n"));
    pvesim::cluster::pve_for(&root, "pve1")
        .unwrap()
        .write("datacenter.cfg", "\nkeyboard: de\n")
        .unwrap();
    // pve2 comes back: the merge raises E again.
    lab.bench(&["power", "pve2", "on"]);
    let o = lab.status("pve2");
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("Expected votes:   2\n"));
}

#[test]
fn expected_refusals_follow_votequorum() {
    let lab = Lab::cluster(3);
    let o = lab.pvecm("pve1", &["expected", "1"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (1, "Unable to set expected votes: CS_ERR_INVALID_PARAM\n")
    );
    lab.ok("pve1", &["expected", "5"]);
    assert!(lab.status("pve1").stdout.contains("Expected votes:   5\n"));
    let o = lab.pvecm("pve1", &["expected", "6"]);
    assert_eq!(o.code, 1);
}

const QDEV_HEAD: &str = "Votequorum information
----------------------
Expected votes:   3
Highest expected: 3
";

#[test]
fn two_node_cluster_with_qdevice_matches_examples_4a_to_4d() {
    let lab = Lab::cluster(2);
    lab.bench(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    let o = lab.ok("pve1", &["qdevice", "setup", "192.168.1.50"]);
    assert!(o
        .stdout
        .starts_with("\nINFO: initializing qnetd server\n\nINFO: copying CA cert"));
    assert!(o.stdout.ends_with("\nINFO: add QDevice to cluster configuration\n\nINFO: start and enable corosync qdevice daemon on node 'pve1'...\n\nINFO: start and enable corosync qdevice daemon on node 'pve2'...\n"));
    assert!(lab.read("etc/pve/corosync.conf").contains("quorum {\n  device {\n    model: net\n    net {\n      algorithm: ffsplit\n      host: 192.168.1.50\n      tls: on\n    }\n    votes: 1\n  }\n  provider: corosync_votequorum\n}\n"));
    // 4a
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("Config Version:   3\n"));
    assert!(o.stdout.contains("Ring ID:          1.8\n"));
    assert_eq!(
        votequorum(&o.stdout),
        format!(
            "{QDEV_HEAD}Total votes:      3
Quorum:           2  
Flags:            Quorate Qdevice 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
0x00000001          1    A,V,NMW 192.168.1.11 (local)
0x00000002          1    A,V,NMW 192.168.1.12
0x00000000          1            Qdevice
"
        )
    );
    // Example 5
    assert_eq!(
        lab.ok("pve1", &["nodes"]).stdout,
        "\nMembership information\n----------------------\n    Nodeid      Votes    Qdevice Name\n         1          1    A,V,NMW pve1 (local)\n         2          1    A,V,NMW pve2\n         0          1            Qdevice\n"
    );
    // 4b: one node off, the cluster stays quorate.
    lab.bench(&["power", "pve2", "off"]);
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert_eq!(
        votequorum(&o.stdout),
        format!(
            "{QDEV_HEAD}Total votes:      2
Quorum:           2  
Flags:            Quorate Qdevice 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
0x00000001          1    A,V,NMW 192.168.1.11 (local)
0x00000000          1            Qdevice
"
        )
    );
    // 4c: both up, qnetd down.
    lab.bench(&["power", "pve2", "on"]);
    lab.bench(&["power", "qnetd", "off"]);
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert_eq!(
        votequorum(&o.stdout),
        format!(
            "{QDEV_HEAD}Total votes:      2
Quorum:           2  
Flags:            Quorate Qdevice 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
0x00000001          1   A,NV,NMW 192.168.1.11 (local)
0x00000002          1   A,NV,NMW 192.168.1.12
0x00000000          0            Qdevice (votes 1)
"
        )
    );
    // 4d: split, qnetd reachable from both: the lowest node id wins.
    lab.bench(&["power", "qnetd", "on"]);
    lab.bench(&["split", "pve1", "pve2"]);
    let o = lab.status("pve2");
    assert_eq!(o.code, 2);
    assert_eq!(
        votequorum(&o.stdout),
        format!(
            "{QDEV_HEAD}Total votes:      1
Quorum:           2 Activity blocked
Flags:            Qdevice 

Membership information
----------------------
    Nodeid      Votes    Qdevice Name
0x00000002          1   A,NV,NMW 192.168.1.12 (local)
0x00000000          0            Qdevice (votes 1)
"
        )
    );
    assert!(lab.quorate("pve1"));
    // --qnetd-only-with turns it around.
    lab.bench(&["split", "pve1", "pve2", "--qnetd-only-with", "pve2"]);
    assert!(!lab.quorate("pve1") && lab.quorate("pve2"));
    lab.bench(&["heal"]);
    assert!(lab.quorate("pve1") && lab.quorate("pve2"));
    // Remove the device.
    let o = lab.ok("pve1", &["qdevice", "remove"]);
    assert_eq!(o.stdout, "\nRemoved Qdevice.\n");
    let o = lab.status("pve1");
    assert!(
        o.stdout.contains("Expected votes:   2\n") && o.stdout.contains("Config Version:   4\n")
    );
    let o = lab.pvecm("pve1", &["qdevice", "remove"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "No QDevice configured!\n")
    );
}

#[test]
fn four_nodes_with_qdevice_split_two_two_the_ffsplit_winner_stays_quorate() {
    let lab = Lab::cluster(4);
    lab.bench(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    lab.ok("pve1", &["qdevice", "setup", "192.168.1.50"]);
    lab.bench(&["split", "pve1,pve2", "pve3,pve4"]);
    for n in ["pve1", "pve2"] {
        let o = lab.status(n);
        assert_eq!(o.code, 0, "{n}");
        assert!(o.stdout.contains("Expected votes:   5\nHighest expected: 5\nTotal votes:      3\nQuorum:           3  \n"));
    }
    for n in ["pve3", "pve4"] {
        let o = lab.status(n);
        assert_eq!(o.code, 2, "{n}");
        assert!(o
            .stdout
            .contains("Total votes:      2\nQuorum:           3 Activity blocked\n"));
        assert!(o.stdout.contains("   A,NV,NMW 192.168.1.1"));
    }
    // Without the device the same split leaves nobody quorate (B.10).
    lab.bench(&["heal"]);
    for n in ["pve1", "pve2", "pve3", "pve4"] {
        let o = lab.status(n);
        assert_eq!(o.code, 0, "{n}");
        assert!(o.stdout.contains("Nodes:            4\n"));
        assert!(o.stdout.contains("Total votes:      5\n"));
    }
}

#[test]
fn four_nodes_without_qdevice_split_two_two_nobody_is_quorate() {
    let lab = Lab::cluster(4);
    lab.bench(&["split", "pve1,pve2", "pve3,pve4"]);
    for n in ["pve1", "pve2", "pve3", "pve4"] {
        assert!(!lab.quorate(n), "{n}");
    }
}

#[test]
fn delnode_removes_the_node_and_reinstall_lets_it_join_again() {
    let lab = Lab::cluster(3);
    let o = lab.ok("pve1", &["delnode", "pve3"]);
    assert_eq!(o.stdout, "Killing node 3\n");
    assert_eq!(o.stderr, "");
    let conf = lab.read("etc/pve/corosync.conf");
    assert!(!conf.contains("pve3") && conf.contains("config_version: 4"));
    let o = lab.status("pve1");
    assert!(
        o.stdout.contains("Expected votes:   2\n") && o.stdout.contains("Nodes:            2\n")
    );
    // every subcommand fails on the removed node, help included (A.1, A.6)
    for args in [&["status"][..], &["help"], &["help", "status"]] {
        let o = lab.pvecm("pve3", args);
        assert_eq!(
            (o.code, o.stdout.as_str(), o.stderr.as_str()),
            (
                255,
                "",
                "pve configuration filesystem (pmxcfs) not mounted\n"
            ),
            "{args:?}"
        );
    }
    assert!(lab.root().join("etc/pve/nodes/pve3").is_dir());
    // Reinstalling a member is refused.
    let o = lab.run("pvesim", None, &["host", "reinstall", "pve2"]);
    assert_eq!(
        o.stderr,
        "host 'pve2' is a member of cluster 'demo' - remove it with 'pvecm delnode pve2' first\n"
    );
    lab.bench(&["host", "reinstall", "pve3"]);
    lab.ok("pve3", &["add", "pve2"]);
    assert!(lab
        .status("pve3")
        .stdout
        .contains("Node ID:          0x00000003\n"));
    // Deleting an unreachable node: the kill fails.
    lab.bench(&["power", "pve3", "off"]);
    let o = lab.ok("pve1", &["delnode", "pve3"]);
    assert_eq!(o.stderr, "Could not kill node (error = CS_ERR_NOT_EXIST)\n");
}

#[test]
fn join_writes_the_spec_output_and_standalone_tree_rules() {
    let lab = Lab::new(3);
    // Standalone machines have their own tree with the ZFS storage.cfg.
    assert_eq!(
        lab.read("hosts/pve2/etc/pve/storage.cfg"),
        "dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n\n"
    );
    let o = lab.pvecm("pve1", &["status"]);
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "Error: Corosync config '/etc/pve/corosync.conf' does not exist - is this node part of a cluster?\n")
    );
    // Joining through a standalone host fails in its addnode.
    let o = lab.pvecm("pve2", &["add", "pve1"]);
    assert_eq!(o.code, 255);
    assert!(o.stdout.ends_with("Request addition of this node\nAn error occurred on the cluster node: invalid corosync.conf\n! no nodes found\n"), "{}", o.stdout);
    assert_eq!(o.stderr, "Cluster join aborted!\n");
    let o = lab.ok("pve1", &["create", "demo"]);
    assert_eq!(
        o.stdout,
        "Corosync Cluster Engine Authentication key generator.\nGathering 2048 bits for key from /dev/urandom.\nWriting corosync key to /etc/corosync/authkey.\nWriting corosync config to /etc/pve/corosync.conf\nRestart corosync and cluster filesystem\n"
    );
    assert!(!lab.root().join("hosts/pve1").exists());
    assert!(lab.root().join("etc/pve/storage.cfg").exists());
    // the modes of a real node: corosync's key root-only and read-only,
    // /etc/pve files 0640 whatever the umask
    use std::os::unix::fs::PermissionsExt as _;
    let mode = |rel: &str| {
        std::fs::metadata(lab.root().join(rel))
            .unwrap()
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode("nodes/pve1/etc/corosync/authkey"), 0o400);
    assert_eq!(mode("etc/pve/corosync.conf"), 0o640);
    assert_eq!(mode("etc/pve/storage.cfg"), 0o640);
    // A second cluster in the same root is refused.
    let o = lab.pvecm("pve2", &["create", "other"]);
    assert_eq!(o.stderr, "unable to create cluster: this simulation already holds cluster 'demo' - use 'pvecm add <member>' to join it\n");
    let o = lab.pvecm("pve1", &["create", "demo"]);
    assert_eq!(
        o.stderr,
        "cluster config '/etc/pve/corosync.conf' already exists\n"
    );
    // A standalone machine knows no cluster host to delete (C.1, A.6).
    let before = lab.read("etc/pve/corosync.conf");
    let o = lab.pvecm("pve3", &["delnode", "pve1"]);
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (
            255,
            "",
            "Node/IP: pve1 is not a known host of the cluster.\n"
        )
    );
    assert_eq!(lab.read("etc/pve/corosync.conf"), before);
    // A joiner with guests fails the join check.
    std::fs::write(
        lab.root()
            .join("hosts/pve3/etc/pve/nodes/pve3/qemu-server/100.conf"),
        "memory: 512\n",
    )
    .unwrap();
    let o = lab.pvecm("pve3", &["add", "pve1"]);
    assert_eq!(
        o.stdout,
        "detected the following error(s):\n* this host already contains virtual guests\n"
    );
    assert_eq!(o.stderr, "Check if node may join a cluster failed!\n");
    std::fs::remove_file(
        lab.root()
            .join("hosts/pve3/etc/pve/nodes/pve3/qemu-server/100.conf"),
    )
    .unwrap();
    let o = lab.ok("pve2", &["add", "192.168.1.11"]);
    assert_eq!(
        o.stdout,
        "Establishing API connection with host '192.168.1.11'\nLogin succeeded.\ncheck cluster join API version\nNo cluster network links passed explicitly, fallback to local node IP '192.168.1.12'\nRequest addition of this node\nJoin request OK, finishing setup locally\nstopping pve-cluster service\nbackup old database to '/var/lib/pve-cluster/backup/config-1735689600.sql.gz'\nwaiting for quorum...OK\n(re)generate node files\ngenerate new node certificate\nmerge authorized SSH keys\ngenerated new node certificate, restart pveproxy and pvedaemon services\nsuccessfully added node 'pve2' to cluster.\n"
    );
    assert!(lab
        .root()
        .join("etc/pve/nodes/pve2/ssh_known_hosts")
        .exists());
    // Joining twice.
    let o = lab.pvecm("pve2", &["add", "pve1"]);
    assert_eq!(o.code, 255);
    assert!(o.stdout.contains("* authentication key '/etc/corosync/authkey' already exists\n* cluster config '/etc/pve/corosync.conf' already exists\n"));
    // Unknown and unreachable hosts.
    let o = lab.pvecm("pve3", &["add", "nosuch"]);
    assert_eq!(
        o.stderr,
        "500 Can't connect to nosuch:8006 (Name or service not known)\n"
    );
    lab.bench(&["network", "pve3", "off"]);
    let o = lab.pvecm("pve3", &["add", "pve1"]);
    assert_eq!(
        o.stderr,
        "500 Can't connect to pve1:8006 (No route to host)\n"
    );
    lab.bench(&["network", "pve3", "on"]);
    // Adding an existing node name by hand.
    let o = lab.pvecm(
        "pve1",
        &["addnode", "pve2", "--new_node_ip", "192.168.1.12"],
    );
    assert_eq!(o.stderr, "can't add existing node 'pve2'\n");
    let o = lab.pvecm("pve1", &["addnode", "pve4", "--link0", "192.168.1.12"]);
    assert_eq!(
        o.stderr,
        "corosync: address '192.168.1.12' already used on link ring0_addr by node 'pve2'\n"
    );
    assert!(lab
        .read("etc/pve/corosync.conf")
        .contains("config_version: 2"));
}

#[test]
fn bad_input_is_refused_and_changes_nothing() {
    let lab = Lab::cluster(2);
    let before = lab.read("etc/pve/corosync.conf");
    let cases: &[(&[&str], &str)] = &[
        (&["create", "bad_name"], "400 Parameter verification failed.\nclustername: value does not look like a valid node name\npvecm create <clustername> [OPTIONS]\n"),
        (&["create", "averyveryverylongname"], "400 Parameter verification failed.\nclustername: value may only be 15 characters long\npvecm create <clustername> [OPTIONS]\n"),
        (&["create", "x", "--votes", "0", "--nodeid", "0"], "400 Parameter verification failed.\nnodeid: value must have a minimum value of 1\nvotes: value must have a minimum value of 1\npvecm create <clustername> [OPTIONS]\n"),
        (&["addnode", "not_a_node"], "400 Parameter verification failed.\nnode: value does not look like a valid node name\npvecm addnode <node> [OPTIONS]\n"),
        (&["addnode", "pve5", "--new_node_ip", "10.0.0.300"], "400 Parameter verification failed.\nnew_node_ip: value does not look like a valid IP address\npvecm addnode <node> [OPTIONS]\n"),
        (&["addnode", "pve5", "--votes", "-1"], "400 Parameter verification failed.\nvotes: value must have a minimum value of 0\npvecm addnode <node> [OPTIONS]\n"),
        (&["qdevice", "setup", "qnetd.example"], "400 Parameter verification failed.\naddress: value does not look like a valid IP address\npvecm qdevice setup <address> [OPTIONS]\n"),
        (&["qdevice", "setup", "10.0.0.5", "--net_algorithm", "lms"], "Unknown option: net_algorithm\n400 unable to parse option\npvecm qdevice setup <address> [OPTIONS]\n"),
        (&["delnode", "192.168.1.12"], "400 Parameter verification failed.\nnode: value does not look like a valid node name\npvecm delnode <node>\n"),
        (&["delnode", "pve7"], "Node/IP: pve7 is not a known host of the cluster.\n"),
        (&["delnode", "pve1"], "Cannot delete myself from cluster!\n"),
        (&["expected", "0"], "400 Parameter verification failed.\nexpected: value must have a minimum value of 1\npvecm expected <expected>\n"),
        (&["expected"], "400 not enough arguments\npvecm expected <expected>\n"),
        (&["qdevice", "setup", "192.168.1.99"], "command 'ssh-copy-id -i /root/.ssh/id_rsa root@192.168.1.99' failed: exit code 1\n"),
        (&["addnode", "pve5", "--nodeid", "x"], "400 Parameter verification failed.\nnodeid: type check ('integer') failed - got 'x'\npvecm addnode <node> [OPTIONS]\n"),
    ];
    for (args, err) in cases {
        let o = lab.pvecm("pve1", args);
        assert_eq!(o.code, 255, "{args:?}: {}", o.stderr);
        assert_eq!(o.stderr, *err, "{args:?}");
    }
    let o = lab.pvecm("pve1", &["a"]);
    assert!(o.stderr.starts_with(
        "ERROR: unknown command 'pvecm a'\nUSAGE: pvecm <COMMAND> [ARGS] [OPTIONS]\n"
    ));
    let o = lab.pvecm("pve1", &[]);
    assert!(o.stderr.starts_with("ERROR: no command specified\n"));
    let o = lab.pvecm("pve1", &["qdevice"]);
    assert!(o
        .stderr
        .starts_with("ERROR: incomplete command 'pvecm qdevice'\n"));
    assert_eq!(lab.ok("pve1", &["stat"]).code, 0);
    assert_eq!(lab.ok("pve1", &["apiver"]).stdout, "1\n");
    let help = lab.ok("pve1", &["help"]).stdout;
    assert!(
        help.contains("       pvecm apiver \n")
            && help.contains("       pvecm updatecerts  [OPTIONS]\n")
    );
    // Nothing changed.
    assert_eq!(lab.read("etc/pve/corosync.conf"), before);

    // A malformed corosync.conf: addnode names the parse error, status warns.
    let bad = before.replace("  debug: off\n", "  debug:off\n");
    std::fs::write(lab.root().join("etc/pve/corosync.conf"), &bad).unwrap();
    let o = lab.pvecm(
        "pve1",
        &["addnode", "pve5", "--new_node_ip", "192.168.1.15"],
    );
    assert_eq!(
        (o.code, o.stderr.as_str()),
        (255, "missing ':' after key 'debug:off'\n")
    );
    let o = lab.status("pve1");
    assert_eq!(o.stderr, "missing ':' after key 'debug:off'\n");
    assert!(o.stdout.starts_with("Quorum information\n"));
    assert_eq!(lab.read("etc/pve/corosync.conf"), bad);
}

#[test]
fn fifty_parallel_addnode_writers_lose_no_update() {
    let lab = Lab::new(1);
    lab.ok("pve1", &["create", "demo", "--votes", "100"]);
    let root = lab.root().to_path_buf();
    let handles: Vec<_> = (0..50)
        .map(|i| {
            let root = root.clone();
            std::thread::spawn(move || {
                Command::cargo_bin("pvecm")
                    .unwrap()
                    .env("PVESIM_ROOT", &root)
                    .env("PVESIM_NODE", "pve1")
                    .args([
                        "addnode",
                        &format!("n{i}"),
                        "--new_node_ip",
                        &format!("10.1.0.{}", i + 1),
                    ])
                    .output()
                    .unwrap()
            })
        })
        .collect();
    for h in handles {
        let o = h.join().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let text = lab.read("etc/pve/corosync.conf");
    let conf = pvesim::format::corosync::parse(&text).unwrap();
    assert_eq!(pvesim::format::corosync::config_version(&conf), Some(51));
    let nodes = pvesim::format::corosync::nodes(&conf);
    assert_eq!(nodes.len(), 51);
    let mut ids: Vec<u32> = nodes.iter().map(|n| n.nodeid).collect();
    ids.sort();
    assert_eq!(ids, (1..=51).collect::<Vec<_>>());
    assert_eq!(pvesim::format::corosync::write(&conf), text);
    // The runtime state is parseable and pve1 still quorate (E 150, Q 76).
    let o = lab.status("pve1");
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("Expected votes:   150\n"));
}

#[test]
fn help_text_is_the_upstream_short_usage() {
    let lab = Lab::new(1);
    assert_eq!(
        lab.ok("pve1", &["help"]).stdout,
        "USAGE: pvecm <COMMAND> [ARGS] [OPTIONS]\n\n       pvecm qdevice remove \n       pvecm qdevice setup <address> [OPTIONS]\n\n       pvecm addnode <node> [OPTIONS]\n       pvecm apiver \n       pvecm create <clustername> [OPTIONS]\n       pvecm delnode <node>\n\n       pvecm add <hostname> [OPTIONS]\n       pvecm expected <expected>\n       pvecm keygen <filename>\n       pvecm mtunnel [<extra-args>] [OPTIONS]\n       pvecm nodes \n       pvecm status \n       pvecm updatecerts  [OPTIONS]\n\n       pvecm help [<extra-args>] [OPTIONS]\n"
    );
    assert_eq!(
        lab.ok("pve1", &["help", "qdevice", "setup"]).stdout,
        "USAGE: pvecm qdevice setup <address> [OPTIONS]\n"
    );
}

#[test]
fn vmlist_and_version_follow_guest_config_changes() {
    let lab = Lab::cluster(2);
    assert_eq!(lab.read("etc/pve/.vmlist"), "{\n\"version\": 0\n\n}\n");
    std::fs::write(
        lab.root().join("etc/pve/nodes/pve1/qemu-server/100.conf"),
        "memory: 512\n",
    )
    .unwrap();
    std::fs::write(
        lab.root().join("etc/pve/nodes/pve2/lxc/1000.conf"),
        "memory: 512\n",
    )
    .unwrap();
    lab.bench(&["use", "pve1"]);
    let v = lab.read("etc/pve/.vmlist");
    assert_eq!(
        v,
        "{\n\"version\": 2,\n\"ids\": {\n\"100\": { \"node\": \"pve1\", \"type\": \"qemu\", \"version\": 1 },\n\"1000\": { \"node\": \"pve2\", \"type\": \"lxc\", \"version\": 2 }}\n\n}\n"
    );
    // Moving a config to another node counts as a change.
    std::fs::rename(
        lab.root().join("etc/pve/nodes/pve1/qemu-server/100.conf"),
        lab.root().join("etc/pve/nodes/pve2/qemu-server/100.conf"),
    )
    .unwrap();
    lab.bench(&["use", "pve2"]);
    let v = lab.read("etc/pve/.vmlist");
    assert!(v.starts_with("{\n\"version\": 3,\n"), "{v}");
    assert!(
        v.contains("\"100\": { \"node\": \"pve2\", \"type\": \"qemu\", \"version\": 3 }"),
        "{v}"
    );
    let version = lab.read("etc/pve/.version");
    assert!(
        version.starts_with("{\n\"starttime\": 1735689600,\n\"clinfo\": "),
        "{version}"
    );
    assert!(
        version.contains("\n\"vmlist\": 3,\n\"corosync.conf\": "),
        "{version}"
    );
    assert!(
        version.ends_with("\"mapping/usb.cfg\": 0,\n\"kvstore\": {\n\"pve2\": {\n}\n}\n}\n"),
        "{version}"
    );
    let log = lab.read("etc/pve/.clusterlog");
    assert!(
        log.contains("\"tag\": \"pvecm\", ")
            && log.contains("\"msg\": \"adding node pve2 to cluster\"}"),
        "{log}"
    );
    assert!(std::fs::read_link(lab.root().join("etc/pve/qemu-server"))
        .unwrap()
        .ends_with("nodes/pve2/qemu-server"));
}

#[test]
fn updatecerts_mtunnel_keygen_and_qdevice_repeats() {
    let lab = Lab::cluster(2);
    let o = lab.ok("pve1", &["updatecerts"]);
    assert_eq!(
        o.stdout,
        "(re)generate node files\nmerge authorized SSH keys\n"
    );
    std::fs::remove_dir_all(lab.root().join("etc/pve/ha")).unwrap();
    let o = lab.ok("pve1", &["updatecerts", "--force", "--unmerge-known-hosts"]);
    assert_eq!(o.stdout, "creating directory '/etc/pve/ha' for observed files\n(re)generate node files\ngenerate new node certificate\nmerge authorized SSH keys\nunmerge SSH known hosts\n");
    assert_eq!(
        lab.ok("pve1", &["mtunnel", "--get_migration_ip"]).stdout,
        "no ip\n"
    );
    assert_eq!(
        lab.ok(
            "pve1",
            &[
                "mtunnel",
                "--get_migration_ip",
                "--migration_network",
                "192.168.1.0/24"
            ]
        )
        .stdout,
        "ip: '192.168.1.11'\n"
    );
    let o = lab.pvecm(
        "pve1",
        &[
            "mtunnel",
            "--get_migration_ip",
            "--migration_network",
            "10.0.0.0/8",
        ],
    );
    assert_eq!(o.stderr, "could not get migration ip: no IP address configured on local node for network '10.0.0.0/8'\n");
    let o = lab.ok("pve1", &["keygen", "/etc/corosync/newkey"]);
    assert!(o
        .stdout
        .ends_with("Writing corosync key to /etc/corosync/newkey.\n"));
    assert_eq!(
        std::fs::read(lab.root().join("nodes/pve1/etc/corosync/newkey"))
            .unwrap()
            .len(),
        256
    );
    let o = lab.pvecm("pve1", &["keygen", "/etc/corosync/newkey"]);
    assert_eq!(o.stderr, "key file '/etc/corosync/newkey' already exists\n");

    lab.bench(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    lab.ok("pve1", &["qdevice", "setup", "192.168.1.50"]);
    let o = lab.pvecm("pve2", &["qdevice", "setup", "192.168.1.50"]);
    assert_eq!(o.stderr, "QDevice already configured!\n");
    let o = lab.pvecm("pve2", &["qdevice", "setup", "192.168.1.50", "--force"]);
    assert_eq!(
        o.stderr,
        "Qdevice already configured, must be removed before setting up new one!\n"
    );
    assert!(o
        .stdout
        .ends_with("\nINFO: add QDevice to cluster configuration\n"));
    assert!(lab
        .read("etc/pve/corosync.conf")
        .contains("config_version: 3"));

    // Without quorum.
    lab.bench(&["power", "pve2", "off"]);
    lab.bench(&["power", "qnetd", "off"]);
    let o = lab.pvecm("pve1", &["updatecerts"]);
    assert_eq!(o.code, 255);
    assert_eq!(
        o.stdout,
        "waiting for pmxcfs mount to appear and get quorate...\n"
    );
    assert_eq!(o.stderr, "got timeout when trying to ensure cluster certificates and base file hierarchy is set up - no quorum (yet) or hung pmxcfs?\n");
    let o = lab.ok("pve1", &["updatecerts", "--silent"]);
    assert_eq!(o.stdout, "");
    assert_eq!(lab.ok("pve1", &["mtunnel"]).stdout, "no quorum\n");
    let o = lab.pvecm("pve1", &["qdevice", "remove"]);
    assert_eq!(
        o.stderr,
        "All nodes must be online! Node pve2 is offline, aborting.\n"
    );
    // expected 1 with an ffsplit device: accepted but raised back (B.7).
    lab.ok("pve1", &["expected", "1"]);
    let o = lab.status("pve1");
    assert_eq!(o.code, 2);
    assert!(o.stdout.contains("Expected votes:   2\n"), "{}", o.stdout);
}

#[test]
fn create_with_links_and_join_with_matching_links() {
    let lab = Lab::new(2);
    lab.bench(&[
        "host",
        "add",
        "pve3",
        "--ip",
        "10.10.10.3",
        "--ip",
        "10.20.20.3",
    ]);
    lab.ok(
        "pve1",
        &[
            "create",
            "demo",
            "--link0",
            "10.10.10.1,priority=15",
            "--link1",
            "address=10.20.20.1,priority=20",
            "--nodeid",
            "7",
            "--votes",
            "2",
        ],
    );
    let conf = lab.read("etc/pve/corosync.conf");
    assert!(conf.contains("  interface {\n    knet_link_priority: 15\n    linknumber: 0\n  }\n  interface {\n    knet_link_priority: 20\n    linknumber: 1\n  }\n"), "{conf}");
    assert!(conf.contains("    name: pve1\n    nodeid: 7\n    quorum_votes: 2\n    ring0_addr: 10.10.10.1\n    ring1_addr: 10.20.20.1\n"), "{conf}");
    // A two-link cluster needs both links from a joiner.
    let o = lab.pvecm("pve3", &["add", "pve1", "--link0", "10.10.10.3"]);
    assert!(o.stdout.ends_with("An error occurred on the cluster node: corosync: link 1 exists in cluster config but wasn't specified for new node\n"), "{}", o.stdout);
    let o = lab.pvecm("pve2", &["add", "pve1"]);
    assert!(o.stdout.contains("An error occurred on the cluster node: no links given but multiple links found on other nodes, fallback only supported on single-link clusters\n"), "{}", o.stdout);
    lab.ok(
        "pve3",
        &[
            "add",
            "pve1",
            "--link0",
            "10.10.10.3",
            "--link1",
            "10.20.20.3",
            "--votes",
            "0",
        ],
    );
    let conf = lab.read("etc/pve/corosync.conf");
    // Smallest free node id; --votes 0 writes no quorum_votes (counted as 1).
    assert!(conf.contains("    name: pve3\n    nodeid: 1\n    ring0_addr: 10.10.10.3\n    ring1_addr: 10.20.20.3\n"), "{conf}");
    let o = lab.status("pve3");
    assert!(
        o.stdout.contains("Expected votes:   3\n")
            && o.stdout.contains(
                "0x00000001          1 10.10.10.3 (local)\n0x00000007          2 10.10.10.1\n"
            ),
        "{}",
        o.stdout
    );
    // .members marks nodes of other partitions offline.
    lab.bench(&["network", "pve3", "off"]);
    lab.bench(&["use", "pve1"]);
    assert!(lab
        .read("etc/pve/.members")
        .contains("  \"pve3\": { \"id\": 1, \"online\": 0, \"ip\": \"10.10.10.3\"}"));
}

#[test]
fn minority_write_after_expected_follows_the_pickup_rules() {
    // The B.9 worked sequence.
    let lab = Lab::cluster(3);
    lab.bench(&["network", "pve3", "off"]);
    lab.ok("pve3", &["expected", "1"]);
    assert!(lab.quorate("pve3"));
    let o = lab.ok("pve3", &["delnode", "pve1"]);
    assert_eq!(o.stdout, "Killing node 1\n");
    assert_eq!(o.stderr, "Could not kill node (error = CS_ERR_NOT_EXIST)\n");
    assert!(!lab.quorate("pve3") && !lab.quorate("pve2"));
    let o = lab.status("pve2");
    assert!(
        o.stdout.contains("Config Version:   4\n") && o.stdout.contains("Expected votes:   3\n")
    );
    assert_eq!(
        lab.pvecm("pve1", &["status"]).stderr,
        "pve configuration filesystem (pmxcfs) not mounted\n"
    );
    lab.bench(&["network", "pve3", "on"]);
    for n in ["pve2", "pve3"] {
        let o = lab.status(n);
        assert_eq!(o.code, 0, "{n}");
        assert!(o.stdout.contains("Expected votes:   2\nHighest expected: 2\nTotal votes:      2\nQuorum:           2  \n"));
    }
}

#[test]
fn a_join_that_cannot_reach_quorum_times_out_as_documented() {
    let lab = Lab::new(3);
    lab.bench(&["host", "add", "qnetd", "--ip", "192.168.1.50", "--qnetd"]);
    lab.ok("pve1", &["create", "demo"]);
    lab.ok("pve2", &["add", "pve1"]);
    lab.ok("pve1", &["qdevice", "setup", "192.168.1.50"]);
    lab.bench(&["power", "pve2", "off"]);
    let o = lab.pvecm("pve3", &["add", "pve1"]);
    assert_eq!(o.code, 255);
    assert!(o.stdout.ends_with("backup old database to '/var/lib/pve-cluster/backup/config-1735689600.sql.gz'\nwaiting for quorum...\n"), "{}", o.stdout);
    assert_eq!(o.stderr, "timeout waiting for quorum - node 'pve3' was added to the cluster configuration, but has no quorum\n");
    assert!(!lab.root().join("etc/pve/nodes/pve3/pve-ssl.pem").exists());
    assert!(lab.quorate("pve1"));
    let o = lab.status("pve3");
    assert!(
        o.stdout.contains("Expected votes:   4\n") && o.stdout.contains("Total votes:      2\n")
    );
    assert!(o.stdout.contains("        NR 192.168.1.13 (local)\n"));
    // Once quorate, updatecerts creates the missing files.
    lab.bench(&["power", "pve2", "on"]);
    lab.ok("pve3", &["updatecerts"]);
    assert!(lab.root().join("etc/pve/nodes/pve3/pve-ssl.pem").exists());
}

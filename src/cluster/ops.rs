//! The pvecm operations: create, add (join), addnode, delnode, expected,
//! qdevice setup/remove, updatecerts, keygen, mtunnel's address lookup.
//! Each operation writes what the command prints into an [`Output`] (stdout
//! and stderr lines, in order) so that the CLI only renders; an error return
//! is printed after the output.

use super::quorum::{self, Event};
use super::state::{ClusterState, Local, Tree};
use super::{apply, lock, pmxcfs, ClusterError, Result};
use crate::format::corosync::{self, Section, Value, Verification};
use crate::format::property_string::PropertyString;
use crate::sim::hardware::{valid_ip, Hardware};
use crate::store::{read_opt, write_atomic, Root, StoreError};
use std::collections::BTreeMap;
use std::fs;
use std::time::Duration;

/// What a command prints, in order.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Output {
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    pub fn out(&mut self, line: impl AsRef<str>) {
        self.stdout.push_str(line.as_ref());
        self.stdout.push('\n');
    }
    pub fn err(&mut self, line: impl AsRef<str>) {
        self.stderr.push_str(line.as_ref());
        self.stderr.push('\n');
    }
}

/// A `--link<n>` value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub address: String,
    pub priority: Option<u32>,
}

/// Parse `[address=]<addr>[,priority=<0..255>]`; the error is the text after
/// `link<n>: `.
pub fn parse_link(text: &str) -> std::result::Result<Link, String> {
    let p = PropertyString::parse(text, Some("address"))
        .map_err(|e| format!("invalid format - {e}"))?;
    let mut link = Link {
        address: String::new(),
        priority: None,
    };
    for (k, v) in &p.pairs {
        match k.as_str() {
            "address" => link.address = v.clone(),
            "priority" => {
                let n: u32 = v.parse().map_err(|_| {
                    format!("invalid format - priority: type check ('integer') failed - got '{v}'")
                })?;
                if n > 255 {
                    return Err(
                        "invalid format - priority: value must have a maximum value of 255".into(),
                    );
                }
                link.priority = Some(n);
            }
            other => {
                return Err(format!(
                    "invalid format - {other}: {}",
                    crate::format::NOT_IN_SCHEMA
                ))
            }
        }
    }
    if link.address.is_empty() {
        return Err("invalid format - address: property is missing and it is not optional".into());
    }
    Ok(link)
}

const PVECM_LOCK_TIMEOUT: Duration = Duration::from_secs(10);

/// The node-local `/var/lock/pvecm.lock`.
fn pvecm_lock(root: &Root, node: &str) -> Result<crate::store::LockGuard> {
    root.lock(&format!("pvecm-{node}"), PVECM_LOCK_TIMEOUT)
        .map_err(|e| match e {
            StoreError::LockTimeout { .. } => {
                ClusterError::msg("can't lock file '/var/lock/pvecm.lock' - got timeout")
            }
            e => e.into(),
        })
}

fn shared_text(root: &Root) -> Result<Option<String>> {
    Ok(read_opt(&root.etc_pve().join("corosync.conf"))?)
}

/// The cluster name of the tree, if any.
pub fn cluster_name(root: &Root) -> Result<Option<String>> {
    Ok(shared_text(root)?
        .and_then(|t| corosync::parse(&t).ok())
        .and_then(|c| {
            c.section("totem")
                .and_then(|t| t.get("cluster_name").map(str::to_string))
        }))
}

/// The file-write step (C.7.2): bump `config_version`, write via
/// `corosync.conf.new` + rename.
fn write_conf(root: &Root, conf: &mut Section) -> Result<()> {
    let totem = conf.section_mut("totem").ok_or_else(|| {
        ClusterError::msg("invalid corosync config: unable to read config version")
    })?;
    let v: u64 = totem
        .get("config_version")
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| {
            ClusterError::msg("invalid corosync config: unable to read config version")
        })?;
    totem.set("config_version", (v + 1).to_string());
    let text = corosync::write(conf);
    let new = root.etc_pve().join("corosync.conf.new");
    write_atomic(&new, text.as_bytes())?;
    fs::rename(&new, root.etc_pve().join("corosync.conf"))
        .map_err(|e| ClusterError::msg(format!("activating corosync.conf.new failed - {e}")))?;
    Ok(())
}

/// corosync's authkey is readable by root alone (0400), as on a real node.
fn write_authkey(path: &std::path::Path, key: &[u8]) -> Result<()> {
    crate::store::write_atomic_mode(path, key, Some(0o400))?;
    Ok(())
}

fn random_key() -> Vec<u8> {
    // Deterministic content is allowed (A.3 step 4); derive it from the pid
    // and a counter so keys differ between machines.
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15 ^ u64::from(std::process::id());
    (0..256)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x & 0xff) as u8
        })
        .collect()
}

const KEYGEN_LINES: [&str; 2] = [
    "Corosync Cluster Engine Authentication key generator.",
    "Gathering 2048 bits for key from /dev/urandom.",
];

/// Parameters of `pvecm create`.
#[derive(Debug, Clone, Default)]
pub struct CreateParams {
    pub clustername: String,
    pub links: BTreeMap<u8, Link>,
    pub nodeid: Option<u32>,
    pub votes: Option<u32>,
    pub token_coefficient: Option<u64>,
}

/// `pvecm create` on `node`.
pub fn create(root: &Root, node: &str, p: &CreateParams, out: &mut Output) -> Result<()> {
    let _c = lock(root)?;
    let st = ClusterState::load(root)?;
    let hw = Hardware::load(root)?;
    match st.node(node).map(|s| s.tree).unwrap_or_default() {
        Tree::Cluster => {
            return Err(ClusterError::msg(
                "cluster config '/etc/pve/corosync.conf' already exists",
            ))
        }
        Tree::None => return Err(ClusterError::NotMounted),
        Tree::Standalone => {}
    }
    if root.host_pve(node).join("corosync.conf").exists() {
        return Err(ClusterError::msg(
            "cluster config '/etc/pve/corosync.conf' already exists",
        ));
    }
    if root.etc_pve().exists() {
        let name = cluster_name(root)?.unwrap_or_default();
        return Err(ClusterError::msg(format!(
            "unable to create cluster: this simulation already holds cluster '{name}' - use 'pvecm add <member>' to join it"
        )));
    }
    let _l = pvecm_lock(root, node)?;
    let local = Local::new(root, node);
    if !local.authkey().exists() {
        out.out(KEYGEN_LINES[0]);
        out.out(KEYGEN_LINES[1]);
        out.out("Writing corosync key to /etc/corosync/authkey.");
        write_authkey(&local.authkey(), &random_key())?;
    }
    let ip = hw.get(node)?.primary_address().to_string();
    let mut conf = Section::default();
    let mut totem = Section::default();
    totem.set("version", "2");
    totem.set("secauth", "on");
    totem.set("cluster_name", p.clustername.clone());
    totem.set("config_version", "0");
    totem.set("ip_version", "ipv4-6");
    totem.set("link_mode", "passive");
    totem.set(
        "token_coefficient",
        p.token_coefficient.unwrap_or(125).to_string(),
    );
    let mut links = p.links.clone();
    if links.is_empty() {
        links.insert(
            0,
            Link {
                address: ip,
                priority: None,
            },
        );
    }
    let mut node_entry = Section::default();
    node_entry.set("name", node);
    node_entry.set("nodeid", p.nodeid.unwrap_or(1).to_string());
    node_entry.set("quorum_votes", p.votes.unwrap_or(1).to_string());
    for (n, l) in &links {
        let mut iface = Section::default();
        iface.set("linknumber", n.to_string());
        if let Some(pr) = l.priority.filter(|p| *p != 0) {
            iface.set("knet_link_priority", pr.to_string());
        }
        totem.list_entry("interface").insert(n.to_string(), iface);
        node_entry.set(&format!("ring{n}_addr"), l.address.clone());
    }
    let mut nodelist = Section::default();
    nodelist
        .list_entry("node")
        .insert(node.to_string(), node_entry);
    let mut quorum = Section::default();
    quorum.set("provider", "corosync_votequorum");
    let mut logging = Section::default();
    logging.set("to_syslog", "yes");
    logging.set("debug", "off");
    conf.entries.insert("totem".into(), Value::Section(totem));
    conf.entries
        .insert("nodelist".into(), Value::Section(nodelist));
    conf.entries.insert("quorum".into(), Value::Section(quorum));
    conf.entries
        .insert("logging".into(), Value::Section(logging));

    out.out("Writing corosync config to /etc/pve/corosync.conf");
    // The machine's own tree becomes the cluster tree.
    fs::create_dir_all(root.path().join("etc")).map_err(StoreError::from)?;
    let host = root.host_pve(node);
    if host.is_dir() {
        fs::rename(&host, root.etc_pve()).map_err(StoreError::from)?;
    } else {
        fs::create_dir_all(root.etc_pve()).map_err(StoreError::from)?;
    }
    let _ = fs::remove_dir_all(root.path().join("hosts").join(node));
    let _ = fs::remove_file(
        root.sim_dir()
            .join("pmxcfs")
            .join(format!("host-{node}.json")),
    );
    write_conf(root, &mut conf)?;
    let base = root.etc_pve();
    pmxcfs::gen_cluster_files(&base, node)?;
    pmxcfs::gen_node_files(&base, node)?;
    out.out("Restart corosync and cluster filesystem");
    quorum::distribute(root, &[node.to_string()])?;
    apply(root, |_hw, st| {
        st.node_mut(node).tree = Tree::Cluster;
        let ev = Event {
            started: [node.to_string()].into(),
            ..Event::default()
        };
        Ok(((), ev))
    })
}

/// Parameters of `pvecm addnode` (and of the join request).
#[derive(Debug, Clone, Default)]
pub struct AddnodeParams {
    pub node: String,
    pub links: BTreeMap<u8, Link>,
    pub nodeid: Option<u32>,
    pub votes: Option<u32>,
    pub force: bool,
    pub new_node_ip: Option<String>,
    pub apiversion: i64,
}

/// Why an addnode failed: the message, and for an invalid config its details.
#[derive(Debug)]
pub struct AddnodeFailure {
    pub error: ClusterError,
    pub details: Option<Verification>,
}

impl From<ClusterError> for AddnodeFailure {
    fn from(error: ClusterError) -> Self {
        AddnodeFailure {
            error,
            details: None,
        }
    }
}

impl From<std::io::Error> for AddnodeFailure {
    fn from(e: std::io::Error) -> Self {
        ClusterError::from(e).into()
    }
}

impl From<StoreError> for AddnodeFailure {
    fn from(e: StoreError) -> Self {
        ClusterError::from(e).into()
    }
}

/// Resolve through the simulated name table.
fn resolver(hw: &Hardware) -> impl Fn(&str) -> Option<String> + '_ {
    move |h: &str| hw.resolve(h)
}

/// Lines of the details of an invalid config, as the joining side prints
/// them (errors `! `, then warnings `* `, keys ordered byte-wise).
pub fn detail_lines(v: &Verification) -> Vec<String> {
    let mut keyed: Vec<(String, String)> = Vec::new();
    for (i, e) in v.errors.iter().enumerate() {
        keyed.push((format!("error{i}"), format!("! {e}")));
    }
    for (i, w) in v.warnings.iter().enumerate() {
        keyed.push((format!("warning{i}"), format!("* {w}")));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().map(|(_, l)| l).collect()
}

/// `pvecm addnode` run on `writer`. Returns the warnings of the config check.
/// `out` gets the `forcing overwrite` line.
pub fn addnode(
    root: &Root,
    writer: &str,
    p: &AddnodeParams,
    out: &mut Output,
) -> std::result::Result<Vec<String>, AddnodeFailure> {
    let _c = lock(root)?;
    addnode_locked(root, writer, p, out)
}

fn addnode_locked(
    root: &Root,
    writer: &str,
    p: &AddnodeParams,
    out: &mut Output,
) -> std::result::Result<Vec<String>, AddnodeFailure> {
    if p.apiversion < 0 {
        return Err(ClusterError::msg(format!(
            "error: unsupported old API version on joining node ({}), cluster node has 1 and supports >= 0. Please upgrade node before joining",
            p.apiversion
        ))
        .into());
    }
    if !super::is_quorate(root, writer)? {
        return Err(ClusterError::NoQuorum.into());
    }
    let _l = pvecm_lock(root, writer)?;
    let tree = super::tree_of(root, writer)?;
    let text = match tree {
        Tree::Cluster => shared_text(root)?,
        Tree::Standalone => read_opt(&root.host_pve(writer).join("corosync.conf"))?,
        Tree::None => return Err(ClusterError::NotMounted.into()),
    }
    .unwrap_or_default();
    let mut conf = corosync::parse(&text).map_err(|e| ClusterError::msg(e.to_string()))?;
    let hw = Hardware::load(root)?;
    let check = corosync::verify(&conf, &resolver(&hw));
    if !check.errors.is_empty() {
        return Err(AddnodeFailure {
            error: ClusterError::msg("invalid corosync.conf"),
            details: Some(check),
        });
    }
    let nodes = corosync::nodes(&conf);
    // Duplicate addresses.
    for l in p.links.values() {
        for other in nodes.iter().filter(|n| n.name != p.node) {
            for (k, a) in &other.links {
                if *a == l.address {
                    return Err(ClusterError::msg(format!(
                        "corosync: address '{}' already used on link ring{k}_addr by node '{}'",
                        l.address, other.name
                    ))
                    .into());
                }
            }
        }
    }
    let mut new_node_ip = p.new_node_ip.clone();
    if p.apiversion == 0 && new_node_ip.is_none() && p.links.len() == 1 {
        new_node_ip = p.links.values().next().map(|l| l.address.clone());
    }
    // The cluster's link numbers, from the first node in byte-wise order.
    let cluster_links: Vec<u8> = nodes
        .first()
        .map(|n| n.links.keys().copied().collect())
        .unwrap_or_default();
    let mut links: BTreeMap<u8, String> = BTreeMap::new();
    if !p.links.is_empty() {
        for n in 0..8u8 {
            let given = p.links.contains_key(&n);
            let in_cluster = cluster_links.contains(&n);
            if in_cluster && !given {
                return Err(ClusterError::msg(format!(
                    "corosync: link {n} exists in cluster config but wasn't specified for new node"
                ))
                .into());
            }
            if given && !in_cluster {
                return Err(ClusterError::msg(format!(
                    "corosync: link {n} specified for new node doesn't exist in cluster config"
                ))
                .into());
            }
        }
        for (n, l) in &p.links {
            links.insert(*n, l.address.clone());
        }
    } else {
        let Some(ip) = new_node_ip.clone() else {
            return Err(ClusterError::msg(
                "no links and no fallback ip (new_node_ip) given, cannot join cluster",
            )
            .into());
        };
        if cluster_links.len() == 1 {
            links.insert(cluster_links[0], ip);
        } else if p.apiversion == 0 {
            return Err(ClusterError::msg(format!(
                "cluster has {} links, but only 1 given",
                cluster_links.len()
            ))
            .into());
        } else {
            return Err(ClusterError::msg(
                "no links given but multiple links found on other nodes, fallback only supported on single-link clusters",
            )
            .into());
        }
    }
    let mut nodeid = p.nodeid;
    let mut votes = p.votes;
    if let Some(existing) = nodes.iter().find(|n| n.name == p.node) {
        let id = *nodeid.get_or_insert(existing.nodeid);
        let existing_votes = existing.quorum_votes.unwrap_or(0);
        let cmp_votes = votes.unwrap_or(existing.quorum_votes.unwrap_or(0));
        if votes.is_none() {
            votes = existing.quorum_votes;
        }
        if id == existing.nodeid && cmp_votes == existing_votes && p.force {
            out.out(format!("forcing overwrite of configured node '{}'", p.node));
        } else {
            return Err(ClusterError::msg(format!("can't add existing node '{}'", p.node)).into());
        }
    }
    let nodeid = nodeid.unwrap_or_else(|| {
        let used: Vec<u32> = nodes.iter().map(|n| n.nodeid).collect();
        (1..).find(|i| !used.contains(i)).unwrap_or(1)
    });
    let votes = votes.unwrap_or(1);
    let mut entry = Section::default();
    entry.set("name", p.node.clone());
    entry.set("nodeid", nodeid.to_string());
    if votes != 0 {
        entry.set("quorum_votes", votes.to_string());
    }
    for (n, a) in &links {
        entry.set(&format!("ring{n}_addr"), a.clone());
    }
    conf.section_entry("nodelist")
        .list_entry("node")
        .insert(p.node.clone(), entry);
    let base = root.etc_pve();
    pmxcfs::gen_local_dirs(&base, &p.node)?;
    let now = crate::sim::clock::now(root)?;
    let writer_partition = super::online_from(root, writer)?;
    apply(root, |_hw, st| {
        st.log(
            now,
            5,
            "pvecm",
            writer,
            "root@pam",
            &format!("adding node {} to cluster", p.node),
        );
        write_conf(root, &mut conf)?;
        quorum::distribute(root, &writer_partition)?;
        let ev = Event {
            writer: Some(writer.to_string()),
            ..Event::default()
        };
        Ok(((), ev))
    })?;
    Ok(check.warnings)
}

/// Parameters of `pvecm add`.
#[derive(Debug, Clone, Default)]
pub struct AddParams {
    pub hostname: String,
    pub links: BTreeMap<u8, Link>,
    pub nodeid: Option<u32>,
    pub votes: Option<u32>,
    pub force: bool,
    pub use_ssh: bool,
    /// The process' working directory is inside the node's /etc/pve.
    pub cwd_in_pve: bool,
}

/// `pvecm add HOST` run on `node` (the joining machine).
pub fn add(root: &Root, node: &str, p: &AddParams, out: &mut Output) -> Result<()> {
    if p.cwd_in_pve {
        return Err(ClusterError::msg(
            "Navigate out of /etc/pve before running 'pvecm add', for example by running 'cd'.",
        ));
    }
    let _c = lock(root)?;
    let _l = pvecm_lock(root, node)?;
    let hw = Hardware::load(root)?;
    let st = ClusterState::load(root)?;
    let me = hw.get(node)?.clone();
    let ns = st.node(node).cloned().unwrap_or_default();
    if ns.tree == Tree::None {
        return Err(ClusterError::NotMounted);
    }
    let local = Local::new(root, node);
    // Join checks (A.4.1 step 2).
    let mut errors: Vec<String> = Vec::new();
    if local.authkey().exists() {
        errors.push("* authentication key '/etc/corosync/authkey' already exists".into());
    }
    let own_tree = if ns.tree == Tree::Cluster {
        root.etc_pve()
    } else {
        root.host_pve(node)
    };
    if own_tree.join("corosync.conf").exists() {
        errors.push("* cluster config '/etc/pve/corosync.conf' already exists".into());
    }
    if !pmxcfs::guests(&own_tree)?.is_empty() {
        errors.push("* this host already contains virtual guests".into());
    }
    if ns.tree == Tree::Cluster && ns.running {
        errors.push("* corosync is already running, is this node already in a cluster?!".into());
    }
    for (n, l) in &p.links {
        let ip = if valid_ip(&l.address) {
            Some(l.address.clone())
        } else {
            hw.resolve(&l.address)
        };
        match ip {
            Some(ip) => {
                if !me.addresses.contains(&ip) {
                    errors.push(format!("* link{n}: cannot use IP '{ip}', not found on local node!\n"));
                }
            }
            None => errors.push(format!(
                "* link{n}: cannot use '{h}': hostname lookup '{h}' failed - failed to get address info for: {h}: Name or service not known\n\n",
                h = l.address
            )),
        }
    }
    if !errors.is_empty() {
        out.out("detected the following error(s):");
        for e in &errors {
            out.out(e);
        }
        if !p.force {
            return Err(ClusterError::msg(
                "Check if node may join a cluster failed!",
            ));
        }
        out.out("");
        out.out("WARNING : detected error but forced to continue!");
        out.out("");
    }
    let target = hw.by_name_or_address(&p.hostname).cloned();
    let ip = me.primary_address().to_string();
    let mut req = AddnodeParams {
        node: node.to_string(),
        links: p
            .links
            .iter()
            .map(|(n, l)| {
                (
                    *n,
                    Link {
                        address: l.address.clone(),
                        priority: None,
                    },
                )
            })
            .collect(),
        nodeid: p.nodeid,
        votes: p.votes,
        force: p.force,
        new_node_ip: None,
        apiversion: 1,
    };
    let reachable = |t: &Option<crate::sim::hardware::Machine>| {
        t.as_ref()
            .is_some_and(|t| !t.qnetd && (t.name == node || hw.reach(node, &t.name)))
    };
    if p.use_ssh {
        req.force = true;
        if p.links.is_empty() {
            out.out(format!(
                "No cluster network links passed explicitly, fallback to local node IP '{ip}'"
            ));
            req.new_node_ip = Some(ip.clone());
        }
        if !reachable(&target) {
            return Err(ClusterError::msg(format!(
                "unable to add node: command failed (ssh -e none -o 'BatchMode=yes' root@{} pvecm addnode {node} --force 1)",
                p.hostname
            )));
        }
    } else {
        out.out(format!(
            "Establishing API connection with host '{}'",
            p.hostname
        ));
        match &target {
            None => {
                return Err(ClusterError::msg(format!(
                    "500 Can't connect to {}:8006 (Name or service not known)",
                    p.hostname
                )))
            }
            Some(_) if !reachable(&target) => {
                return Err(ClusterError::msg(format!(
                    "500 Can't connect to {}:8006 (No route to host)",
                    p.hostname
                )))
            }
            _ => {}
        }
        out.out("Login succeeded.");
        out.out("check cluster join API version");
        if p.links.is_empty() {
            out.out(format!(
                "No cluster network links passed explicitly, fallback to local node IP '{ip}'"
            ));
            req.new_node_ip = Some(ip.clone());
        }
        out.out("Request addition of this node");
    }
    let peer = target.expect("checked reachable").name;
    let mut peer_out = Output::default();
    match addnode_locked(root, &peer, &req, &mut peer_out) {
        Ok(warnings) => {
            if !p.use_ssh {
                for w in warnings {
                    out.out(format!("cluster: {w}"));
                }
            }
        }
        Err(f) => {
            if p.use_ssh {
                return Err(ClusterError::msg(format!(
                    "unable to add node: command failed (ssh -e none -o 'BatchMode=yes' root@{} pvecm addnode {node} --force 1)",
                    p.hostname
                )));
            }
            let msg = f.error.to_string();
            out.out(format!(
                "An error occurred on the cluster node: {}",
                msg.lines().next().unwrap_or("")
            ));
            if let Some(d) = &f.details {
                for l in detail_lines(d) {
                    out.out(l);
                }
            }
            return Err(ClusterError::msg("Cluster join aborted!"));
        }
    }
    if p.use_ssh {
        out.out("copy corosync auth key");
    } else {
        out.out("Join request OK, finishing setup locally");
    }
    // finish join
    if let Some(k) = peer_authkey(root, &peer)? {
        write_authkey(&local.authkey(), &k)?;
    }
    if let Some(t) = shared_text(root)? {
        write_atomic(&local.corosync_conf(), t.as_bytes())?;
    }
    out.out("stopping pve-cluster service");
    let now = crate::sim::clock::now(root)?;
    let backup_dir = local.backup_dir();
    fs::create_dir_all(&backup_dir).map_err(StoreError::from)?;
    let mut backups: Vec<String> = fs::read_dir(&backup_dir)
        .map_err(StoreError::from)?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().to_string()))
        .filter(|n| n.starts_with("config-") && n.ends_with(".sql.gz"))
        .collect();
    backups.sort_by_key(|n| {
        n.trim_start_matches("config-")
            .trim_end_matches(".sql.gz")
            .parse::<i64>()
            .unwrap_or(0)
    });
    let name = format!("config-{now}.sql.gz");
    write_atomic(
        &backup_dir.join(&name),
        b"pvesim: backup of the pre-join configuration database\n",
    )?;
    out.out(format!(
        "backup old database to '/var/lib/pve-cluster/backup/{name}'"
    ));
    backups.retain(|b| *b != name);
    while backups.len() + 1 > 10 {
        let old = backups.remove(0);
        let _ = fs::remove_file(backup_dir.join(&old));
        out.out(format!(
            "delete old backup '/var/lib/pve-cluster/backup/{old}'"
        ));
    }
    let _ = fs::remove_dir_all(root.path().join("hosts").join(node));
    let _ = fs::remove_file(
        root.sim_dir()
            .join("pmxcfs")
            .join(format!("host-{node}.json")),
    );
    apply(root, |_hw, st| {
        st.node_mut(node).tree = Tree::Cluster;
        let ev = Event {
            started: [node.to_string()].into(),
            ..Event::default()
        };
        Ok(((), ev))
    })?;
    if super::is_quorate(root, node)? {
        out.out("waiting for quorum...OK");
    } else {
        out.out("waiting for quorum...");
        return Err(ClusterError::msg(format!(
            "timeout waiting for quorum - node '{node}' was added to the cluster configuration, but has no quorum"
        )));
    }
    out.out("(re)generate node files");
    out.out("generate new node certificate");
    let base = root.etc_pve();
    pmxcfs::gen_node_files(&base, node)?;
    out.out("merge authorized SSH keys");
    out.out("generated new node certificate, restart pveproxy and pvedaemon services");
    out.out(format!("successfully added node '{node}' to cluster."));
    Ok(())
}

fn peer_authkey(root: &Root, peer: &str) -> Result<Option<Vec<u8>>> {
    match fs::read(Local::new(root, peer).authkey()) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(StoreError::from(e).into()),
    }
}

/// `pvecm delnode TARGET` run on `node`.
pub fn delnode(root: &Root, node: &str, target: &str, out: &mut Output) -> Result<()> {
    if target == node {
        return Err(ClusterError::msg("Cannot delete myself from cluster!"));
    }
    let _c = lock(root)?;
    if !super::is_quorate(root, node)? {
        return Err(ClusterError::NoQuorum);
    }
    let _l = pvecm_lock(root, node)?;
    // A standalone machine sees only its own tree, never the cluster's: it
    // knows no cluster host to delete. (Its tree has no corosync.conf in
    // any state pvesim produces; one written there by hand is not a
    // cluster this command could change.)
    let text = match super::tree_of(root, node)? {
        Tree::Cluster => shared_text(root)?,
        Tree::Standalone => None,
        Tree::None => return Err(ClusterError::NotMounted),
    }
    .unwrap_or_default();
    let mut conf = corosync::parse(&text).map_err(|e| ClusterError::msg(e.to_string()))?;
    let nodes = corosync::nodes(&conf);
    let found = nodes.iter().find(|n| {
        n.name == target
            || n.links.get(&0).is_some_and(|a| a == target)
            || n.links.get(&1).is_some_and(|a| a == target)
    });
    let Some(entry) = found.cloned() else {
        return Err(ClusterError::msg(format!(
            "Node/IP: {target} is not a known host of the cluster."
        )));
    };
    let now = crate::sim::clock::now(root)?;
    let partition = super::online_from(root, node)?;
    out.out(format!("Killing node {}", entry.nodeid));
    if !partition.contains(&entry.name) {
        out.err("Could not kill node (error = CS_ERR_NOT_EXIST)");
    }
    if let Some(Value::List(l)) = conf
        .section_mut("nodelist")
        .and_then(|nl| nl.entries.get_mut("node"))
    {
        let key = l
            .iter()
            .find(|(_, s)| {
                s.get("name").unwrap_or("") == entry.name
                    || s.get("ring0_addr") == Some(entry.name.as_str())
            })
            .map(|(k, _)| k.clone());
        if let Some(k) = key {
            l.remove(&k);
        }
    }
    apply(root, |_hw, st| {
        st.log(
            now,
            5,
            "pvecm",
            node,
            "root@pam",
            &format!("deleting node {} from cluster", entry.name),
        );
        write_conf(root, &mut conf)?;
        quorum::distribute(root, &partition)?;
        if st
            .node(&entry.name)
            .is_some_and(|s| s.tree == Tree::Cluster)
        {
            st.node_mut(&entry.name).tree = Tree::None;
            st.node_mut(&entry.name).running = false;
        }
        let ev = Event {
            writer: Some(node.to_string()),
            ..Event::default()
        };
        Ok(((), ev))
    })
}

/// `pvecm expected N` on `node` (B.7).
pub fn expected(root: &Root, node: &str, n: u32) -> Result<()> {
    let _c = lock(root)?;
    let v = super::view(root, node)?;
    let own = Local::new(root, node)
        .read_conf()?
        .and_then(|(_, c)| c)
        .map(|c| quorum::QuorumConf::from_conf(&c))
        .unwrap_or_default();
    let t = v.total;
    let voters = v.members.len() as u32 + u32::from(v.qdevice.is_some_and(|q| q.1));
    let mut q_try = ((n + 2) / 2).max((t + 2) / 2);
    if own.two_node && voters <= 2 {
        q_try = 1;
    }
    if n < t || (v.quorate && q_try > t) {
        return Err(ClusterError::Code(
            "Unable to set expected votes: CS_ERR_INVALID_PARAM".into(),
            1,
        ));
    }
    apply(root, |_hw, _st| {
        Ok((
            (),
            Event {
                expected: Some((node.to_string(), n)),
                ..Event::default()
            },
        ))
    })
}

/// `pvecm qdevice setup ADDRESS [--force]` on `node`.
pub fn qdevice_setup(
    root: &Root,
    node: &str,
    address: &str,
    force: bool,
    out: &mut Output,
) -> Result<()> {
    let _c = lock(root)?;
    let text = shared_text(root)?.ok_or(ClusterError::NotInCluster)?;
    let conf = corosync::parse(&text).map_err(|e| ClusterError::msg(e.to_string()))?;
    let nodes = corosync::nodes(&conf);
    let online = super::online_from(root, node)?;
    let mut names: Vec<&str> = nodes.iter().map(|n| n.name.as_str()).collect();
    names.sort();
    for n in &names {
        if !online.iter().any(|o| o == n) {
            return Err(ClusterError::msg(format!(
                "All nodes must be online! Node {n} is offline, aborting."
            )));
        }
    }
    let has_device = conf
        .section("quorum")
        .and_then(|q| q.section("device"))
        .is_some();
    if has_device && !force {
        return Err(ClusterError::msg("QDevice already configured!"));
    }
    let algorithm = if names.len().is_multiple_of(2) {
        "ffsplit"
    } else if force {
        "lms"
    } else {
        return Err(ClusterError::msg(
            "Clusters with an odd node count are not officially supported!",
        ));
    };
    let hw = Hardware::load(root)?;
    if !hw.reaches_qnetd(node, address) {
        return Err(ClusterError::msg(format!(
            "command 'ssh-copy-id -i /root/.ssh/id_rsa root@{address}' failed: exit code 1"
        )));
    }
    let local = Local::new(root, node);
    if local.nssdb().exists() {
        if force {
            let _ = fs::remove_dir_all(local.nssdb());
        } else {
            return Err(ClusterError::msg(
                "QDevice certificate store already initialised, set force to delete!",
            ));
        }
    }
    for l in [
        "INFO: initializing qnetd server",
        "INFO: copying CA cert and initializing on all nodes",
        "INFO: generating cert request",
        "INFO: copying exported cert request to qnetd server",
        "INFO: sign and export cluster cert",
        "INFO: copy exported CRT",
        "INFO: import certificate",
        "INFO: copy and import pk12 cert to all nodes",
        "INFO: add QDevice to cluster configuration",
    ] {
        out.out("");
        out.out(l);
    }
    for n in &names {
        fs::create_dir_all(Local::new(root, n).nssdb()).map_err(StoreError::from)?;
    }
    if !super::is_quorate(root, node)? {
        return Err(ClusterError::msg(
            "cfs-lock 'file-corosync_conf' error: no quorum!",
        ));
    }
    let text = shared_text(root)?.unwrap_or_default();
    let mut conf = corosync::parse(&text).map_err(|e| ClusterError::msg(e.to_string()))?;
    if conf
        .section("quorum")
        .and_then(|q| q.section("device"))
        .is_some()
    {
        return Err(ClusterError::msg(
            "Qdevice already configured, must be removed before setting up new one!",
        ));
    }
    let mut device = Section::default();
    device.set("model", "net");
    let mut net = Section::default();
    net.set("tls", "on");
    net.set("host", address);
    net.set("algorithm", algorithm);
    device.entries.insert("net".into(), Value::Section(net));
    if algorithm == "ffsplit" {
        device.set("votes", "1");
    }
    conf.section_entry("quorum")
        .entries
        .insert("device".into(), Value::Section(device));
    let partition = online.clone();
    let names_owned: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    for n in &names_owned {
        out.out("");
        out.out(format!(
            "INFO: start and enable corosync qdevice daemon on node '{n}'..."
        ));
    }
    apply(root, |_hw, st| {
        write_conf(root, &mut conf)?;
        quorum::distribute(root, &partition)?;
        for n in &names_owned {
            st.node_mut(n).qdevice_enabled = true;
        }
        let ev = Event {
            writer: Some(node.to_string()),
            qdevice_started: names_owned.iter().cloned().collect(),
            ..Event::default()
        };
        Ok(((), ev))
    })
}

/// `pvecm qdevice remove` on `node`.
pub fn qdevice_remove(root: &Root, node: &str, out: &mut Output) -> Result<()> {
    let _c = lock(root)?;
    let text = shared_text(root)?.ok_or(ClusterError::NotInCluster)?;
    let mut conf = corosync::parse(&text).map_err(|e| ClusterError::msg(e.to_string()))?;
    let nodes = corosync::nodes(&conf);
    let online = super::online_from(root, node)?;
    let mut names: Vec<String> = nodes.iter().map(|n| n.name.clone()).collect();
    names.sort();
    for n in &names {
        if !online.contains(n) {
            return Err(ClusterError::msg(format!(
                "All nodes must be online! Node {n} is offline, aborting."
            )));
        }
    }
    if !super::is_quorate(root, node)? {
        return Err(ClusterError::msg(
            "cfs-lock 'file-corosync_conf' error: no quorum!",
        ));
    }
    let removed = conf
        .section_mut("quorum")
        .and_then(|q| q.remove("device"))
        .is_some();
    if !removed {
        return Err(ClusterError::msg("No QDevice configured!"));
    }
    apply(root, |_hw, st| {
        write_conf(root, &mut conf)?;
        quorum::distribute(root, &online)?;
        for n in &names {
            let _ = fs::remove_dir_all(Local::new(root, n).qdevice_dir());
            let s = st.node_mut(n);
            s.qdevice_enabled = false;
            s.qdevice_alive = false;
            s.qdevice_cast = false;
        }
        let ev = Event {
            writer: Some(node.to_string()),
            ..Event::default()
        };
        Ok(((), ev))
    })?;
    out.out("");
    out.out("Removed Qdevice.");
    Ok(())
}

/// `pvecm updatecerts` on `node`.
pub fn updatecerts(
    root: &Root,
    node: &str,
    force: bool,
    silent: bool,
    unmerge: bool,
    out: &mut Output,
) -> Result<()> {
    let _c = lock(root)?;
    let pve = super::pve_for(root, node)?;
    if !pve.writable() {
        if !silent {
            out.out("waiting for pmxcfs mount to appear and get quorate...");
        }
        let msg = "got timeout when trying to ensure cluster certificates and base file hierarchy is set up - no quorum (yet) or hung pmxcfs?";
        if silent {
            out.err(msg);
            return Ok(());
        }
        return Err(ClusterError::msg(msg));
    }
    let base = pve.base().to_path_buf();
    for d in pmxcfs::gen_observed_dirs(&base)? {
        out.out(format!(
            "creating directory '/etc/pve/{d}' for observed files"
        ));
    }
    if !silent {
        out.out("(re)generate node files");
    }
    if force {
        if !silent {
            out.out("generate new node certificate");
        }
        let _ = fs::remove_file(base.join(format!("nodes/{node}/pve-ssl.pem")));
        let _ = fs::remove_file(base.join(format!("nodes/{node}/pve-ssl.key")));
    }
    pmxcfs::gen_cluster_files(&base, node)?;
    pmxcfs::gen_node_files(&base, node)?;
    if !silent {
        out.out("merge authorized SSH keys");
        if unmerge {
            out.out("unmerge SSH known hosts");
        }
    }
    Ok(())
}

/// `pvecm keygen FILE` on `node`: `path` is where the file lives in the state
/// root (the CLI maps the user's path into the node's local tree).
pub fn keygen(path: &std::path::Path, shown: &str, out: &mut Output) -> Result<()> {
    if path.exists() {
        return Err(ClusterError::msg(format!(
            "key file '{shown}' already exists"
        )));
    }
    out.out(KEYGEN_LINES[0]);
    out.out(KEYGEN_LINES[1]);
    out.out(format!("Writing corosync key to {shown}."));
    write_atomic(path, &random_key())?;
    Ok(())
}

/// Whether `ip` is inside `cidr`.
pub fn ip_in_cidr(ip: &str, cidr: &str) -> bool {
    let Some((net, len)) = cidr.split_once('/') else {
        return false;
    };
    let Ok(len) = len.parse::<u32>() else {
        return false;
    };
    match (
        ip.parse::<std::net::IpAddr>(),
        net.parse::<std::net::IpAddr>(),
    ) {
        (Ok(std::net::IpAddr::V4(a)), Ok(std::net::IpAddr::V4(b))) if len <= 32 => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (Ok(std::net::IpAddr::V6(a)), Ok(std::net::IpAddr::V6(b))) if len <= 128 => {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
        _ => false,
    }
}

/// The migration address of `node` for `pvecm mtunnel --get_migration_ip`:
/// `Ok(None)` when no network is configured.
pub fn migration_ip(root: &Root, node: &str, network: Option<&str>) -> Result<Option<String>> {
    let net = match network {
        Some(n) => Some(n.to_string()),
        None => {
            let pve = super::pve_for(root, node)?;
            pve.datacenter()?.migration().network
        }
    };
    let Some(net) = net else { return Ok(None) };
    let hw = Hardware::load(root)?;
    let mut ips: Vec<String> = hw
        .get(node)?
        .addresses
        .iter()
        .filter(|a| ip_in_cidr(a, &net))
        .cloned()
        .collect();
    ips.dedup();
    match ips.len() {
        0 => Err(ClusterError::msg(format!(
            "could not get migration ip: no IP address configured on local node for network '{net}'"
        ))),
        1 => Ok(Some(ips.remove(0))),
        _ => Err(ClusterError::msg(format!(
            "could not get migration ip: multiple, different, IP address configured for network '{net}'"
        ))),
    }
}

/// `pvesim init --cluster NAME`: create on the first machine, join the others.
pub fn build_cluster(root: &Root, name: &str, machines: &[String]) -> Result<()> {
    let mut out = Output::default();
    create(
        root,
        &machines[0],
        &CreateParams {
            clustername: name.to_string(),
            ..CreateParams::default()
        },
        &mut out,
    )?;
    for m in &machines[1..] {
        add(
            root,
            m,
            &AddParams {
                hostname: machines[0].clone(),
                ..AddParams::default()
            },
            &mut out,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_cidrs() {
        assert_eq!(
            parse_link("10.0.0.1,priority=15").unwrap(),
            Link {
                address: "10.0.0.1".into(),
                priority: Some(15)
            }
        );
        assert!(parse_link("address=10.0.0.1,prio=1").is_err());
        assert!(parse_link("10.0.0.1,priority=256").is_err());
        assert!(ip_in_cidr("10.1.2.3", "10.1.2.0/24"));
        assert!(!ip_in_cidr("10.1.3.3", "10.1.2.0/24"));
    }

    #[test]
    fn detail_order_is_bytewise() {
        let v = Verification {
            errors: (0..11).map(|i| format!("e{i}")).collect(),
            warnings: vec!["w".into()],
        };
        let l = detail_lines(&v);
        assert_eq!(l[0], "! e0");
        assert_eq!(l[1], "! e1");
        assert_eq!(l[2], "! e10");
        assert_eq!(l[11], "* w");
    }
}

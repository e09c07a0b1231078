//! Votequorum and QDevice as corosync computes them (spec B.1–B.9).
//!
//! [`settle`] is run after every event (power, network, split/heal, a
//! corosync.conf write, a join, `pvecm expected`): it applies the
//! configuration pickup rules, recomputes the partitions and their rings,
//! lets qnetd allocate the device vote (ffsplit or lms) and then runs the
//! quorum algorithm for every node, each node with its own configuration
//! copy and its own view.

use super::state::{ClusterState, LmsResult, Local, Tree};
use crate::format::corosync::{self, Section};
use crate::sim::hardware::Hardware;
use crate::store::{read_opt, write_atomic, Root, StoreError};
use std::collections::{BTreeMap, BTreeSet};

/// The quorum-relevant settings of one corosync.conf (B.1).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuorumConf {
    /// Configured expected votes.
    pub ce: u32,
    /// Votes of the device (0 without a usable device).
    pub qv: u32,
    /// The device is configured (`quorum.device` present).
    pub device: bool,
    /// The device is configured and corosync accepts it.
    pub device_ok: bool,
    pub algorithm: String,
    pub host: String,
    pub tie_breaker: String,
    pub two_node: bool,
    pub wfa: bool,
    pub lms: bool,
    /// `last_man_standing_window` in ms (default 10000).
    pub lms_window_ms: u64,
    pub atb: bool,
    pub atb_node: String,
    pub allow_downscale: bool,
    /// node name -> (nodeid, votes)
    pub nodes: BTreeMap<String, (u32, u32)>,
}

fn flag(s: Option<&str>) -> Option<bool> {
    s.map(|v| v.trim() == "1" || v.trim().eq_ignore_ascii_case("yes") || v.trim() == "on")
}

impl QuorumConf {
    /// Read the settings from a parsed configuration.
    pub fn from_conf(c: &Section) -> QuorumConf {
        let mut q = QuorumConf::default();
        for n in corosync::nodes(c) {
            q.nodes.insert(n.name.clone(), (n.nodeid, n.votes()));
        }
        let s: u32 = q.nodes.values().map(|v| v.1).sum();
        let n = q.nodes.len() as u32;
        let quorum = c.section("quorum").cloned().unwrap_or_default();
        let expected: Option<u32> = quorum.get("expected_votes").and_then(|v| v.parse().ok());
        let two_node = flag(quorum.get("two_node")).unwrap_or(false);
        q.lms = flag(quorum.get("last_man_standing")).unwrap_or(false);
        q.lms_window_ms = quorum
            .get("last_man_standing_window")
            .and_then(|v| v.parse().ok())
            .unwrap_or(10_000);
        q.atb = flag(quorum.get("auto_tie_breaker")).unwrap_or(false);
        q.atb_node = quorum
            .get("auto_tie_breaker_node")
            .unwrap_or("lowest")
            .to_string();
        q.allow_downscale = flag(quorum.get("allow_downscale")).unwrap_or(false);
        if let Some(dev) = quorum.section("device") {
            q.device = true;
            let net = dev.section("net").cloned().unwrap_or_default();
            q.algorithm = net.get("algorithm").unwrap_or("ffsplit").to_string();
            q.host = net.get("host").unwrap_or("").to_string();
            q.tie_breaker = net.get("tie_breaker").unwrap_or("lowest").to_string();
            let qv = match dev.get("votes").and_then(|v| v.parse::<u32>().ok()) {
                Some(v) => Some(v),
                None if s == n && expected.is_none() && n > 0 => Some(n - 1),
                None => None,
            };
            let compatible = !two_node && !q.lms && !q.atb && !q.allow_downscale;
            if let (Some(v), true) = (qv, compatible) {
                q.qv = v;
                q.device_ok = true;
            }
        }
        q.two_node = two_node && !q.device && !q.atb;
        q.wfa = flag(quorum.get("wait_for_all")).unwrap_or(q.two_node);
        q.ce = expected.unwrap_or(s + q.qv);
        q
    }
}

/// The shared `/etc/pve/corosync.conf` as corosync reads it.
pub fn shared_conf(root: &Root) -> Result<Option<Section>, StoreError> {
    Ok(read_opt(&root.etc_pve().join("corosync.conf"))?.and_then(|t| corosync::parse_corosync(&t)))
}

/// A fingerprint of the shared corosync.conf ("" when missing).
pub fn shared_sig(root: &Root) -> Result<String, StoreError> {
    Ok(match read_opt(&root.etc_pve().join("corosync.conf"))? {
        None => String::new(),
        Some(t) => {
            // FNV-1a over the text, plus its length.
            let mut h: u64 = 0xcbf2_9ce4_8422_2325;
            for b in t.bytes() {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0100_0000_01b3);
            }
            format!("{:016x}:{}", h, t.len())
        }
    })
}

/// What happened, for [`settle`].
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// Machines whose corosync (and pmxcfs) just started: power-on, create, join.
    pub started: BTreeSet<String>,
    /// Machines that came back (power-on, network on, heal): pickup rule B.9.3.
    pub returned: BTreeSet<String>,
    /// A node that wrote `/etc/pve/corosync.conf`: its partition reloads (B.9.2).
    pub writer: Option<String>,
    /// `pvecm expected N` run on a node.
    pub expected: Option<(String, u32)>,
    /// Machines whose qdevice daemon just (re)started.
    pub qdevice_started: BTreeSet<String>,
}

fn own_conf(root: &Root, node: &str) -> QuorumConf {
    Local::new(root, node)
        .read_conf()
        .ok()
        .flatten()
        .and_then(|(_, c)| c)
        .map(|c| QuorumConf::from_conf(&c))
        .unwrap_or_default()
}

/// Copy the shared file to a node's local copy.
fn take_file(root: &Root, node: &str) -> Result<(), StoreError> {
    if let Some(t) = read_opt(&root.etc_pve().join("corosync.conf"))? {
        write_atomic(&Local::new(root, node).corosync_conf(), t.as_bytes())?;
    }
    Ok(())
}

/// Copy a freshly written shared file to the node-local copies of `nodes`
/// (B.9.1), unless a local copy is newer.
pub fn distribute(root: &Root, nodes: &[String]) -> Result<(), StoreError> {
    let shared_ver = shared_conf(root)?
        .and_then(|c| corosync::config_version(&c))
        .unwrap_or(0);
    for n in nodes {
        let l = Local::new(root, n);
        if l.conf_version() <= shared_ver {
            take_file(root, n)?;
        }
    }
    Ok(())
}

/// Apply an event and recompute everything (see module doc).
pub fn settle(
    root: &Root,
    hw: &Hardware,
    st: &mut ClusterState,
    ev: &Event,
) -> Result<(), StoreError> {
    let shared = shared_conf(root)?;
    let shared_ver = shared
        .as_ref()
        .and_then(corosync::config_version)
        .unwrap_or(0);
    let shared_q = shared
        .as_ref()
        .map(QuorumConf::from_conf)
        .unwrap_or_default();
    let nodelist = &shared_q.nodes;
    let nodeid = |n: &str| nodelist.get(n).map(|v| v.0).unwrap_or(u32::MAX);

    let mut allow_dec: BTreeSet<String> = BTreeSet::new();
    let quorate_before: BTreeMap<String, bool> = st
        .nodes
        .iter()
        .map(|(k, v)| (k.clone(), v.quorate))
        .collect();
    let partition_before: BTreeMap<String, Vec<String>> = st
        .nodes
        .iter()
        .map(|(k, v)| (k.clone(), v.partition.clone()))
        .collect();

    let is_running = |st: &ClusterState, n: &str| -> bool {
        hw.is_powered(n)
            && st.node(n).is_some_and(|s| s.tree == Tree::Cluster)
            && Local::new(root, n).has_conf()
            && nodelist.contains_key(n)
    };

    // Starts: fresh runtime state, configuration loaded.
    let now = crate::sim::clock::now(root)?;
    for n in &ev.started {
        let s = st.node_mut(n);
        s.clinfo = 0;
        s.known_ips.clear();
        s.quorate = false;
        s.partition.clear();
        s.qdevice_alive = false;
        s.qdevice_connected = false;
        s.qdevice_cast = false;
        s.lms = LmsResult::New;
        s.last_quorate_members.clear();
        s.starttime = now;
        s.quorum = 0;
    }
    let reload = |st: &mut ClusterState, n: &str, allow: &mut BTreeSet<String>| {
        let q = own_conf(root, n);
        let s = st.node_mut(n);
        s.expected = q.ce;
        s.clinfo += 1;
        allow.insert(n.to_string());
    };
    for n in &ev.started {
        st.log(now, 6, "cluster", n, "root", "starting cluster log");
        reload(st, n, &mut allow_dec);
        let q = own_conf(root, n);
        st.node_mut(n).wfa_status = q.wfa;
    }
    for n in &ev.qdevice_started {
        let s = st.node_mut(n);
        s.qdevice_alive = false;
        s.qdevice_connected = false;
        s.lms = LmsResult::New;
    }

    // Machines not running: no partition, no view.
    let names: Vec<String> = st.nodes.keys().cloned().collect();
    for n in &names {
        if !is_running(st, n) {
            let s = st.node_mut(n);
            s.running = false;
            s.partition.clear();
            s.quorate = false;
            s.total = 0;
            s.qdevice_cast = false;
            s.qdevice_connected = false;
        }
    }
    let running: Vec<String> = names
        .iter()
        .filter(|n| is_running(st, n))
        .cloned()
        .collect();

    // Pickup on return (B.9.3).
    for n in ev.returned.iter().chain(ev.started.iter()) {
        if running.contains(n) && Local::new(root, n).conf_version() < shared_ver {
            take_file(root, n)?;
            reload(st, n, &mut allow_dec);
        }
    }
    // Spreading (B.9.4).
    loop {
        let mut changed = false;
        for n in &running {
            if Local::new(root, n).conf_version() >= shared_ver {
                continue;
            }
            let peer = running.iter().any(|m| {
                m != n && hw.reach(n, m) && Local::new(root, m).conf_version() == shared_ver
            });
            if peer {
                take_file(root, n)?;
                reload(st, n, &mut allow_dec);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }

    // Partitions (B.2).
    let mut parts: Vec<Vec<String>> = Vec::new();
    let mut by_segment: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for n in &running {
        let m = hw.machine(n).expect("running machines exist");
        if m.network {
            by_segment
                .entry(hw.segment_of(n))
                .or_default()
                .push(n.clone());
        } else {
            parts.push(vec![n.clone()]);
        }
    }
    parts.extend(by_segment.into_values());
    for p in parts.iter_mut() {
        p.sort_by_key(|n| nodeid(n));
    }
    parts.sort_by_key(|p| nodeid(&p[0]));

    // Rings and membership bookkeeping.
    for p in &parts {
        let new_ring = p.iter().any(|n| {
            ev.started.contains(n) || partition_before.get(n).map(|v| v != p).unwrap_or(true)
        });
        if new_ring {
            let seq = p
                .iter()
                .map(|n| st.node(n).map(|s| s.ring_seq).unwrap_or(0))
                .max()
                .unwrap_or(0)
                + 4;
            let rep = nodeid(&p[0]);
            for n in p {
                let s = st.node_mut(n);
                s.ring_seq = seq;
                s.ring_rep = rep;
                s.ring_time = now;
                s.clinfo += 1;
            }
        }
        for n in p {
            let s = st.node_mut(n);
            s.running = true;
            s.partition = p.clone();
            for m in p {
                if s.known_ips.insert(m.clone()) {
                    s.clinfo += 1;
                }
            }
        }
    }

    // The writer's partition reloads (B.9.2).
    if let Some(w) = &ev.writer {
        if let Some(p) = parts.iter().find(|p| p.contains(w)) {
            for n in p.clone() {
                if !allow_dec.contains(&n) {
                    reload(st, &n, &mut allow_dec);
                }
            }
        }
    }
    // pvecm expected (B.7).
    if let Some((x, e)) = &ev.expected {
        if let Some(p) = parts.iter().find(|p| p.contains(x)) {
            for n in p {
                st.node_mut(n).expected = *e;
                allow_dec.insert(n.clone());
            }
        }
    }

    let confs: BTreeMap<String, QuorumConf> = running
        .iter()
        .map(|n| (n.clone(), own_conf(root, n)))
        .collect();

    qdevice_round(hw, st, &parts, &confs, &shared_q);
    st.shared_sig = shared_sig(root)?;

    // Quorum per partition (B.4).
    for p in &parts {
        let v: u32 = p
            .iter()
            .map(|n| nodelist.get(n).map(|x| x.1).unwrap_or(1))
            .sum();
        let qv = p
            .iter()
            .map(|n| if confs[n].device { confs[n].qv } else { 0 })
            .max()
            .unwrap_or(0);
        let pq: Vec<&String> = p
            .iter()
            .filter(|n| *quorate_before.get(*n).unwrap_or(&false) && !ev.started.contains(*n))
            .collect();
        let mut e = if pq.is_empty() {
            p.iter()
                .map(|n| st.node(n).map(|s| s.expected).unwrap_or(0))
                .max()
                .unwrap_or(0)
        } else {
            pq.iter()
                .map(|n| st.node(n).map(|s| s.expected).unwrap_or(0))
                .max()
                .unwrap_or(0)
        };
        if v + qv > e {
            e = v + qv;
        }
        // A member that is quorate and not waiting for all releases the others.
        let release = pq
            .iter()
            .any(|n| !st.node(n).map(|s| s.wfa_status).unwrap_or(true));
        for n in p {
            let c = &confs[n];
            let s = st.node_mut(n);
            s.expected = e;
            let cast = s.qdevice_cast;
            let t = v + if cast { c.qv } else { 0 };
            let voters = p.len() as u32 + u32::from(cast);
            let mut q = ((e + 2) / 2).max((t + 2) / 2);
            if !allow_dec.contains(n) {
                q = q.max(s.quorum);
            }
            if c.two_node && voters <= 2 {
                q = 1;
            }
            if release {
                s.wfa_status = false;
            }
            let mut quorate = t >= q;
            if c.wfa && s.wfa_status && t != e {
                quorate = false;
            }
            if !quorate && c.atb && t * 2 == e {
                let prev = partition_before.get(n).cloned().unwrap_or_default();
                let lost = prev.iter().filter(|m| !p.contains(m)).count() as u32;
                if lost < q {
                    let base: Vec<u32> = if s.last_quorate_members.is_empty() {
                        nodelist.values().map(|x| x.0).collect()
                    } else {
                        s.last_quorate_members.iter().map(|m| nodeid(m)).collect()
                    };
                    let ids: Vec<u32> = p.iter().map(|m| nodeid(m)).collect();
                    let tb = match c.atb_node.as_str() {
                        "lowest" => base.iter().min().copied(),
                        "highest" => base.iter().max().copied(),
                        list => list
                            .split_whitespace()
                            .filter_map(|x| x.parse::<u32>().ok())
                            .find(|x| ids.contains(x)),
                    };
                    quorate = tb.is_some_and(|tb| ids.contains(&tb));
                }
            }
            s.total = t;
            s.quorum = q;
            s.quorate = quorate;
            if quorate {
                s.wfa_status = false;
                s.last_quorate_members = p.clone();
            } else if c.wfa {
                s.wfa_status = true;
            }
        }
    }
    // last_man_standing (B.6): a quorate partition that lost nodes lowers
    // its expected votes once the window has passed.
    for p in &parts {
        let all_lms = p.iter().all(|n| confs[n].lms);
        let one_vote = nodelist.values().all(|v| v.1 == 1);
        if !all_lms || !one_vote {
            continue;
        }
        if p.len() == 1 && !confs[&p[0]].atb {
            continue;
        }
        for n in p {
            let c = &confs[n];
            let s = st.node_mut(n);
            let window = (c.lms_window_ms / 1000) as i64;
            if s.quorate && s.expected > s.total && now - s.ring_time >= window {
                s.expected = s.total;
                s.quorum = (s.expected + 2) / 2;
                s.quorate = s.total >= s.quorum;
            }
        }
    }
    Ok(())
}

/// qnetd's vote allocation (B.5) and the node-side flags.
fn qdevice_round(
    hw: &Hardware,
    st: &mut ClusterState,
    parts: &[Vec<String>],
    confs: &BTreeMap<String, QuorumConf>,
    shared: &QuorumConf,
) {
    let nodeid = |n: &str| shared.nodes.get(n).map(|v| v.0).unwrap_or(u32::MAX);
    let part_of = |n: &str| parts.iter().position(|p| p.iter().any(|m| m == n));
    // Connected clients, by node id.
    let mut clients: Vec<String> = Vec::new();
    for p in parts {
        for n in p {
            let c = &confs[n];
            let s = st.node_mut(n);
            let registered = s.qdevice_enabled && c.device && c.device_ok;
            let connected = registered && hw.reaches_qnetd(n, &c.host);
            if connected && !s.qdevice_connected {
                s.lms = LmsResult::New;
            }
            s.qdevice_connected = connected;
            s.qdevice_cast = false;
            if connected {
                s.qdevice_alive = true;
                clients.push(n.clone());
            }
        }
    }
    clients.sort_by_key(|n| nodeid(n));
    if clients.is_empty() {
        return;
    }
    let alg = confs[&clients[0]].algorithm.clone();
    let n_conf = shared.nodes.len();
    if alg == "lms" {
        lms_round(
            st,
            &clients,
            &part_of,
            &nodeid,
            &confs[&clients[0]].tie_breaker,
        );
        return;
    }
    // ffsplit: every node one vote and QV 1, else the daemons refuse.
    let all_one = shared.nodes.values().all(|v| v.1 == 1);
    if !all_one || confs[&clients[0]].qv != 1 {
        return;
    }
    let tb_id = match confs[&clients[0]].tie_breaker.as_str() {
        "highest" => shared.nodes.values().map(|v| v.0).max(),
        "lowest" => shared.nodes.values().map(|v| v.0).min(),
        x => x.parse().ok(),
    };
    let mut best: Option<usize> = None;
    let mut seen = BTreeSet::new();
    for c in &clients {
        let Some(pi) = part_of(c) else { continue };
        if !seen.insert(pi) {
            continue;
        }
        let size = parts[pi].len();
        let score = clients.iter().filter(|x| part_of(x) == Some(pi)).count();
        let eligible = if size * 2 > n_conf {
            true
        } else {
            size * 2 == n_conf && n_conf.is_multiple_of(2)
        };
        if !eligible {
            continue;
        }
        best = match best {
            None => Some(pi),
            Some(b) => {
                let bsize = parts[b].len();
                let bscore = clients.iter().filter(|x| part_of(x) == Some(b)).count();
                if size > bsize {
                    Some(pi)
                } else if size < bsize {
                    Some(b)
                } else if score != bscore {
                    Some(if score > bscore { pi } else { b })
                } else {
                    let has =
                        |k: usize| tb_id.is_some_and(|t| parts[k].iter().any(|m| nodeid(m) == t));
                    if !has(b) && has(pi) {
                        Some(pi)
                    } else {
                        Some(b)
                    }
                }
            }
        };
    }
    if let Some(b) = best {
        for c in &clients {
            if part_of(c) == Some(b) {
                st.node_mut(c).qdevice_cast = true;
            }
        }
    }
}

fn lms_round(
    st: &mut ClusterState,
    clients: &[String],
    part_of: &dyn Fn(&str) -> Option<usize>,
    nodeid: &dyn Fn(&str) -> u32,
    tie_breaker: &str,
) {
    let last: BTreeMap<String, LmsResult> = clients
        .iter()
        .map(|c| (c.clone(), st.node(c).map(|s| s.lms).unwrap_or_default()))
        .collect();
    let pidx: BTreeMap<String, usize> = clients
        .iter()
        .map(|c| (c.clone(), part_of(c).unwrap_or(usize::MAX)))
        .collect();
    let newcomer = |c: &String| {
        last[c] == LmsResult::New
            && clients
                .iter()
                .any(|d| pidx[d] != pidx[c] && last[d] == LmsResult::Ack)
    };
    let one_partition = clients.iter().all(|c| pidx[c] == pidx[&clients[0]]);
    let settled: Vec<&String> = clients.iter().filter(|c| !newcomer(c)).collect();
    let mut scores: BTreeMap<usize, usize> = BTreeMap::new();
    for c in &settled {
        *scores.entry(pidx[*c]).or_default() += 1;
    }
    let max = scores.values().copied().max().unwrap_or(0);
    let top: Vec<usize> = scores
        .iter()
        .filter(|(_, v)| **v == max)
        .map(|(k, _)| *k)
        .collect();
    let tb_client = if tie_breaker == "highest" {
        settled.iter().max_by_key(|c| nodeid(c))
    } else {
        settled.iter().min_by_key(|c| nodeid(c))
    };
    for c in clients {
        let (result, keep_new) = if one_partition {
            (LmsResult::Ack, false)
        } else if newcomer(c) {
            (LmsResult::Nack, true)
        } else if top.len() == 1 {
            (
                if pidx[c] == top[0] {
                    LmsResult::Ack
                } else {
                    LmsResult::Nack
                },
                false,
            )
        } else {
            let win = tb_client.is_some_and(|t| pidx[*t] == pidx[c]);
            (if win { LmsResult::Ack } else { LmsResult::Nack }, false)
        };
        let s = st.node_mut(c);
        s.qdevice_cast = result == LmsResult::Ack;
        if !keep_new {
            s.lms = result;
        }
    }
}

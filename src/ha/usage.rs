//! Node usage and the scheduler modes `basic`, `static` and `dynamic`
//! (spec ha-crm.md 8.5): the per-round usage object the manager rebuilds for
//! the online nodes and updates on every service state change, the node
//! scores node selection sorts by (lower is better), the TOPSIS ranking the
//! static and dynamic modes use, and the node loads auto-rebalancing
//! measures.

use super::fasthash::FastMap;
use super::sidmap::SidMap;
use std::collections::BTreeMap;

use crate::ha::select::{Level, Msg};

/// The `crs: ha` scheduler mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchedulerMode {
    Basic,
    Static,
    Dynamic,
}

impl SchedulerMode {
    pub fn parse(s: &str) -> Option<SchedulerMode> {
        match s {
            "basic" => Some(SchedulerMode::Basic),
            "static" => Some(SchedulerMode::Static),
            "dynamic" => Some(SchedulerMode::Dynamic),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SchedulerMode::Basic => "basic",
            SchedulerMode::Static => "static",
            SchedulerMode::Dynamic => "dynamic",
        }
    }
}

/// The `crs` settings of datacenter.cfg the manager uses (2.5).
#[derive(Debug, Clone, PartialEq)]
pub struct CrsSettings {
    /// `ha`, as written (unknown modes are reported by [`CrsSettings::scheduler_mode`]).
    pub mode: String,
    pub rebalance_on_start: bool,
    pub auto_rebalance: bool,
    pub threshold: f64,
    /// `bruteforce` or `topsis`.
    pub method: String,
    pub hold_duration: u32,
    pub margin: f64,
}

impl Default for CrsSettings {
    fn default() -> Self {
        CrsSettings {
            mode: "basic".into(),
            rebalance_on_start: false,
            auto_rebalance: false,
            threshold: 0.3,
            method: "bruteforce".into(),
            hold_duration: 3,
            margin: 0.1,
        }
    }
}

fn truthy(v: &str) -> bool {
    crate::ha::groups::parse_bool(v)
        .unwrap_or_else(|| v.parse::<f64>().map(|x| x != 0.0).unwrap_or(false))
}

impl CrsSettings {
    /// Build from `key=value` pairs of the `crs` property string (or the
    /// simulator's JSON object). Unknown keys and bad numbers are ignored
    /// (the default stays).
    pub fn from_pairs<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> CrsSettings {
        let mut s = CrsSettings::default();
        for (k, v) in pairs {
            match k {
                "ha" => s.mode = v.to_string(),
                "ha-rebalance-on-start" => s.rebalance_on_start = truthy(v),
                "ha-auto-rebalance" => s.auto_rebalance = truthy(v),
                "ha-auto-rebalance-threshold" => {
                    if let Ok(x) = v.parse() {
                        s.threshold = x
                    }
                }
                "ha-auto-rebalance-method" => s.method = v.to_string(),
                "ha-auto-rebalance-hold-duration" => {
                    if let Ok(x) = v.parse::<f64>() {
                        s.hold_duration = x.max(0.0) as u32
                    }
                }
                "ha-auto-rebalance-margin" => {
                    if let Ok(x) = v.parse() {
                        s.margin = x
                    }
                }
                _ => {}
            }
        }
        s
    }

    /// The mode to use this round. An unknown mode gives `basic` plus the
    /// warning `got unknown scheduler mode '<mode>', using 'basic'`.
    pub fn scheduler_mode(&self) -> (SchedulerMode, Option<Msg>) {
        match SchedulerMode::parse(&self.mode) {
            Some(m) => (m, None),
            None => (
                SchedulerMode::Basic,
                Some(Msg {
                    level: Level::Warn,
                    text: format!("got unknown scheduler mode '{}', using 'basic'", self.mode),
                }),
            ),
        }
    }
}

/// How a service occupies nodes (8.3); the engine maps its service state:
/// `stopped`, `request_start` -> `None`; `started`, `request_stop`,
/// `fence`, `freeze`, `error`, `recovery` -> `Current`; `migrate`,
/// `relocate` -> `CurrentAndTarget`; `request_start_balance` -> `TargetOnly`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Occupancy {
    None,
    Current,
    CurrentAndTarget,
    TargetOnly,
}

impl Occupancy {
    /// Map a service state name (as in manager_status) to its occupancy.
    pub fn of_state(state: &str) -> Occupancy {
        match state {
            "migrate" | "relocate" => Occupancy::CurrentAndTarget,
            "request_start_balance" => Occupancy::TargetOnly,
            "stopped" | "request_start" => Occupancy::None,
            _ => Occupancy::Current,
        }
    }
}

/// Whether a service is "running" for the usage (8.5): state `started`
/// with `running` set, or any other state with a current node.
pub fn is_running_for_usage(state: &str, running_flag: bool, has_node: bool) -> bool {
    if state == "started" {
        running_flag
    } else {
        has_node
    }
}

/// Capacity (and, for `dynamic`, measured usage) of a node.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeStats {
    pub maxcpu: f64,
    pub maxmem: f64,
    /// Measured CPU usage in cores (dynamic mode).
    pub cpu: f64,
    /// Measured memory usage in bytes (dynamic mode).
    pub mem: f64,
}

/// Configured (and, for `dynamic`, measured) usage of a service.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ServiceStats {
    /// Configured CPUs; 0 means unlimited (counts as the node's CPU count).
    pub maxcpu: f64,
    /// Configured memory in bytes.
    pub maxmem: f64,
    /// Measured CPU usage (dynamic mode).
    pub cpu: f64,
    /// Measured memory usage (dynamic mode).
    pub mem: f64,
}

#[derive(Debug, Clone, Copy, Default)]
struct Entry {
    current: Option<usize>,
    target: Option<usize>,
    /// (node index, cpu, mem) added for this service, to undo on removal
    /// (at most two: current and target).
    contrib: [(usize, f64, f64); 2],
    ncontrib: u8,
    /// Counted for `basic` at current / target.
    counted: bool,
}

impl Entry {
    fn push(&mut self, c: (usize, f64, f64)) {
        self.contrib[self.ncontrib as usize] = c;
        self.ncontrib += 1;
    }

    fn contribs(&self) -> &[(usize, f64, f64)] {
        &self.contrib[..self.ncontrib as usize]
    }
}

/// The usage object of one round (8.5).
#[derive(Debug, Clone)]
pub struct Usage {
    mode: SchedulerMode,
    nodes: Vec<String>,
    index: FastMap<String, usize>,
    stats: Vec<NodeStats>,
    count: Vec<u64>,
    cpu: Vec<f64>,
    mem: Vec<f64>,
    /// Filled in SID order each round (appends), so no hash index is built
    /// unless a service is looked up. A removed service leaves `None`
    /// behind: removing the key would invalidate the index, and a round
    /// that re-adds many services would rebuild it for each one.
    services: SidMap<Option<Entry>>,
}

fn cpu_add(node_max: f64, service_max: f64) -> f64 {
    if service_max == 0.0 {
        node_max
    } else {
        service_max
    }
}

impl Usage {
    /// A usage object for the online `nodes`. `static` and `dynamic` need
    /// stats for every node; on failure the engine logs
    /// `fallback to 'basic' scheduler mode, init for '<mode>' failed - <err>`
    /// and uses [`Usage::new_basic`].
    pub fn new(
        mode: SchedulerMode,
        nodes: &[String],
        node_stats: &BTreeMap<String, NodeStats>,
    ) -> Result<Usage, String> {
        let mut u = Usage::new_basic(nodes);
        if mode == SchedulerMode::Basic {
            return Ok(u);
        }
        for (i, n) in u.nodes.iter().enumerate() {
            let Some(s) = node_stats.get(n) else {
                return Err(format!("no usage information for node '{n}'"));
            };
            if s.maxcpu <= 0.0 || s.maxmem <= 0.0 {
                return Err(format!("node '{n}' has no CPU or memory capacity"));
            }
            u.stats[i] = *s;
            if mode == SchedulerMode::Dynamic {
                u.cpu[i] = s.cpu;
                u.mem[i] = s.mem;
            }
        }
        u.mode = mode;
        Ok(u)
    }

    /// A `basic` usage object (service counts only).
    pub fn new_basic(nodes: &[String]) -> Usage {
        let mut sorted: Vec<String> = nodes.to_vec();
        sorted.sort();
        sorted.dedup();
        let k = sorted.len();
        Usage {
            mode: SchedulerMode::Basic,
            index: sorted
                .iter()
                .enumerate()
                .map(|(i, n)| (n.clone(), i))
                .collect(),
            nodes: sorted,
            stats: vec![NodeStats::default(); k],
            count: vec![0; k],
            cpu: vec![0.0; k],
            mem: vec![0.0; k],
            services: SidMap::new(),
        }
    }

    pub fn mode(&self) -> SchedulerMode {
        self.mode
    }

    /// Make room for `n` services (one round adds every service once).
    pub fn reserve(&mut self, n: usize) {
        self.services.reserve(n);
    }

    /// The online nodes, sorted.
    pub fn nodes(&self) -> &[String] {
        &self.nodes
    }

    pub fn is_online(&self, node: &str) -> bool {
        self.index.contains_key(node)
    }

    pub(crate) fn node_index(&self, node: &str) -> Option<usize> {
        self.index.get(node).copied()
    }

    /// Add (or replace) an HA service with its occupancy (8.3), node,
    /// target, "running" flag ([`is_running_for_usage`]) and stats. Nodes
    /// that are not online are not used. Returns warnings to log.
    pub fn add_service(
        &mut self,
        sid: &str,
        occ: Occupancy,
        node: &str,
        target: Option<&str>,
        running: bool,
        stats: Option<&ServiceStats>,
    ) -> Vec<Msg> {
        if let Some(old) = self.services.get(sid).copied().flatten() {
            self.undo(&old);
        }
        let mut e = Entry::default();
        let cur = match occ {
            Occupancy::Current | Occupancy::CurrentAndTarget => self.node_index(node),
            _ => None,
        };
        let tgt = match occ {
            Occupancy::CurrentAndTarget | Occupancy::TargetOnly => {
                target.and_then(|t| self.node_index(t))
            }
            _ => None,
        };
        e.current = cur;
        e.target = tgt;
        let mut msgs = Vec::new();
        match self.mode {
            SchedulerMode::Basic => {
                for i in [cur, tgt].into_iter().flatten() {
                    self.count[i] += 1;
                }
                e.counted = true;
            }
            SchedulerMode::Static | SchedulerMode::Dynamic if cur.is_none() && tgt.is_none() => {}
            SchedulerMode::Static | SchedulerMode::Dynamic => match stats {
                None => msgs.push(Msg {
                    level: Level::Warn,
                    text: format!(
                        "unable to add service '{sid}' - missing {} usage information",
                        self.mode.as_str()
                    ),
                }),
                Some(s) => {
                    let dynamic = self.mode == SchedulerMode::Dynamic;
                    if let Some(i) = cur {
                        if !(dynamic && running) {
                            e.push((i, cpu_add(self.stats[i].maxcpu, s.maxcpu), s.maxmem));
                        }
                    }
                    if let Some(i) = tgt {
                        e.push((i, cpu_add(self.stats[i].maxcpu, s.maxcpu), s.maxmem));
                    }
                    for &(i, c, m) in e.contribs() {
                        self.cpu[i] += c;
                        self.mem[i] += m;
                    }
                }
            },
        }
        match self.services.get_mut(sid) {
            Some(slot) => *slot = Some(e),
            None => {
                self.services.insert(sid, Some(e));
            }
        }
        msgs
    }

    fn undo(&mut self, e: &Entry) {
        if e.counted {
            for i in [e.current, e.target].into_iter().flatten() {
                self.count[i] -= 1;
            }
        }
        for &(i, c, m) in e.contribs() {
            self.cpu[i] -= c;
            self.mem[i] -= m;
        }
    }

    /// Remove a service's usage (no-op when it was not added).
    pub fn remove_service(&mut self, sid: &str) {
        if let Some(e) = self.services.get_mut(sid).and_then(Option::take) {
            self.undo(&e);
        }
    }

    /// A guest that is not HA-managed: in `static` mode a running guest
    /// adds its configured usage to its node; `dynamic` already measures
    /// it; `basic` ignores it.
    pub fn add_guest(&mut self, node: &str, running: bool, stats: &ServiceStats) {
        if self.mode != SchedulerMode::Static || !running {
            return;
        }
        if let Some(i) = self.node_index(node) {
            self.cpu[i] += cpu_add(self.stats[i].maxcpu, stats.maxcpu);
            self.mem[i] += stats.maxmem;
        }
    }

    /// The (current, target) nodes the service occupies, online ones only
    /// (8.3). `None` when the service was never added.
    pub fn used_nodes(&self, sid: &str) -> Option<(Option<&str>, Option<&str>)> {
        let e = self.services.get(sid)?.as_ref()?;
        Some((
            e.current.map(|i| self.nodes[i].as_str()),
            e.target.map(|i| self.nodes[i].as_str()),
        ))
    }

    /// Basic score of a node: number of services occupying it.
    pub fn service_count(&self, node: &str) -> u64 {
        self.node_index(node).map_or(0, |i| self.count[i])
    }

    /// Node loads for scoring / imbalance: (cpu, mem, maxcpu, maxmem) per
    /// node index.
    pub(crate) fn load(&self, i: usize) -> (f64, f64, f64, f64) {
        (
            self.cpu[i],
            self.mem[i],
            self.stats[i].maxcpu,
            self.stats[i].maxmem,
        )
    }

    pub(crate) fn entry_nodes(&self, sid: &str) -> Option<(Option<usize>, Option<usize>)> {
        self.services
            .get(sid)
            .and_then(Option::as_ref)
            .map(|e| (e.current, e.target))
    }

    /// Scores of all online nodes (in [`Usage::nodes`] order) for placing
    /// `sid` (lower is better). `basic`: service counts. `static` /
    /// `dynamic`: minus the TOPSIS closeness. On error the caller logs
    /// `unable to score nodes according to <mode> usage for service '<sid>' - <err>`
    /// and uses 0 for every node.
    pub fn score_nodes(&self, sid: &str, stats: Option<&ServiceStats>) -> Result<Vec<f64>, String> {
        match self.mode {
            SchedulerMode::Basic => Ok(self.count.iter().map(|&c| c as f64).collect()),
            SchedulerMode::Static | SchedulerMode::Dynamic => {
                let s = stats.ok_or_else(|| format!("no usage information for service '{sid}'"))?;
                let k = self.nodes.len();
                let mut matrix: Vec<[f64; 4]> = Vec::with_capacity(k);
                for c in 0..k {
                    let loads = (0..k).map(|m| {
                        let (mut cpu, mut mem, maxcpu, maxmem) = self.load(m);
                        if m == c {
                            cpu += cpu_add(maxcpu, s.maxcpu);
                            mem += s.maxmem;
                        }
                        (cpu / maxcpu, mem / maxmem)
                    });
                    matrix.push(criteria(loads, k));
                }
                Ok(topsis(&matrix).into_iter().map(|c| -c).collect())
            }
        }
    }

    /// Per-node load `(cpu/maxcpu + mem/maxmem) / 2` (8.7), node order.
    pub fn node_loads(&self) -> Vec<f64> {
        (0..self.nodes.len())
            .map(|i| {
                let (cpu, mem, maxcpu, maxmem) = self.load(i);
                (cpu / maxcpu + mem / maxmem) / 2.0
            })
            .collect()
    }
}

/// The four TOPSIS criteria of one alternative from its per-node
/// (cpu_load, mem_load) list: average CPU, highest CPU, average memory,
/// highest memory (each plus 1).
pub(crate) fn criteria(loads: impl Iterator<Item = (f64, f64)>, k: usize) -> [f64; 4] {
    let (mut hc, mut sc, mut hm, mut sm) = (0.0f64, 0.0f64, 0.0f64, 0.0f64);
    for (c, m) in loads {
        hc = hc.max(c);
        sc += c * c;
        hm = hm.max(m);
        sm += m * m;
    }
    let k = k as f64;
    [
        1.0 + (sc / k).sqrt(),
        1.0 + hc,
        1.0 + (sm / k).sqrt(),
        1.0 + hm,
    ]
}

/// TOPSIS closeness of each alternative (higher is better); all criteria
/// are minimised, weights 1, 2, 5, 10 (normalised).
pub(crate) fn topsis(matrix: &[[f64; 4]]) -> Vec<f64> {
    const W: [f64; 4] = [1.0, 2.0, 5.0, 10.0];
    let wsum: f64 = W.iter().sum();
    let mut m: Vec<[f64; 4]> = matrix.to_vec();
    for j in 0..4 {
        let norm = m.iter().map(|r| r[j] * r[j]).sum::<f64>().sqrt();
        if norm != 0.0 {
            for r in m.iter_mut() {
                r[j] /= norm;
            }
        }
    }
    for r in m.iter_mut() {
        for j in 0..4 {
            r[j] *= W[j] / wsum;
        }
    }
    let mut best = [f64::INFINITY; 4];
    let mut worst = [f64::NEG_INFINITY; 4];
    for r in &m {
        for j in 0..4 {
            best[j] = best[j].min(r[j]);
            worst[j] = worst[j].max(r[j]);
        }
    }
    m.iter()
        .map(|r| {
            let db = (0..4).map(|j| (r[j] - best[j]).powi(2)).sum::<f64>().sqrt();
            let dw = (0..4)
                .map(|j| (r[j] - worst[j]).powi(2))
                .sum::<f64>()
                .sqrt();
            if db + dw == 0.0 {
                0.0
            } else {
                dw / (db + dw)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn crs_settings_from_pairs() {
        let s = CrsSettings::from_pairs([
            ("ha", "static"),
            ("ha-rebalance-on-start", "1"),
            ("ha-auto-rebalance-hold-duration", "6"),
            ("ha-auto-rebalance-method", "topsis"),
        ]);
        assert_eq!(s.mode, "static");
        assert!(s.rebalance_on_start);
        assert!(!s.auto_rebalance);
        assert_eq!(s.hold_duration, 6);
        assert_eq!(s.method, "topsis");
        assert_eq!(s.threshold, 0.3);
        assert_eq!(s.margin, 0.1);
        assert_eq!(s.scheduler_mode().0, SchedulerMode::Static);
        let bad = CrsSettings::from_pairs([("ha", "fancy")]);
        let (m, msg) = bad.scheduler_mode();
        assert_eq!(m, SchedulerMode::Basic);
        assert_eq!(
            msg.unwrap().text,
            "got unknown scheduler mode 'fancy', using 'basic'"
        );
    }

    #[test]
    fn occupancy_of_states() {
        assert_eq!(Occupancy::of_state("stopped"), Occupancy::None);
        assert_eq!(Occupancy::of_state("request_start"), Occupancy::None);
        assert_eq!(Occupancy::of_state("started"), Occupancy::Current);
        assert_eq!(Occupancy::of_state("fence"), Occupancy::Current);
        assert_eq!(Occupancy::of_state("migrate"), Occupancy::CurrentAndTarget);
        assert_eq!(
            Occupancy::of_state("request_start_balance"),
            Occupancy::TargetOnly
        );
        assert!(is_running_for_usage("started", true, true));
        assert!(!is_running_for_usage("started", false, true));
        assert!(is_running_for_usage("request_stop", false, true));
    }

    #[test]
    fn basic_counts_current_and_target_and_undoes() {
        let mut u = Usage::new_basic(&names(&["node2", "node1", "node3"]));
        assert_eq!(u.nodes(), &names(&["node1", "node2", "node3"])[..]);
        u.add_service("vm:1", Occupancy::Current, "node1", None, true, None);
        u.add_service(
            "vm:2",
            Occupancy::CurrentAndTarget,
            "node1",
            Some("node2"),
            true,
            None,
        );
        u.add_service("vm:3", Occupancy::None, "node3", None, false, None);
        u.add_service("vm:4", Occupancy::Current, "node9", None, false, None);
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![2.0, 1.0, 0.0]);
        assert_eq!(u.used_nodes("vm:2"), Some((Some("node1"), Some("node2"))));
        assert_eq!(u.used_nodes("vm:3"), Some((None, None)));
        assert_eq!(u.used_nodes("vm:4"), Some((None, None)));
        assert_eq!(u.used_nodes("vm:5"), None);
        // re-adding replaces
        u.add_service(
            "vm:2",
            Occupancy::TargetOnly,
            "node1",
            Some("node3"),
            true,
            None,
        );
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![1.0, 0.0, 1.0]);
        u.remove_service("vm:1");
        u.remove_service("vm:2");
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![0.0, 0.0, 0.0]);
        // a removed service is gone (not an empty entry), removing twice
        // is harmless, and it can come back
        assert_eq!(u.used_nodes("vm:1"), None);
        u.remove_service("vm:1");
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![0.0, 0.0, 0.0]);
        u.add_service("vm:1", Occupancy::Current, "node2", None, true, None);
        assert_eq!(u.used_nodes("vm:1"), Some((Some("node2"), None)));
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![0.0, 1.0, 0.0]);
        // a service added out of SID order is found like the others
        u.add_service("vm:0", Occupancy::Current, "node3", None, true, None);
        assert_eq!(u.used_nodes("vm:0"), Some((Some("node3"), None)));
        assert_eq!(u.score_nodes("x", None).unwrap(), vec![0.0, 1.0, 1.0]);
    }

    fn gib(x: f64) -> f64 {
        x * 1024.0 * 1024.0 * 1024.0
    }

    #[test]
    fn static_worked_check_crs_static3() {
        // spec 8.5: node2 64 CPUs/200 GB, node3 32/100 GB, service 2 CPUs/4 GB
        let mut st = BTreeMap::new();
        st.insert(
            "node2".to_string(),
            NodeStats {
                maxcpu: 64.0,
                maxmem: 200e9,
                ..Default::default()
            },
        );
        st.insert(
            "node3".to_string(),
            NodeStats {
                maxcpu: 32.0,
                maxmem: 100e9,
                ..Default::default()
            },
        );
        let u = Usage::new(SchedulerMode::Static, &names(&["node2", "node3"]), &st).unwrap();
        let s = ServiceStats {
            maxcpu: 2.0,
            maxmem: 4e9,
            ..Default::default()
        };
        let scores = u.score_nodes("vm:1", Some(&s)).unwrap();
        assert_eq!(scores, vec![-1.0, 0.0]);
        assert!(u.score_nodes("vm:1", None).is_err());
        // missing node stats fail the init
        assert!(Usage::new(SchedulerMode::Static, &names(&["node1"]), &st).is_err());
    }

    #[test]
    fn static_zero_maxcpu_counts_as_whole_node() {
        let mut st = BTreeMap::new();
        for n in ["node1", "node2"] {
            st.insert(
                n.to_string(),
                NodeStats {
                    maxcpu: 4.0,
                    maxmem: gib(16.0),
                    ..Default::default()
                },
            );
        }
        let mut u = Usage::new(SchedulerMode::Static, &names(&["node1", "node2"]), &st).unwrap();
        let s = ServiceStats {
            maxcpu: 0.0,
            maxmem: gib(1.0),
            ..Default::default()
        };
        u.add_service("vm:1", Occupancy::Current, "node1", None, true, Some(&s));
        assert_eq!(u.load(0), (4.0, gib(1.0), 4.0, gib(16.0)));
        let w = u.add_service("vm:2", Occupancy::Current, "node1", None, true, None);
        assert_eq!(
            w[0].text,
            "unable to add service 'vm:2' - missing static usage information"
        );
        assert_eq!(u.used_nodes("vm:2"), Some((Some("node1"), None)));
        u.remove_service("vm:1");
        assert_eq!(u.load(0).0, 0.0);
        // a running non-HA guest counts in static mode
        u.add_guest("node2", true, &s);
        u.add_guest("node2", false, &s);
        assert_eq!(u.load(1).1, gib(1.0));
    }

    #[test]
    fn dynamic_running_uses_measured_usage() {
        let mut st = BTreeMap::new();
        for (n, cpu) in [("node1", 2.0), ("node2", 0.0)] {
            st.insert(
                n.to_string(),
                NodeStats {
                    maxcpu: 8.0,
                    maxmem: gib(16.0),
                    cpu,
                    mem: 0.0,
                },
            );
        }
        let mut u = Usage::new(SchedulerMode::Dynamic, &names(&["node1", "node2"]), &st).unwrap();
        let s = ServiceStats {
            maxcpu: 4.0,
            maxmem: gib(4.0),
            cpu: 2.0,
            mem: gib(1.0),
        };
        // running at current: nothing added (measured)
        u.add_service("vm:1", Occupancy::Current, "node1", None, true, Some(&s));
        assert_eq!(u.load(0).0, 2.0);
        // not running: max at current
        u.add_service("vm:2", Occupancy::Current, "node1", None, false, Some(&s));
        assert_eq!(u.load(0).0, 6.0);
        // target always gets max
        u.add_service(
            "vm:3",
            Occupancy::TargetOnly,
            "node1",
            Some("node2"),
            true,
            Some(&s),
        );
        assert_eq!(u.load(1), (4.0, gib(4.0), 8.0, gib(16.0)));
    }

    #[test]
    fn topsis_identical_alternatives_tie_at_zero() {
        let m = vec![[1.0, 1.0, 1.0, 1.0]; 3];
        assert_eq!(topsis(&m), vec![0.0, 0.0, 0.0]);
        let m = vec![[1.0, 1.0, 1.0, 1.0], [2.0, 2.0, 2.0, 2.0]];
        assert_eq!(topsis(&m), vec![1.0, 0.0]);
    }
}

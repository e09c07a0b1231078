//! The decisions of the CRM master: one manager round (ha-crm.md section
//! 4): node status state machine (5), adding/removing services, rule
//! compilation, CRM commands (7), disarm/arm (12), the service state
//! machine (6) with fencing (11), and the group migration step (10).

use super::env::{DcSettings, Env, Stats};
use super::fasthash::FastMap;
use super::groups::GroupsConfig;
use super::lrm::{chomp, count_active_services};
use super::placement::{self, CompiledRules, Placement, Preference};
use super::rules::{
    compile, effective_failback, group_migration_precheck, migrate_groups_into_rules,
    resource_group_migration, MigrationNodeInfo, RulesConfig,
};
use super::types::*;
use super::usage::{CrsSettings, SchedulerMode};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Locks the recovery removes from a fenced guest config.
const RECOVERY_LOCKS: &[&str] = &[
    "backup",
    "mounted",
    "migrate",
    "clone",
    "rollback",
    "snapshot",
    "snapshot-delete",
    "suspending",
    "suspended",
];

/// The manager instance of a master CRM.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Manager {
    ms: ManagerStatus,
    last_online: BTreeMap<String, i64>,
    sched_mode: String,
    group_migration_countdown: i32,
    rebalance_hold: u32,
    /// Caches, rebuilt after a saved manager is restored (`pvesim tick`).
    #[serde(skip)]
    compiled: CompiledRules,
    #[serde(skip)]
    compiled_once: bool,
    #[serde(skip)]
    digests: (Option<String>, Option<String>, Option<String>),
    fully_disarmed: bool,
    uid_counter: u64,
}

/// Per-round context.
struct Round {
    now: i64,
    sc: Arc<ServiceConfig>,
    lrm_modes: BTreeMap<String, LrmMode>,
    /// uid -> exit code of every LRM result (the first node's in node order).
    /// The uids are copied in (they fit inline): a lookup compares inside
    /// the table instead of following a pointer into an LRM's map.
    results: FastMap<Key, i32>,
    placement: Placement,
    groups: Option<GroupsConfig>,
    dc: DcSettings,
}

fn uid_text(n: u64) -> Key {
    const ALPHA: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    // a simple bijective mix so consecutive uids do not look alike
    let mut x = n.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ (n >> 7);
    let mut out = [0u8; 22];
    for (i, c) in out.iter_mut().enumerate() {
        if i == 11 {
            x = n.wrapping_add(0x5851_F42D_4C95_7F2D);
        }
        *c = ALPHA[(x & 63) as usize];
        x >>= 6;
    }
    // 22 characters fit inline: no allocation
    Key::from_utf8(out).expect("base64 alphabet is ASCII")
}

impl Manager {
    /// Whether a queued migrate/relocate to `target` may proceed; logs why
    /// it is ignored otherwise (target not online, or already there).
    fn motion_target_ok(
        &self,
        env: &mut dyn Env,
        sid: &str,
        task: &str,
        target: &str,
        node: &str,
    ) -> bool {
        if self.node_state(target) != NodeState::Online {
            env.log(
                Level::Err,
                &format!("ignore service '{sid}' {task} request - node '{target}' not online"),
            );
            false
        } else if target == node {
            env.log(
                Level::Info,
                &format!(
                    "ignore service '{sid}' {task} request - service already on node '{target}'"
                ),
            );
            false
        } else {
            true
        }
    }
    /// A new manager (on becoming master); reads the old manager status.
    pub fn new(env: &mut dyn Env) -> Manager {
        let old = env.read_manager_status().unwrap_or_default();
        let ms = ManagerStatus {
            disarm: old.disarm,
            master_node: Some(env.nodename().to_string()),
            node_request: old.node_request,
            node_status: old.node_status,
            service_status: old.service_status,
            timestamp: None,
        };
        let dc = env.get_datacenter_settings();
        let mode = dc.scheduler_mode();
        if mode != "basic" {
            env.log(Level::Info, &format!("using scheduler mode '{mode}'"));
        }
        // seed the uid counter from the clock and node so that uids stay
        // unique across masters
        let seed = (env.get_time() as u64) << 20
            ^ env
                .nodename()
                .bytes()
                .fold(0u64, |a, b| a.wrapping_mul(31).wrapping_add(b as u64));
        Manager {
            ms,
            last_online: BTreeMap::new(),
            sched_mode: mode,
            group_migration_countdown: 3,
            rebalance_hold: 0,
            compiled: CompiledRules::empty(),
            compiled_once: false,
            digests: (None, None, None),
            fully_disarmed: false,
            uid_counter: seed << 16,
        }
    }

    pub fn fully_disarmed(&self) -> bool {
        self.fully_disarmed
    }

    pub fn status(&self) -> &ManagerStatus {
        &self.ms
    }

    fn new_uid(&mut self) -> Key {
        self.uid_counter = self.uid_counter.wrapping_add(1);
        uid_text(self.uid_counter)
    }

    fn node_state(&self, node: &str) -> NodeState {
        self.ms
            .node_status
            .get(node)
            .copied()
            .unwrap_or(NodeState::Unknown)
    }

    fn set_node_state(&mut self, env: &mut dyn Env, node: &str, new: NodeState) {
        let old = self.node_state(node);
        if old == new && self.ms.node_status.contains_key(node) {
            return;
        }
        if old != new {
            env.log(
                Level::Info,
                &format!(
                    "node '{node}': state changed from '{}' => '{}'",
                    old.as_str(),
                    new.as_str()
                ),
            );
        }
        self.ms.node_status.insert(node.to_string(), new);
    }

    fn offline_delayed(&mut self, node: &str, now: i64, delay: i64) -> bool {
        if self.node_state(node) == NodeState::Online {
            return false;
        }
        match self.last_online.get(node) {
            None => {
                self.last_online.insert(node.to_string(), now);
                false
            }
            Some(t) => now - t >= delay,
        }
    }

    fn online_nodes(&self) -> Vec<String> {
        self.ms
            .node_status
            .iter()
            .filter(|(_, s)| **s == NodeState::Online)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// One manager round.
    pub fn manage(&mut self, env: &mut dyn Env) -> Result<(), String> {
        let now = env.get_time();
        let me = env.nodename().to_string();

        // 1-3
        let node_info = env.get_node_info();
        let nodelist_changed = node_info
            .keys()
            .any(|n| !self.ms.node_status.contains_key(n))
            || self
                .ms
                .node_status
                .keys()
                .any(|n| !node_info.contains_key(n));
        // one result per service and node at most, usually one per service
        let mut lrm_modes = BTreeMap::new();
        let mut lrm_states: BTreeMap<String, Arc<LrmStatus>> = BTreeMap::new();
        let ns_nodes: Vec<String> = self.ms.node_status.keys().cloned().collect();
        for node in &ns_nodes {
            let st = env.read_lrm_status_shared(node)?;
            lrm_modes.insert(node.clone(), st.mode.unwrap_or(LrmMode::Active));
            lrm_states.insert(node.clone(), st);
        }
        let mut results: FastMap<Key, i32> = FastMap::with_capacity_and_hasher(
            self.ms.service_status.len() + 16,
            Default::default(),
        );
        for node in &ns_nodes {
            for (uid, r) in lrm_states[node].results.iter() {
                if !results.contains_key(uid.as_str()) {
                    results.insert(uid.clone(), r.exit_code);
                }
            }
        }

        // 4
        self.update_node_status(env, &node_info, &lrm_modes, now);

        // 5
        if !matches!(
            self.node_state(&me),
            NodeState::Online | NodeState::Maintenance
        ) {
            env.log(Level::Info, "master seems offline");
            return Ok(());
        }

        // 6
        let dc = env.get_datacenter_settings();
        let mode = dc.scheduler_mode();
        if mode != self.sched_mode {
            env.log(
                Level::Info,
                &format!(
                    "switching scheduler mode from '{}' to '{}'",
                    self.sched_mode, mode
                ),
            );
            self.sched_mode = mode;
        }

        // 7
        self.group_migration_step(env, &lrm_states)?;

        // 8
        let sc = env.read_service_config_shared()?;
        let services_digest = env.service_config_digest();
        let groups_text = env.read_group_config()?;

        // 9
        if self.ms.disarm.is_none() {
            // new entries are collected and merged at once: one by one,
            // each insert between existing SIDs would shift the whole map
            let mut added = Vec::new();
            for (sid, cd) in sc.iter() {
                if self.ms.service_status.contains_key(sid) || cd.state == ConfState::Ignored {
                    continue;
                }
                let node = cd.node.clone().unwrap_or_default();
                env.log(
                    Level::Info,
                    &format!("adding new service '{sid}' on node '{node}'"),
                );
                let state = if cd.state == ConfState::Started {
                    ServiceState::RequestStart
                } else {
                    ServiceState::RequestStop
                };
                let uid = self.new_uid();
                added.push((sid.clone(), ServiceStatus::new(state, node, uid)));
            }
            if !added.is_empty() {
                self.ms.service_status.extend(added);
            }
            self.ms.service_status.retain(|sid, _| {
                match sc.get(sid) {
                    None => env.log(
                        Level::Info,
                        &format!("removing stale service '{sid}' (no config)"),
                    ),
                    Some(cd) if cd.state == ConfState::Ignored => env.log(
                        Level::Info,
                        &format!("removing stale service '{sid}' (ignored state requested)"),
                    ),
                    _ => return true,
                }
                false
            });
        }

        // 10
        let online = self.online_nodes();
        let crs = CrsSettings::from_pairs(dc.crs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
        // basic mode counts services only: no statistics needed
        let stats = if crs.scheduler_mode().0 == SchedulerMode::Basic {
            Stats::default()
        } else {
            env.get_stats()
        };
        let placement = {
            let mut log = |l: Level, m: String| env.log(l, &m);
            Placement::new(crs, &online, stats, &self.ms.service_status, &mut log)
        };

        // 11
        let rules_text = env.read_rules_config()?;

        // 12 (group nofailback overrides the resource's failback)
        let groups = groups_text
            .as_deref()
            .map(|t| GroupsConfig::parse(t).0)
            .filter(|g| !g.groups.is_empty());
        // 13
        if !self.compiled_once
            || nodelist_changed
            || self.digests.0 != rules_text
            || self.digests.1 != groups_text
            || self.digests.2 != services_digest
        {
            let rules = rules_text
                .as_deref()
                .map(|t| RulesConfig::parse(t).0)
                .unwrap_or_default();
            let service_groups: BTreeMap<String, String> = sc
                .iter()
                .filter_map(|(sid, cd)| cd.group.clone().map(|g| (sid.to_string(), g)))
                .collect();
            let nodes: Vec<String> = self.ms.node_status.keys().cloned().collect();
            let (compiled, msgs) = compile(&rules, groups.as_ref(), &service_groups, &nodes);
            let mut log = |l: Level, m: String| env.log(l, &m);
            placement::log_msgs(msgs, &mut log);
            self.compiled = compiled;
            self.compiled_once = true;
            self.digests = (rules_text, groups_text, services_digest);
        }

        let mut round = Round {
            now,
            sc,
            lrm_modes,
            results,
            placement,
            groups,
            dc,
        };

        // 14
        self.process_crm_commands(env, &mut round)?;

        // 15
        let mut only: Option<BTreeSet<String>> = None;
        if self.ms.disarm.is_some() {
            match self.disarm_step(env, &round)? {
                DisarmOutcome::Handled => {
                    self.write_status(env, now)?;
                    return Ok(());
                }
                DisarmOutcome::Deferred(sids) => only = Some(sids),
                DisarmOutcome::Nothing => {}
            }
        } else {
            let mut hold = self.rebalance_hold;
            let mv = {
                let mut log = |l: Level, m: String| env.log(l, &m);
                round.placement.auto_rebalance(
                    &self.compiled,
                    &self.ms.service_status,
                    &mut hold,
                    &mut log,
                )
            };
            self.rebalance_hold = hold;
            if let Some(mv) = mv {
                env.log(Level::Info, &mv.log_text());
                self.queue_resource_motion(env, &mv.command_text(), mv.task, &mv.sid, &mv.target);
            }
        }

        // 16
        self.fully_disarmed = false;

        // 17
        self.service_loop(env, &mut round, only.as_ref())?;

        // 18
        self.write_status(env, now)
    }

    fn write_status(&mut self, env: &mut dyn Env, now: i64) -> Result<(), String> {
        self.ms.timestamp = Some(now);
        env.write_manager_status(&self.ms)
    }

    fn update_node_status(
        &mut self,
        env: &mut dyn Env,
        node_info: &BTreeMap<String, bool>,
        lrm_modes: &BTreeMap<String, LrmMode>,
        now: i64,
    ) {
        for (node, online) in node_info {
            if !online {
                continue;
            }
            self.last_online.insert(node.clone(), now);
            let mode = lrm_modes.get(node).copied().unwrap_or(LrmMode::Unknown);
            match self.ms.node_status.get(node).copied() {
                None | Some(NodeState::Unknown) | Some(NodeState::Gone) => {
                    self.set_node_state(env, node, NodeState::Online)
                }
                Some(NodeState::Online) => {
                    if mode == LrmMode::Maintenance {
                        self.set_node_state(env, node, NodeState::Maintenance);
                    }
                }
                Some(NodeState::Maintenance) => {
                    if mode != LrmMode::Maintenance {
                        self.set_node_state(env, node, NodeState::Online);
                    }
                }
                Some(NodeState::Fence) => {}
            }
        }
        let nodes: Vec<String> = self.ms.node_status.keys().cloned().collect();
        for node in nodes {
            let member = node_info.get(&node);
            if member == Some(&true) {
                continue;
            }
            let mode = lrm_modes.get(&node).copied().unwrap_or(LrmMode::Unknown);
            match self.node_state(&node) {
                NodeState::Online => self.set_node_state(env, &node, NodeState::Unknown),
                NodeState::Maintenance => {
                    if mode != LrmMode::Maintenance {
                        self.set_node_state(env, &node, NodeState::Unknown);
                    }
                }
                NodeState::Unknown => {
                    if member.is_none() {
                        self.set_node_state(env, &node, NodeState::Gone);
                    }
                }
                NodeState::Fence => {}
                NodeState::Gone => {
                    if self.offline_delayed(&node, now, 3600) {
                        self.ms.node_status.remove(&node);
                        self.last_online.remove(&node);
                        env.log(
                            Level::Notice,
                            &format!("deleting gone node '{node}', not a cluster member anymore."),
                        );
                    }
                }
            }
        }
    }

    // ---- group migration (section 10) -------------------------------------

    fn group_migration_step(
        &mut self,
        env: &mut dyn Env,
        lrm_states: &BTreeMap<String, Arc<LrmStatus>>,
    ) -> Result<(), String> {
        let Some(text) = env.read_group_config()? else {
            return Ok(());
        };
        let groups = GroupsConfig::parse(&text).0;
        if groups.groups.is_empty() {
            return Ok(());
        }
        self.group_migration_countdown -= 1;
        if self.group_migration_countdown > 0 {
            return Ok(());
        }
        self.group_migration_countdown = 6;
        env.log(Level::Notice, "start ha group migration...");
        let res = self.migrate_groups(env, &groups, lrm_states);
        match res {
            Ok(()) => env.log(Level::Notice, "ha groups migration successful"),
            Err(reason) => {
                env.log(
                    Level::Err,
                    &format!("abort ha groups migration: {}", chomp(&reason)),
                );
                env.log(Level::Err, "ha groups migration failed");
                env.log(
                    Level::Notice,
                    "retry ha groups migration in 6 rounds (~ 60 seconds)",
                );
            }
        }
        Ok(())
    }

    fn migrate_groups(
        &mut self,
        env: &mut dyn Env,
        groups: &GroupsConfig,
        lrm_states: &BTreeMap<String, Arc<LrmStatus>>,
    ) -> Result<(), String> {
        let versions: BTreeMap<String, Option<String>> = self
            .ms
            .node_status
            .keys()
            .map(|n| (n.clone(), env.get_node_version(n)))
            .collect();
        let infos: Vec<MigrationNodeInfo> = self
            .ms
            .node_status
            .iter()
            .map(|(node, st)| {
                let lrm = lrm_states.get(node);
                MigrationNodeInfo {
                    node,
                    state: st.as_str(),
                    lrm_state: lrm.and_then(|l| l.state).map(|s| s.as_str()),
                    lrm_mode: lrm.and_then(|l| l.mode).map(|m| m.as_str()),
                    has_active_service: count_active_services(&self.ms.service_status, node) > 0,
                    version: versions[node].as_deref(),
                }
            })
            .collect();
        let (msgs, res) = group_migration_precheck(env.quorate(), &infos);
        let mut log = |l: Level, m: String| env.log(l, &m);
        placement::log_msgs(msgs, &mut log);
        res?;

        let sc = env.read_service_config()?;
        let service_groups: BTreeMap<String, String> = sc
            .iter()
            .filter_map(|(sid, cd)| cd.group.clone().map(|g| (sid.to_string(), g)))
            .collect();
        let mut rules = env
            .read_rules_config()?
            .as_deref()
            .map(|t| RulesConfig::parse(t).0)
            .unwrap_or_default();
        migrate_groups_into_rules(&mut rules, groups, &service_groups);
        env.write_rules_config(&rules.write())?;
        env.log(
            Level::Notice,
            "ha groups migration: migration to rules config successful",
        );
        let nofailback: Vec<String> = resource_group_migration(groups, &service_groups)
            .into_iter()
            .filter(|(_, nf)| *nf)
            .map(|(sid, _)| sid)
            .collect();
        env.migrate_service_groups(&nofailback)?;
        env.log(
            Level::Notice,
            "ha groups migration: migration to resources config successful",
        );
        env.delete_group_config()?;
        env.log(
            Level::Notice,
            "ha groups migration: group config deletion successful",
        );
        Ok(())
    }

    // ---- service state changes (6.1) --------------------------------------

    #[allow(clippy::too_many_arguments)]
    fn change_service_state(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
        new: ServiceState,
        node: Option<&str>,
        target: Option<&str>,
        timeout: Option<&str>,
    ) {
        let uid = self.new_uid();
        let old = self
            .ms
            .service_status
            .get(sid)
            .expect("service exists")
            .clone();
        let mut sd = ServiceStatus::new(new, old.node.clone(), uid);
        sd.failed_nodes = old.failed_nodes.clone();
        sd.maintenance_node = old.maintenance_node.clone();
        let mut parts = Vec::new();
        if let Some(n) = node {
            sd.node = n.into();
            parts.push(format!("node = {n}"));
        }
        if let Some(t) = target {
            sd.target = Some(t.to_string());
            parts.push(format!("target = {t}"));
        }
        if let Some(t) = timeout {
            sd.timeout = Some(t.to_string());
            parts.push(format!("timeout = {t}"));
        }
        round.placement.remove_service(sid);
        {
            let mut log = |l: Level, m: String| env.log(l, &m);
            round.placement.add_service(sid, &sd, &mut log);
        }
        self.ms.service_status.insert(sid.to_string(), sd);
        let mut msg = format!(
            "service '{sid}': state changed from '{}' to '{}'",
            old.state.as_str(),
            new.as_str()
        );
        if !parts.is_empty() {
            msg.push_str(&format!("  ({})", parts.join(", ")));
        }
        env.log(Level::Info, &msg);
    }

    fn sd(&self, sid: &str) -> &ServiceStatus {
        &self.ms.service_status[sid]
    }

    fn sd_mut(&mut self, sid: &str) -> &mut ServiceStatus {
        self.ms.service_status.get_mut(sid).expect("service exists")
    }

    // ---- CRM commands (section 7) ------------------------------------------

    fn process_crm_commands(&mut self, env: &mut dyn Env, round: &mut Round) -> Result<(), String> {
        let text = env.read_crm_commands()?;
        if text.is_empty() {
            return Ok(());
        }
        for line in text.lines() {
            self.process_crm_command(env, round, line)?;
        }
        Ok(())
    }

    fn process_crm_command(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        line: &str,
    ) -> Result<(), String> {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            [task @ ("migrate" | "relocate"), sid, node] => {
                if !self.ms.service_status.contains_key(sid) {
                    env.log(
                        Level::Err,
                        &format!("crm command error - no such service: {line}"),
                    );
                } else if self.node_state(node) != NodeState::Online {
                    env.log(
                        Level::Err,
                        &format!("crm command error - node not online: {line}"),
                    );
                } else if self.sd(sid).node == *node {
                    env.log(
                        Level::Info,
                        &format!("ignore crm command - service already on target node: {line}"),
                    );
                } else {
                    self.queue_resource_motion(env, line, task, sid, node);
                }
            }
            ["stop", sid, timeout] => {
                if !self.ms.service_status.contains_key(sid) {
                    env.log(
                        Level::Err,
                        &format!("crm command error - no such service: {line}"),
                    );
                } else {
                    env.log(Level::Info, &format!("got crm command: {line}"));
                    self.sd_mut(sid).cmd = Some(vec!["stop".into(), timeout.to_string()]);
                }
            }
            ["enable-node-maintenance", node] => {
                if self.ms.disarm.is_some() {
                    env.log(
                        Level::Warning,
                        &format!(
                            "ignoring maintenance command for node {node} - HA stack is disarmed"
                        ),
                    );
                } else {
                    match self.node_state(node) {
                        NodeState::Online => {
                            self.ms
                                .node_request
                                .entry(node.to_string())
                                .or_default()
                                .maintenance = true;
                        }
                        NodeState::Maintenance => env.log(
                            Level::Info,
                            &format!(
                                "ignoring crm command - node {node} is already in maintenance state"
                            ),
                        ),
                        _ => env.log(
                            Level::Err,
                            &format!("crm command error - node not online: {line}"),
                        ),
                    }
                }
            }
            ["disable-node-maintenance", node] => {
                let st = self.node_state(node);
                if st != NodeState::Maintenance {
                    env.log(
                        Level::Warning,
                        &format!(
                            "clearing maintenance of node {node} requested, but it's in state {}",
                            st.as_str()
                        ),
                    );
                }
                self.ms
                    .node_request
                    .entry(node.to_string())
                    .or_default()
                    .maintenance = false;
            }
            ["disarm-ha", mode] => {
                if let Some(d) = &self.ms.disarm {
                    env.log(
                        Level::Notice,
                        &format!(
                            "ignoring disarm-ha command - already in disarm state ({})",
                            d.state
                        ),
                    );
                } else {
                    env.log(Level::Info, &format!("got crm command: {line}"));
                    if *mode == "ignore" {
                        let sids: Vec<Key> = self.ms.service_status.keys().cloned().collect();
                        for sid in sids {
                            env.log(
                                Level::Info,
                                &format!("disarm: suspending HA tracking for service '{sid}'"),
                            );
                        }
                    }
                    self.ms.disarm = Some(Disarm {
                        mode: mode.to_string(),
                        state: "disarming".into(),
                    });
                }
            }
            ["arm-ha"] => match &self.ms.disarm {
                Some(d) if d.state == "disarmed" => {
                    env.log(Level::Info, &format!("got crm command: {line}"));
                    if d.mode == "ignore" {
                        let sc = env.read_service_config()?;
                        let sids: Vec<Key> = self.ms.service_status.keys().cloned().collect();
                        for sid in sids {
                            let Some(cd) = sc.get(&sid) else { continue };
                            let Some(new) = cd.node.clone() else { continue };
                            let old = self.sd(&sid).node.clone();
                            if old != new {
                                env.log(Level::Info, &format!("service '{sid}': updating node '{old}' => '{new}' (changed while disarmed)"));
                                self.sd_mut(&sid).node = new;
                            }
                        }
                        round.sc = Arc::new(sc);
                    }
                    self.ms.disarm = None;
                }
                _ => env.log(
                    Level::Notice,
                    "ignoring arm-ha command - HA stack is not disarmed",
                ),
            },
            _ => env.log(Level::Err, &format!("unable to parse crm command: {line}")),
        }
        Ok(())
    }

    /// Queue a migrate/relocate (7.1), honouring resource affinity.
    fn queue_resource_motion(
        &mut self,
        env: &mut dyn Env,
        cmdtext: &str,
        task: &str,
        sid: &str,
        target: &str,
    ) {
        let negative = self.compiled.negative(sid).to_vec();
        let positive = self.compiled.positive(sid).to_vec();
        for c in &negative {
            let Some(csd) = self.ms.service_status.get(c) else {
                continue;
            };
            if !csd.node.is_empty() && csd.node != target {
                continue;
            }
            if csd.target.as_deref().is_some_and(|t| t != target) {
                continue;
            }
            env.log(Level::Err, &format!("crm command '{cmdtext}' error - service '{c}' on node '{target}' in negative affinity with service '{sid}'"));
            return;
        }
        env.log(Level::Info, &format!("got crm command: {cmdtext}"));
        self.sd_mut(sid).cmd = Some(vec![task.to_string(), target.to_string()]);
        for p in &positive {
            let Some(psd) = self.ms.service_status.get_mut(p) else {
                continue;
            };
            if psd.node == target || psd.target.as_deref() == Some(target) {
                continue;
            }
            env.log(Level::Info, &format!("crm command '{cmdtext}' - {task} service '{p}' to node '{target}' (service '{p}' in positive affinity with service '{sid}')"));
            psd.cmd = Some(vec![task.to_string(), target.to_string()]);
        }
    }

    // ---- disarm (12.2) -------------------------------------------------------

    fn disarm_step(&mut self, env: &mut dyn Env, round: &Round) -> Result<DisarmOutcome, String> {
        let disarm = self.ms.disarm.clone().expect("disarm active");
        if disarm.mode != "freeze" && disarm.mode != "ignore" {
            env.log(
                Level::Err,
                &format!("unknown disarm-mode '{}', ignoring", disarm.mode),
            );
            return Ok(DisarmOutcome::Nothing);
        }
        let mut deferred = BTreeSet::new();
        for (sid, sd) in &self.ms.service_status {
            let level = match sd.state {
                ServiceState::Fence | ServiceState::Recovery => Level::Warning,
                ServiceState::Migrate | ServiceState::Relocate => Level::Info,
                _ => continue,
            };
            env.log(
                level,
                &format!(
                    "deferring disarm - service '{sid}' is in '{}' state",
                    sd.state.as_str()
                ),
            );
            deferred.insert(sid.to_string());
        }
        if !deferred.is_empty() {
            return Ok(DisarmOutcome::Deferred(deferred));
        }
        let sids: Vec<Key> = self.ms.service_status.keys().cloned().collect();
        for sid in sids {
            let state = self.sd(&sid).state;
            let freezable = matches!(
                state,
                ServiceState::Started
                    | ServiceState::Stopped
                    | ServiceState::RequestStop
                    | ServiceState::RequestStart
                    | ServiceState::RequestStartBalance
            );
            if disarm.mode == "freeze" {
                if !freezable {
                    continue;
                }
                env.log(
                    Level::Info,
                    &format!(
                        "disarm: freezing service '{sid}' (was '{}')",
                        state.as_str()
                    ),
                );
                let uid = self.new_uid();
                let sd = self.sd_mut(&sid);
                let mut new = ServiceStatus::new(ServiceState::Freeze, sd.node.clone(), uid);
                new.maintenance_node = sd.maintenance_node.take();
                *sd = new;
            } else if freezable {
                let sd = self.sd_mut(&sid);
                let mut new = ServiceStatus::new(sd.state, sd.node.clone(), sd.uid.clone());
                new.maintenance_node = sd.maintenance_node.take();
                *sd = new;
            }
        }
        if disarm.state != "disarmed" {
            let all = self
                .online_nodes()
                .iter()
                .all(|n| round.lrm_modes.get(n) == Some(&LrmMode::Disarm));
            if all {
                env.log(
                    Level::Info,
                    "all LRMs disarmed, HA stack is now fully disarmed",
                );
                if let Some(d) = self.ms.disarm.as_mut() {
                    d.state = "disarmed".into();
                }
            }
        }
        self.fully_disarmed = self
            .ms
            .disarm
            .as_ref()
            .is_some_and(|d| d.state == "disarmed");
        Ok(DisarmOutcome::Handled)
    }

    // ---- the service loop (6.3) ----------------------------------------------

    fn service_loop(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        only: Option<&BTreeSet<String>>,
    ) -> Result<(), String> {
        loop {
            let mut changed = false;
            let sids: Vec<Key> = self.ms.service_status.keys().cloned().collect();
            for sid in &sids {
                if only.is_some_and(|o| !o.contains(sid.as_str())) {
                    continue;
                }
                let Some(before) = self.ms.service_status.get(sid).map(|s| s.state) else {
                    continue;
                };
                self.handle_service(env, round, sid)?;
                let Some(sd) = self.ms.service_status.get(sid) else {
                    continue;
                };
                let mut after = sd.state;
                let node_mode = round.lrm_modes.get(sd.node.as_str()).copied();
                if node_mode == Some(LrmMode::Restart)
                    && matches!(
                        after,
                        ServiceState::Started | ServiceState::Stopped | ServiceState::RequestStop
                    )
                {
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Freeze,
                        None,
                        None,
                        None,
                    );
                    after = self.sd(sid).state;
                }
                if after != before {
                    changed = true;
                }
            }

            // fencing
            let mut handled: BTreeMap<String, bool> = BTreeMap::new();
            let fence_sids: Vec<String> = self
                .ms
                .service_status
                .iter()
                .filter(|(_, sd)| sd.state == ServiceState::Fence)
                .map(|(s, _)| s.to_string())
                .collect();
            for sid in fence_sids {
                let node = self.sd(&sid).node.clone();
                let ok = match handled.get(node.as_str()) {
                    Some(ok) => *ok,
                    None => {
                        let ok = self.fence_node(env, &node);
                        handled.insert(node.to_string(), ok);
                        ok
                    }
                };
                if ok {
                    self.change_service_state(
                        env,
                        round,
                        &sid,
                        ServiceState::Recovery,
                        None,
                        None,
                        None,
                    );
                    changed = true;
                }
            }
            let nodes: Vec<String> = self.ms.node_status.keys().cloned().collect();
            for node in nodes {
                if handled.contains_key(&node) || self.node_state(&node) != NodeState::Fence {
                    continue;
                }
                env.log(
                    Level::Notice,
                    &format!("node '{node}' in fence state but no services to-fence! admin interference?!"),
                );
                if self.fence_node(env, &node) {
                    changed = true;
                }
            }
            if !changed {
                return Ok(());
            }
        }
    }

    fn fence_node(&mut self, env: &mut dyn Env, node: &str) -> bool {
        if self.node_state(node) != NodeState::Fence {
            self.set_node_state(env, node, NodeState::Fence);
            env.send_notification(&format!("FENCE: Try to fence node '{node}'"));
        }
        if env.get_ha_agent_lock(Some(node)) {
            env.log(
                Level::Info,
                &format!("fencing: acknowledged - got agent lock for node '{node}'"),
            );
            self.set_node_state(env, node, NodeState::Unknown);
            env.send_notification(&format!(
                "SUCCEED: fencing: acknowledged - got agent lock for node '{node}'"
            ));
            return true;
        }
        false
    }

    fn handle_service(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
    ) -> Result<(), String> {
        let (state, node, res) = {
            let sd = self.sd(sid);
            // the LRM's exit code for the current uid, if it reported one
            let res = round.results.get(sd.uid.as_str()).copied();
            (sd.state, sd.node.clone(), res)
        };
        let cd_state = round
            .sc
            .get(sid)
            .map(|c| c.state)
            .unwrap_or(ConfState::Disabled);
        match state {
            ServiceState::Stopped => self.next_state_stopped(env, round, sid, cd_state),
            ServiceState::RequestStart => {
                self.next_state_request_start(env, round, sid);
                Ok(())
            }
            ServiceState::Migrate | ServiceState::Relocate | ServiceState::RequestStartBalance => {
                self.next_state_migrate(env, round, sid, cd_state, res);
                Ok(())
            }
            ServiceState::Started => self.next_state_started(env, round, sid, cd_state, res, node),
            ServiceState::RequestStop => {
                if let Some(r) = res {
                    if r == SUCCESS {
                        self.change_service_state(
                            env,
                            round,
                            sid,
                            ServiceState::Stopped,
                            None,
                            None,
                            None,
                        );
                    } else {
                        env.log(
                            Level::Err,
                            &format!("service '{sid}' stop failed (exit code {})", r),
                        );
                        self.change_service_state(
                            env,
                            round,
                            sid,
                            ServiceState::Error,
                            None,
                            None,
                            None,
                        );
                    }
                    return Ok(());
                }
                if self.offline_delayed(&node, round.now, 60) {
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Fence,
                        None,
                        None,
                        None,
                    );
                }
                Ok(())
            }
            ServiceState::Fence => Ok(()),
            ServiceState::Recovery => self.next_state_recovery(env, round, sid, cd_state),
            ServiceState::Freeze => {
                let mode = round.lrm_modes.get(node.as_str()).copied();
                if mode == Some(LrmMode::Active) {
                    let new = if cd_state == ConfState::Started {
                        ServiceState::Started
                    } else {
                        ServiceState::RequestStop
                    };
                    self.change_service_state(env, round, sid, new, None, None, None);
                }
                Ok(())
            }
            ServiceState::Error => {
                if cd_state == ConfState::Disabled {
                    self.sd_mut(sid).failed_nodes = None;
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Stopped,
                        None,
                        None,
                        None,
                    );
                }
                Ok(())
            }
        }
    }

    fn next_state_stopped(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
        cd_state: ConfState,
    ) -> Result<(), String> {
        let cd_node = round.sc.get(sid).and_then(|c| c.node.clone());
        if let Some(cn) = cd_node {
            let cur = self.sd(sid).node.clone();
            if cur != cn {
                env.log(
                    Level::Info,
                    &format!("fixup service '{sid}' location ({cur} => {cn})"),
                );
                self.sd_mut(sid).node = cn;
            }
        }
        if let Some(cmd) = self.sd_mut(sid).cmd.take() {
            let node = self.sd(sid).node.clone();
            match cmd.first().map(|s| s.as_str()) {
                Some(task @ ("migrate" | "relocate")) => {
                    let target = cmd.get(1).cloned().unwrap_or_default();
                    if self.motion_target_ok(env, sid, task, &target, &node) {
                        let st = if task == "migrate" {
                            ServiceState::Migrate
                        } else {
                            ServiceState::Relocate
                        };
                        self.change_service_state(
                            env,
                            round,
                            sid,
                            st,
                            Some(&node),
                            Some(&target),
                            None,
                        );
                        return Ok(());
                    }
                }
                Some("stop") => env.log(
                    Level::Info,
                    &format!("ignore service '{sid}' stop request - service already stopped"),
                ),
                other => env.log(
                    Level::Err,
                    &format!(
                        "unknown command '{}' for service '{sid}'",
                        other.unwrap_or("")
                    ),
                ),
            }
        }
        if cd_state == ConfState::Disabled {
            return Ok(());
        }
        let node = self.sd(sid).node.clone();
        if self.offline_delayed(&node, round.now, 60)
            && self.node_state(&node) != NodeState::Maintenance
        {
            self.change_service_state(env, round, sid, ServiceState::Fence, None, None, None);
            return Ok(());
        }
        match cd_state {
            ConfState::Stopped => {}
            ConfState::Started => self.change_service_state(
                env,
                round,
                sid,
                ServiceState::RequestStart,
                Some(&node),
                None,
                None,
            ),
            other => env.log(
                Level::Err,
                &format!(
                    "service '{sid}' - unknown state '{}' in service configuration",
                    other.as_str()
                ),
            ),
        }
        Ok(())
    }

    fn next_state_request_start(&mut self, env: &mut dyn Env, round: &mut Round, sid: &str) {
        let node = self.sd(sid).node.clone();
        if round.dc.crs_flag("ha-rebalance-on-start") {
            let sel = self.select(env, round, sid, Preference::BestScore);
            let sel = sel.unwrap_or_else(|| node.to_string());
            let which = if sel != node { "new" } else { "current" };
            env.log(
                Level::Info,
                &format!("service {sid}: re-balance selected {which} node {sel} for startup"),
            );
            if sel != node {
                self.change_service_state(
                    env,
                    round,
                    sid,
                    ServiceState::RequestStartBalance,
                    Some(&node),
                    Some(&sel),
                    None,
                );
                return;
            }
        }
        self.change_service_state(
            env,
            round,
            sid,
            ServiceState::Started,
            Some(&node),
            None,
            None,
        );
    }

    fn next_state_migrate(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
        cd_state: ConfState,
        res: Option<i32>,
    ) {
        let req = if cd_state == ConfState::Started {
            ServiceState::Started
        } else {
            ServiceState::RequestStop
        };
        let sd = self.sd(sid).clone();
        if let Some(r) = res {
            match r {
                SUCCESS => {
                    let target = sd.target.clone().unwrap_or_default();
                    self.change_service_state(env, round, sid, req, Some(&target), None, None);
                    return;
                }
                EWRONG_NODE => {
                    env.log(
                        Level::Err,
                        &format!(
                            "service '{sid}' - migration failed: service registered on wrong node!"
                        ),
                    );
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Error,
                        None,
                        None,
                        None,
                    );
                }
                IGNORED => {
                    env.log(Level::Info, &format!("service '{sid}' - rebalance-on-start request ignored - service already running"));
                    self.change_service_state(env, round, sid, req, Some(&sd.node), None, None);
                }
                code => {
                    env.log(
                        Level::Err,
                        &format!("service '{sid}' - migration failed (exit code {code})"),
                    );
                    self.change_service_state(env, round, sid, req, Some(&sd.node), None, None);
                    return;
                }
            }
        }
        let node = self.sd(sid).node.clone();
        if self.offline_delayed(&node, round.now, 60) {
            self.change_service_state(env, round, sid, ServiceState::Fence, None, None, None);
        }
    }

    fn select(
        &self,
        env: &mut dyn Env,
        round: &Round,
        sid: &str,
        pref: Preference,
    ) -> Option<String> {
        let sd = self.sd(sid);
        let failback = round
            .sc
            .get(sid)
            .map(|cd| effective_failback(cd.failback, cd.group.as_deref(), round.groups.as_ref()))
            .unwrap_or(true);
        let mut log = |l: Level, m: String| env.log(l, &m);
        round
            .placement
            .select(&self.compiled, sid, sd, failback, pref, &mut log)
    }

    fn next_state_started(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
        cd_state: ConfState,
        res: Option<i32>,
        node: Key,
    ) -> Result<(), String> {
        if self.node_state(&node) != NodeState::Online {
            if self.offline_delayed(&node, round.now, 60) {
                self.change_service_state(env, round, sid, ServiceState::Fence, None, None, None);
            }
            if self.node_state(&node) != NodeState::Maintenance {
                return Ok(());
            }
            self.sd_mut(sid).maintenance_node = Some(node.to_string());
        }
        match cd_state {
            ConfState::Disabled | ConfState::Stopped => {
                self.change_service_state(
                    env,
                    round,
                    sid,
                    ServiceState::RequestStop,
                    None,
                    None,
                    None,
                );
                return Ok(());
            }
            ConfState::Started => {}
            other => {
                env.log(
                    Level::Err,
                    &format!(
                        "service '{sid}' - unknown state '{}' in service configuration",
                        other.as_str()
                    ),
                );
                return Ok(());
            }
        }
        if let Some(cmd) = self.sd_mut(sid).cmd.take() {
            match cmd.first().map(|s| s.as_str()) {
                Some(task @ ("migrate" | "relocate")) => {
                    let target = cmd.get(1).cloned().unwrap_or_default();
                    if self.motion_target_ok(env, sid, task, &target, &node) {
                        env.log(
                            Level::Info,
                            &format!("{task} service '{sid}' to node '{target}'"),
                        );
                        let st = if task == "migrate" {
                            ServiceState::Migrate
                        } else {
                            ServiceState::Relocate
                        };
                        self.change_service_state(
                            env,
                            round,
                            sid,
                            st,
                            Some(&node),
                            Some(&target),
                            None,
                        );
                    }
                }
                Some("stop") => {
                    let t = cmd.get(1).cloned().unwrap_or_default();
                    let zero = t.trim().parse::<f64>().map(|v| v == 0.0).unwrap_or(false);
                    if zero {
                        env.log(
                            Level::Info,
                            &format!("request immediate service hard-stop for service '{sid}'"),
                        );
                    } else {
                        env.log(
                            Level::Info,
                            &format!(
                                "request graceful stop with timeout '{t}' for service '{sid}'"
                            ),
                        );
                    }
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::RequestStop,
                        None,
                        None,
                        Some(&t),
                    );
                    env.set_service_state(sid, "stopped")?;
                    if let Some(cd) = Arc::make_mut(&mut round.sc).get_mut(sid) {
                        cd.state = ConfState::Stopped;
                    }
                }
                other => env.log(
                    Level::Err,
                    &format!(
                        "unknown command '{}' for service '{sid}'",
                        other.unwrap_or("")
                    ),
                ),
            }
            return Ok(());
        }

        let mut pref = Preference::None;
        let had_res = res.is_some();
        if let Some(r) = res {
            match r {
                SUCCESS => {
                    let sd = self.sd_mut(sid);
                    sd.running = true;
                    if let Some(f) = sd.failed_nodes.take() {
                        env.log(
                            Level::Info,
                            &format!(
                                "relocation policy successful for '{sid}' on node '{node}', failed nodes: {}",
                                f.join(", ")
                            ),
                        );
                    }
                }
                ERROR | EWRONG_NODE => {
                    let max_relocate = round.sc.get(sid).map(|c| c.max_relocate).unwrap_or(1);
                    let sd = self.sd_mut(sid);
                    sd.running = false;
                    let f = sd.failed_nodes.get_or_insert_with(Vec::new);
                    f.push(node.to_string());
                    let list = f.join(", ");
                    if f.len() as u32 <= max_relocate {
                        pref = Preference::TryNext;
                        env.log(
                            Level::Warning,
                            &format!("starting service {sid} on node '{node}' failed, relocating service."),
                        );
                    } else {
                        env.log(
                            Level::Err,
                            &format!("recovery policy for service {sid} failed, entering error state. Failed nodes: {list}"),
                        );
                        self.change_service_state(
                            env,
                            round,
                            sid,
                            ServiceState::Error,
                            None,
                            None,
                            None,
                        );
                        return Ok(());
                    }
                }
                code => {
                    self.sd_mut(sid)
                        .failed_nodes
                        .get_or_insert_with(Vec::new)
                        .push(node.to_string());
                    env.log(
                        Level::Err,
                        &format!("service '{sid}' got unrecoverable error (exit code {code})"),
                    );
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Error,
                        None,
                        None,
                        None,
                    );
                    return Ok(());
                }
            }
        }

        let sel = self.select(env, round, sid, pref);
        match sel {
            Some(n) if n != node => {
                if let Some(f) = self.sd(sid).maintenance_node.clone() {
                    if n == f {
                        env.log(
                            Level::Info,
                            &format!("moving service '{sid}' back to '{f}', node came back from maintenance."),
                        );
                        self.sd_mut(sid).maintenance_node = None;
                    } else if node != f {
                        env.log(
                            Level::Info,
                            &format!("dropping maintenance fallback node '{f}' for '{sid}'"),
                        );
                        self.sd_mut(sid).maintenance_node = None;
                    }
                }
                let ty = sid.split(':').next().unwrap_or("");
                if ty == "vm" {
                    env.log(
                        Level::Info,
                        &format!("migrate service '{sid}' to node '{n}' (running)"),
                    );
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Migrate,
                        Some(&node),
                        Some(&n),
                        None,
                    );
                } else {
                    env.log(
                        Level::Info,
                        &format!("relocate service '{sid}' to node '{n}'"),
                    );
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Relocate,
                        Some(&node),
                        Some(&n),
                        None,
                    );
                }
            }
            other => {
                if pref == Preference::TryNext && other.is_none() {
                    let tried = self
                        .sd(sid)
                        .failed_nodes
                        .clone()
                        .unwrap_or_default()
                        .join(", ");
                    env.log(Level::Warning, &format!("Start Error Recovery: Tried all available nodes for service '{sid}', retry start on current node. Tried nodes: {tried}"));
                }
                let online = self.node_state(&node) == NodeState::Online;
                let uid = had_res.then(|| self.new_uid());
                let sd = self.sd_mut(sid);
                let stale = online && sd.maintenance_node.as_deref() == Some(node.as_str());
                if stale {
                    sd.maintenance_node = None;
                }
                if let Some(uid) = uid {
                    sd.uid = uid;
                }
                if stale {
                    env.log(
                        Level::Info,
                        &format!("service '{sid}': clearing stale maintenance node '{node}' setting (is current node)"),
                    );
                }
            }
        }
        Ok(())
    }

    fn next_state_recovery(
        &mut self,
        env: &mut dyn Env,
        round: &mut Round,
        sid: &str,
        cd_state: ConfState,
    ) -> Result<(), String> {
        let node = self.sd(sid).node.clone();
        let sel = self.select(env, round, sid, Preference::BestScore);
        match sel {
            Some(r) => {
                if r == node {
                    env.log(
                        Level::Info,
                        &format!("recover service '{sid}' to previous failed and fenced node '{node}' again"),
                    );
                } else {
                    env.log(
                        Level::Info,
                        &format!("recover service '{sid}' from fenced node '{node}' to node '{r}'"),
                    );
                }
                if let Some(lock) = env.remove_locks(sid, RECOVERY_LOCKS) {
                    env.log(
                        Level::Warning,
                        &format!("removed leftover lock '{lock}' from recovered service '{sid}' to allow its start."),
                    );
                }
                env.steal_service(sid, &node, &r)?;
                if let Some(cd) = Arc::make_mut(&mut round.sc).get_mut(sid) {
                    cd.node = Some(r.as_str().into());
                }
                self.sd_mut(sid).node = r.as_str().into();
                let new = if cd_state == ConfState::Started {
                    ServiceState::Started
                } else {
                    ServiceState::RequestStop
                };
                self.change_service_state(env, round, sid, new, Some(&r), None, None);
            }
            None => {
                env.log(
                    Level::Err,
                    &format!("recovering service '{sid}' from fenced node '{node}' failed, no recovery node found"),
                );
                if cd_state == ConfState::Disabled {
                    self.sd_mut(sid).failed_nodes = None;
                    self.change_service_state(
                        env,
                        round,
                        sid,
                        ServiceState::Stopped,
                        None,
                        None,
                        None,
                    );
                }
            }
        }
        Ok(())
    }
}

enum DisarmOutcome {
    Handled,
    Deferred(BTreeSet<String>),
    Nothing,
}

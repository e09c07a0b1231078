//! The local resource manager (LRM) of one node: its state machine
//! (wait_for_agent_lock, active, lost_agent_lock, maintenance), the agent
//! lock and watchdog, shutdown policies, maintenance and disarm modes, the
//! execution of the manager's commands through the resource agent, and the
//! restart policy (`max_restart`). Spec: ha-lrm-and-replay.md part A.

use super::env::Env;
use super::fasthash::FastMap;
use super::types::*;
use std::collections::BTreeMap;
use std::sync::Arc;

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Worker {
    /// Position of the service in the manager status the command came
    /// from: usually its position in the service configuration too.
    #[serde(skip)]
    hint: u32,
    uid: Option<Key>,
    command: Key,
    target: Option<String>,
    timeout: Option<String>,
}

/// One LRM daemon instance (its in-memory state is lost on restart).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Lrm {
    state: LrmState,
    state_change_time: i64,
    mode: LrmMode,
    shutdown_request: i64,
    shutdown_errors: u32,
    workers: SidMap<Worker>,
    /// uid -> result, looked up for every service every round (a hash map;
    /// saved in uid order). Shared with the last `lrm_status` written; a
    /// round that adds a result rebuilds it from the consumable ones.
    #[serde(
        serialize_with = "serialize_results",
        deserialize_with = "deserialize_results"
    )]
    results: Arc<LrmResults>,
    restart_tries: BTreeMap<String, u32>,
    /// The last manager status read (shared, never modified here). Not
    /// saved with the daemon state: every iteration re-reads it first.
    #[serde(skip)]
    manager_status: Arc<SharedStatus>,
    node_status: String,
    cluster_state_update: bool,
    active_idle_rounds: u32,
    watchdog: Option<u64>,
    /// Results were added since the last prune.
    results_dirty: bool,
}

/// The result of one daemon iteration: keep running or exit.
pub type Iteration = Result<bool, String>;

impl Lrm {
    /// Create the LRM; logs `status change startup => wait_for_agent_lock`.
    pub fn new(env: &mut dyn Env) -> Lrm {
        let mut lrm = Lrm {
            state: LrmState::Startup,
            state_change_time: env.get_time(),
            mode: LrmMode::Active,
            shutdown_request: 0,
            shutdown_errors: 0,
            workers: SidMap::new(),
            results: Arc::default(),
            restart_tries: BTreeMap::new(),
            manager_status: Arc::new(SharedStatus::default()),
            node_status: "unknown".into(),
            cluster_state_update: false,
            active_idle_rounds: 0,
            watchdog: None,
            results_dirty: false,
        };
        lrm.set_state(env, LrmState::WaitForAgentLock);
        lrm
    }

    pub fn state(&self) -> LrmState {
        self.state
    }

    pub fn mode(&self) -> LrmMode {
        self.mode
    }

    /// Whether this LRM currently holds an open watchdog.
    pub fn has_watchdog(&self) -> bool {
        self.watchdog.is_some()
    }

    fn set_state(&mut self, env: &mut dyn Env, new: LrmState) {
        if self.state == new {
            return;
        }
        env.log(
            Level::Info,
            &format!("status change {} => {}", self.state.as_str(), new.as_str()),
        );
        self.state = new;
        self.state_change_time = env.get_time();
    }

    /// One daemon iteration. `startup_written` is the "lrm_status written at
    /// startup" flag (process-global in the simulator).
    pub fn do_one_iteration(&mut self, env: &mut dyn Env, startup_written: &mut bool) -> Iteration {
        self.cluster_state_update = env.cluster_state_update();
        self.work(env, startup_written)
    }

    fn me(env: &dyn Env) -> String {
        env.nodename().to_string()
    }

    /// Number of services that are (or move) here and need this node.
    pub fn active_service_count(&self, me: &str) -> usize {
        let ms = &self.manager_status;
        let here = ms.node(me);
        here.hot.iter().filter(|h| is_active(h.state)).count()
            + ms.services(&here.incoming)
                .filter(|(_, sd)| is_active(sd.state))
                .count()
    }

    fn has_configured_local_service(&self, me: &str) -> bool {
        !self.manager_status.node(me).hot.is_empty()
    }

    fn update_service_status(&mut self, env: &mut dyn Env) -> bool {
        match env.read_manager_status_shared() {
            Err(e) => {
                env.log(
                    Level::Err,
                    &format!("updating service status from manager failed: {}", chomp(&e)),
                );
                false
            }
            Ok(ms) => {
                let me = Self::me(env);
                self.node_status = ms
                    .node_status
                    .get(&me)
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_else(|| "unknown".into());
                if self.shutdown_request == 0 {
                    let maint = ms
                        .node_request
                        .get(&me)
                        .map(|r| r.maintenance)
                        .unwrap_or(false);
                    if maint {
                        self.mode = LrmMode::Maintenance;
                    } else if ms.disarm.is_some() {
                        self.mode = LrmMode::Disarm;
                    } else if matches!(self.mode, LrmMode::Maintenance | LrmMode::Disarm) {
                        self.mode = LrmMode::Active;
                    }
                }
                self.manager_status = ms;
                true
            }
        }
    }

    fn update_lrm_status(&mut self, env: &mut dyn Env) -> bool {
        if !env.quorate() {
            return false;
        }
        let st = LrmStatus {
            mode: Some(self.mode),
            results: self.results.clone(),
            state: Some(self.state),
            timestamp: Some(env.get_time()),
        };
        if let Err(e) = env.write_lrm_status(st) {
            env.log(
                Level::Err,
                &format!("unable to write lrm status file - {}", chomp(&e)),
            );
            return false;
        }
        true
    }

    fn get_protected_agent_lock(&mut self, env: &mut dyn Env) -> Result<bool, String> {
        if !env.get_ha_agent_lock(None) {
            return Ok(false);
        }
        match self.watchdog {
            Some(h) => env.watchdog_update(h)?,
            None => self.watchdog = Some(env.watchdog_open()?),
        }
        Ok(true)
    }

    fn give_up_watchdog(&mut self, env: &mut dyn Env) -> Result<(), String> {
        if let Some(h) = self.watchdog.take() {
            env.watchdog_close(h)?;
        }
        Ok(())
    }

    fn work(&mut self, env: &mut dyn Env, startup_written: &mut bool) -> Iteration {
        if !*startup_written {
            if self.update_lrm_status(env) {
                *startup_written = true;
            } else {
                env.sleep(5);
                return Ok(self.shutdown_request == 0);
            }
        }

        self.update_service_status(env);
        let me = Self::me(env);
        let fence_request = self.node_status == "fence" || self.manager_status.node(&me).fence;

        match self.state {
            LrmState::WaitForAgentLock => {
                if self.mode == LrmMode::Disarm {
                    // never take the lock while disarmed
                } else if !fence_request
                    && self.active_service_count(&me) > 0
                    && env.quorate()
                    && self.get_protected_agent_lock(env)?
                {
                    self.set_state(env, LrmState::Active);
                }
            }
            LrmState::LostAgentLock => {
                if !fence_request && env.quorate() && self.get_protected_agent_lock(env)? {
                    self.set_state(env, LrmState::Active);
                }
            }
            LrmState::Active => {
                if fence_request {
                    env.log(Level::Err, "node needs to be fenced - releasing agent_lock");
                    self.set_state(env, LrmState::LostAgentLock);
                } else if !self.get_protected_agent_lock(env)? {
                    self.set_state(env, LrmState::LostAgentLock);
                } else if self.mode == LrmMode::Maintenance {
                    self.set_state(env, LrmState::Maintenance);
                } else if self.mode == LrmMode::Disarm && self.run_workers(env)? == 0 {
                    env.log(
                        Level::Info,
                        "HA disarm requested, releasing agent lock and watchdog",
                    );
                    env.release_ha_agent_lock();
                    self.give_up_watchdog(env)?;
                    self.set_state(env, LrmState::WaitForAgentLock);
                } else if !self.has_configured_local_service(&me) && self.run_workers(env)? == 0 {
                    self.active_idle_rounds += 1;
                    if self.active_idle_rounds > 60 {
                        env.log(
                            Level::Info,
                            "node had no service configured for 60 rounds, going idle.",
                        );
                        env.release_ha_agent_lock();
                        self.give_up_watchdog(env)?;
                        self.set_state(env, LrmState::WaitForAgentLock);
                        self.active_idle_rounds = 0;
                    }
                } else {
                    self.active_idle_rounds = 0;
                }
            }
            LrmState::Maintenance => {
                if fence_request {
                    env.log(
                        Level::Err,
                        "node needs to be fenced during maintenance mode - releasing agent_lock",
                    );
                    self.set_state(env, LrmState::LostAgentLock);
                } else if self.mode == LrmMode::Disarm
                    && self.active_service_count(&me) == 0
                    && self.run_workers(env)? == 0
                {
                    env.log(
                        Level::Info,
                        "HA disarm requested during maintenance, releasing agent lock and watchdog",
                    );
                    env.release_ha_agent_lock();
                    self.give_up_watchdog(env)?;
                    self.set_state(env, LrmState::WaitForAgentLock);
                } else if self.active_service_count(&me) > 0 || self.run_workers(env)? > 0 {
                    if !self.get_protected_agent_lock(env)? {
                        self.set_state(env, LrmState::LostAgentLock);
                    }
                } else if self.mode != LrmMode::Maintenance {
                    if self.get_protected_agent_lock(env)? {
                        self.set_state(env, LrmState::Active);
                    } else {
                        self.set_state(env, LrmState::LostAgentLock);
                    }
                }
            }
            LrmState::Startup => {}
        }

        match self.state {
            LrmState::WaitForAgentLock | LrmState::Startup => {
                if self.shutdown_request != 0 {
                    return Ok(false);
                }
                self.update_lrm_status(env);
                env.sleep(5);
                Ok(true)
            }
            LrmState::Active => {
                let mut exit = false;
                let r: Result<(), String> = (|| {
                    if !self.update_service_status(env) {
                        return Ok(());
                    }
                    if self.shutdown_request != 0 {
                        if self.mode == LrmMode::Restart {
                            let w = self.run_workers(env)?;
                            if w == 0 && self.active_service_count(&me) == 0 {
                                self.give_up_watchdog(env)?;
                                env.release_ha_agent_lock();
                                exit = true;
                            }
                        } else if self.run_workers(env)? == 0 {
                            exit = true;
                            if self.shutdown_errors == 0 {
                                self.give_up_watchdog(env)?;
                                env.release_ha_agent_lock();
                            }
                        }
                    } else if !self.cluster_state_update {
                        env.log(
                            Level::Notice,
                            "temporary inconsistent cluster state (cfs restart?), skip round",
                        );
                    } else {
                        self.manage_resources(env)?;
                    }
                    Ok(())
                })();
                if let Err(e) = r {
                    env.log(Level::Err, &format!("got unexpected error - {}", chomp(&e)));
                }
                self.update_lrm_status(env);
                Ok(!exit)
            }
            LrmState::LostAgentLock => {
                if self.shutdown_request != 0 {
                    let n = self.active_service_count(&me);
                    if n > 0 {
                        env.log(
                            Level::Err,
                            &format!(
                                "got shutdown request in state 'lost_agent_lock' - detected {n} running services"
                            ),
                        );
                        if self.mode == LrmMode::Restart
                            && env.get_time() - self.state_change_time > 90
                        {
                            env.log(
                                Level::Err,
                                "lost agent lock and restart request for over 90 seconds - giving up!",
                            );
                            return Ok(false);
                        }
                    } else {
                        self.give_up_watchdog(env)?;
                        return Ok(false);
                    }
                }
                env.sleep(5);
                Ok(true)
            }
            LrmState::Maintenance => {
                if !self.update_service_status(env) {
                    // upstream returns a false value here: the daemon exits
                    return Ok(false);
                }
                let mut exit = false;
                if self.active_service_count(&me) == 0 && self.run_workers(env)? == 0 {
                    self.give_up_watchdog(env)?;
                    if self.shutdown_request != 0 {
                        exit = true;
                    }
                    env.release_ha_agent_lock();
                }
                if !exit {
                    self.manage_resources(env)?;
                }
                self.update_lrm_status(env);
                Ok(!exit)
            }
        }
    }

    /// Give an LRM restored from saved daemon state the manager status it
    /// would hold in memory (the status is not saved with the daemon; see
    /// the `manager_status` field). Only an Env that restarts daemons from
    /// disk between rounds needs this, before a call that reads the status
    /// outside an iteration ([`Lrm::shutdown_request`]).
    pub fn restore_service_status(&mut self, env: &mut dyn Env) {
        if let Ok(ms) = env.read_manager_status_shared() {
            self.manager_status = ms;
        }
    }

    /// A shutdown, reboot or daemon restart request (ha-lrm 2.7).
    pub fn shutdown_request(&mut self, env: &mut dyn Env) {
        if self.shutdown_request != 0 {
            return;
        }
        let (shutdown, reboot) = env.is_node_shutdown();
        let dc = env.get_datacenter_settings();
        let policy = dc
            .shutdown_policy
            .clone()
            .unwrap_or_else(|| "conditional".into());
        if shutdown {
            env.log(
                Level::Info,
                &format!("got shutdown request with shutdown policy '{policy}'"),
            );
        }
        let (freeze_all, maintenance) = match policy.as_str() {
            "conditional" => (reboot, false),
            "freeze" => (true, false),
            "failover" => (false, false),
            "migrate" => (false, true),
            other => {
                env.log(
                    Level::Err,
                    &format!("unknown shutdown policy '{other}', fall back to conditional"),
                );
                (reboot, false)
            }
        };
        let me = Self::me(env);
        if !maintenance && shutdown {
            let ms = Arc::clone(&self.manager_status);
            for h in &ms.node(&me).hot {
                self.queue(&h.sid, h.pos, None, "request_stop", None, None);
            }
        }
        let ty = if reboot { "reboot" } else { "shutdown" };
        if shutdown {
            if self.mode == LrmMode::Maintenance {
                if maintenance {
                    env.log(
                        Level::Info,
                        &format!(
                            "{ty} LRM, ignore maintenance policy, already in maintenance mode"
                        ),
                    );
                } else {
                    env.log(
                        Level::Info,
                        &format!(
                            "{ty} LRM, ignore {policy} policy as manual maintenance mode is enabled"
                        ),
                    );
                }
            } else if maintenance {
                env.log(
                    Level::Info,
                    &format!("{ty} LRM, doing maintenance, removing this node from active list"),
                );
                self.mode = LrmMode::Maintenance;
            } else if freeze_all {
                env.log(
                    Level::Info,
                    &format!("{ty} LRM, stop and freeze all services"),
                );
                self.mode = LrmMode::Restart;
            } else {
                env.log(Level::Info, "shutdown LRM, stop all services");
                self.mode = LrmMode::Shutdown;
            }
        } else if self.mode == LrmMode::Maintenance {
            // upstream quirk: a broken level string (see ha-lrm 2.7)
            env.log(
                Level::BrokenInfo,
                "Restarting LRM in maintenance mode may be delayed until all services are moved",
            );
        } else {
            env.log(Level::Info, "restart LRM, freeze all services");
            self.mode = LrmMode::Restart;
        }
        self.shutdown_request = env.get_time();
        if !self.update_lrm_status(env) {
            env.log(
                Level::Err,
                "unable to update lrm status file - not quorate?",
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn queue(
        &mut self,
        sid: &str,
        hint: u32,
        uid: Option<&str>,
        command: &str,
        target: Option<String>,
        timeout: Option<String>,
    ) {
        if command != "stopped" {
            if let Some(u) = uid {
                if self.results.contains_key(u) {
                    return;
                }
            }
        }
        // workers run inline, so an existing entry was never started: replace it
        self.workers.insert(
            Key::from(sid),
            Worker {
                hint,
                uid: uid.map(Key::from),
                command: Key::from(command),
                target,
                timeout,
            },
        );
    }

    fn manage_resources(&mut self, env: &mut dyn Env) -> Result<(), String> {
        let me = Self::me(env);
        let ms = Arc::clone(&self.manager_status);
        let ss = &ms.service_status;
        self.restart_tries.retain(|sid, _| ss.contains_key(sid));
        for h in &ms.node(&me).hot {
            if h.uid.is_empty() {
                continue;
            }
            if matches!(
                h.state,
                ServiceState::Recovery | ServiceState::Freeze | ServiceState::RequestStart
            ) {
                continue;
            }
            let (target, timeout) = if h.extra {
                let sd = ms.service_status.entry_at(h.pos as usize).1;
                (sd.target.clone(), sd.timeout.clone())
            } else {
                (None, None)
            };
            self.queue(
                &h.sid,
                h.pos,
                Some(&h.uid),
                h.state.as_str(),
                target,
                timeout,
            );
        }
        self.run_workers(env)?;
        Ok(())
    }

    /// Execute all queued workers inline; returns the number left (0).
    fn run_workers(&mut self, env: &mut dyn Env) -> Result<usize, String> {
        if self.workers.is_empty() {
            return Ok(0);
        }
        let workers = std::mem::take(&mut self.workers);
        let sc = env.read_service_config_shared()?;
        // look every configuration up first, in a tight loop: the entries
        // are spread over the whole configuration, and independent lookups
        // let the CPU fetch several of them at once
        let cds: Vec<Option<&ServiceConf>> = workers
            .iter()
            .map(|(sid, w)| sc.get_hinted(sid, w.hint as usize))
            .collect();
        for ((sid, w), cd) in workers.into_iter().zip(cds) {
            let status = match self.exec_resource_agent(env, &sid, cd, &w) {
                Ok(code) => code,
                Err(e) => {
                    env.log(Level::Err, chomp(&e));
                    -1
                }
            };
            self.command_finished(env, &sid, cd, w, status);
        }
        if self.results_dirty {
            let results = Arc::make_mut(&mut self.results);
            let keep = Consumable::new(&self.manager_status, &Self::me(env));
            results.retain(|u, r| keep.test(u, r));
            self.results_dirty = false;
        }
        Ok(0)
    }

    /// The results for adding to. While the last written `lrm_status` still
    /// shares them, the new map takes only the results the manager can
    /// still consume (the pruning at the end of the round would drop the
    /// others), instead of a copy of all of them: in steady state every
    /// result of the last round is stale, as each service has a new uid.
    fn results_mut(&mut self, env: &dyn Env) -> &mut LrmResults {
        if Arc::get_mut(&mut self.results).is_none() {
            let keep = Consumable::new(&self.manager_status, &Self::me(env));
            let fresh: LrmResults = self
                .results
                .iter()
                .filter(|(u, r)| keep.test(u, r))
                .map(|(u, r)| (u.clone(), r.clone()))
                .collect();
            self.results = Arc::new(fresh);
        }
        Arc::make_mut(&mut self.results)
    }

    fn command_finished(
        &mut self,
        env: &mut dyn Env,
        sid: &str,
        cd: Option<&ServiceConf>,
        w: Worker,
        status: i32,
    ) {
        if status == -1 {
            env.log(
                Level::Err,
                &format!("resource agent {sid} finished - failed to execute"),
            );
        }
        let Some(uid) = w.uid else {
            if status != 0 {
                self.shutdown_errors += 1;
            }
            return;
        };
        let mut code = status;
        if w.command == "started" {
            code = self.restart_policy(env, sid, cd, code);
        }
        if code == ETRY_AGAIN {
            return;
        }
        self.results_mut(env).insert(
            uid,
            LrmResult {
                exit_code: code,
                sid: sid.into(),
                state: w.command,
            },
        );
        self.results_dirty = true;
    }

    fn restart_policy(
        &mut self,
        env: &mut dyn Env,
        sid: &str,
        cd: Option<&ServiceConf>,
        code: i32,
    ) -> i32 {
        let max_restart = cd.map(|c| c.max_restart).unwrap_or(1);
        if code == SUCCESS {
            // only pending retries are kept (absent = 0)
            self.restart_tries.remove(sid);
            return code;
        }
        if code == ERROR {
            let tries = self.restart_tries.get(sid).copied().unwrap_or(0);
            if tries >= max_restart {
                env.log(
                    Level::Err,
                    &format!("unable to start service {sid} on local node after {tries} retries"),
                );
                self.restart_tries.remove(sid);
                return ERROR;
            }
            let tries = tries + 1;
            self.restart_tries.insert(sid.to_string(), tries);
            env.log(
                Level::Warning,
                &format!("restart policy: retry number {tries} for service '{sid}'"),
            );
            return ETRY_AGAIN;
        }
        code
    }

    fn exec_resource_agent(
        &mut self,
        env: &mut dyn Env,
        sid: &str,
        cd: Option<&ServiceConf>,
        w: &Worker,
    ) -> Result<i32, String> {
        let ty = sid.split(':').next().unwrap_or("");
        if !matches!(ty, "vm" | "ct" | "fa") {
            env.log(Level::Err, &format!("service type '{ty}' not implemented"));
            return Ok(EUNKNOWN_SERVICE_TYPE);
        }
        let Some(cd) = cd else {
            env.log(
                Level::Err,
                &format!("missing resource configuration for '{sid}'"),
            );
            return Ok(EUNKNOWN_SERVICE);
        };
        let cmd = w.command.as_str();
        if cmd == "error" {
            env.log(Level::Err, &format!("service {sid} is in an error state and needs manual intervention. Look up 'ERROR RECOVERY' in the documentation."));
            return Ok(SUCCESS);
        }
        if cd.node.as_deref() != Some(env.nodename()) {
            env.log(Level::Err, &format!("service '{sid}' not on this node"));
            return Ok(EWRONG_NODE);
        }
        match cmd {
            "started" => {
                if env.service_running(sid, cd) {
                    return Ok(SUCCESS);
                }
                env.log(Level::Info, &format!("starting service {sid}"));
                env.service_start(sid, cd);
                if env.service_running(sid, cd) {
                    env.log(Level::Info, &format!("service status {sid} started"));
                    Ok(SUCCESS)
                } else {
                    env.log(Level::Warning, &format!("unable to start service {sid}"));
                    Ok(ERROR)
                }
            }
            "request_stop" | "stopped" => {
                if !env.service_running(sid, cd) {
                    return Ok(SUCCESS);
                }
                match &w.timeout {
                    Some(t) => env.log(
                        Level::Info,
                        &format!("stopping service {sid} (timeout={t})"),
                    ),
                    None => env.log(Level::Info, &format!("stopping service {sid}")),
                }
                env.service_shutdown(sid, cd, w.timeout.as_deref());
                if env.service_running(sid, cd) {
                    env.log(
                        Level::Info,
                        &format!("unable to stop service {sid} (still running)"),
                    );
                    Ok(ERROR)
                } else {
                    env.log(Level::Info, &format!("service status {sid} stopped"));
                    Ok(SUCCESS)
                }
            }
            "migrate" | "relocate" | "request_start_balance" => {
                let Some(target) = &w.target else {
                    return Err(format!("{cmd} '{sid}' failed - missing target"));
                };
                if cd.node.as_deref() == Some(target.as_str()) {
                    return Ok(SUCCESS);
                }
                if cmd == "request_start_balance" && env.service_running(sid, cd) {
                    env.log(
                        Level::Info,
                        &format!("ignoring rebalance-on-start for service {sid} - already running"),
                    );
                    return Ok(IGNORED);
                }
                if env.service_migrate(sid, cd, target, cmd == "migrate") {
                    Ok(SUCCESS)
                } else {
                    env.log(
                        Level::Err,
                        &format!("service {sid} not moved (migration error)"),
                    );
                    Ok(ERROR)
                }
            }
            other => {
                env.log(Level::Err, &format!("implement me (cmd '{other}')"));
                Ok(EUNKNOWN_COMMAND)
            }
        }
    }
}

/// Services that need `node` (on it or moving to it) and are not at rest:
/// state not `stopped`, `freeze`, `error` or `request_start`.
pub fn count_active_services(ss: &SidMap<ServiceStatus>, node: &str) -> usize {
    ss.values()
        .filter(|sd| sd.node == node || sd.target.as_deref() == Some(node))
        .filter(|sd| is_active(sd.state))
        .count()
}

/// Whether a service in this state needs its node's LRM.
fn is_active(state: ServiceState) -> bool {
    !matches!(
        state,
        ServiceState::Stopped
            | ServiceState::Freeze
            | ServiceState::Error
            | ServiceState::RequestStart
    )
}

/// Remove one trailing newline from an error text.
pub fn chomp(s: &str) -> &str {
    s.strip_suffix('\n').unwrap_or(s)
}

/// Which LRM results the manager can still consume: those whose uid is
/// their service's current uid (uids are unique, so a result can only match
/// its own service's entry). This node's services answer from a small map;
/// only results of services elsewhere need a lookup in the whole status.
struct Consumable<'a> {
    own: FastMap<&'a str, &'a str>,
    ss: &'a SidMap<ServiceStatus>,
}

impl<'a> Consumable<'a> {
    fn new(ms: &'a SharedStatus, me: &str) -> Consumable<'a> {
        let here = ms.node(me);
        let own = here
            .hot
            .iter()
            .map(|h| (h.sid.as_str(), h.uid.as_str()))
            .chain(
                ms.services(&here.incoming)
                    .map(|(sid, sd)| (sid.as_str(), sd.uid.as_str())),
            )
            .collect();
        Consumable {
            own,
            ss: &ms.service_status,
        }
    }

    fn test(&self, uid: &Key, r: &LrmResult) -> bool {
        match self.own.get(r.sid.as_str()) {
            Some(cur) => *cur == uid.as_str(),
            None => self.ss.get(&r.sid).is_some_and(|sd| sd.uid == *uid),
        }
    }
}

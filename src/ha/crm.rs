//! The cluster resource manager daemon (CRM) of one node: its state machine
//! (wait_for_quorum, slave, master, lost_manager_lock), the manager lock and
//! the master's watchdog, idling and the disarm hand-over. The decisions of
//! a master round live in `manager`. Spec: ha-crm.md section 3.

use super::env::Env;
use super::lrm::chomp;
use super::manager::Manager;
use super::types::*;
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CrmState {
    Startup,
    WaitForQuorum,
    Slave,
    Master,
    LostManagerLock,
}

impl CrmState {
    pub fn as_str(self) -> &'static str {
        match self {
            CrmState::Startup => "startup",
            CrmState::WaitForQuorum => "wait_for_quorum",
            CrmState::Slave => "slave",
            CrmState::Master => "master",
            CrmState::LostManagerLock => "lost_manager_lock",
        }
    }
}

/// One CRM daemon instance.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Crm {
    state: CrmState,
    manager: Option<Box<Manager>>,
    shutdown_request: bool,
    disarmed: bool,
    watchdog: Option<u64>,
    idle_rounds: u32,
    cluster_state_update: bool,
}

impl Crm {
    /// Create the CRM; logs `status change startup => wait_for_quorum`.
    pub fn new(env: &mut dyn Env) -> Crm {
        let mut crm = Crm {
            state: CrmState::Startup,
            manager: None,
            shutdown_request: false,
            disarmed: false,
            watchdog: None,
            idle_rounds: 0,
            cluster_state_update: false,
        };
        crm.set_state(env, CrmState::WaitForQuorum);
        crm
    }

    pub fn state(&self) -> CrmState {
        self.state
    }

    pub fn is_master(&self) -> bool {
        self.state == CrmState::Master
    }

    fn set_state(&mut self, env: &mut dyn Env, new: CrmState) {
        if self.state == new {
            return;
        }
        env.log(
            Level::Info,
            &format!("status change {} => {}", self.state.as_str(), new.as_str()),
        );
        let was_master = self.state == CrmState::Master;
        self.state = new;
        if new == CrmState::Master {
            self.manager = Some(Box::new(Manager::new(env)));
        } else if was_master {
            self.manager = None;
        }
    }

    /// A shutdown request (the daemon exits at its next iteration).
    pub fn shutdown_request(&mut self, env: &mut dyn Env) {
        if !self.shutdown_request {
            env.log(Level::Info, "server received shutdown request");
        }
        self.shutdown_request = true;
    }

    /// Whether the node is healthy enough to take part, and the manager
    /// status read on the way.
    fn healthy(&mut self, env: &mut dyn Env) -> Option<Arc<SharedStatus>> {
        if !env.quorate() || !self.cluster_state_update {
            return None;
        }
        let ms = match env.read_manager_status_shared() {
            Ok(ms) => ms,
            Err(e) => {
                env.log(
                    Level::Err,
                    &format!("could not read manager status: {}", chomp(&e)),
                );
                return None;
            }
        };
        if ms.node(env.nodename()).fence {
            return None;
        }
        Some(ms)
    }

    fn can_get_active(&mut self, env: &mut dyn Env, allow_no_service: bool) -> bool {
        let Some(ms) = self.healthy(env) else {
            return false;
        };
        if !allow_no_service {
            let empty = match env.service_config_is_empty() {
                Ok(e) => e,
                Err(e) => {
                    env.log(
                        Level::Err,
                        &format!("could not read service config: {}", chomp(&e)),
                    );
                    return false;
                }
            };
            if empty {
                let me = env.nodename().to_string();
                if let Some(master) = &ms.master_node {
                    if ms.node_status.get(master) == Some(&NodeState::Online) && *master != me {
                        return false;
                    }
                }
                let stale_maint = ms.node_status.iter().any(|(n, s)| {
                    *s == NodeState::Maintenance
                        && !ms
                            .node_request
                            .get(n)
                            .map(|r| r.maintenance)
                            .unwrap_or(false)
                });
                if stale_maint {
                    return true;
                }
                if env.any_pending_crm_command().unwrap_or(false) {
                    return true;
                }
                return !ms.service_status.is_empty() || ms.disarm.is_some();
            }
        }
        true
    }

    fn allowed_to_get_idle(&mut self, env: &mut dyn Env) -> bool {
        let Some(ms) = self.healthy(env) else {
            return false;
        };
        if ms.disarm.is_some() {
            return false;
        }
        let empty = match env.service_config_is_empty() {
            Ok(e) => e,
            Err(e) => {
                env.log(
                    Level::Err,
                    &format!("could not read service config: {}", chomp(&e)),
                );
                return false;
            }
        };
        empty && ms.service_status.is_empty()
    }

    fn get_protected_manager_lock(&mut self, env: &mut dyn Env) -> Result<bool, String> {
        if !env.get_ha_manager_lock() {
            return Ok(false);
        }
        if let Some(h) = self.watchdog {
            env.watchdog_update(h)?;
        } else if !self.disarmed {
            let disarmed_on_disk = env
                .read_manager_status_shared()
                .ok()
                .and_then(|ms| ms.disarm.clone())
                .map(|d| d.state == "disarmed")
                .unwrap_or(false);
            if disarmed_on_disk {
                env.log(
                    Level::Info,
                    "taking over as disarmed master, skipping watchdog",
                );
                self.disarmed = true;
            } else {
                self.watchdog = Some(env.watchdog_open()?);
            }
        }
        Ok(true)
    }

    fn close_watchdog(&mut self, env: &mut dyn Env) -> Result<(), String> {
        if let Some(h) = self.watchdog.take() {
            env.watchdog_close(h)?;
        }
        Ok(())
    }

    /// One daemon iteration; Ok(false) means the daemon exits.
    pub fn do_one_iteration(&mut self, env: &mut dyn Env) -> Result<bool, String> {
        self.cluster_state_update = env.cluster_state_update();

        match self.state {
            CrmState::WaitForQuorum => {
                if self.can_get_active(env, false) {
                    if self.get_protected_manager_lock(env)? {
                        self.set_state(env, CrmState::Master);
                    } else {
                        self.set_state(env, CrmState::Slave);
                    }
                }
            }
            CrmState::Slave => {
                if self.can_get_active(env, false) {
                    if self.get_protected_manager_lock(env)? {
                        self.set_state(env, CrmState::Master);
                    }
                } else {
                    self.set_state(env, CrmState::WaitForQuorum);
                }
            }
            CrmState::LostManagerLock => {
                if self.can_get_active(env, true) && self.get_protected_manager_lock(env)? {
                    self.set_state(env, CrmState::Master);
                }
            }
            CrmState::Master => {
                if !self.get_protected_manager_lock(env)? {
                    self.set_state(env, CrmState::LostManagerLock);
                } else if self.allowed_to_get_idle(env) {
                    self.idle_rounds += 1;
                    if self.idle_rounds > 90 {
                        env.log(
                            Level::Info,
                            "cluster had no service configured for 90 rounds, going idle.",
                        );
                        env.release_ha_manager_lock();
                        self.close_watchdog(env)?;
                        self.idle_rounds = 0;
                        self.set_state(env, CrmState::WaitForQuorum);
                    }
                } else if self.idle_rounds > 0 {
                    self.idle_rounds = 0;
                }
            }
            CrmState::Startup => {}
        }

        match self.state {
            CrmState::WaitForQuorum | CrmState::Slave | CrmState::Startup => {
                Ok(!self.shutdown_request)
            }
            CrmState::LostManagerLock => {
                self.close_watchdog(env)?;
                if self.shutdown_request {
                    return Ok(false);
                }
                self.set_state(env, CrmState::WaitForQuorum);
                Ok(true)
            }
            CrmState::Master => {
                let r: Result<bool, String> = (|| {
                    if self.shutdown_request {
                        self.close_watchdog(env)?;
                        env.log(Level::Info, "voluntary release CRM lock");
                        if !env.release_ha_manager_lock() {
                            env.log(
                                Level::Notice,
                                "CRM lock release failed, let the lock timeout",
                            );
                        }
                        return Ok(false);
                    }
                    if !self.cluster_state_update {
                        env.log(
                            Level::Notice,
                            "temporary inconsistent cluster state (cfs restart?), skip round",
                        );
                        return Ok(true);
                    }
                    let manager = self.manager.as_mut().expect("master has a manager");
                    manager.manage(env)?;
                    let fully = manager.fully_disarmed();
                    if fully && !self.disarmed {
                        env.log(
                            Level::Info,
                            "HA stack fully disarmed, releasing CRM watchdog",
                        );
                        self.close_watchdog(env)?;
                        self.disarmed = true;
                    } else if !fully && self.disarmed {
                        env.log(Level::Info, "re-arming HA stack");
                        self.disarmed = false;
                    }
                    Ok(true)
                })();
                match r {
                    Ok(v) => Ok(v),
                    Err(e) => {
                        env.log(Level::Err, &format!("got unexpected error - {}", chomp(&e)));
                        Ok(true)
                    }
                }
            }
        }
    }
}

//! The data the HA daemons exchange: the service/node state enums, the
//! `manager_status` object written by the CRM master, the `lrm_status`
//! object written by each LRM, and the per-service configuration as the
//! manager sees it (defaults applied). JSON field names are the upstream
//! ones; maps are `BTreeMap` so that everything iterates sorted and
//! serialises reproducibly.

pub use super::sidmap::{Key, SidMap};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

/// Agent exit codes (LRM -> CRM).
pub const SUCCESS: i32 = 0;
pub const ERROR: i32 = 1;
pub const ETRY_AGAIN: i32 = 2;
pub const EWRONG_NODE: i32 = 3;
pub const EUNKNOWN_SERVICE_TYPE: i32 = 4;
pub const EUNKNOWN_COMMAND: i32 = 5;
pub const EINVALID_PARAMETER: i32 = 6;
pub const EUNKNOWN_SERVICE: i32 = 7;
pub const IGNORED: i32 = 8;

/// Log levels as the daemons pass them to `Env::log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Info,
    Notice,
    Warning,
    Err,
    Email,
    /// Upstream passes a broken level string (newline, tab, spaces, `info`)
    /// for one LRM message; the simulator prints its first 4 characters.
    BrokenInfo,
}

impl Level {
    /// The printed (4 character) form of the level.
    pub fn short(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Notice => "noti",
            Level::Warning => "warn",
            Level::Err => "err",
            Level::Email => "emai",
            Level::BrokenInfo => "\n\t  ",
        }
    }
}

/// The state of a service in `manager_status.service_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    Stopped,
    RequestStop,
    RequestStart,
    RequestStartBalance,
    Started,
    Fence,
    Recovery,
    Migrate,
    Relocate,
    Freeze,
    Error,
}

impl ServiceState {
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Stopped => "stopped",
            ServiceState::RequestStop => "request_stop",
            ServiceState::RequestStart => "request_start",
            ServiceState::RequestStartBalance => "request_start_balance",
            ServiceState::Started => "started",
            ServiceState::Fence => "fence",
            ServiceState::Recovery => "recovery",
            ServiceState::Migrate => "migrate",
            ServiceState::Relocate => "relocate",
            ServiceState::Freeze => "freeze",
            ServiceState::Error => "error",
        }
    }
}

impl fmt::Display for ServiceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The state of a node in `manager_status.node_status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NodeState {
    Online,
    Maintenance,
    Unknown,
    Fence,
    Gone,
}

impl NodeState {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeState::Online => "online",
            NodeState::Maintenance => "maintenance",
            NodeState::Unknown => "unknown",
            NodeState::Fence => "fence",
            NodeState::Gone => "gone",
        }
    }
}

impl fmt::Display for NodeState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One entry of `manager_status.service_status` (the "sd").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceStatus {
    /// Queued command: `["migrate", node]`, `["relocate", node]`, `["stop", timeout]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cmd: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failed_nodes: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maintenance_node: Option<String>,
    /// The node the service is on (source node while moving). Empty when the
    /// guest does not exist anywhere.
    #[serde(default)]
    pub node: Key,
    #[serde(default, skip_serializing_if = "is_false", with = "int_bool")]
    pub running: bool,
    pub state: ServiceState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Stop timeout as given in the `stop` command (kept as text, as upstream).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "opt_text")]
    pub timeout: Option<String>,
    #[serde(default)]
    pub uid: Key,
}

fn is_false(b: &bool) -> bool {
    !*b
}

mod int_bool {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(b: &bool, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(u8::from(*b))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(match v {
            serde_json::Value::Bool(b) => b,
            serde_json::Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
            serde_json::Value::String(s) => !s.is_empty() && s != "0",
            _ => false,
        })
    }
}

mod opt_text {
    use serde::{Deserialize, Deserializer, Serializer};
    pub fn serialize<S: Serializer>(v: &Option<String>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(t) => s.serialize_str(t),
            None => s.serialize_none(),
        }
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let v = Option::<serde_json::Value>::deserialize(d)?;
        Ok(match v {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::String(s)) => Some(s),
            Some(other) => Some(other.to_string()),
        })
    }
}

impl ServiceStatus {
    pub fn new(state: ServiceState, node: impl Into<Key>, uid: impl Into<Key>) -> Self {
        ServiceStatus {
            cmd: None,
            failed_nodes: None,
            maintenance_node: None,
            node: node.into(),
            running: false,
            state,
            target: None,
            timeout: None,
            uid: uid.into(),
        }
    }
}

/// `manager_status.node_request.<node>`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NodeRequest {
    #[serde(default, skip_serializing_if = "is_false", with = "int_bool")]
    pub maintenance: bool,
}

/// `manager_status.disarm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Disarm {
    pub mode: String,
    pub state: String,
}

/// The whole `/etc/pve/ha/manager_status` object. Unknown keys are dropped.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ManagerStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disarm: Option<Disarm>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub master_node: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub node_request: BTreeMap<String, NodeRequest>,
    #[serde(default)]
    pub node_status: BTreeMap<String, NodeState>,
    #[serde(default)]
    pub service_status: SidMap<ServiceStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

impl ManagerStatus {
    /// Parse the file text; empty text reads as `{}`.
    pub fn parse(text: &str) -> Result<ManagerStatus, String> {
        if text.trim().is_empty() {
            return Ok(ManagerStatus::default());
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("manager status serialises")
    }
}

/// Where a node's services are, from one manager status: positions in its
/// `service_status` (see [`SharedStatus::services`]).
#[derive(Debug, Default)]
pub struct NodeServices {
    /// Services whose current node is this node, in SID order: what the
    /// node's LRM reads of each of them every round. A node's services are
    /// spread over the whole status (every 32nd entry, say); these copies sit side by side, so
    /// the LRM's walk reads one small block instead of a line per entry.
    pub hot: Vec<HotService>,
    /// Services moving to this node from another one.
    pub incoming: Vec<u32>,
    /// Whether a service of this node is in state `fence`.
    pub fence: bool,
}

/// The hot fields of one service (see [`NodeServices::hot`]).
#[derive(Debug, Clone)]
pub struct HotService {
    pub sid: Key,
    pub uid: Key,
    pub state: ServiceState,
    /// `target` or `timeout` is set: read them from the full entry.
    pub extra: bool,
    /// Position of the full entry in `service_status`.
    pub pos: u32,
}

/// A manager status read for read-only use and shared between the daemons
/// of one round (it derefs to [`ManagerStatus`]). Its per-node index is
/// built on first use, so each LRM and CRM looks only at its own node's
/// services instead of scanning every entry.
#[derive(Debug, Default)]
pub struct SharedStatus {
    ms: ManagerStatus,
    by_node: std::sync::OnceLock<BTreeMap<String, NodeServices>>,
}

impl SharedStatus {
    pub fn new(ms: ManagerStatus) -> SharedStatus {
        SharedStatus {
            ms,
            by_node: std::sync::OnceLock::new(),
        }
    }

    /// The services of `node` (empty when it has none).
    pub fn node(&self, node: &str) -> &NodeServices {
        static NONE: NodeServices = NodeServices {
            hot: Vec::new(),
            incoming: Vec::new(),
            fence: false,
        };
        let idx = self.by_node.get_or_init(|| {
            let mut idx: BTreeMap<String, NodeServices> = BTreeMap::new();
            let mut add = |n: &str, f: &mut dyn FnMut(&mut NodeServices)| match idx.get_mut(n) {
                Some(e) => f(e),
                None => f(idx.entry(n.to_string()).or_default()),
            };
            for (i, (sid, sd)) in self.ms.service_status.iter().enumerate() {
                let i = i as u32;
                add(&sd.node, &mut |e| {
                    e.hot.push(HotService {
                        sid: sid.clone(),
                        uid: sd.uid.clone(),
                        state: sd.state,
                        extra: sd.target.is_some() || sd.timeout.is_some(),
                        pos: i,
                    });
                    e.fence |= sd.state == ServiceState::Fence;
                });
                if let Some(t) = sd.target.as_deref().filter(|t| *t != sd.node) {
                    add(t, &mut |e| e.incoming.push(i));
                }
            }
            idx
        });
        idx.get(node).unwrap_or(&NONE)
    }

    /// The entries at `positions` (from [`SharedStatus::node`]).
    pub fn services<'a>(
        &'a self,
        positions: &'a [u32],
    ) -> impl Iterator<Item = (&'a super::sidmap::Key, &'a ServiceStatus)> + 'a {
        positions
            .iter()
            .map(|&i| self.ms.service_status.entry_at(i as usize))
    }
}

impl std::ops::Deref for SharedStatus {
    type Target = ManagerStatus;
    fn deref(&self) -> &ManagerStatus {
        &self.ms
    }
}

/// The LRM mode as written to `lrm_status.mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LrmMode {
    Active,
    Maintenance,
    Restart,
    Shutdown,
    Disarm,
    /// Only as read by the manager for a node without lrm_status (real mode).
    Unknown,
}

impl LrmMode {
    pub fn as_str(self) -> &'static str {
        match self {
            LrmMode::Active => "active",
            LrmMode::Maintenance => "maintenance",
            LrmMode::Restart => "restart",
            LrmMode::Shutdown => "shutdown",
            LrmMode::Disarm => "disarm",
            LrmMode::Unknown => "unknown",
        }
    }
}

/// The LRM daemon state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LrmState {
    Startup,
    WaitForAgentLock,
    Active,
    LostAgentLock,
    Maintenance,
}

impl LrmState {
    pub fn as_str(self) -> &'static str {
        match self {
            LrmState::Startup => "startup",
            LrmState::WaitForAgentLock => "wait_for_agent_lock",
            LrmState::Active => "active",
            LrmState::LostAgentLock => "lost_agent_lock",
            LrmState::Maintenance => "maintenance",
        }
    }
}

/// One LRM command result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LrmResult {
    pub exit_code: i32,
    pub sid: Key,
    pub state: Key,
}

/// LRM results by uid.
pub type LrmResults = super::fasthash::FastMap<Key, LrmResult>;

/// Serialise [`LrmResults`] in uid order, so the files do not depend on
/// hash order.
pub fn serialize_results<S: serde::Serializer>(
    r: &Arc<LrmResults>,
    s: S,
) -> Result<S::Ok, S::Error> {
    let mut v: Vec<(&Key, &LrmResult)> = r.iter().collect();
    v.sort_unstable_by(|a, b| a.0.cmp(b.0));
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, x) in v {
        m.serialize_entry(k, x)?;
    }
    m.end()
}

/// Read [`LrmResults`] into the shared form the LRM and its status use.
pub fn deserialize_results<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Arc<LrmResults>, D::Error> {
    LrmResults::deserialize(d).map(Arc::new)
}

/// The `/etc/pve/nodes/<node>/lrm_status` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LrmStatus {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<LrmMode>,
    /// uid -> result, written in uid order. Shared with the LRM that wrote
    /// it: a round that adds no result writes its status without a copy.
    #[serde(
        default,
        serialize_with = "serialize_results",
        deserialize_with = "deserialize_results"
    )]
    pub results: Arc<LrmResults>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub state: Option<LrmState>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<i64>,
}

impl LrmStatus {
    pub fn parse(text: &str) -> Result<LrmStatus, String> {
        if text.trim().is_empty() {
            return Ok(LrmStatus::empty());
        }
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    pub fn empty() -> LrmStatus {
        LrmStatus {
            mode: None,
            results: Arc::default(),
            state: None,
            timestamp: None,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("lrm status serialises")
    }
}

/// The configured state of a resource (`resources.cfg` `state`, `enabled`
/// already mapped to `Started`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfState {
    Started,
    Stopped,
    Disabled,
    Ignored,
}

impl ConfState {
    pub fn parse(s: &str) -> Option<ConfState> {
        Some(match s {
            "started" | "enabled" => ConfState::Started,
            "stopped" => ConfState::Stopped,
            "disabled" => ConfState::Disabled,
            "ignored" => ConfState::Ignored,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ConfState::Started => "started",
            ConfState::Stopped => "stopped",
            ConfState::Disabled => "disabled",
            ConfState::Ignored => "ignored",
        }
    }
}

/// One HA resource as the manager and LRM see it (the "cd"): the
/// resources.cfg entry with defaults applied, plus where the guest lives.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceConf {
    /// `vm`, `ct` (or `fa` in the simulator).
    pub ty: Key,
    /// The part after the colon.
    pub name: Key,
    /// The node whose guest config holds the guest (None: no guest).
    pub node: Option<Key>,
    pub state: ConfState,
    pub group: Option<String>,
    pub failback: bool,
    pub max_restart: u32,
    pub max_relocate: u32,
    pub comment: Option<String>,
    /// A guest config lock (`backup`, `migrate`, ...), if any.
    pub lock: Option<String>,
}

/// The service configuration: SID -> entry, sorted.
pub type ServiceConfig = SidMap<ServiceConf>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lrm_results_are_written_in_uid_order() {
        let mut st = LrmStatus::empty();
        for (i, uid) in ["zz", "Ab", "b0", "A1", "m"].iter().enumerate() {
            Arc::make_mut(&mut st.results).insert(
                (*uid).into(),
                LrmResult {
                    exit_code: i as i32,
                    sid: format!("vm:{i}").into(),
                    state: "started".into(),
                },
            );
        }
        let text = serde_json::to_string(&st).unwrap();
        let pos = |u: &str| text.find(&format!("\"{u}\":")).unwrap();
        assert!(pos("A1") < pos("Ab") && pos("Ab") < pos("b0"));
        assert!(pos("b0") < pos("m") && pos("m") < pos("zz"));
        assert_eq!(LrmStatus::parse(&text).unwrap(), st);
    }

    #[test]
    fn manager_status_round_trip() {
        let text = r#"{"master_node":"node1","node_status":{"node1":"online","node3":"fence"},
            "service_status":{"vm:101":{"state":"started","node":"node1","uid":"abc","running":1},
            "vm:103":{"state":"request_stop","node":"node3","timeout":60,"uid":"x"}},
            "relocate_tried_nodes":{},"node_request":{"node2":{"maintenance":1},"node3":{}},
            "timestamp":5}"#;
        let ms = ManagerStatus::parse(text).unwrap();
        assert_eq!(ms.node_status["node3"], NodeState::Fence);
        assert!(ms.service_status["vm:101"].running);
        assert_eq!(ms.service_status["vm:103"].timeout.as_deref(), Some("60"));
        assert!(ms.node_request["node2"].maintenance);
        assert!(!ms.node_request["node3"].maintenance);
        let again = ManagerStatus::parse(&ms.to_json()).unwrap();
        assert_eq!(again, ms);
        assert!(!ms.to_json().contains("relocate_tried_nodes"));
    }

    #[test]
    fn empty_reads_as_default() {
        assert_eq!(ManagerStatus::parse("").unwrap(), ManagerStatus::default());
        assert_eq!(LrmStatus::parse(" \n").unwrap(), LrmStatus::empty());
    }
}

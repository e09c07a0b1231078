//! The simulated hardware: machines (name, addresses, CPU model, power,
//! network), qnetd hosts, and network segments (`pvesim split`). Kept in
//! `sim/hardware.json`; changed only under the cluster lock by the lab bench
//! and the cluster layer.
//!
//! Reachability (spec pvecm-and-pmxcfs B.2, network model): two machines
//! reach each other iff both are powered on, neither has its network off and
//! they are in the same segment. A machine reaches a qnetd host iff both are
//! up with network on and the machine's segment reaches qnetd (all segments,
//! unless `--qnetd-only-with NODE` restricted it to NODE's segment).

use crate::store::{read_opt, write_atomic, Root, StoreError};
use serde::{Deserialize, Serialize};

/// The private range `pvesim init` and `pvesim host add` take addresses
/// from: machine number i gets `192.168.1.(10 + i)` (pve1 = 192.168.1.11).
pub const ADDRESS_PREFIX: &str = "192.168.1.";
/// The host part of the first address handed out.
pub const FIRST_HOST_OCTET: u32 = 11;
/// The last host part handed out automatically.
pub const LAST_HOST_OCTET: u32 = 254;
/// The CPU model a machine gets when none is given.
pub const DEFAULT_CPU_MODEL: &str = "EPYC-7302";

/// One machine of the lab.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Machine {
    pub name: String,
    /// Ordered; the first one is the primary address.
    pub addresses: Vec<String>,
    #[serde(default)]
    pub cpu_model: String,
    pub powered: bool,
    /// `false` after `pvesim network NAME off`.
    pub network: bool,
    /// A host that runs only corosync-qnetd (not a cluster node).
    #[serde(default)]
    pub qnetd: bool,
}

impl Machine {
    pub fn primary_address(&self) -> &str {
        self.addresses.first().map(|s| s.as_str()).unwrap_or("")
    }
}

/// The whole lab.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hardware {
    /// In creation order.
    pub machines: Vec<Machine>,
    /// Segments from `pvesim split`; empty means one segment. Machines in no
    /// group form one further segment together.
    #[serde(default)]
    pub segments: Vec<Vec<String>>,
    /// `--qnetd-only-with NODE`.
    #[serde(default)]
    pub qnetd_only_with: Option<String>,
}

fn path(root: &Root) -> std::path::PathBuf {
    root.sim_dir().join("hardware.json")
}

/// Errors of the hardware model.
#[derive(Debug, thiserror::Error)]
pub enum HardwareError {
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("no such machine '{0}'")]
    NoSuchMachine(String),
    #[error("machine '{0}' already exists")]
    Exists(String),
    #[error("address '{addr}' is already used by machine '{owner}'")]
    AddressInUse { addr: String, owner: String },
    #[error("{0}")]
    Invalid(String),
}

/// Node-name format: letters, digits, inner hyphens.
pub fn valid_node_name(name: &str) -> bool {
    let b = name.as_bytes();
    !b.is_empty()
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

/// True for a literal IPv4 or IPv6 address.
pub fn valid_ip(s: &str) -> bool {
    s.parse::<std::net::IpAddr>().is_ok()
}

impl Hardware {
    /// Load the lab (an uninitialised root has no machines).
    pub fn load(root: &Root) -> Result<Hardware, StoreError> {
        match read_opt(&path(root))? {
            None => Ok(Hardware::default()),
            Some(text) => serde_json::from_str(&text)
                .map_err(|e| StoreError::Invalid(format!("{}: {e}", path(root).display()))),
        }
    }

    /// Save atomically (callers hold the cluster lock).
    pub fn save(&self, root: &Root) -> Result<(), StoreError> {
        let text =
            serde_json::to_string_pretty(self).map_err(|e| StoreError::Invalid(e.to_string()))?;
        write_atomic(&path(root), format!("{text}\n").as_bytes())?;
        Ok(())
    }

    pub fn machine(&self, name: &str) -> Option<&Machine> {
        self.machines.iter().find(|m| m.name == name)
    }

    pub fn machine_mut(&mut self, name: &str) -> Option<&mut Machine> {
        self.machines.iter_mut().find(|m| m.name == name)
    }

    /// The machine `name`, or an error naming it.
    pub fn get(&self, name: &str) -> Result<&Machine, HardwareError> {
        self.machine(name)
            .ok_or_else(|| HardwareError::NoSuchMachine(name.to_string()))
    }

    /// The machine that has `addr` among its addresses.
    pub fn by_address(&self, addr: &str) -> Option<&Machine> {
        self.machines
            .iter()
            .find(|m| m.addresses.iter().any(|a| a == addr))
    }

    /// The machine named `host` or owning the address `host`.
    pub fn by_name_or_address(&self, host: &str) -> Option<&Machine> {
        self.machine(host).or_else(|| self.by_address(host))
    }

    /// The simulated name table: a machine name resolves to its primary address.
    pub fn resolve(&self, name: &str) -> Option<String> {
        self.machine(name).map(|m| m.primary_address().to_string())
    }

    pub fn is_powered(&self, name: &str) -> bool {
        self.machine(name).is_some_and(|m| m.powered)
    }

    fn up(&self, name: &str) -> bool {
        self.machine(name).is_some_and(|m| m.powered && m.network)
    }

    /// The segment index of a machine (machines in no group share the last one).
    pub fn segment_of(&self, name: &str) -> usize {
        self.segments
            .iter()
            .position(|g| g.iter().any(|n| n == name))
            .unwrap_or(self.segments.len())
    }

    /// Whether machines `a` and `b` reach each other.
    pub fn reach(&self, a: &str, b: &str) -> bool {
        if a == b {
            return self.machine(a).is_some_and(|m| m.powered);
        }
        self.up(a) && self.up(b) && self.segment_of(a) == self.segment_of(b)
    }

    /// The qnetd host declared at `addr`, if any.
    pub fn qnetd_at(&self, addr: &str) -> Option<&Machine> {
        self.machines
            .iter()
            .find(|m| m.qnetd && m.addresses.iter().any(|a| a == addr))
    }

    /// Whether machine `name` reaches the qnetd server declared at `addr`.
    pub fn reaches_qnetd(&self, name: &str, addr: &str) -> bool {
        let Some(q) = self.qnetd_at(addr) else {
            return false;
        };
        if !(q.powered && q.network && self.up(name)) {
            return false;
        }
        match &self.qnetd_only_with {
            Some(n) => self.segment_of(n) == self.segment_of(name),
            None => true,
        }
    }

    /// The next free address of the documented range.
    pub fn next_free_address(&self) -> Result<String, HardwareError> {
        for o in FIRST_HOST_OCTET..=LAST_HOST_OCTET {
            let a = format!("{ADDRESS_PREFIX}{o}");
            if self.by_address(&a).is_none() {
                return Ok(a);
            }
        }
        Err(HardwareError::Invalid(format!(
            "no free address left in {ADDRESS_PREFIX}0/24"
        )))
    }

    /// Add a machine (validated: node-name format, unique name and addresses).
    pub fn add(&mut self, m: Machine) -> Result<(), HardwareError> {
        if !valid_node_name(&m.name) {
            return Err(HardwareError::Invalid(format!(
                "invalid machine name '{}': value does not look like a valid node name",
                m.name
            )));
        }
        if m.name.len() > 15 {
            return Err(HardwareError::Invalid(format!(
                "invalid machine name '{}': value may only be 15 characters long",
                m.name
            )));
        }
        if self.machine(&m.name).is_some() {
            return Err(HardwareError::Exists(m.name));
        }
        if m.addresses.is_empty() {
            return Err(HardwareError::Invalid(format!(
                "machine '{}' needs at least one address",
                m.name
            )));
        }
        for (i, a) in m.addresses.iter().enumerate() {
            if !valid_ip(a) {
                return Err(HardwareError::Invalid(format!(
                    "ip: value '{a}' does not look like a valid IP address"
                )));
            }
            if m.addresses[..i].contains(a) {
                return Err(HardwareError::Invalid(format!(
                    "ip: address '{a}' given twice"
                )));
            }
            if let Some(o) = self.by_address(a) {
                return Err(HardwareError::AddressInUse {
                    addr: a.clone(),
                    owner: o.name.clone(),
                });
            }
        }
        self.machines.push(m);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(name: &str, ip: &str) -> Machine {
        Machine {
            name: name.into(),
            addresses: vec![ip.into()],
            cpu_model: DEFAULT_CPU_MODEL.into(),
            powered: true,
            network: true,
            qnetd: false,
        }
    }

    #[test]
    fn reachability_rules() {
        let mut hw = Hardware::default();
        hw.add(m("pve1", "192.168.1.11")).unwrap();
        hw.add(m("pve2", "192.168.1.12")).unwrap();
        hw.add(m("pve3", "192.168.1.13")).unwrap();
        let mut q = m("qnetd", "192.168.1.50");
        q.qnetd = true;
        hw.add(q).unwrap();
        assert!(hw.reach("pve1", "pve2"));
        hw.segments = vec![vec!["pve1".into()], vec!["pve2".into()]];
        assert!(!hw.reach("pve1", "pve2"));
        // pve3 and qnetd are in the implicit rest segment.
        assert!(hw.reaches_qnetd("pve1", "192.168.1.50"));
        hw.qnetd_only_with = Some("pve2".into());
        assert!(!hw.reaches_qnetd("pve1", "192.168.1.50"));
        assert!(hw.reaches_qnetd("pve2", "192.168.1.50"));
        hw.machine_mut("pve2").unwrap().network = false;
        assert!(!hw.reaches_qnetd("pve2", "192.168.1.50"));
        assert_eq!(hw.next_free_address().unwrap(), "192.168.1.14");
        assert!(matches!(
            hw.add(m("pve4", "192.168.1.12")),
            Err(HardwareError::AddressInUse { .. })
        ));
        assert!(hw.add(m("-bad", "10.0.0.1")).is_err());
        assert!(hw.add(m("ok", "10.0.0.300")).is_err());
    }
}

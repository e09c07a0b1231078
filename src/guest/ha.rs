//! The HA side of qm (spec 3.13): whether a VM is HA-managed (hacli's
//! `ha::config`), and the requests qm hands to `ha-manager`. The request
//! itself is run by the CLI layer (it is an `ha-manager` command line whose
//! output is passed through), so domain code only records it in
//! [`super::vm::Term::ha_request`].

use super::vm::{GResult, GuestError};
use crate::ha::config::{self as hacfg, RequestState, Resource, Sid};
use crate::store::{PveFs, Root};

fn sid(vmid: u32) -> Sid {
    Sid::new("vm", vmid.to_string())
}

fn e(x: hacfg::HaConfigError) -> GuestError {
    GuestError::Msg(x.to_string())
}

/// HA-managed for qm purposes (configured, not `ignored`, no disarm in
/// `ignore` mode).
pub fn is_managed(pve: &PveFs, vmid: u32) -> GResult<bool> {
    hacfg::is_ha_managed(pve, &sid(vmid)).map_err(e)
}

/// Configured at all (including `ignored`), as destroy checks it.
pub fn is_configured(pve: &PveFs, vmid: u32) -> GResult<bool> {
    hacfg::is_configured(pve, &sid(vmid)).map_err(e)
}

/// Add `vm:<vmid>` as an HA resource (create --ha-managed), like
/// `ha-manager add vm:<vmid> --state <state>`.
pub fn add_resource(root: &Root, pve: &PveFs, vmid: u32, state: &str) -> GResult<()> {
    let _g = hacfg::lock_ha(root, pve).map_err(e)?;
    let mut cfg = hacfg::read_resources(pve).map_err(e)?;
    let s = sid(vmid);
    if cfg.get(&s).is_some() {
        return Err(GuestError::Msg(format!(
            "resource ID '{s}' already defined"
        )));
    }
    let mut r = Resource::new(s);
    r.state = RequestState::parse(state);
    cfg.resources.push(r);
    hacfg::write_resources(pve, &cfg).map_err(e)
}

/// Remove `vm:<vmid>` from resources.cfg; true if it was there.
pub fn remove_resource(root: &Root, pve: &PveFs, vmid: u32) -> GResult<bool> {
    hacfg::remove_resource_if_present(root, pve, &sid(vmid)).map_err(e)
}

/// The `ha-manager` command line for a start request.
pub fn start_request(vmid: u32) -> Vec<String> {
    vec![
        "set".into(),
        format!("vm:{vmid}"),
        "--state".into(),
        "started".into(),
    ]
}

/// The `ha-manager` command line for a stop request with `timeout`.
pub fn stop_request(vmid: u32, timeout: u64) -> Vec<String> {
    vec![
        "crm-command".into(),
        "stop".into(),
        format!("vm:{vmid}"),
        timeout.to_string(),
    ]
}

/// The `ha-manager` command line for a migrate request.
pub fn migrate_request(vmid: u32, target: &str) -> Vec<String> {
    vec!["migrate".into(), format!("vm:{vmid}"), target.into()]
}

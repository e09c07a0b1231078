//! The HA side of qm (spec 3.13): whether a VM is HA-managed and how qm
//! hands start/stop/migrate requests to the HA stack.

use super::vm::{err, GResult, GuestError};
use crate::format::section_config;
use crate::store::{PveFs, Root};

/// The state of `vm:<vmid>` in resources.cfg (None: not configured).
pub fn resource_state(pve: &PveFs, vmid: u32) -> GResult<Option<String>> {
    let text = pve.read("ha/resources.cfg")?.unwrap_or_default();
    let parsed = section_config::parse("/etc/pve/ha/resources.cfg", &text);
    Ok(parsed
        .sections
        .iter()
        .find(|s| (s.ty == "vm") && s.id == vmid.to_string())
        .map(|s| s.get("state").unwrap_or("started").to_string()))
}

fn manager_status(pve: &PveFs) -> serde_json::Value {
    pve.read("ha/manager_status")
        .ok()
        .flatten()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null)
}

/// HA-managed for qm purposes: configured with a state other than
/// `ignored`, and no cluster-wide disarm in `ignore` mode.
pub fn is_managed(pve: &PveFs, vmid: u32) -> GResult<bool> {
    match resource_state(pve, vmid)? {
        Some(s) if s != "ignored" => {
            let ms = manager_status(pve);
            let disarm_ignore = ms
                .get("disarm")
                .and_then(|d| d.get("mode"))
                .and_then(|m| m.as_str())
                == Some("ignore");
            Ok(!disarm_ignore)
        }
        _ => Ok(false),
    }
}

/// Configured at all (including `ignored`), as destroy checks it.
pub fn is_configured(pve: &PveFs, vmid: u32) -> GResult<bool> {
    Ok(resource_state(pve, vmid)?.is_some())
}

fn ha_lock(root: &Root) -> GResult<crate::store::LockGuard> {
    Ok(root.lock("domain-ha", crate::store::DEFAULT_LOCK_TIMEOUT)?)
}

/// Append one line to `ha/crm_commands`.
pub fn queue_crm_command(root: &Root, pve: &PveFs, cmd: &str) -> GResult<()> {
    let _g = ha_lock(root)?;
    let mut text = pve.read("ha/crm_commands")?.unwrap_or_default();
    text.push_str(cmd);
    text.push('\n');
    pve.write("ha/crm_commands", &text)?;
    Ok(())
}

/// Set the request state of `vm:<vmid>` (like `ha-manager set --state`).
pub fn request_state(root: &Root, pve: &PveFs, vmid: u32, state: &str) -> GResult<()> {
    let _g = ha_lock(root)?;
    let text = pve.read("ha/resources.cfg")?.unwrap_or_default();
    let mut parsed = section_config::parse("/etc/pve/ha/resources.cfg", &text);
    let Some(sec) = parsed
        .sections
        .iter_mut()
        .find(|s| s.ty == "vm" && s.id == vmid.to_string())
    else {
        return err(format!("service 'vm:{vmid}' is not configured"));
    };
    sec.props.retain(|p| p.key != "state");
    sec.push("state", state);
    sec.props.sort_by(|a, b| a.key.cmp(&b.key));
    pve.write("ha/resources.cfg", &section_config::write(&parsed.sections))?;
    Ok(())
}

/// Add `vm:<vmid>` as an HA resource (create --ha-managed).
pub fn add_resource(root: &Root, pve: &PveFs, vmid: u32, state: &str) -> GResult<()> {
    let _g = ha_lock(root)?;
    let text = pve.read("ha/resources.cfg")?.unwrap_or_default();
    let mut parsed = section_config::parse("/etc/pve/ha/resources.cfg", &text);
    if parsed
        .sections
        .iter()
        .any(|s| s.ty == "vm" && s.id == vmid.to_string())
    {
        return err(format!("resource ID 'vm:{vmid}' already defined"));
    }
    let mut s = section_config::Section::new("vm", vmid.to_string());
    s.push("state", state);
    parsed.sections.push(s);
    pve.write("ha/resources.cfg", &section_config::write(&parsed.sections))?;
    Ok(())
}

/// Remove `vm:<vmid>` from resources.cfg; true if it was there.
pub fn remove_resource(root: &Root, pve: &PveFs, vmid: u32) -> GResult<bool> {
    let _g = ha_lock(root)?;
    let text = pve.read("ha/resources.cfg")?.unwrap_or_default();
    let mut parsed = section_config::parse("/etc/pve/ha/resources.cfg", &text);
    let before = parsed.sections.len();
    parsed
        .sections
        .retain(|s| !(s.ty == "vm" && s.id == vmid.to_string()));
    if parsed.sections.len() == before {
        return Ok(false);
    }
    pve.write("ha/resources.cfg", &section_config::write(&parsed.sections))?;
    Ok(true)
}

/// The HA migrate request (`ha-manager migrate vm:<vmid> <target>`):
/// refused for a service in error state; otherwise queued.
pub fn request_migrate(root: &Root, pve: &PveFs, vmid: u32, target: &str) -> GResult<()> {
    let ms = manager_status(pve);
    let state = ms
        .get("service_status")
        .and_then(|s| s.get(format!("vm:{vmid}")))
        .and_then(|s| s.get("state"))
        .and_then(|s| s.as_str());
    if state == Some("error") {
        return Err(GuestError::Msg(format!(
            "service 'vm:{vmid}' in error state, must be disabled and fixed first\ncommand 'ha-manager migrate vm:{vmid} {target}' failed: exit code 255"
        )));
    }
    queue_crm_command(root, pve, &format!("migrate vm:{vmid} {target}"))
}

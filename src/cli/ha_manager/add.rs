//! `ha-manager add <sid>`: put a VM or container under HA management.

use super::{env::HaEnv, groups, params, schema::CmdDef, Handler, Inv, RESOURCES};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{
    self, lock_ha, parse_sid, read_resources, valid_vmid_name, write_resources, GuestKind,
    Resource, Sid,
};

pub fn def(version: u8) -> CmdDef<Handler> {
    let mut p = vec![
        params::sid(),
        params::comment(),
        params::group(),
        params::max_relocate(),
        params::max_restart(),
        params::state(),
        params::resource_type(),
    ];
    if version >= 9 {
        p.push(params::failback());
    }
    CmdDef {
        class: RESOURCES,
        args: vec!["sid"],
        params: p,
        format_options: false,
        desc: "Create a new HA resource.",
        handler: run,
    }
}

/// Check that the guest behind a `vm`/`ct` resource exists and has the
/// right kind.
pub fn check_guest(env: &HaEnv, sid: &Sid) -> CliResult<()> {
    if sid.ty != "vm" && sid.ty != "ct" {
        return Err(CliError::fail(format!(
            "unknown resource type '{}'",
            sid.ty
        )));
    }
    if !valid_vmid_name(&sid.name) {
        return Err(CliError::fail("invalid VMID"));
    }
    match env.guest(&sid.name) {
        None => Err(CliError::fail(format!(
            "resource '{sid}' does not exist in cluster"
        ))),
        Some((_, GuestKind::Vm)) if sid.ty == "ct" => Err(CliError::fail(format!(
            "resource '{sid}' - guest with ID {} is not a container",
            sid.name
        ))),
        Some((_, GuestKind::Ct)) if sid.ty == "vm" => Err(CliError::fail(format!(
            "resource '{sid}' - guest with ID {} is not a VM",
            sid.name
        ))),
        Some(_) => Ok(()),
    }
}

fn run(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    if !env.quorate() {
        return Err(CliError::fail("cluster not ready - no quorum?"));
    }
    let sid = parse_sid(v.get("sid").unwrap_or_default(), &env.lookup())?;
    if let Some(t) = v.get("type") {
        if t != sid.ty {
            return Err(CliError::fail("types does not match"));
        }
    }
    if let Some(g) = v.get("group") {
        if super::groups_migrated(&env)? {
            return Err(CliError::fail(
                "invalid parameter 'group': ha groups have been migrated to rules",
            ));
        }
        groups::check_group_exists(&env, g)?;
    }
    check_guest(&env, &sid)?;

    let mut res = Resource::new(sid.clone());
    for key in config::RESOURCE_KEYS {
        if let Some(val) = v.get(key) {
            res.set_option(key, Some(val)).map_err(CliError::fail)?;
        }
    }
    let fail = |e: String| CliError::fail(format!("create resource failed: {e}"));
    super::check_line_feeds(&inv.values).map_err(fail)?;
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_resources(&env.pve)?;
    if cfg.get(&sid).is_some() {
        return Err(fail(format!("resource ID '{sid}' already defined")));
    }
    cfg.resources.push(res);
    write_resources(&env.pve, &cfg).map_err(|e| fail(e.to_string()))?;
    Ok(())
}

//! `ha-manager set <sid>`: change the options of a resource.

use super::{groups, params, schema::CmdDef, Handler, Inv, RESOURCES};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{
    self, crm_service_state, lock_ha, parse_sid, read_manager_status, read_resources,
    write_resources,
};

pub fn def(version: u8) -> CmdDef<Handler> {
    let mut p = vec![
        params::sid(),
        params::comment(),
        params::delete(),
        params::digest(),
        params::group(),
        params::max_relocate(),
        params::max_restart(),
        params::state(),
    ];
    if version >= 9 {
        p.push(params::failback());
    }
    CmdDef {
        class: RESOURCES,
        args: vec!["sid"],
        params: p,
        format_options: false,
        desc: "Update resource configuration.",
        handler: run,
    }
}

fn run(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    let sid = parse_sid(v.get("sid").unwrap_or_default(), &env.lookup())?;
    if let Some(g) = v.get("group") {
        if super::groups_migrated(&env)? {
            return Err(CliError::fail(
                "invalid parameter 'group': ha groups have been migrated to rules",
            ));
        }
        groups::check_group_exists(&env, g)?;
    }
    let ms = read_manager_status(&env.pve)?;
    if crm_service_state(&ms, &sid).as_deref() == Some("error")
        && v.get("state") != Some("disabled")
    {
        return Err(CliError::fail(format!(
            "service '{sid}' in error state, must be disabled and fixed first"
        )));
    }
    let fail = |e: String| CliError::fail(format!("update resources config failed: {e}"));
    super::check_line_feeds(&inv.values).map_err(fail)?;
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_resources(&env.pve)?;
    if let Some(d) = v.get("digest") {
        if d != cfg.digest {
            return Err(fail(
                "detected modified configuration - file changed by other user? Try again.".into(),
            ));
        }
    }
    let Some(res) = cfg.get_mut(&sid) else {
        return Err(fail(format!("no such resource '{sid}'")));
    };
    if let Some(list) = v.get("delete") {
        for k in params::split_list(list) {
            if k == "sid" || k == "type" {
                return Err(fail(format!("unable to delete required option '{k}'")));
            }
            if !config::RESOURCE_KEYS.contains(&k.as_str()) || (k == "failback" && inv.version < 9)
            {
                return Err(fail(format!("no such option '{k}'")));
            }
            if v.has(&k) {
                return Err(fail(format!(
                    "cannot set and delete property '{k}' at the same time!"
                )));
            }
            res.set_option(&k, None).map_err(fail)?;
        }
    }
    for key in config::RESOURCE_KEYS {
        if let Some(val) = v.get(key) {
            res.set_option(key, Some(val)).map_err(fail)?;
        }
    }
    write_resources(&env.pve, &cfg).map_err(|e| fail(e.to_string()))?;
    Ok(())
}

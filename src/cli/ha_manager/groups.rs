//! The deprecated HA group commands: `groupconfig`, `groupadd`, `groupset`,
//! `groupremove`. In Proxmox VE 9 they are refused once the groups have
//! been migrated to rules.

use super::{env::HaEnv, params, schema::CmdDef, schema::Param, Handler, Inv, GROUPS};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{lock_ha, read_resources, GROUPS_CFG};
use crate::ha::groups::{Group, GroupsConfig};
use crate::store::PveFs;

/// The ids of the groups in groups.cfg (file order).
pub fn read_group_ids(pve: &PveFs) -> CliResult<Vec<String>> {
    Ok(read_groups(pve)?.groups.into_iter().map(|g| g.id).collect())
}

/// Fail unless group `g` exists.
pub fn check_group_exists(env: &HaEnv, g: &str) -> CliResult<()> {
    if read_group_ids(&env.pve)?.iter().any(|id| id == g) {
        Ok(())
    } else {
        Err(CliError::fail(format!("HA group '{g}' does not exist")))
    }
}

fn group_param() -> Param {
    Param::format("group", params::check_configid)
        .required()
        .desc("The HA group identifier.")
}

fn nofailback() -> Param {
    Param::boolean("nofailback").default("0").desc("The CRM tries to run services on the node with the highest priority. If a node with higher priority comes online, the CRM migrates the service to that node. Enabling nofailback prevents that behavior.")
}

fn restricted() -> Param {
    Param::boolean("restricted")
        .default("0")
        .desc("Resources bound to restricted groups may only run on nodes defined by the group.")
}

pub fn def_groupconfig() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec![],
        params: vec![],
        format_options: false,
        desc: "Get HA groups.",
        handler: run_groupconfig,
    }
}

pub fn def_groupadd() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![
            group_param(),
            params::comment(),
            params::group_nodes().required(),
            nofailback(),
            restricted(),
            Param::enumeration("type", &["group"]).desc("Group type."),
        ],
        format_options: false,
        desc: "Create a new HA group.",
        handler: run_groupadd,
    }
}

pub fn def_groupset() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![
            group_param(),
            params::comment(),
            params::delete(),
            params::digest(),
            params::group_nodes(),
            nofailback(),
            restricted(),
        ],
        format_options: false,
        desc: "Update ha group configuration.",
        handler: run_groupset,
    }
}

pub fn def_groupremove() -> CmdDef<Handler> {
    CmdDef {
        class: GROUPS,
        args: vec!["group"],
        params: vec![group_param()],
        format_options: false,
        desc: "Delete ha group configuration.",
        handler: run_groupremove,
    }
}

fn migrated_error(inv: &Inv, env: &HaEnv, what: &str) -> CliResult<()> {
    let _ = inv;
    if super::groups_migrated(env)? {
        return Err(CliError::fail(format!(
            "cannot {what}: ha groups have been migrated to rules"
        )));
    }
    Ok(())
}

/// Read groups.cfg (a missing file is empty).
pub fn read_groups(pve: &PveFs) -> CliResult<GroupsConfig> {
    let text = pve.read(GROUPS_CFG)?.unwrap_or_default();
    Ok(GroupsConfig::parse(&text).0)
}

fn write_groups(env: &HaEnv, cfg: &GroupsConfig) -> CliResult<()> {
    env.pve.write(GROUPS_CFG, &cfg.write())?;
    Ok(())
}

fn run_groupconfig(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    migrated_error(inv, &env, "index groups")?;
    let text = env.pve.read(GROUPS_CFG)?.unwrap_or_default();
    let (cfg, warnings) = GroupsConfig::parse(&text);
    for w in warnings {
        eprintln!("{w}");
    }
    let mut groups: Vec<&Group> = cfg.groups.iter().collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = String::new();
    for g in groups {
        out.push_str(&format!("group: {}\n", g.id));
        let mut lines: Vec<(&str, String)> = vec![("nodes", g.nodes_string())];
        if let Some(c) = &g.comment {
            lines.push(("comment", c.clone()));
        }
        if let Some(b) = g.nofailback {
            lines.push(("nofailback", bool_text(b)));
        }
        if let Some(b) = g.restricted {
            lines.push(("restricted", bool_text(b)));
        }
        lines.sort_by_key(|(k, _)| *k);
        for (k, v) in lines {
            out.push_str(&format!("\t{k} {v}\n"));
        }
        out.push('\n');
    }
    print!("{out}");
    Ok(())
}

fn bool_text(b: bool) -> String {
    if b { "1" } else { "0" }.to_string()
}

/// Apply the group options given on the command line.
fn apply_options(g: &mut Group, v: &super::schema::Values) {
    if let Some(c) = v.get("comment") {
        g.comment = Some(c.to_string());
    }
    if let Some(n) = v.get("nodes") {
        g.nodes = params::split_list(n);
    }
    if let Some(b) = v.bool("nofailback") {
        g.nofailback = Some(b);
    }
    if let Some(b) = v.bool("restricted") {
        g.restricted = Some(b);
    }
}

fn run_groupadd(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    if !env.quorate() {
        return Err(CliError::fail("cluster not ready - no quorum?"));
    }
    migrated_error(inv, &env, "create group")?;
    let id = v.get("group").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("create ha group failed: {e}"));
    super::check_line_feeds(&inv.values).map_err(fail)?;
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_groups(&env.pve)?;
    if cfg.get(id).is_some() {
        return Err(fail(format!("ha group ID '{id}' already defined")));
    }
    let mut g = Group::new(id, Vec::new());
    apply_options(&mut g, v);
    cfg.groups.push(g);
    write_groups(&env, &cfg).map_err(|e| fail(e.message))
}

fn run_groupset(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    migrated_error(inv, &env, "update group")?;
    let id = v.get("group").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("update ha group failed: {e}"));
    super::check_line_feeds(&inv.values).map_err(fail)?;
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_groups(&env.pve)?;
    if let Some(d) = v.get("digest") {
        if d != cfg.digest {
            return Err(fail(
                "detected modified configuration - file changed by other user? Try again.".into(),
            ));
        }
    }
    let Some(g) = cfg.get_mut(id) else {
        return Err(fail(format!("no such ha group '{id}'")));
    };
    if let Some(list) = v.get("delete") {
        for k in params::split_list(list) {
            if v.has(&k) {
                return Err(fail(format!(
                    "cannot set and delete property '{k}' at the same time!"
                )));
            }
            match k.as_str() {
                "comment" => g.comment = None,
                "nofailback" => g.nofailback = None,
                "restricted" => g.restricted = None,
                "nodes" | "group" | "type" => {
                    return Err(fail(format!("unable to delete required option '{k}'")))
                }
                _ => return Err(fail(format!("no such option '{k}'"))),
            }
        }
    }
    apply_options(g, v);
    write_groups(&env, &cfg).map_err(|e| fail(e.message))
}

fn run_groupremove(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    migrated_error(inv, &env, "delete group")?;
    let id = inv.values.get("group").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("delete ha group failed: {e}"));
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_groups(&env.pve)?;
    if cfg.get(id).is_none() {
        return Err(fail(format!("no such ha group '{id}'")));
    }
    let resources = read_resources(&env.pve)?;
    if let Some(r) = resources
        .sorted()
        .into_iter()
        .find(|r| r.group.as_deref() == Some(id))
    {
        return Err(fail(format!("ha group is used by service '{}'", r.sid)));
    }
    cfg.remove(id);
    write_groups(&env, &cfg).map_err(|e| fail(e.message))
}

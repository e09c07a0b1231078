//! `ha-manager rules add|set|remove|list|config` (Proxmox VE 9): node- and
//! resource-affinity rules in `ha/rules.cfg`, and the rule lookups other
//! commands need (purging a removed resource, motion partners).

use super::{env::HaEnv, params, schema::CmdDef, schema::Node, schema::Param, Handler, Inv, RULES};
use crate::cli::output::{render_data, render_table, Column, OutputFormat};
use crate::cli::{CliError, CliResult};
use crate::ha::config::{lock_ha, read_manager_status, read_resources, RequestState, RULES_CFG};
use crate::ha::rules::{
    check_feasibility, invalid_rule_error, parse_resource_list, parse_rule_nodes,
    unknown_nodes_error, unmanaged_resources_error, Affinity, Rule, RuleError, RuleKind,
    RulesConfig,
};
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};

const RULE_TYPES: [&str; 2] = ["node-affinity", "resource-affinity"];

fn type_param() -> Param {
    Param::enumeration("type", &RULE_TYPES)
        .required()
        .desc("HA rule type.")
}

fn rule_param() -> Param {
    Param::format("rule", params::check_configid)
        .required()
        .desc("HA rule identifier.")
}

fn resources_param() -> Param {
    Param::format("resources", params::check_sid_list)
        .list()
        .typetext("<type>:<name>{,<type>:<name>}*")
        .desc("List of HA resource IDs. This consists of a list of resource types followed by a resource specific name separated with a colon (example: vm:100,ct:101).")
}

fn common_params() -> Vec<Param> {
    vec![
        Param::enumeration("affinity", &["positive", "negative"]).desc("Describes whether the HA resource are supposed to be kept on the same node ('positive'), or are supposed to be kept on separate nodes ('negative')."),
        params::comment().desc("HA rule description."),
        Param::boolean("disable").default("0").desc("Whether the HA rule is disabled."),
        Param::format("nodes", params::check_node_list)
            .list()
            .typetext("<node>[:<pri>]{,<node>[:<pri>]}*")
            .desc("List of cluster node names with optional priority."),
        Param::boolean("strict").default("0").desc("Describes whether the node affinity rule is strict or non-strict."),
    ]
}

fn filter_params() -> Vec<Param> {
    vec![
        Param::format("resource", params::check_sid)
            .desc("Limit the returned list to rules affecting the specified resource."),
        Param::enumeration("type", &RULE_TYPES)
            .desc("Limit the returned list to the specified rule type."),
    ]
}

/// The `rules` subcommands.
pub fn tree() -> Vec<(&'static str, Node<Handler>)> {
    let mut add = vec![type_param(), rule_param(), resources_param().required()];
    add.extend(common_params());
    let mut set = vec![
        type_param(),
        rule_param(),
        resources_param(),
        params::delete(),
        params::digest(),
    ];
    set.extend(common_params());
    vec![
        (
            "add",
            Node::Cmd(CmdDef {
                class: RULES,
                args: vec!["type", "rule"],
                params: add,
                format_options: false,
                desc: "Create HA rule.",
                handler: run_add,
            }),
        ),
        (
            "set",
            Node::Cmd(CmdDef {
                class: RULES,
                args: vec!["type", "rule"],
                params: set,
                format_options: false,
                desc: "Update HA rule.",
                handler: run_set,
            }),
        ),
        (
            "remove",
            Node::Cmd(CmdDef {
                class: RULES,
                args: vec!["rule"],
                params: vec![rule_param()],
                format_options: false,
                desc: "Delete HA rule.",
                handler: run_remove,
            }),
        ),
        (
            "list",
            Node::Cmd(CmdDef {
                class: RULES,
                args: vec![],
                params: filter_params(),
                format_options: true,
                desc: "Get HA rules.",
                handler: run_list,
            }),
        ),
        (
            "config",
            Node::Cmd(CmdDef {
                class: RULES,
                args: vec![],
                params: filter_params(),
                format_options: true,
                desc: "Get HA rules.",
                handler: run_config,
            }),
        ),
    ]
}

/// Read rules.cfg (a missing file is empty).
pub fn read_rules(env: &HaEnv) -> CliResult<RulesConfig> {
    let text = env.pve.read(RULES_CFG)?.unwrap_or_default();
    Ok(RulesConfig::parse(&text).0)
}

fn write_rules(env: &HaEnv, cfg: &RulesConfig) -> CliResult<()> {
    env.pve.write(RULES_CFG, &cfg.write())?;
    Ok(())
}

fn not_migrated(env: &HaEnv, what: &str) -> CliResult<()> {
    if !super::groups_migrated(env)? {
        return Err(CliError::fail(format!(
            "cannot {what} ha rule: ha groups have not been migrated yet"
        )));
    }
    Ok(())
}

/// Refuse options that do not belong to the rule type (parameter error).
fn check_type_options(inv: &Inv, ty: &str) -> CliResult<()> {
    let foreign: &[&str] = if ty == "node-affinity" {
        &["affinity"]
    } else {
        &["nodes", "strict"]
    };
    let errors: Vec<(String, String)> = foreign
        .iter()
        .filter(|k| inv.values.has(k))
        .map(|k| (k.to_string(), crate::format::NOT_IN_SCHEMA.to_string()))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(super::schema::param_error(&errors, &inv.usage))
    }
}

/// The checks `rules add` and `rules set` share, on the resulting rule:
/// managed resources, existing nodes, feasibility among all rules.
fn check_rule(env: &HaEnv, cfg: &RulesConfig, rule: &Rule) -> Result<(), String> {
    if rule.resources.is_empty() {
        return Err("no resources were specified".into());
    }
    let resources = read_resources(&env.pve).map_err(|e| e.to_string())?;
    let unmanaged: Vec<String> = rule
        .resources
        .iter()
        .filter(|sid| {
            !resources
                .resources
                .iter()
                .any(|r| &r.sid.to_string() == *sid)
        })
        .cloned()
        .collect();
    if !unmanaged.is_empty() {
        return Err(unmanaged_resources_error(&unmanaged));
    }
    let members = env.members().map_err(|e| e.message)?;
    if let Some(nodes) = rule.nodes() {
        if nodes.is_empty() {
            return Err("no nodes were specified".into());
        }
        let unknown: Vec<String> = nodes
            .keys()
            .filter(|n| !members.contains(n))
            .cloned()
            .collect();
        if !unknown.is_empty() {
            return Err(unknown_nodes_error(&unknown));
        }
    }
    let mut all: Vec<Rule> = cfg
        .rules
        .iter()
        .filter(|r| r.id != rule.id)
        .cloned()
        .collect();
    all.push(rule.clone());
    let errors = check_feasibility(&all, &members);
    if let Some(errs) = errors.get(&rule.id) {
        return Err(invalid_rule_error(&rule.id, errs));
    }
    Ok(())
}

fn apply_common(rule: &mut Rule, inv: &Inv) -> Result<(), String> {
    let v = &inv.values;
    if let Some(c) = v.get("comment") {
        rule.comment = Some(c.to_string());
    }
    if let Some(d) = v.bool("disable") {
        // `--disable 0` is dropped: only true is stored.
        rule.disable = if d { Some(true) } else { None };
    }
    if let Some(r) = v.get("resources") {
        rule.resources = parse_resource_list(r)?;
    }
    match &mut rule.kind {
        RuleKind::NodeAffinity { nodes, strict } => {
            if let Some(n) = v.get("nodes") {
                *nodes = parse_rule_nodes(n);
            }
            if let Some(s) = v.bool("strict") {
                *strict = Some(s);
            }
        }
        RuleKind::ResourceAffinity { affinity } => {
            if let Some(a) = v.get("affinity").and_then(Affinity::parse) {
                *affinity = a;
            }
        }
    }
    Ok(())
}

fn run_add(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    if !env.quorate() {
        return Err(CliError::fail("cluster not ready - no quorum?"));
    }
    not_migrated(&env, "create")?;
    let ty = v.get("type").unwrap_or_default();
    check_type_options(inv, ty)?;
    let id = v.get("rule").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("create ha rule failed: {e}"));
    let mut rule = if ty == "node-affinity" {
        if !v.has("nodes") {
            return Err(fail("no nodes were specified".into()));
        }
        Rule::node_affinity(id, BTreeSet::new(), BTreeMap::new(), None)
    } else {
        let Some(a) = v.get("affinity").and_then(Affinity::parse) else {
            return Err(super::schema::param_error(
                &[(
                    "affinity".into(),
                    "property is missing and it is not optional".into(),
                )],
                &inv.usage,
            ));
        };
        Rule::resource_affinity(id, BTreeSet::new(), a)
    };
    apply_common(&mut rule, inv).map_err(fail)?;
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_rules(&env)?;
    if cfg.get(id).is_some() {
        return Err(fail(format!("HA rule '{id}' already defined")));
    }
    rule.order = cfg.next_order();
    check_rule(&env, &cfg, &rule).map_err(fail)?;
    cfg.rules.push(rule);
    write_rules(&env, &cfg).map_err(|e| fail(e.message))
}

fn run_set(inv: &Inv) -> CliResult {
    let v = &inv.values;
    let env = inv.env()?;
    not_migrated(&env, "update")?;
    let ty = v.get("type").unwrap_or_default();
    check_type_options(inv, ty)?;
    let id = v.get("rule").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("update HA rules failed: {e}"));
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_rules(&env)?;
    if let Some(d) = v.get("digest") {
        if d != cfg.digest {
            return Err(fail(
                "detected modified configuration - file changed by other user? Try again.".into(),
            ));
        }
    }
    let Some(existing) = cfg.get(id) else {
        return Err(fail(format!("HA rule '{id}' does not exist")));
    };
    if existing.type_name() != ty {
        return Err(fail(format!(
            "HA rule '{id}' is of type '{}', not '{ty}'",
            existing.type_name()
        )));
    }
    let mut rule = existing.clone();
    if let Some(list) = v.get("delete") {
        for k in params::split_list(list) {
            if v.has(&k) {
                return Err(fail(format!(
                    "cannot set and delete property '{k}' at the same time!"
                )));
            }
            match (k.as_str(), &mut rule.kind) {
                ("comment", _) => rule.comment = None,
                ("disable", _) => rule.disable = None,
                ("strict", RuleKind::NodeAffinity { strict, .. }) => *strict = None,
                ("resources", _) | ("nodes", RuleKind::NodeAffinity { .. }) => {
                    return Err(fail(format!("unable to delete required option '{k}'")))
                }
                ("affinity", RuleKind::ResourceAffinity { .. }) => {
                    return Err(fail(format!("unable to delete required option '{k}'")))
                }
                _ => return Err(fail(format!("no such option '{k}'"))),
            }
        }
    }
    apply_common(&mut rule, inv).map_err(fail)?;
    check_rule(&env, &cfg, &rule).map_err(fail)?;
    if let Some(slot) = cfg.get_mut(id) {
        *slot = rule;
    }
    write_rules(&env, &cfg).map_err(|e| fail(e.message))
}

fn run_remove(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let id = inv.values.get("rule").unwrap_or_default();
    let fail = |e: String| CliError::fail(format!("delete ha rule failed: {e}"));
    let _lock = lock_ha(&env.root, &env.pve).map_err(|e| fail(e.to_string()))?;
    let mut cfg = read_rules(&env)?;
    if cfg.remove(id).is_some() {
        write_rules(&env, &cfg).map_err(|e| fail(e.message))?;
    }
    Ok(())
}

fn bool_num(b: bool) -> Value {
    json!(if b { 1 } else { 0 })
}

/// The rule objects `rules list` returns, ordered by order number.
fn rule_objects(env: &HaEnv, inv: &Inv) -> CliResult<Vec<Value>> {
    let cfg = read_rules(env)?;
    let members = env.members()?;
    let errors: BTreeMap<String, Vec<RuleError>> = check_feasibility(&cfg.rules, &members);
    let mut out = Vec::new();
    for r in cfg.sorted_by_order() {
        if let Some(t) = inv.values.get("type") {
            if r.type_name() != t {
                continue;
            }
        }
        if let Some(sid) = inv.values.get("resource") {
            if !r.resources.contains(sid) {
                continue;
            }
        }
        let mut o = Map::new();
        o.insert("rule".into(), json!(r.id));
        o.insert("type".into(), json!(r.type_name()));
        o.insert("digest".into(), json!(cfg.digest));
        o.insert("order".into(), json!(r.order));
        o.insert("resources".into(), json!(r.resources_string()));
        if let Some(c) = &r.comment {
            o.insert("comment".into(), json!(c));
        }
        if let Some(d) = r.disable {
            o.insert("disable".into(), bool_num(d));
        }
        match &r.kind {
            RuleKind::NodeAffinity { strict, .. } => {
                o.insert("nodes".into(), json!(r.nodes_string().unwrap_or_default()));
                o.insert("strict".into(), bool_num(strict.unwrap_or(false)));
            }
            RuleKind::ResourceAffinity { affinity } => {
                o.insert("affinity".into(), json!(affinity.as_str()));
            }
        }
        if let Some(errs) = errors.get(&r.id) {
            let mut by_opt: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
            for e in errs {
                by_opt.entry(e.option).or_default().push(&e.message);
            }
            let em: Map<String, Value> = by_opt
                .into_iter()
                .map(|(k, v)| (k.to_string(), json!(v.join(", "))))
                .collect();
            o.insert("errors".into(), Value::Object(em));
        }
        out.push(Value::Object(o));
    }
    Ok(out)
}

fn print_rows(inv: &Inv, rows: &[Value], columns: &[Column]) -> CliResult {
    let opts = inv.values.format_options();
    if opts.quiet {
        return Ok(());
    }
    match opts.output_format {
        OutputFormat::Text => {
            print!("{}", render_table(rows, columns, &opts, inv.ctx.utf8));
        }
        f => {
            print!(
                "{}",
                render_data(&Value::Array(rows.to_vec()), f).unwrap_or_default()
            );
        }
    }
    Ok(())
}

fn run_list(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let rows = rule_objects(&env, inv)?;
    print_rows(inv, &rows, &[Column::text("rule", "rule")])
}

fn run_config(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let mut rows = rule_objects(&env, inv)?;
    for r in &mut rows {
        let o = r.as_object_mut().expect("rule objects are maps");
        let enabled = if o.contains_key("disable") { 0 } else { 1 };
        let state = if o.contains_key("errors") {
            "ignored (conflicts)"
        } else {
            "in use"
        };
        o.insert("enabled".into(), json!(enabled));
        o.insert("state".into(), json!(state));
    }
    print_rows(
        inv,
        &rows,
        &[
            Column::text("enabled", "enabled"),
            Column::text("state", "state"),
            Column::text("rule", "rule"),
            Column::text("type", "type"),
            Column::text("resources", "resources"),
            Column::text("comment", "comment"),
        ],
    )
}

/// Resources that move along with / block a motion of `sid` to `target`.
#[derive(Debug, Default)]
pub struct MotionInfo {
    /// Positive-affinity partners that move along (sorted).
    pub positive: Vec<String>,
    /// Negative-affinity partners already on the target (sorted).
    pub blocking: Vec<String>,
}

/// Compute the motion partners of `sid` from the rules and the manager
/// status (only partners with a service status; blocking partners only on
/// online nodes and not ignored).
pub fn motion_info(env: &HaEnv, sid: &str, target: &str) -> CliResult<MotionInfo> {
    if env.version < 9 {
        return Ok(MotionInfo::default());
    }
    let cfg = read_rules(env)?;
    let groups = super::groups::read_groups(&env.pve)?;
    let resources = read_resources(&env.pve)?;
    let service_groups: BTreeMap<String, String> = resources
        .resources
        .iter()
        .filter_map(|r| r.group.clone().map(|g| (r.sid.to_string(), g)))
        .collect();
    let members = env.members()?;
    let ms = read_manager_status(&env.pve)?;
    let node_state = |n: &str| {
        ms.get("node_status")
            .and_then(|s| s.get(n))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let (compiled, _) = crate::ha::rules::compile(
        &cfg,
        (!groups.is_empty()).then_some(&groups),
        &service_groups,
        &members,
    );
    let status = ms.get("service_status");
    let sd = |p: &str| status.and_then(|s| s.get(p));
    let field = |p: &str, k: &str| {
        sd(p)
            .and_then(|d| d.get(k))
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    let mut info = MotionInfo::default();
    for p in compiled.positive(sid) {
        if sd(p).is_none() {
            continue;
        }
        if field(p, "node").as_deref() == Some(target)
            || field(p, "target").as_deref() == Some(target)
        {
            continue;
        }
        info.positive.push(p.clone());
    }
    for c in compiled.negative(sid) {
        if sd(c).is_none() {
            continue;
        }
        let ignored = resources
            .resources
            .iter()
            .any(|r| &r.sid.to_string() == c && r.request_state() == RequestState::Ignored);
        if ignored {
            continue;
        }
        let on = field(c, "node");
        if on.as_deref() == Some(target) && node_state(target).as_deref() == Some("online") {
            info.blocking.push(c.clone());
        }
    }
    Ok(info)
}

/// Remove `sid` from every rule, deleting rules left without resources
/// (the caller holds the HA lock).
pub fn purge_resource_locked(env: &HaEnv, sid: &str) -> CliResult<()> {
    let mut cfg = read_rules(env)?;
    let mut changed = false;
    for r in &mut cfg.rules {
        changed |= r.resources.remove(sid);
    }
    let before = cfg.rules.len();
    cfg.rules.retain(|r| !r.resources.is_empty());
    changed |= cfg.rules.len() != before;
    if changed {
        write_rules(env, &cfg)?;
    }
    Ok(())
}

//! `ha-manager status [--verbose]`: the quorum, master, fencing, LRM and
//! service lines, read from `ha/manager_status`, the nodes' `lrm_status`
//! files and the resources config.

use super::{ctime::ctime, env::HaEnv, schema::CmdDef, schema::Param, Handler, Inv, CLI};
use crate::cli::output::{render_data, OutputFormat};
use crate::cli::CliResult;
use crate::ha::config::{read_manager_status, read_resources, RequestState, ResourcesConfig};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

pub fn def() -> CmdDef<Handler> {
    CmdDef {
        class: CLI,
        args: vec![],
        params: vec![Param::boolean("verbose")
            .default("0")
            .desc("Verbose output. Include complete CRM and LRM status (JSON).")],
        format_options: false,
        desc: "Display HA manger status.",
        handler: run,
    }
}

/// Everything the status text is computed from.
pub struct StatusInput<'a> {
    pub node: &'a str,
    pub quorate: bool,
    pub now: i64,
    pub tz: Option<&'a str>,
    pub manager_status: &'a Value,
    /// node -> parsed lrm_status (`None` when the file is missing).
    pub lrm_status: &'a BTreeMap<String, Option<Value>>,
    pub resources: &'a ResourcesConfig,
    /// vmid -> node the guest config lives on.
    /// (type, name) of a sid -> node the guest config lives on.
    pub guest_node: &'a dyn Fn(&str, &str) -> Option<String>,
    /// datacenter.cfg `crs: ha=<mode>`.
    pub crs_ha: Option<&'a str>,
}

fn timestamp_status(now: i64, ts: i64) -> &'static str {
    let d = now - ts;
    if d > 30 {
        "old timestamp - dead?"
    } else if d < -2 {
        "detected time drift!"
    } else {
        "active"
    }
}

fn num(v: Option<&Value>) -> Option<i64> {
    match v? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str)
}

/// The status lines (without the verbose JSON).
pub fn status_lines(inp: &StatusInput) -> Vec<String> {
    let ms = inp.manager_status;
    let mut out = Vec::new();
    if inp.quorate {
        out.push("quorum OK".to_string());
    } else {
        out.push(format!("quorum No quorum on node '{}'!", inp.node));
    }
    let disarm = ms.get("disarm").filter(|d| d.is_object());
    let disarm_state = disarm.and_then(|d| text(d.get("state")));
    let disarm_mode = disarm.and_then(|d| text(d.get("mode")));
    let mut master_active = false;
    if let (Some(master), Some(ts)) = (text(ms.get("master_node")), num(ms.get("timestamp"))) {
        let t = timestamp_status(inp.now, ts);
        master_active = t == "active";
        let mut st = t.to_string();
        if inp.quorate && t != "active" && inp.resources.resources.is_empty() {
            st = "idle".into();
        }
        let mut extra = String::new();
        if disarm.is_some() {
            extra.push_str(&format!(
                " - {}, resource mode: {}",
                disarm_state.unwrap_or(""),
                disarm_mode.unwrap_or("")
            ));
        }
        if let Some(mode) = inp.crs_ha.filter(|m| *m != "basic") {
            extra.push_str(&format!(" - {mode} load CRS"));
        }
        out.push(format!(
            "master {master} ({st}, {}){extra}",
            ctime(ts, inp.tz)
        ));
    }
    if disarm.is_some() {
        let wd = if disarm_state == Some("disarmed") {
            "CRM watchdog released"
        } else {
            "CRM watchdog active"
        };
        out.push(format!(
            "fencing {}, resource mode: {} ({wd})",
            disarm_state.unwrap_or(""),
            disarm_mode.unwrap_or("")
        ));
    } else if master_active {
        out.push("fencing armed (CRM watchdog active)".into());
    } else {
        out.push("fencing standby (CRM watchdog standby)".into());
    }

    let services = ms.get("service_status").and_then(Value::as_object);
    // Services that keep a node's LRM busy: on or moving to the node, and
    // not stopped, frozen, in error or waiting for a start request.
    let active_count = |node: &str| -> usize {
        services.map_or(0, |ss| {
            ss.values()
                .filter(|sd| {
                    text(sd.get("node")) == Some(node) || text(sd.get("target")) == Some(node)
                })
                .filter(|sd| {
                    !matches!(
                        text(sd.get("state")),
                        Some("stopped") | Some("freeze") | Some("error") | Some("request_start")
                    )
                })
                .count()
        })
    };
    if let Some(ns) = ms.get("node_status").and_then(Value::as_object) {
        let mut nodes: Vec<&String> = ns.keys().collect();
        nodes.sort();
        for node in nodes {
            let lrm = inp.lrm_status.get(node.as_str()).and_then(|o| o.as_ref());
            let ts = lrm.and_then(|l| num(l.get("timestamp")));
            let (Some(lrm), Some(ts)) = (lrm, ts) else {
                out.push(format!("lrm {node} (unable to read lrm status)"));
                continue;
            };
            let t = timestamp_status(inp.now, ts);
            let state = text(lrm.get("state"));
            let mode = text(lrm.get("mode")).unwrap_or("active");
            let wd = if t == "active" && matches!(state, Some("active") | Some("maintenance")) {
                "watchdog active"
            } else if mode == "disarm" {
                "watchdog released"
            } else {
                "watchdog standby"
            };
            let st = if t == "active" {
                if mode != "active" {
                    format!("{mode} mode")
                } else if state == Some("wait_for_agent_lock") && active_count(node) == 0 {
                    "idle".to_string()
                } else {
                    state.unwrap_or("unknown").to_string()
                }
            } else if mode == "maintenance" || mode == "disarm" {
                format!("{mode} mode")
            } else {
                t.to_string()
            };
            out.push(format!("lrm {node} ({st}, {wd}, {})", ctime(ts, inp.tz)));
        }
    }

    let ignore_all = disarm_mode == Some("ignore");
    let mut sids: Vec<std::borrow::Cow<str>> = services
        .map(|s| s.keys().map(|k| k.as_str().into()).collect())
        .unwrap_or_default();
    sids.sort();
    let mut extra: Vec<std::borrow::Cow<str>> = Vec::new();
    let mut buf = String::new();
    for r in &inp.resources.resources {
        use std::fmt::Write as _;
        buf.clear();
        let _ = write!(buf, "{}", r.sid);
        if services.is_none_or(|ss| !ss.contains_key(buf.as_str())) {
            extra.push(buf.clone().into());
        }
    }
    extra.sort();
    sids.extend(extra);
    // The first resource of each sid, as `ResourcesConfig::get` finds it,
    // looked up by map instead of a scan per service.
    let mut by_sid: std::collections::HashMap<(&str, &str), &crate::ha::config::Resource> =
        std::collections::HashMap::with_capacity(inp.resources.resources.len());
    for r in &inp.resources.resources {
        by_sid
            .entry((r.sid.ty.as_str(), r.sid.name.as_str()))
            .or_insert(r);
    }
    for sid_text in &sids {
        let sid_text = sid_text.as_ref();
        let sd = services.and_then(|s| s.get(sid_text));
        let sid = sid_text.split_once(':').unwrap_or(("", sid_text));
        let conf = by_sid.get(&sid).copied();
        let conf_node = conf.and_then(|_| (inp.guest_node)(sid.0, sid.1));
        let node = sd
            .and_then(|s| text(s.get("node")))
            .or(conf_node.as_deref())
            .unwrap_or("---");
        let state = if ignore_all {
            "ignore"
        } else {
            verbose_state(sd, conf.map(|c| c.request_state()), conf_node.is_some())
        };
        out.push(format!("service {sid_text} ({node}, {state})"));
    }
    out
}

fn verbose_state(sd: Option<&Value>, req: Option<RequestState>, has_node: bool) -> &str {
    let Some(req) = req else {
        return "deleting";
    };
    if req == RequestState::Ignored {
        return "ignored";
    }
    if !has_node {
        return "not found";
    }
    let Some(crm) = sd.and_then(|s| text(s.get("state"))) else {
        return "queued";
    };
    match crm {
        "stopped" => match req {
            RequestState::Started => "starting",
            RequestState::Disabled => "disabled",
            _ => "stopped",
        },
        "started" => {
            let running = sd.and_then(|s| s.get("running")).is_some_and(|r| {
                !(r.is_null() || r == &json!(0) || r == &json!("") || r == &json!(false))
            });
            if !running {
                "starting"
            } else if matches!(req, RequestState::Stopped | RequestState::Disabled) {
                "stopping"
            } else {
                "started"
            }
        }
        "error" if req == RequestState::Disabled => "clearing error flag",
        other => other,
    }
}

/// The `crs: ha=<mode>` setting of datacenter.cfg, if any.
pub fn crs_ha_mode(env: &HaEnv) -> CliResult<Option<String>> {
    let text = env.pve.read("datacenter.cfg")?.unwrap_or_default();
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix("crs:") else {
            continue;
        };
        for part in rest.trim().split(',') {
            if let Some(v) = part.trim().strip_prefix("ha=") {
                return Ok(Some(v.to_string()));
            }
        }
    }
    Ok(None)
}

/// The parts of an `lrm_status` file the status lines use (`timestamp`,
/// `state`, `mode`), as an object with just those keys; `None` when the text
/// is not a plain JSON object with at most one of each (then the caller
/// parses the whole file, as before). Skips building the per-service part
/// of a 1,000-service file.
fn lrm_summary(text: &str) -> Option<Value> {
    #[derive(serde::Deserialize)]
    struct Head {
        timestamp: Option<Value>,
        state: Option<Value>,
        mode: Option<Value>,
    }
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let h: Head = serde_json::from_str(text).ok()?;
    let mut m = Map::new();
    for (k, v) in [
        ("timestamp", h.timestamp),
        ("state", h.state),
        ("mode", h.mode),
    ] {
        if let Some(v) = v {
            m.insert(k.to_string(), v);
        }
    }
    Some(Value::Object(m))
}

fn run(inv: &Inv) -> CliResult {
    let env = inv.env()?;
    let verbose = inv.values.bool("verbose").unwrap_or(false);
    let ms = read_manager_status(&env.pve)?;
    let resources = read_resources(&env.pve)?;
    let now = crate::sim::clock::now(&env.root)?;
    let mut lrm: BTreeMap<String, Option<Value>> = BTreeMap::new();
    if let Some(ns) = ms.get("node_status").and_then(Value::as_object) {
        for node in ns.keys() {
            if crate::store::safe_component("node", node).is_err() {
                lrm.insert(node.clone(), None);
                continue;
            }
            let rel = format!("nodes/{node}/lrm_status");
            let parsed = match env.pve.read(&rel)? {
                None => {
                    eprintln!("unable to read file '/etc/pve/{rel}'");
                    None
                }
                Some(t) if t.trim().is_empty() => Some(json!({})),
                Some(t) => Some(
                    (!verbose)
                        .then(|| lrm_summary(&t))
                        .flatten()
                        .unwrap_or_else(|| {
                            serde_json::from_str::<Value>(&t).unwrap_or_else(|_| json!({}))
                        }),
                ),
            };
            lrm.insert(node.clone(), parsed);
        }
    }
    let crs = crs_ha_mode(&env)?;
    let guests = env.guest_table();
    let guest_node = |ty: &str, name: &str| {
        // the guest list is keyed by the VMID's decimal text
        let b = name.as_bytes();
        if b.is_empty() || b.len() > 1 && b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let (node, kind) = guests.get(name.parse().ok()?)?;
        let kind = if kind == "lxc" { "ct" } else { "vm" };
        (kind == ty).then(|| node.to_string())
    };
    let inp = StatusInput {
        node: &env.node,
        quorate: env.quorate(),
        now,
        tz: env.tz.as_deref(),
        manager_status: &ms,
        lrm_status: &lrm,
        resources: &resources,
        guest_node: &guest_node,
        crs_ha: crs.as_deref(),
    };
    let mut out = String::new();
    for l in status_lines(&inp) {
        out.push_str(&l);
        out.push('\n');
    }
    if verbose {
        let mut lrm_map = Map::new();
        for (node, v) in &lrm {
            lrm_map.insert(
                node.clone(),
                v.clone().unwrap_or_else(|| json!({"mode": "unknown"})),
            );
        }
        let full = json!({
            "lrm_status": Value::Object(lrm_map),
            "manager_status": ms,
            "quorum": {"node": env.node, "quorate": if env.quorate() { "1" } else { "" }},
        });
        out.push_str("full cluster state:\n");
        out.push_str(&render_data(&full, OutputFormat::JsonPretty).unwrap_or_default());
    } else {
        std::mem::forget(ms);
    }
    print!("{out}");
    // The process ends here: freeing thousands of small JSON nodes one by
    // one would only cost time.
    std::mem::forget(resources);
    std::mem::forget(lrm);
    std::mem::forget(guests);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(
        ms: Value,
        lrm: &[(&str, Option<Value>)],
        res: &str,
        now: i64,
        quorate: bool,
        crs: Option<&str>,
    ) -> Vec<String> {
        let lrm: BTreeMap<String, Option<Value>> = lrm
            .iter()
            .map(|(n, v)| (n.to_string(), v.clone()))
            .collect();
        let resources = ResourcesConfig::parse("r", res);
        let guest_node = |_: &str, _: &str| Some("node1".to_string());
        status_lines(&StatusInput {
            node: "node1",
            quorate,
            now,
            tz: None,
            manager_status: &ms,
            lrm_status: &lrm,
            resources: &resources,
            guest_node: &guest_node,
            crs_ha: crs,
        })
    }

    #[test]
    fn disarmed_in_ignore_mode_with_static_crs() {
        let ms = json!({
            "master_node": "node1", "timestamp": 1_700_000_000,
            "disarm": {"mode": "ignore", "state": "disarmed"},
            "node_status": {"node1": "online"},
            "service_status": {"vm:100": {"node": "node1", "state": "started", "running": 1}},
        });
        let lrm =
            json!({"mode": "disarm", "state": "wait_for_agent_lock", "timestamp": 1_700_000_000});
        assert_eq!(
            lines(ms, &[("node1", Some(lrm))], "vm: 100\n", 1_700_000_001, true, Some("static")),
            vec![
                "quorum OK",
                "master node1 (active, Tue Nov 14 22:13:20 2023) - disarmed, resource mode: ignore - static load CRS",
                "fencing disarmed, resource mode: ignore (CRM watchdog released)",
                "lrm node1 (disarm mode, watchdog released, Tue Nov 14 22:13:20 2023)",
                "service vm:100 (node1, ignore)",
            ]
        );
    }

    #[test]
    fn disarming_stale_master_and_drift() {
        let ms = json!({
            "master_node": "node2", "timestamp": 1_700_000_100,
            "disarm": {"mode": "freeze", "state": "disarming"},
            "node_status": {"node1": "online", "node2": "online"},
        });
        let drift = json!({"mode": "active", "state": "active", "timestamp": 1_700_000_100});
        let old =
            json!({"mode": "maintenance", "state": "maintenance", "timestamp": 1_699_999_000});
        assert_eq!(
            lines(ms, &[("node1", Some(drift)), ("node2", Some(old))], "vm: 100\n", 1_700_000_000, true, Some("basic")),
            vec![
                "quorum OK",
                "master node2 (detected time drift!, Tue Nov 14 22:15:00 2023) - disarming, resource mode: freeze",
                "fencing disarming, resource mode: freeze (CRM watchdog active)",
                "lrm node1 (detected time drift!, watchdog standby, Tue Nov 14 22:15:00 2023)",
                "lrm node2 (maintenance mode, watchdog standby, Tue Nov 14 21:56:40 2023)",
                "service vm:100 (node1, queued)",
            ]
        );
    }

    #[test]
    fn idle_master_without_resources_and_no_quorum() {
        let ms = json!({"master_node": "node1", "timestamp": 1_700_000_000, "node_status": {"node1": "online"}});
        assert_eq!(
            lines(
                ms.clone(),
                &[("node1", None)],
                "",
                1_700_000_100,
                true,
                None
            ),
            vec![
                "quorum OK",
                "master node1 (idle, Tue Nov 14 22:13:20 2023)",
                "fencing standby (CRM watchdog standby)",
                "lrm node1 (unable to read lrm status)",
            ]
        );
        assert_eq!(
            lines(ms, &[("node1", None)], "", 1_700_000_100, false, None)[..2],
            [
                "quorum No quorum on node 'node1'!".to_string(),
                "master node1 (old timestamp - dead?, Tue Nov 14 22:13:20 2023)".to_string(),
            ]
        );
    }

    #[test]
    fn lrm_summary_keeps_only_what_the_lines_use() {
        let t = r#"{"mode":"active","results":{"x":{"exit_code":0}},"state":"active","timestamp":1700000000,"extra":[1,{"state":"nested"}]}"#;
        assert_eq!(
            lrm_summary(t),
            Some(json!({"mode": "active", "state": "active", "timestamp": 1_700_000_000}))
        );
        assert_eq!(
            lrm_summary(r#"{"timestamp":"17"}"#),
            Some(json!({"timestamp": "17"}))
        );
        // Anything else is left to the full parse.
        assert_eq!(lrm_summary("[1,2,3]"), None);
        assert_eq!(lrm_summary(r#"{"state":"a","state":"b"}"#), None);
        assert_eq!(lrm_summary(r#"{"state":"a"} x"#), None);
        assert_eq!(lrm_summary("{"), None);
    }
}

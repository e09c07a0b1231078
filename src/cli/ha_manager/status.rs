//! `ha-manager status [--verbose]`: the quorum, master, fencing, LRM and
//! service lines, read from `ha/manager_status`, the nodes' `lrm_status`
//! files and the resources config.

use super::{ctime::ctime, env::HaEnv, schema::CmdDef, schema::Param, Handler, Inv, CLI};
use crate::cli::output::{render_data, OutputFormat};
use crate::cli::CliResult;
use crate::ha::config::{
    manager_status_value, read_manager_status_text, read_resources, RequestState, ResourcesConfig,
};
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
    pub manager_status: &'a MsView<'a>,
    /// node -> parsed lrm_status (`None` when the file is missing).
    pub lrm_status: &'a BTreeMap<String, Option<Value>>,
    pub resources: &'a ResourcesConfig,
    /// vmid -> node the guest config lives on.
    /// (type, name) of a sid -> node the guest config lives on.
    pub guest_node: &'a dyn Fn(&str, &str) -> Option<&'a str>,
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

/// What the status lines read of `ha/manager_status`, borrowing its text.
/// Read straight from the text when it has the usual shape
/// ([`MsView::parse`]), else from the general JSON value
/// ([`MsView::from_value`]); both read the same file the same way.
#[derive(Debug, Default, PartialEq, serde::Deserialize)]
pub struct MsView<'a> {
    #[serde(borrow, default)]
    master_node: Option<&'a str>,
    #[serde(default)]
    timestamp: Option<Num>,
    #[serde(borrow, default)]
    disarm: Option<DisarmView<'a>>,
    /// The node names (the values are not used).
    #[serde(borrow, default)]
    node_status: Option<BTreeMap<&'a str, serde::de::IgnoredAny>>,
    #[serde(borrow, default)]
    service_status: Option<BTreeMap<&'a str, ServiceView<'a>>>,
}

#[derive(Debug, Default, PartialEq, serde::Deserialize)]
struct DisarmView<'a> {
    #[serde(borrow, default)]
    state: Option<&'a str>,
    #[serde(borrow, default)]
    mode: Option<&'a str>,
}

#[derive(Debug, Default, PartialEq, serde::Deserialize)]
struct ServiceView<'a> {
    #[serde(borrow, default)]
    node: Option<&'a str>,
    #[serde(borrow, default)]
    target: Option<&'a str>,
    #[serde(borrow, default)]
    state: Option<&'a str>,
    #[serde(default)]
    running: Truthy,
}

/// A number, or a string holding one (`None` when it does not).
#[derive(Debug, PartialEq)]
struct Num(Option<i64>);

/// Whether a value counts as set: anything but null, integer 0, `""` and
/// `false`.
#[derive(Debug, Default, PartialEq)]
struct Truthy(bool);

impl<'de> serde::Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Num, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a string")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Some(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Some(i64::try_from(v).unwrap_or(v as f64 as i64))))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Num, E> {
                Ok(Num(Some(v as i64)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Num, E> {
                Ok(Num(v.trim().parse().ok()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> serde::Deserialize<'de> for Truthy {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Truthy, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Truthy;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a plain value")
            }
            fn visit_unit<E>(self) -> Result<Truthy, E> {
                Ok(Truthy(false))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Truthy, E> {
                Ok(Truthy(v))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Truthy, E> {
                Ok(Truthy(v != 0))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Truthy, E> {
                Ok(Truthy(v != 0))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Truthy, E> {
                Ok(Truthy(true))
            }
            fn visit_str<E>(self, v: &str) -> Result<Truthy, E> {
                Ok(Truthy(!v.is_empty()))
            }
        }
        d.deserialize_any(V)
    }
}

impl<'a> MsView<'a> {
    /// Read `text` directly; `None` when it is not a JSON object of the
    /// usual shape (a field of another type, a duplicate field, an escaped
    /// name): the caller then goes through [`MsView::from_value`].
    pub fn parse(text: &'a str) -> Option<MsView<'a>> {
        if !text.trim_start().starts_with('{') {
            return None;
        }
        serde_json::from_str(text).ok()
    }

    /// The view of a manager status read as a general JSON value.
    pub fn from_value(ms: &'a Value) -> MsView<'a> {
        let service = |sd: &'a Value| ServiceView {
            node: text(sd.get("node")),
            target: text(sd.get("target")),
            state: text(sd.get("state")),
            running: Truthy(sd.get("running").is_some_and(|r| {
                !(r.is_null() || r == &json!(0) || r == &json!("") || r == &json!(false))
            })),
        };
        MsView {
            master_node: text(ms.get("master_node")),
            timestamp: ms.get("timestamp").map(|t| Num(num(Some(t)))),
            disarm: ms
                .get("disarm")
                .filter(|d| d.is_object())
                .map(|d| DisarmView {
                    state: text(d.get("state")),
                    mode: text(d.get("mode")),
                }),
            node_status: ms.get("node_status").and_then(Value::as_object).map(|ns| {
                ns.keys()
                    .map(|k| (k.as_str(), serde::de::IgnoredAny))
                    .collect()
            }),
            service_status: ms
                .get("service_status")
                .and_then(Value::as_object)
                .map(|ss| ss.iter().map(|(k, v)| (k.as_str(), service(v))).collect()),
        }
    }

    /// The node names of `node_status`, sorted.
    pub fn nodes(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.node_status.iter().flat_map(|ns| ns.keys().copied())
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

/// The status lines (without the verbose JSON), each ended by a newline.
pub fn status_text(inp: &StatusInput) -> String {
    let ms = inp.manager_status;
    let mut out = Vec::new();
    if inp.quorate {
        out.push("quorum OK".to_string());
    } else {
        out.push(format!("quorum No quorum on node '{}'!", inp.node));
    }
    let disarm = ms.disarm.as_ref();
    let disarm_state = disarm.and_then(|d| d.state);
    let disarm_mode = disarm.and_then(|d| d.mode);
    let mut master_active = false;
    if let (Some(master), Some(ts)) = (ms.master_node, ms.timestamp.as_ref().and_then(|t| t.0)) {
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

    let services = ms.service_status.as_ref();
    // Services that keep a node's LRM busy: on or moving to the node, and
    // not stopped, frozen, in error or waiting for a start request.
    let active_count = |node: &str| -> usize {
        services.map_or(0, |ss| {
            ss.values()
                .filter(|sd| sd.node == Some(node) || sd.target == Some(node))
                .filter(|sd| {
                    !matches!(
                        sd.state,
                        Some("stopped") | Some("freeze") | Some("error") | Some("request_start")
                    )
                })
                .count()
        })
    };
    if ms.node_status.is_some() {
        for node in ms.nodes() {
            let lrm = inp.lrm_status.get(node).and_then(|o| o.as_ref());
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
    // The services of the manager status (a sorted map), then the
    // configured ones it does not know yet, sorted.
    let mut sids: Vec<std::borrow::Cow<str>> = services
        .map(|s| s.keys().map(|k| (*k).into()).collect())
        .unwrap_or_default();
    let mut extra: Vec<std::borrow::Cow<str>> = Vec::new();
    let mut buf = String::new();
    // The first resource of each sid, as `ResourcesConfig::get` finds it,
    // looked up by map instead of a scan per service.
    let mut by_sid: crate::ha::fasthash::FastMap<(&str, &str), &crate::ha::config::Resource> =
        Default::default();
    by_sid.reserve(inp.resources.resources.len());
    for r in &inp.resources.resources {
        let (ty, name) = (r.sid.ty.as_str(), r.sid.name.as_str());
        match by_sid.entry((ty, name)) {
            std::collections::hash_map::Entry::Occupied(_) => continue,
            std::collections::hash_map::Entry::Vacant(v) => v.insert(r),
        };
        buf.clear();
        buf.push_str(ty);
        buf.push(':');
        buf.push_str(name);
        if services.is_none_or(|ss| !ss.contains_key(buf.as_str())) {
            extra.push(buf.clone().into());
        }
    }
    extra.sort();
    sids.extend(extra);
    let mut text = std::mem::take(&mut out).join("\n");
    text.reserve(sids.len() * 40);
    for sid_text in &sids {
        let sid_text = sid_text.as_ref();
        let sd = services.and_then(|s| s.get(sid_text));
        let sid = sid_text.split_once(':').unwrap_or(("", sid_text));
        let conf = by_sid.get(&sid).copied();
        let conf_node = conf.and_then(|_| (inp.guest_node)(sid.0, sid.1));
        let node = sd.and_then(|s| s.node).or(conf_node).unwrap_or("---");
        let state = if ignore_all {
            "ignore"
        } else {
            verbose_state(sd, conf.map(|c| c.request_state()), conf_node.is_some())
        };
        for part in ["\nservice ", sid_text, " (", node, ", ", state, ")"] {
            text.push_str(part);
        }
    }
    text.push('\n');
    text
}

fn verbose_state<'a>(
    sd: Option<&ServiceView<'a>>,
    req: Option<RequestState>,
    has_node: bool,
) -> &'a str {
    let Some(req) = req else {
        return "deleting";
    };
    if req == RequestState::Ignored {
        return "ignored";
    }
    if !has_node {
        return "not found";
    }
    let Some(crm) = sd.and_then(|s| s.state) else {
        return "queued";
    };
    match crm {
        "stopped" => match req {
            RequestState::Started => "starting",
            RequestState::Disabled => "disabled",
            _ => "stopped",
        },
        "started" => {
            if !sd.is_some_and(|s| s.running.0) {
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
    Ok(env
        .pve
        .datacenter()?
        .property("crs")
        .get("ha")
        .map(str::to_string))
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
    let ms_text = read_manager_status_text(&env.pve)?;
    // --verbose prints the whole status, so it needs the general value
    let fast = if verbose {
        None
    } else {
        MsView::parse(&ms_text)
    };
    let ms = match fast {
        Some(_) => Value::Null,
        None => manager_status_value(&ms_text),
    };
    let view = fast.unwrap_or_else(|| MsView::from_value(&ms));
    let resources = read_resources(&env.pve)?;
    let now = crate::sim::clock::now(&env.root)?;
    let mut lrm: BTreeMap<String, Option<Value>> = BTreeMap::new();
    for node in view.nodes() {
        if crate::store::safe_component("node", node).is_err() {
            lrm.insert(node.to_string(), None);
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
        lrm.insert(node.to_string(), parsed);
    }
    let crs = crs_ha_mode(&env)?;
    let guests = env.guest_table();
    let guest_node = |ty: &str, name: &str| -> Option<&str> {
        // the guest list is keyed by the VMID's decimal text
        let b = name.as_bytes();
        if b.is_empty() || b.len() > 1 && b[0] == b'0' || !b.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let (node, kind) = guests.get(name.parse().ok()?)?;
        let kind = if kind == "lxc" { "ct" } else { "vm" };
        (kind == ty).then_some(node)
    };
    let inp = StatusInput {
        node: &env.node,
        quorate: env.quorate(),
        now,
        tz: env.tz.as_deref(),
        manager_status: &view,
        lrm_status: &lrm,
        resources: &resources,
        guest_node: &guest_node,
        crs_ha: crs.as_deref(),
    };
    let mut out = status_text(&inp);
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
        std::mem::forget(view);
        std::mem::forget(ms_text);
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
        let guest_node = |_: &str, _: &str| Some("node1");
        let text = status_text(&StatusInput {
            node: "node1",
            quorate,
            now,
            tz: None,
            manager_status: &MsView::from_value(&ms),
            lrm_status: &lrm,
            resources: &resources,
            guest_node: &guest_node,
            crs_ha: crs,
        });
        assert!(text.ends_with('\n'), "{text:?}");
        text.lines().map(str::to_string).collect()
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
    fn the_direct_read_sees_what_the_json_value_shows() {
        let usual = r#"{"master_node":"pve1","node_status":{"pve2":"online","pve1":"fence"},
            "service_status":{"vm:101":{"node":"pve2","running":1,"state":"started","uid":"x"},
            "vm:100":{"node":"pve1","target":"pve2","state":"migrate","failed_nodes":["a"]}},
            "timestamp":1700000000,"disarm":{"mode":"freeze","state":"disarming"}}"#;
        let texts = [
            usual,
            r#"{"timestamp":"  1700000000 ","master_node":null,"node_status":null}"#,
            r#"{"timestamp":"soon","service_status":{"ct:1":{"running":0},"ct:2":{"running":""},
                "ct:3":{"running":false},"ct:4":{"running":null},"ct:5":{"running":0.0},
                "ct:6":{"running":-0},"ct:7":{"running":"0"},"ct:8":{"running":2}}}"#,
            r#"{"timestamp":1.9e9,"disarm":null}"#,
            r#"{"timestamp":18446744073709551615}"#,
            // shapes only the general value reads
            r#"{"master_node":1,"timestamp":1}"#,
            r#"{"service_status":{"vm:1":"started"}}"#,
            r#"{"service_status":{"vm:\u0031":{"node":"n\u0031"}}}"#,
            r#"{"service_status":{"vm:1":{"running":[1]}}}"#,
            r#"{"timestamp":1,"timestamp":2}"#,
            r#"{"disarm":"yes","node_status":[]}"#,
            "[1]",
            "",
            "{",
        ];
        for t in texts {
            let value = manager_status_value(t);
            let slow = MsView::from_value(&value);
            if let Some(fast) = MsView::parse(t) {
                assert_eq!(fast, slow, "{t}");
            }
        }
        let fast = MsView::parse(usual).expect("the usual shape is read directly");
        assert_eq!(fast.nodes().collect::<Vec<_>>(), ["pve1", "pve2"]);
        assert_eq!(fast.timestamp, Some(Num(Some(1_700_000_000))));
        let running: Vec<bool> = MsView::parse(texts[2])
            .unwrap()
            .service_status
            .unwrap()
            .values()
            .map(|s| s.running.0)
            .collect();
        assert_eq!(
            running,
            [false, false, false, false, true, true, true, true]
        );
        assert!(MsView::parse(texts[5]).is_none());
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

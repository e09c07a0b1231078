//! Read-only qm commands: list, status, config, pending (spec 3.1 - 3.3).

use super::config::encode_description;
use super::disk::boot_disk_size;
use super::vm::{self, err, Ctx, GResult, Term};
use std::collections::BTreeMap;

/// One row of `qm list`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListRow {
    pub vmid: u32,
    pub name: String,
    pub status: String,
    pub qmpstatus: String,
    pub mem_mb: u64,
    pub bootdisk_gb: f64,
    pub pid: u32,
}

fn memory_mib(cfg: &BTreeMap<String, String>) -> u64 {
    cfg.get("memory")
        .map(|m| m.strip_prefix("current=").unwrap_or(m))
        .and_then(|m| m.split(',').next())
        .and_then(|m| m.parse().ok())
        .unwrap_or(512)
}

/// VMs owned by the local node, sorted by vmid.
pub fn list(ctx: &Ctx, term: &mut Term) -> GResult<Vec<ListRow>> {
    let pve = ctx.pve()?;
    let dir = pve.path(&format!("nodes/{}/qemu-server", ctx.node));
    let mut ids: Vec<u32> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".conf")?.parse().ok())
            .collect(),
        Err(_) => Vec::new(),
    };
    ids.sort();
    let mut rows = Vec::new();
    // The machine's power state is the same for every row: read it once.
    // Only the run files that exist are opened.
    let powered = ctx.cl.powered(&ctx.node);
    let running = if powered {
        vm::run_files(ctx.cl.root(), &ctx.node)
    } else {
        Default::default()
    };
    // the configs and run files are opened relative to their directories
    let confs = crate::store::Dir::open(&dir).ok();
    let run_dir = if running.is_empty() {
        None
    } else {
        vm::run_dir(ctx.cl.root(), &ctx.node)
    };
    for vmid in ids {
        let cfg = match &confs {
            Some(d) => vm::load_in(d, &ctx.node, vmid, term)?,
            None => vm::load(&pve, &ctx.node, vmid, term)?,
        };
        let rs = if !running.contains(&vmid) {
            None
        } else if let Some(d) = &run_dir {
            vm::run_state_in(d, vmid)
        } else {
            vm::run_state_on(ctx.cl.root(), &ctx.node, vmid)
        };
        let keys = &cfg.main.keys;
        rows.push(ListRow {
            vmid,
            name: keys
                .get("name")
                .cloned()
                .unwrap_or_else(|| format!("VM {vmid}")),
            status: if rs.is_some() { "running" } else { "stopped" }.into(),
            qmpstatus: rs
                .as_ref()
                .map(|r| r.status.clone())
                .unwrap_or_else(|| "stopped".into()),
            mem_mb: memory_mib(keys),
            bootdisk_gb: boot_disk_size(keys) as f64 / 1_073_741_824.0,
            pid: rs.map(|r| r.pid).unwrap_or(0),
        });
    }
    Ok(rows)
}

/// The status object of `qm status --verbose` (key → value; nested objects
/// are not produced for stopped VMs).
pub fn status(ctx: &Ctx, vmid: u32, term: &mut Term) -> GResult<BTreeMap<String, String>> {
    let pve = ctx.pve()?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    let k = &cfg.main.keys;
    let num = |key: &str, d: u64| k.get(key).and_then(|v| v.parse::<u64>().ok()).unwrap_or(d);
    let mut m = BTreeMap::new();
    let cpus = match k.get("vcpus").and_then(|v| v.parse::<u64>().ok()) {
        Some(v) => v,
        None => (num("sockets", 1) * num("cores", 1)).min(ctx.cl.maxcpu(&ctx.node)),
    };
    let maxmem = memory_mib(k) * 1_048_576;
    let rs = vm::run_state(ctx.cl, &ctx.node, vmid);
    m.insert("cpus".into(), cpus.to_string());
    m.insert("disk".into(), "0".into());
    m.insert("maxdisk".into(), boot_disk_size(k).to_string());
    m.insert("maxmem".into(), maxmem.to_string());
    for z in ["mem", "memhost", "netin", "netout", "uptime"] {
        m.insert(z.into(), "0".into());
    }
    m.insert(
        "name".into(),
        k.get("name")
            .cloned()
            .unwrap_or_else(|| format!("VM {vmid}")),
    );
    m.insert("qmpstatus".into(), "stopped".into());
    m.insert("status".into(), "stopped".into());
    m.insert("vmid".into(), vmid.to_string());
    if let Some(b) = k.get("balloon").filter(|b| *b != "0") {
        let b: u64 = b.parse().unwrap_or(0);
        m.insert("balloon_min".into(), (b * 1_048_576).to_string());
        m.insert(
            "shares".into(),
            k.get("shares").cloned().unwrap_or_else(|| "1000".into()),
        );
    }
    if let Some(l) = k.get("lock") {
        m.insert("lock".into(), l.clone());
    }
    if k.keys().any(|x| x.starts_with("serial")) {
        m.insert("serial".into(), "1".into());
    }
    if let Some(t) = k.get("tags") {
        m.insert("tags".into(), t.clone());
    }
    if k.get("template").map(|s| s.as_str()) == Some("1") {
        m.insert("template".into(), "1".into());
    }
    if let Some(rs) = rs {
        let uptime = (ctx.now - rs.started).max(0);
        m.insert("status".into(), "running".into());
        m.insert("qmpstatus".into(), rs.status.clone());
        m.insert("pid".into(), rs.pid.to_string());
        m.insert("uptime".into(), uptime.to_string());
        m.insert("mem".into(), (maxmem / 2).to_string());
        m.insert("memhost".into(), (maxmem / 2).to_string());
        m.insert("freemem".into(), (maxmem / 2).to_string());
        m.insert("balloon".into(), maxmem.to_string());
        m.insert("diskread".into(), "0".into());
        m.insert("diskwrite".into(), "0".into());
        m.insert("running-machine".into(), "pc-i440fx-9.2+pve0".into());
        m.insert("running-qemu".into(), super::create::QEMU_VERSION.into());
    }
    Ok(m)
}

/// `qm config` lines (`key: value`).
pub fn config(
    ctx: &Ctx,
    vmid: u32,
    current: bool,
    snapshot: Option<&str>,
    term: &mut Term,
) -> GResult<Vec<String>> {
    let pve = ctx.pve()?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    let (mut keys, desc) = if let Some(s) = snapshot {
        match cfg.snapshots.get(s) {
            Some(sec) => (sec.keys.clone(), sec.description.clone()),
            None => return err(format!("snapshot '{s}' does not exist")),
        }
    } else if current {
        (cfg.main.keys.clone(), cfg.main.description.clone())
    } else {
        (
            cfg.with_pending(),
            if cfg.pending_delete.contains_key("description") {
                None
            } else {
                cfg.pending
                    .description
                    .clone()
                    .or(cfg.main.description.clone())
            },
        )
    };
    keys.remove("digest");
    if let Some(d) = desc {
        keys.insert("description".into(), encode_description(&d));
    }
    Ok(keys
        .into_iter()
        .map(|(k, v)| {
            if k == "cipassword" {
                format!("{k}: **********")
            } else {
                format!("{k}: {v}")
            }
        })
        .collect())
}

/// `qm pending` lines.
pub fn pending(ctx: &Ctx, vmid: u32, term: &mut Term) -> GResult<Vec<String>> {
    let pve = ctx.pve()?;
    let cfg = vm::load(&pve, &ctx.node, vmid, term)?;
    let mut keys: Vec<&String> = cfg
        .main
        .keys
        .keys()
        .chain(cfg.pending.keys.keys())
        .chain(cfg.pending_delete.keys())
        .collect();
    keys.sort();
    keys.dedup();
    let mut out = Vec::new();
    for k in keys {
        if k == "digest" {
            continue;
        }
        if let Some(v) = cfg.main.keys.get(k) {
            out.push(format!("cur {k}: {v}"));
        }
        if let Some(v) = cfg.pending.keys.get(k) {
            out.push(format!("new {k}: {v}"));
        } else if cfg.pending_delete.contains_key(k) {
            if let Some(v) = cfg.main.keys.get(k) {
                out.push(format!("del {k}: {v}"));
            }
        }
    }
    Ok(out)
}

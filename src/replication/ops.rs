//! The `pvesr` operations over the state root (pvesr.md §9), and the entry
//! points other parts of pvesim call: [`run_due_jobs`] for `pvesim tick`,
//! [`last_replica_sync`] for the HA lost-writes report.
//!
//! Parameters arrive already checked against their schema by the CLI; the
//! errors here are the semantic ones, with the real texts.

use super::config::{delete_property, set_property, ReplicationConfig, KEYS};
use super::job::{format_number, parse_job_id, Job, RemoveMode, DEFAULT_SCHEDULE};
use super::localtime::Zone;
use super::root::{
    self, load_node, lock_config, lock_guest, lock_state, read_config, read_state, write_config,
    write_state, NodeCtx, RootEnv,
};
use super::runner::{self, chomp, fail, Env, Error, JobStatus};
use super::state::{tid, JobState};
use super::volumes::{replicatable_volumes, split_volid, GuestConf, Mode};
use crate::store::Root;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::Duration;

fn opener(root: &Root) -> impl Fn(&str) -> Result<NodeCtx, Error> + '_ {
    move |n: &str| load_node(root, n)
}

/// `pvesr create-local-job <id> <target> [OPTIONS]` (§9.2).
pub fn create_local_job(
    root: &Root,
    node: &str,
    id: &str,
    target: &str,
    opts: &[(String, String)],
) -> Result<(), Error> {
    let ctx = load_node(root, node)?;
    let (guest, _) = parse_job_id(id).map_err(fail)?;
    let Some(ginfo) = ctx.info.guests.get(&guest).cloned() else {
        return Err(fail(format!("Guest '{guest}' does not exist.")));
    };
    if !ctx.info.members.contains_key(target) {
        return Err(fail(format!("Target '{target}' does not exist.")));
    }
    let mut job = Job {
        id: id.to_string(),
        guest,
        target: target.to_string(),
        ..Job::default()
    };
    for (k, v) in opts {
        set_property(&mut job, k, v).map_err(|e| fail(format!("{k}: {e}")))?;
    }
    match &job.source {
        Some(s) if **s != *ginfo.node => {
            return Err(fail(format!(
                "Source '{s}' does not match current node of guest '{guest}' ({})",
                ginfo.node
            )))
        }
        Some(_) => {}
        None => job.source = Some(ginfo.node.to_string()),
    }
    if job.source.as_deref() == Some(target) {
        return Err(fail("Source and target must not be identical"));
    }
    let rel = root::guest_conf_rel(&ginfo.node, guest, ginfo.vmtype);
    let text = ctx
        .pve
        .read(&rel)
        .map_err(|e| fail(e.to_string()))?
        .unwrap_or_default();
    let conf = GuestConf::parse(&text);
    let lookup = |sid: &str| {
        ctx.storage.get(sid).map(|st| super::volumes::StorageInfo {
            ty: st.ty.clone(),
            shared: st.shared(),
            disabled: st.disabled(),
            nodes: st.nodes(),
        })
    };
    let vols =
        replicatable_volumes(guest, ginfo.vmtype, &conf, &lookup, Mode::default()).map_err(fail)?;
    if vols.is_empty() {
        return Err(fail("No replicatable volumes found"));
    }
    let _lock = lock_config(root, ctx.info.quorate)?;
    let mut cfg = read_config(&ctx.pve)?;
    if cfg.jobs.contains_key(id) {
        return Err(fail(format!("replication job '{id}' already exists")));
    }
    cfg.insert(job);
    write_config(&ctx.pve, &cfg)
}

/// Split a `--delete` list (commas, spaces or semicolons).
pub fn split_delete_list(s: &str) -> Vec<String> {
    s.split([',', ';', ' ', '\t'])
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// `pvesr update <id> [OPTIONS]` (§9.3), also enable/disable.
pub fn update(
    root: &Root,
    node: &str,
    id: &str,
    sets: &[(String, String)],
    delete: Option<&str>,
    digest: Option<&str>,
) -> Result<(), Error> {
    let ctx = load_node(root, node)?;
    let _lock = lock_config(root, ctx.info.quorate)?;
    let mut cfg = read_config(&ctx.pve)?;
    if let Some(d) = digest {
        if d != cfg.digest {
            return Err(fail(
                "detected modified configuration - file changed by other user? Try again.",
            ));
        }
    }
    let Some(mut job) = cfg.jobs.get(id).cloned() else {
        return Err(fail(format!("no such job '{id}'")));
    };
    for (k, v) in sets {
        set_property(&mut job, k, v).map_err(|e| fail(format!("{k}: {e}")))?;
    }
    for k in delete.map(split_delete_list).unwrap_or_default() {
        if k == "target" {
            return Err(fail("unable to delete required option 'target'"));
        }
        if !KEYS.contains(&k.as_str()) {
            return Err(fail(format!("no such option '{k}'")));
        }
        delete_property(&mut job, &k);
    }
    cfg.insert(job);
    write_config(&ctx.pve, &cfg)
}

/// `pvesr delete <id> [--keep] [--force]` (§9.5). Returns whether the
/// background-task notice is to be printed.
pub fn delete(root: &Root, node: &str, id: &str, keep: bool, force: bool) -> Result<bool, Error> {
    let ctx = load_node(root, node)?;
    let _lock = lock_config(root, ctx.info.quorate)?;
    let mut cfg = read_config(&ctx.pve)?;
    if force {
        cfg.remove(id);
        write_config(&ctx.pve, &cfg)?;
        return Ok(false);
    }
    let Some(mut job) = cfg.jobs.get(id).cloned() else {
        return Err(fail(format!("no such job '{id}'")));
    };
    job.remove_job = Some(if keep {
        RemoveMode::Local
    } else {
        RemoveMode::Full
    });
    cfg.insert(job);
    write_config(&ctx.pve, &cfg)?;
    Ok(true)
}

/// Jobs in list/status order: id string order, then stably by guest.
fn ordered<'a, T>(items: impl Iterator<Item = (&'a Job, T)>) -> Vec<(&'a Job, T)> {
    let mut v: Vec<(&Job, T)> = items.collect();
    v.sort_by(|a, b| a.0.id.cmp(&b.0.id));
    v.sort_by_key(|a| a.0.guest);
    v
}

/// `pvesr list` (§9.6).
pub fn list(root: &Root, node: &str) -> Result<String, Error> {
    let ctx = load_node(root, node)?;
    let cfg = read_config(&ctx.pve)?;
    Ok(format_list(&cfg))
}

pub fn format_list(cfg: &ReplicationConfig) -> String {
    let mut out = format!(
        "{:<20} {:<20} {:>10} {:>5} {:>8}\n",
        "JobID", "Target", "Schedule", "Rate", "Enabled"
    );
    for (job, _) in ordered(cfg.jobs.values().map(|j| (j, ()))) {
        out.push_str(&format!(
            "{:<20} {:<20} {:>10} {:>5} {:>8}\n",
            job.id,
            job.tid(),
            job.schedule.as_deref().unwrap_or(DEFAULT_SCHEDULE),
            job.rate.map(format_number).unwrap_or_else(|| "-".into()),
            if job.disable { "no" } else { "yes" }
        ));
    }
    out
}

/// `pvesr read <id>` (§9.7): pretty JSON, keys sorted, 3-space indent.
pub fn read(root: &Root, node: &str, id: &str) -> Result<String, Error> {
    let ctx = load_node(root, node)?;
    let cfg = read_config(&ctx.pve)?;
    let job = cfg
        .jobs
        .get(id)
        .ok_or_else(|| fail(format!("no such replication job '{id}'")))?;
    Ok(format_read(job, &cfg.digest))
}

fn json_str(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

pub fn format_read(job: &Job, digest: &str) -> String {
    let mut fields: BTreeMap<&str, String> = BTreeMap::new();
    fields.insert("digest", json_str(digest));
    fields.insert("guest", job.guest.to_string());
    fields.insert("id", json_str(&job.id));
    if let Some(n) = job.jobnum() {
        fields.insert("jobnum", n.to_string());
    }
    fields.insert("target", json_str(&job.target));
    fields.insert("type", json_str("local"));
    if let Some(c) = &job.comment {
        fields.insert("comment", json_str(c));
    }
    if job.disable {
        fields.insert("disable", "1".into());
    }
    if let Some(r) = job.rate {
        fields.insert("rate", format_number(r));
    }
    if let Some(m) = job.remove_job {
        fields.insert("remove_job", json_str(m.as_str()));
    }
    if let Some(s) = &job.schedule {
        fields.insert("schedule", json_str(s));
    }
    if let Some(s) = &job.source {
        fields.insert("source", json_str(s));
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("   \"{k}\" : {v}"))
        .collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

/// Build the runner environment of a node (caller holds the config lock).
fn env_for<'a>(
    root: &'a Root,
    node: &str,
    zone: &Zone,
    now: i64,
    open: &'a dyn Fn(&str) -> Result<NodeCtx, Error>,
) -> Result<RootEnv<'a>, Error> {
    let ctx = load_node(root, node)?;
    Ok(RootEnv::new(ctx, zone.clone(), now, open))
}

/// `pvesr status [--guest <vmid>]` (§9.8).
pub fn status(
    root: &Root,
    node: &str,
    guest: Option<u32>,
    zone: &Zone,
    now: i64,
) -> Result<String, Error> {
    let open = opener(root);
    let mut env = env_for(root, node, zone, now, &open)?;
    let _lock = lock_config(root, env.ctx.info.quorate)?;
    // the jobs as the runner's config cache would read them, owned here
    // (a fix-up written back goes through the cache, read afresh)
    let text = env
        .ctx
        .pve
        .read(super::config::FILE)
        .map_err(|e| fail(e.to_string()))?
        .unwrap_or_default();
    let cfg = ReplicationConfig::parse_jobs(&text);
    let jobs = runner::job_status_of(&mut env, cfg.jobs, true)?;
    let text = format_status(&jobs, guest, zone, now);
    // the guest lock goes before the config lock, as it came after it
    drop(env);
    Ok(text)
}

/// One row of `pvesr status`: the cells laid out as
/// `{:<10} {:<10} {:<20} {:>20} {:>20} {:>10} {:>10} {}\n`, padded by hand
/// (`format!` pads one character at a time, a tenth of a 1,000-job status).
fn status_line(out: &mut String, cells: [&str; 8]) {
    const WIDTHS: [(usize, bool); 7] = [
        (10, false),
        (10, false),
        (20, false),
        (20, true),
        (20, true),
        (10, true),
        (10, true),
    ];
    const SPACES: &str = "                    ";
    for (cell, (width, right)) in cells.iter().zip(WIDTHS) {
        let pad = width.saturating_sub(cell.chars().count());
        if right {
            out.push_str(&SPACES[..pad]);
            out.push_str(cell);
        } else {
            out.push_str(cell);
            out.push_str(&SPACES[..pad]);
        }
        out.push(' ');
    }
    out.push_str(cells[7]);
    out.push('\n');
}

/// The header row of `pvesr status`.
const STATUS_HEADER: [&str; 8] = [
    "JobID",
    "Enabled",
    "Target",
    "LastSync",
    "NextSync",
    "Duration",
    "FailCount",
    "State",
];

pub fn format_status(jobs: &[JobStatus], guest: Option<u32>, zone: &Zone, now: i64) -> String {
    let mut out = String::with_capacity(128 * (jobs.len() + 1));
    status_line(&mut out, STATUS_HEADER);
    // a status of many jobs shows few distinct times: format each once
    let mut times: Vec<(i64, String)> = Vec::new();
    let mut fmt_time = |t: i64| -> String {
        if let Some((_, s)) = times.iter().find(|(x, _)| *x == t) {
            return s.clone();
        }
        let s = zone.to_local(t).format('_');
        if times.len() < 16 {
            times.push((t, s.clone()));
        }
        s
    };
    let rows = ordered(
        jobs.iter()
            .filter(|j| guest.is_none_or(|g| j.job.guest == g))
            .map(|j| (&j.job, j)),
    );
    let mut tid = String::new();
    let mut fails = String::new();
    for (job, js) in rows {
        let last = if js.state.last_sync == 0 {
            Cow::Borrowed("-")
        } else {
            Cow::Owned(fmt_time(js.state.last_sync))
        };
        let next = if js.next_sync == 0 {
            Cow::Borrowed("-")
        } else if js.next_sync > now {
            Cow::Owned(fmt_time(js.next_sync))
        } else {
            Cow::Borrowed("pending")
        };
        let duration = match js.state.duration.as_ref() {
            None => Cow::Borrowed("-"),
            Some(d) => Cow::Owned(
                d.as_f64()
                    .map(format_number)
                    .unwrap_or_else(|| d.to_string()),
            ),
        };
        let state = js.state.error.as_deref().unwrap_or("OK");
        tid.clear();
        tid.push_str("local/");
        tid.push_str(&job.target);
        fails.clear();
        let _ = write!(fails, "{}", js.state.fail_count);
        status_line(
            &mut out,
            [
                &job.id,
                if job.disable { "No" } else { "Yes" },
                &tid,
                &last,
                &next,
                &duration,
                &fails,
                state,
            ],
        );
    }
    out
}

/// `pvesr schedule-now <id>` (§9.9).
pub fn schedule_now(root: &Root, node: &str, id: &str) -> Result<(), Error> {
    let ctx = load_node(root, node)?;
    let cfg = read_config(&ctx.pve)?;
    let job = cfg
        .jobs
        .get(id)
        .ok_or_else(|| fail(format!("no such replication job '{id}'")))?;
    let _g = lock_guest(root, job.guest, Duration::from_secs(10))?;
    let _s = lock_state(root, node)?;
    let mut st = read_state(root, node)?;
    if let Some(entry) = st
        .get_mut(&job.guest.to_string())
        .and_then(|m| m.get_mut(&job.tid()))
    {
        entry.last_try = 0;
        write_state(root, node, &st)?;
    }
    Ok(())
}

/// `pvesr set-state <vmid> <state>` (§9.13).
pub fn set_state(root: &Root, node: &str, vmid: u32, json: &str) -> Result<(), Error> {
    let entry: BTreeMap<String, JobState> =
        serde_json::from_str(json).map_err(|e| fail(format!("unable to parse state - {e}")))?;
    let _g = lock_guest(root, vmid, Duration::from_secs(10))?;
    let _s = lock_state(root, node)?;
    let mut st = read_state(root, node)?;
    if entry.is_empty() {
        st.remove(&vmid.to_string());
    } else {
        st.insert(vmid.to_string(), entry);
    }
    write_state(root, node, &st)
}

/// What a `pvesr run` produced.
#[derive(Debug, Default)]
pub struct RunOutput {
    /// Bare log messages (printed with `--verbose`).
    pub messages: Vec<String>,
    /// Warning lines for stderr.
    pub warnings: Vec<String>,
}

/// The runner lock of a node (60 s).
fn lock_runner(root: &Root, node: &str) -> Result<crate::store::LockGuard, Error> {
    root.lock(&format!("pvesr-{node}"), Duration::from_secs(60))
        .map_err(|e| fail(e.to_string()))
}

/// `pvesr run [--id <id>]` (§9.10).
pub fn run(
    root: &Root,
    node: &str,
    id: Option<&str>,
    zone: &Zone,
    now: i64,
) -> Result<RunOutput, (RunOutput, Error)> {
    let open = opener(root);
    let mut out = RunOutput::default();
    let _r = lock_runner(root, node).map_err(|e| (RunOutput::default(), e))?;
    let mut env = env_for(root, node, zone, now, &open).map_err(|e| (RunOutput::default(), e))?;
    env.sinks.echo = Some(Vec::new());
    let _lock = lock_config(root, env.ctx.info.quorate).map_err(|e| (RunOutput::default(), e))?;
    let result = match id {
        Some(id) => runner::run_single_job(&mut env, id, now).map(|_| ()),
        None => runner::run_jobs(&mut env, now).map(|failures| {
            for f in failures {
                out.warnings.push(format!(
                    "{}: got unexpected replication job error - {}",
                    f.jobid, f.error
                ));
            }
        }),
    };
    out.messages = env.sinks.echo.take().unwrap_or_default();
    match result {
        Ok(()) => Ok(out),
        Err(e) => Err((out, e)),
    }
}

/// Run the due replication jobs of `node` at `now` — one scheduler run, as
/// `pvesim tick` does once per simulated minute on every powered node.
/// Without quorum nothing runs (Ok, no warnings). Returns the warning lines
/// (`<jobid>: got unexpected replication job error - <error>`, without the
/// trailing newline).
pub fn run_due_jobs(root: &Root, node: &str, now: i64, zone: &Zone) -> Result<Vec<String>, Error> {
    // Fast path, taken on every tick of a lab without replication: no job
    // in any /etc/pve tree and no state for this node means nothing to do,
    // whatever the node's view would say.
    let no_jobs = |p: std::path::PathBuf| {
        crate::store::read_opt(&p)
            .ok()
            .flatten()
            .is_none_or(|t| t.trim().is_empty())
    };
    if no_jobs(root.etc_pve().join("replication.cfg"))
        && no_jobs(root.host_pve(node).join("replication.cfg"))
        && read_state(root, node)?.is_empty()
    {
        return Ok(Vec::new());
    }
    let open = opener(root);
    let _r = lock_runner(root, node)?;
    let mut env = env_for(root, node, zone, now, &open)?;
    if !env.ctx.info.quorate {
        return Ok(Vec::new());
    }
    let _lock = lock_config(root, true)?;
    if env.read_jobs()?.is_empty() && read_state(root, node)?.is_empty() {
        return Ok(Vec::new());
    }
    let failures = runner::run_jobs(&mut env, now)?;
    Ok(failures
        .into_iter()
        .map(|f| {
            format!(
                "{}: got unexpected replication job error - {}",
                f.jobid,
                chomp(&f.error)
            )
        })
        .collect())
}

/// The newest replication snapshot time that all of the guest's replicated
/// volumes on `node` share: the state a guest recovered onto `node` starts
/// from. `None` when `node` holds no replica of the guest's volumes.
pub fn last_replica_sync(root: &Root, vmid: u32, node: &str) -> Option<i64> {
    let ctx = load_node(root, node).ok()?;
    let ginfo = ctx.info.guests.get(&vmid)?.clone();
    let rel = root::guest_conf_rel(&ginfo.node, vmid, ginfo.vmtype);
    let conf = GuestConf::parse(&ctx.pve.read(&rel).ok()??);
    let lookup = |sid: &str| {
        ctx.storage.get(sid).map(|st| super::volumes::StorageInfo {
            ty: st.ty.clone(),
            shared: st.shared(),
            disabled: st.disabled(),
            nodes: st.nodes(),
        })
    };
    let mode = Mode {
        cleanup: false,
        noerr: true,
    };
    let vols = replicatable_volumes(vmid, ginfo.vmtype, &conf, &lookup, mode).ok()?;
    let mut common: Option<i64> = None;
    for volid in &vols {
        let (sid, volname) = split_volid(volid)?;
        let st = ctx.storage.get(sid)?;
        let inst = crate::storage::Instance::open(root, st, node);
        let rec = inst.get(volname).ok()??;
        let newest = rec
            .snaps
            .iter()
            .filter_map(|s| {
                s.name
                    .strip_prefix("__replicate_")
                    .and_then(|r| r.strip_suffix("__"))
                    .and_then(|r| r.rsplit('_').next())
                    .and_then(|t| t.parse::<i64>().ok())
            })
            .max()?;
        common = Some(common.map_or(newest, |c: i64| c.min(newest)));
    }
    common
}

/// The `last_sync` a node's state records for (guest, target).
pub fn recorded_last_sync(root: &Root, node: &str, vmid: u32, target: &str) -> Option<i64> {
    let st = read_state(root, node).ok()?;
    st.get(&vmid.to_string())?
        .get(&tid(target))
        .map(|s| s.last_sync)
        .filter(|t| *t > 0)
}

/// What a recovery of guest `vmid` onto `node` costs in writes: the time of
/// the replica it starts from and the seconds between that sync and
/// `failed_at` (the failure of the old node). `None`: `node` holds no
/// replica of the guest, so the guest cannot start there.
pub fn replica_report(root: &Root, vmid: u32, node: &str, failed_at: i64) -> Option<(i64, i64)> {
    let t = last_replica_sync(root, vmid, node)?;
    Some((t, (failed_at - t).max(0)))
}

#[cfg(test)]
mod status_line_tests {
    use super::{status_line, STATUS_HEADER};

    #[test]
    fn same_text_as_the_format_string() {
        let cells = [
            STATUS_HEADER,
            ["100-0", "Yes", "local/pve2", "-", "pending", "-", "0", "OK"],
            [
                "100-10000000",
                "No",
                "local/a-very-long-target-name",
                "2024-05-13_10:08:00",
                "2024-05-13_10:15:00",
                "12.5",
                "12345678901",
                "error: über",
            ],
            ["", "", "", "", "", "", "", ""],
            ["ä€-0", "Jä", "lokal/ü", "ß", "é", "ø", "1", "ñ"],
        ];
        for c in cells {
            let want = format!(
                "{:<10} {:<10} {:<20} {:>20} {:>20} {:>10} {:>10} {}\n",
                c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]
            );
            let mut got = String::new();
            status_line(&mut got, c);
            assert_eq!(got, want);
        }
    }
}

//! The replication runner: job status (§10), when a job is due (§11), the
//! scheduler run (§12), one job's bookkeeping (§13), the replicate
//! procedure (§14) and removal mode (§15).
//!
//! Everything goes through the [`Env`] trait, so the conformance harness (an
//! in-memory environment with mocks) and the state root drive the same code.
//! Errors are message strings that end in one newline, as upstream's.

use super::calendar::CalendarEvent;
use super::job::{format_number, Job, RemoveMode};
use super::localtime::Zone;
use super::state::{JobState, StateFile};
use super::volumes::{replicatable_volumes, split_volid, GuestConf, Mode, StorageInfo, VmType};
use std::collections::{BTreeMap, BTreeSet};

/// A runner error: the message, ending in a newline.
pub type Error = String;

/// Make an error message end in exactly the newline upstream's `die` adds.
pub fn fail(msg: impl Into<String>) -> Error {
    let mut m = msg.into();
    if !m.ends_with('\n') {
        m.push('\n');
    }
    m
}

/// The message with one trailing newline removed.
pub fn chomp(e: &str) -> &str {
    e.strip_suffix('\n').unwrap_or(e)
}

/// Where a guest lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GuestInfo {
    /// Shared: a guest list is copied whole, and most guests share a node.
    pub node: std::sync::Arc<str>,
    pub vmtype: VmType,
}

/// A snapshot as `prepare` reports it: the ZFS guid and creation time.
/// `None` is the conformance mock's bare marker (no id to compare).
pub type SnapInfo = Option<(u64, i64)>;

/// volid -> snapshot name -> info.
pub type SnapMap = BTreeMap<String, BTreeMap<String, SnapInfo>>;

/// Transport settings from datacenter.cfg (`replication`, else `migration`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Transport {
    pub insecure: bool,
    pub network: Option<String>,
}

/// Arguments of `pvesr prepare-local-job` on the target.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PrepareArgs {
    pub jobid: String,
    pub guest: u32,
    pub scan: Vec<String>,
    pub volids: Vec<String>,
    pub last_sync: i64,
    pub parent: Option<String>,
    pub force: bool,
}

/// Snapshot operations on one node's volumes (used on both sides).
pub trait SnapshotStore {
    /// Snapshots of a volume, by name; empty if the volume does not exist.
    fn list_snapshots(&mut self, volid: &str) -> BTreeMap<String, SnapInfo>;
    fn delete_snapshot(&mut self, volid: &str, snap: &str) -> Result<(), Error>;
}

/// Everything the runner needs from the world, as seen from the local node.
pub trait Env: SnapshotStore {
    fn local_node(&self) -> String;
    /// The zone schedules are evaluated in.
    fn zone(&self) -> Zone;
    /// Cluster members and whether each is online (local view).
    fn members(&self) -> BTreeMap<String, bool>;
    /// The cluster guest list.
    fn vmlist(&self) -> BTreeMap<u32, GuestInfo>;

    /// The jobs of `replication.cfg`, by id.
    fn read_jobs(&mut self) -> Result<BTreeMap<String, Job>, Error>;
    /// Write changed jobs back (source fix-up, stolen-guest switch).
    fn write_jobs(&mut self, jobs: &BTreeMap<String, Job>) -> Result<(), Error>;
    /// Remove a job from `replication.cfg` (end of removal mode).
    fn delete_job(&mut self, id: &str) -> Result<(), Error>;

    fn read_state(&mut self) -> Result<StateFile, Error>;
    fn write_state(&mut self, state: &StateFile) -> Result<(), Error>;

    fn guest_config(&mut self, vmid: u32, vmtype: VmType) -> Result<GuestConf, Error>;
    /// The PID of the running guest, 0 when it is not running.
    fn guest_running(&mut self, vmid: u32, vmtype: VmType) -> u64;
    fn storage(&self, sid: &str) -> Option<StorageInfo>;
    fn transport(&self) -> Transport;

    fn create_snapshot(&mut self, volid: &str, snap: &str, now: i64) -> Result<(), Error>;
    fn freeze(&mut self, _vmid: u32) {}
    fn thaw(&mut self, _vmid: u32) {}

    /// Run prepare-local-job on the target; log its stderr lines through
    /// `log` (already prefixed). Failure: the remote-command error.
    fn remote_prepare(
        &mut self,
        target: &str,
        args: &PrepareArgs,
        log: &mut dyn FnMut(&str),
    ) -> Result<SnapMap, Error>;
    /// Run finalize-local-job on the target.
    fn remote_finalize(
        &mut self,
        target: &str,
        jobid: &str,
        guest: u32,
        volids: &[String],
        last_sync: i64,
        log: &mut dyn FnMut(&str),
    ) -> Result<(), Error>;
    /// Send `volid` up to snapshot `snap` (incremental from `base`).
    #[allow(clippy::too_many_arguments)]
    fn transfer(
        &mut self,
        target: &str,
        volid: &str,
        base: Option<&str>,
        snap: &str,
        rate: Option<f64>,
        transport: &Transport,
        log: &mut dyn FnMut(&str),
    ) -> Result<(), Error>;

    /// Start a job's log (the file is truncated at each run).
    fn log_start(&mut self, jobid: &str);
    /// One message of a job's run.
    fn log(&mut self, jobid: &str, msg: &str);

    /// Take the guest migration lock for a run (2 s timeout).
    fn lock_guest(&mut self, _vmid: u32) -> Result<(), Error> {
        Ok(())
    }
    fn unlock_guest(&mut self, _vmid: u32) {}

    /// Test hook: replace the replicate procedure (conformance mocks).
    fn replicate_override(
        &mut self,
        _job: &Job,
        _vmtype: VmType,
        _state: &JobState,
        _start_time: i64,
    ) -> Option<Result<Vec<String>, Error>> {
        None
    }
}

/// One entry of the job status: the job, its state (defaults filled in),
/// the guest type and the next sync time.
#[derive(Debug, Clone, PartialEq)]
pub struct JobStatus {
    pub job: Job,
    pub state: JobState,
    pub vmtype: VmType,
    pub next_sync: i64,
}

/// Back-off after `fail_count` failures, in seconds.
pub fn backoff(fail_count: i64) -> i64 {
    60 * match fail_count {
        1 => 5,
        2 => 10,
        3 => 15,
        _ => 30,
    }
}

/// `next_sync` of a job (§11).
pub fn next_sync(
    job: &Job,
    state: &JobState,
    members: &BTreeMap<String, bool>,
    zone: &Zone,
) -> i64 {
    if job.remove_job.is_some() {
        return 1;
    }
    if state.fail_count > 0 {
        if members.get(&job.target).copied().unwrap_or(false) {
            return state.last_try + backoff(state.fail_count);
        }
        return 0;
    }
    thread_local! {
        /// Parsed schedules: a status of 1,000 jobs mostly has one or two
        /// distinct schedules (`*/15` by default); parse each once.
        static PARSED: std::cell::RefCell<std::collections::HashMap<String, Option<CalendarEvent>>> =
            Default::default();
    }
    let schedule = job.schedule_or_default();
    PARSED.with(|p| {
        let mut p = p.borrow_mut();
        let ev = match p.get(schedule) {
            Some(ev) => ev,
            None => {
                p.insert(schedule.to_string(), CalendarEvent::parse(schedule).ok());
                &p[schedule]
            }
        };
        match ev {
            Some(ev) => ev.next_event(state.last_try, zone).unwrap_or(0),
            None => 0,
        }
    })
}

/// Apply the stolen-guest / migration switch to the jobs of `guest`: jobs
/// that targeted `new_home` now target `previous`; all get source `new_home`.
pub fn switch_guest_jobs(
    jobs: &mut BTreeMap<String, Job>,
    guest: u32,
    new_home: &str,
    previous: &str,
) {
    for job in jobs.values_mut().filter(|j| j.guest == guest) {
        if job.target == new_home {
            job.target = previous.to_string();
        }
        job.source = Some(new_home.to_string());
    }
}

/// Job status of the local node (§10). Has side effects on the config
/// (source fix-up, stolen-guest switch).
pub fn job_status(env: &mut dyn Env, include_disabled: bool) -> Result<Vec<JobStatus>, Error> {
    let jobs = env.read_jobs()?;
    job_status_of(env, jobs, include_disabled)
}

/// [`job_status`] of `jobs`, which the caller read from `env`'s config (a
/// caller that owns them saves a copy).
pub fn job_status_of(
    env: &mut dyn Env,
    mut jobs: BTreeMap<String, Job>,
    include_disabled: bool,
) -> Result<Vec<JobStatus>, Error> {
    let local = env.local_node();
    let vms = env.vmlist();
    let states = env.read_state()?;
    let members = env.members();
    let zone = env.zone();
    // Without a job of a local guest whose source must be fixed up, nothing
    // is written: the jobs are then only read, and moved into the result.
    let fixup = jobs.values().any(|j| {
        vms.get(&j.guest).is_some_and(|g| *g.node == *local)
            && j.source.as_deref() != Some(local.as_str())
    });
    if !fixup {
        let mut out = Vec::new();
        let mut keys = (String::new(), String::new());
        // the next sync of a healthy job is a function of its schedule and
        // last try: jobs in a row often share both
        let mut last: Option<(String, i64, i64)> = None;
        for job in jobs.into_values() {
            let Some(guest) = vms.get(&job.guest) else {
                continue;
            };
            if *guest.node != *local {
                continue;
            }
            if job.remove_job.is_none() && (job.target == local || job.disable && !include_disabled)
            {
                continue;
            }
            let state = job_state(&states, &job, &mut keys);
            let healthy = job.remove_job.is_none() && state.fail_count <= 0;
            let schedule = job.schedule_or_default();
            let next_sync = match &last {
                Some((s, t, n)) if healthy && s == schedule && *t == state.last_try => *n,
                _ => {
                    let n = next_sync(&job, &state, &members, &zone);
                    if healthy {
                        last = Some((schedule.to_string(), state.last_try, n));
                    }
                    n
                }
            };
            out.push(JobStatus {
                job,
                state,
                vmtype: guest.vmtype,
                next_sync,
            });
        }
        return Ok(out);
    }
    let ids: Vec<String> = jobs.keys().cloned().collect();
    let mut out = Vec::new();
    for id in ids {
        let Some(job) = jobs.get(&id) else { continue };
        let Some(guest) = vms.get(&job.guest) else {
            continue;
        };
        if *guest.node != *local {
            continue;
        }
        let vmtype = guest.vmtype;
        let guest_id = job.guest;
        match job.source.clone() {
            None => {
                if let Some(j) = jobs.get_mut(&id) {
                    j.source = Some(local.clone());
                }
                env.write_jobs(&jobs)?;
            }
            Some(src) if src != local => {
                switch_guest_jobs(&mut jobs, guest_id, &local, &src);
                env.write_jobs(&jobs)?;
            }
            Some(_) => {}
        }
        let job = jobs[&id].clone();
        if job.remove_job.is_none() {
            if job.target == local {
                continue;
            }
            if job.disable && !include_disabled {
                continue;
            }
        }
        let state = states
            .get(&job.guest.to_string())
            .and_then(|m| m.get(&job.tid()))
            .cloned()
            .unwrap_or_default();
        let next_sync = next_sync(&job, &state, &members, &zone);
        out.push(JobStatus {
            job,
            state,
            vmtype,
            next_sync,
        });
    }
    Ok(out)
}

/// The state of `job` in the state file (default when it has none);
/// `keys` are buffers for the lookup keys.
fn job_state(states: &StateFile, job: &Job, keys: &mut (String, String)) -> JobState {
    use std::fmt::Write as _;
    if states.is_empty() {
        return JobState::default();
    }
    keys.0.clear();
    let _ = write!(keys.0, "{}", job.guest);
    keys.1.clear();
    keys.1.push_str("local/");
    keys.1.push_str(&job.target);
    debug_assert_eq!(keys.1, job.tid());
    states
        .get(keys.0.as_str())
        .and_then(|m| m.get(keys.1.as_str()))
        .cloned()
        .unwrap_or_default()
}

/// Replace (or with `None` delete) one state entry in the state file.
pub fn write_job_state(
    env: &mut dyn Env,
    guest: u32,
    tid: &str,
    state: Option<&JobState>,
) -> Result<(), Error> {
    let mut all = env.read_state()?;
    let key = guest.to_string();
    match state {
        Some(s) => {
            all.entry(key)
                .or_default()
                .insert(tid.to_string(), s.clone());
        }
        None => {
            if let Some(m) = all.get_mut(&key) {
                m.remove(tid);
                if m.is_empty() {
                    all.remove(&key);
                }
            }
        }
    }
    env.write_state(&all)
}

/// Drop state entries of guests not on this node or tids no job uses (§12.2).
pub fn purge_old_states(env: &mut dyn Env) -> Result<(), Error> {
    let local = env.local_node();
    let jobs = env.read_jobs()?;
    let vms = env.vmlist();
    let keep: BTreeSet<(String, String)> = jobs
        .values()
        .filter(|j| vms.get(&j.guest).is_some_and(|g| *g.node == *local))
        .map(|j| (j.guest.to_string(), j.tid()))
        .collect();
    let state = env.read_state()?;
    let mut purged = StateFile::new();
    for (vmid, tids) in &state {
        for (t, s) in tids {
            if keep.contains(&(vmid.clone(), t.clone())) {
                purged
                    .entry(vmid.clone())
                    .or_default()
                    .insert(t.clone(), s.clone());
            }
        }
    }
    if purged != state {
        env.write_state(&purged)?;
    }
    Ok(())
}

/// A job that failed during a scheduler run (for the stderr warning).
#[derive(Debug, Clone, PartialEq)]
pub struct RunFailure {
    pub jobid: String,
    pub error: Error,
    /// The job's `fail_count` after the failure (0: not recorded, e.g. a
    /// lock failure), for notifications.
    pub fail_count: i64,
}

/// One scheduler run at `now` (§12). Returns the jobs that failed, in run
/// order; the caller prints `<jobid>: got unexpected replication job error - <error>`.
pub fn run_jobs(env: &mut dyn Env, now: i64) -> Result<Vec<RunFailure>, Error> {
    let iteration = now;
    let start_time = now;
    purge_old_states(env)?;
    let mut attempted: BTreeSet<String> = BTreeSet::new();
    let mut failures = Vec::new();
    loop {
        let mut jobs = job_status(env, false)?;
        jobs.sort_by(|a, b| {
            (a.state.last_iteration, a.next_sync, a.job.guest, &a.job.id).cmp(&(
                b.state.last_iteration,
                b.next_sync,
                b.job.guest,
                &b.job.id,
            ))
        });
        let Some(js) = jobs.into_iter().find(|j| {
            j.state.last_iteration < iteration
                && j.next_sync != 0
                && start_time >= j.next_sync
                && !attempted.contains(&j.job.id)
        }) else {
            break;
        };
        attempted.insert(js.job.id.clone());
        if let Err(error) = run_replication(env, &js, iteration, start_time, false) {
            let fail_count = env
                .read_state()
                .ok()
                .and_then(|s| {
                    s.get(&js.job.guest.to_string())
                        .and_then(|m| m.get(&js.job.tid()))
                        .map(|st| st.fail_count)
                })
                .unwrap_or(0);
            failures.push(RunFailure {
                jobid: js.job.id.clone(),
                error,
                fail_count,
            });
        }
    }
    Ok(failures)
}

/// `pvesr run --id` (§9.10): run one job now regardless of schedule.
pub fn run_single_job(env: &mut dyn Env, jobid: &str, now: i64) -> Result<Vec<String>, Error> {
    let local = env.local_node();
    let jobs = env.read_jobs()?;
    let job = jobs
        .get(jobid)
        .cloned()
        .ok_or_else(|| fail(format!("no such job '{jobid}'")))?;
    if job.disable {
        return Err(fail(format!("job '{jobid}' is disabled")));
    }
    let vms = env.vmlist();
    let guest = vms
        .get(&job.guest)
        .ok_or_else(|| fail(format!("no such guest '{}'", job.guest)))?;
    if *guest.node != *local {
        return Err(fail(format!("guest '{}' is not on local node", job.guest)));
    }
    if job.target == local {
        return Err(fail("unable to sync to local node"));
    }
    // Apply the status side effects and pick up the job's state.
    let status = job_status(env, true)?;
    let js = status
        .into_iter()
        .find(|s| s.job.id == jobid)
        .ok_or_else(|| fail(format!("no such job '{jobid}'")))?;
    run_replication(env, &js, now, now, false)
}

/// Run one job with its bookkeeping (§13). `locked`: the caller (a
/// migration) already holds the guest migration lock.
pub fn run_replication(
    env: &mut dyn Env,
    js: &JobStatus,
    iteration: i64,
    start_time: i64,
    locked: bool,
) -> Result<Vec<String>, Error> {
    let vmid = js.job.guest;
    if !locked {
        env.lock_guest(vmid)?;
    }
    let result = run_replication_locked(env, js, iteration, start_time);
    if !locked {
        env.unlock_guest(vmid);
    }
    result
}

fn run_replication_locked(
    env: &mut dyn Env,
    js: &JobStatus,
    iteration: i64,
    start_time: i64,
) -> Result<Vec<String>, Error> {
    let job = &js.job;
    let tid = job.tid();
    let local = env.local_node();
    let mut state = env
        .read_state()?
        .get(&job.guest.to_string())
        .and_then(|m| m.get(&tid))
        .cloned()
        .unwrap_or_default();
    state.last_node = Some(local);
    state.last_try = start_time;
    state.last_iteration = iteration;
    if state.storeid_list.is_none() {
        state.storeid_list = Some(Vec::new());
    }
    write_job_state(env, job.guest, &tid, Some(&state))?;

    env.log_start(&job.id);
    env.log(&job.id, "start replication job");
    let result = match env.replicate_override(job, js.vmtype, &state, start_time) {
        Some(r) => r,
        None => replicate(env, job, js.vmtype, &mut state, start_time),
    };
    match &result {
        Err(e) => env.log(
            &job.id,
            &format!("end replication job with error: {}", chomp(e)),
        ),
        Ok(_) => env.log(&job.id, "end replication job"),
    }
    state.duration = Some(0.into());
    state.pid = None;
    state.ptime = None;
    match &result {
        Err(e) => {
            state.fail_count += 1;
            state.error = Some(chomp(e).to_string());
            write_job_state(env, job.guest, &tid, Some(&state))?;
        }
        Ok(_) if job.remove_job.is_some() => {
            write_job_state(env, job.guest, &tid, None)?;
        }
        Ok(_) => {
            state.last_sync = start_time;
            state.fail_count = 0;
            state.error = None;
            write_job_state(env, job.guest, &tid, Some(&state))?;
        }
    }
    result
}

/// The snapshot name of a job's run at `t`.
pub fn snapshot_name(jobid: &str, t: i64) -> String {
    format!("__replicate_{jobid}_{t}__")
}

/// `prepare` (§14.1) over a snapshot store: delete stale replication
/// snapshots and return what is left, plus the volumes that were cleaned.
pub fn prepare(
    store: &mut dyn SnapshotStore,
    volids: &[String],
    jobid: Option<&str>,
    last_sync: i64,
    parent: Option<&str>,
    log: &mut dyn FnMut(&str),
) -> (SnapMap, BTreeSet<String>) {
    let prefix = match jobid {
        Some(j) => format!("__replicate_{j}_"),
        None => "__replicate_".to_string(),
    };
    let keep = jobid.map(|j| snapshot_name(j, last_sync));
    let mut result = SnapMap::new();
    let mut cleaned = BTreeSet::new();
    for volid in volids {
        let snaps = store.list_snapshots(volid);
        let mut allowed = match &keep {
            None => true,
            Some(k) => snaps.contains_key(k),
        };
        if last_sync == 0 {
            allowed = false;
        } else if last_sync == 1 {
            allowed = true;
        }
        let stale = |name: &str| {
            Some(name) != keep.as_deref() && Some(name) != parent && name.starts_with(&prefix)
        };
        if !allowed && last_sync > 1 && snaps.keys().any(|n| stale(n)) {
            log(&format!(
                "expected snapshot {} not present for {volid}, not removing others",
                keep.as_deref().unwrap_or("")
            ));
        }
        let entry = result.entry(volid.clone()).or_default();
        for (name, info) in snaps {
            if allowed && stale(&name) {
                log(&format!(
                    "delete stale replication snapshot '{name}' on {volid}"
                ));
                match store.delete_snapshot(volid, &name) {
                    Ok(()) => {
                        cleaned.insert(volid.clone());
                    }
                    Err(e) => log(&format!(
                        "delete stale replication snapshot error: {}",
                        chomp(&e)
                    )),
                }
            } else {
                entry.insert(name, info);
            }
        }
    }
    (result, cleaned)
}

/// Sorted unique storage ids of volids.
fn storeids(volids: &[String]) -> Vec<String> {
    let set: BTreeSet<String> = volids
        .iter()
        .filter_map(|v| split_volid(v).map(|(s, _)| s.to_string()))
        .collect();
    set.into_iter().collect()
}

/// The replicate procedure (§14), or removal mode (§15).
pub fn replicate(
    env: &mut dyn Env,
    job: &Job,
    vmtype: VmType,
    state: &mut JobState,
    start_time: i64,
) -> Result<Vec<String>, Error> {
    let jobid = job.id.clone();
    let vmid = job.guest;
    let transport = env.transport();
    let last_sync = state.last_sync;
    if start_time <= last_sync {
        return Err(fail(format!(
            "start time before last sync ({start_time} <= {last_sync}) - abort sync"
        )));
    }
    let conf = env.guest_config(vmid, vmtype)?;
    let running = env.guest_running(vmid, vmtype);
    let freeze = running > 0
        && match vmtype {
            VmType::Lxc => true,
            VmType::Qemu => {
                let agent = conf.main.get("agent").map(String::as_str).unwrap_or("0");
                let enabled = agent
                    .split(',')
                    .find_map(|p| match p.split_once('=') {
                        Some(("enabled", v)) => Some(v),
                        Some(_) => None,
                        None => Some(p),
                    })
                    .is_some_and(|v| matches!(v, "1" | "yes" | "on" | "true"));
                let freeze_fs = agent
                    .split(',')
                    .find_map(|p| {
                        p.strip_prefix("freeze-fs-on-backup=")
                            .or(p.strip_prefix("freeze-fs="))
                    })
                    .is_none_or(|v| !matches!(v, "0" | "no" | "off" | "false"));
                enabled && freeze_fs
            }
        };
    let mode = Mode {
        cleanup: job.remove_job.is_some(),
        noerr: false,
    };
    let lookup = |sid: &str| env.storage(sid);
    let volids: Vec<String> = replicatable_volumes(vmid, vmtype, &conf, &lookup, mode)
        .map_err(fail)?
        .into_iter()
        .collect();
    env.log(
        &jobid,
        &format!("guest => {} {vmid}, running => {running}", vmtype.label()),
    );
    env.log(&jobid, &format!("volumes => {}", volids.join(",")));

    if let Some(list) = state.storeid_list.as_mut() {
        list.retain(|sid| env.storage(sid).is_some());
    }

    let local = env.local_node();
    let log_lines = |env: &mut dyn Env, lines: Vec<String>| {
        for l in lines {
            env.log(&jobid, &l);
        }
    };

    if let Some(mode) = job.remove_job {
        env.log(&jobid, &format!("start job removal - mode '{mode}'"));
        if mode == RemoveMode::Full && job.target != local {
            let mut scan: BTreeSet<String> = storeids(&volids).into_iter().collect();
            scan.extend(state.storeid_list.clone().unwrap_or_default());
            let args = PrepareArgs {
                jobid: jobid.clone(),
                guest: vmid,
                scan: scan.into_iter().collect(),
                volids: Vec::new(),
                last_sync: 1,
                parent: None,
                force: true,
            };
            let mut lines = Vec::new();
            let r = env.remote_prepare(&job.target, &args, &mut |l| lines.push(l.to_string()));
            log_lines(env, lines);
            r?;
        }
        let mut lines = Vec::new();
        prepare(env, &volids, Some(&jobid), 1, None, &mut |l| {
            lines.push(l.to_string())
        });
        log_lines(env, lines);
        env.delete_job(&jobid)?;
        env.log(&jobid, "job removed");
        return Ok(volids);
    }

    let parent = conf.parent().map(str::to_string);
    let mut lines = Vec::new();
    let (local_snaps, _) = prepare(
        env,
        &volids,
        Some(&jobid),
        last_sync,
        parent.as_deref(),
        &mut |l| lines.push(l.to_string()),
    );
    log_lines(env, lines);

    let args = PrepareArgs {
        jobid: jobid.clone(),
        guest: vmid,
        scan: state.storeid_list.clone().unwrap_or_default(),
        volids: volids.clone(),
        last_sync,
        parent: parent.clone(),
        force: false,
    };
    let mut lines = Vec::new();
    let r = env.remote_prepare(&job.target, &args, &mut |l| lines.push(l.to_string()));
    log_lines(env, lines);
    let remote_snaps = r?;

    // Base snapshot for every volume the target already has.
    let last_name = snapshot_name(&jobid, last_sync);
    let config_snaps: BTreeSet<&String> = conf.snapshots.keys().collect();
    let mut base: BTreeMap<String, String> = BTreeMap::new();
    let mut missing = Vec::new();
    for v in &volids {
        let (Some(ls), Some(rs)) = (local_snaps.get(v), remote_snaps.get(v)) else {
            continue;
        };
        let common = |s: &str| -> bool {
            match (ls.get(s), rs.get(s)) {
                (Some(l), Some(r)) => match (l, r) {
                    (Some((lid, _)), Some((rid, _))) => lid == rid,
                    _ => true,
                },
                _ => false,
            }
        };
        let chosen = if common(&last_name) {
            Some(last_name.clone())
        } else if parent.as_deref().is_some_and(common) {
            parent.clone()
        } else {
            let mut best: Option<(i64, &String)> = None;
            for (name, info) in ls {
                let ts = info.map(|(_, t)| t).unwrap_or(0);
                if ts <= 0 || !common(name) {
                    continue;
                }
                if !(config_snaps.contains(name) || name.starts_with("__replicate_")) {
                    continue;
                }
                // Greatest timestamp; ties to the smallest name (BTreeMap
                // order visits smaller names first).
                if best.is_none_or(|(bt, _)| ts > bt) {
                    best = Some((ts, name));
                }
            }
            best.map(|(_, n)| n.clone())
        };
        match chosen {
            Some(b) => {
                base.insert(v.clone(), b);
            }
            None => missing.push(v.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(fail(format!(
            "No common base snapshot on volume(s) {}\nPlease remove the problematic volume(s) from the replication target or delete and re-create the whole job {jobid}",
            missing.join(",")
        )));
    }

    state.storeid_list = Some(storeids(&volids));

    if freeze {
        env.log(&jobid, "freeze guest filesystem");
        env.freeze(vmid);
    }
    let snap = snapshot_name(&jobid, start_time);
    let mut created: Vec<String> = Vec::new();
    let mut snap_err = None;
    for v in &volids {
        env.log(&jobid, &format!("create snapshot '{snap}' on {v}"));
        match env.create_snapshot(v, &snap, start_time) {
            Ok(()) => created.push(v.clone()),
            Err(e) => {
                snap_err = Some(e);
                break;
            }
        }
    }
    if freeze {
        env.log(&jobid, "thaw guest filesystem");
        env.thaw(vmid);
    }
    let cleanup = |env: &mut dyn Env, created: &[String]| {
        let mut sorted = created.to_vec();
        sorted.sort();
        for v in sorted {
            env.log(
                &jobid,
                &format!("delete previous replication snapshot '{snap}' on {v}"),
            );
            let _ = env.delete_snapshot(&v, &snap);
        }
    };
    if let Some(e) = snap_err {
        cleanup(env, &created);
        return Err(fail(e));
    }

    let rate = match job.rate {
        Some(r) => format!("{} MByte/s", format_number(r)),
        None => "none".to_string(),
    };
    let over = transport
        .network
        .as_ref()
        .map(|n| format!(" over {n}"))
        .unwrap_or_default();
    env.log(
        &jobid,
        &format!(
            "using {} transmission{over}, rate limit: {rate}",
            if transport.insecure {
                "insecure"
            } else {
                "secure"
            }
        ),
    );
    for v in &volids {
        match base.get(v) {
            Some(b) => env.log(&jobid, &format!("incremental sync '{v}' ({b} => {snap})")),
            None => env.log(&jobid, &format!("full sync '{v}' ({snap})")),
        }
        let mut lines = Vec::new();
        let r = env.transfer(
            &job.target,
            v,
            base.get(v).map(String::as_str),
            &snap,
            job.rate,
            &transport,
            &mut |l| lines.push(l.to_string()),
        );
        log_lines(env, lines);
        if let Err(e) = r {
            cleanup(env, &created);
            return Err(fail(e));
        }
    }

    state.last_sync = start_time;
    write_job_state(env, vmid, &job.tid(), Some(state))?;

    for v in &volids {
        if local_snaps
            .get(v)
            .is_some_and(|m| m.contains_key(&last_name))
        {
            env.log(
                &jobid,
                &format!("delete previous replication snapshot '{last_name}' on {v}"),
            );
            let _ = env.delete_snapshot(v, &last_name);
        }
    }

    let mut lines = Vec::new();
    let r = env.remote_finalize(&job.target, &jobid, vmid, &volids, start_time, &mut |l| {
        lines.push(l.to_string())
    });
    log_lines(env, lines);
    if let Err(e) = r {
        env.log(
            &jobid,
            &format!("delete stale replication snapshot error: {}", chomp(&e)),
        );
    }
    Ok(volids)
}

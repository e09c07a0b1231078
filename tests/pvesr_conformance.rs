//! Conformance runner over `../shared/conformance/pvesr/` (override with
//! `PVESIM_CONFORMANCE_DIR`): each `replication_testN.json` scenario runs
//! against an in-memory [`Env`] built as its README describes, through the
//! same runner code the state root uses. Scenarios listed in
//! `tests/pvesr_conformance_known_failures.txt` must fail (so the list only
//! shrinks); all others must pass.

use pvesim::replication::job::{Job, RemoveMode};
use pvesim::replication::localtime::Zone;
use pvesim::replication::runner::{
    self, chomp, Env, Error, GuestInfo, JobStatus, PrepareArgs, SnapInfo, SnapMap, SnapshotStore,
    Transport,
};
use pvesim::replication::state::{JobState, StateFile};
use pvesim::replication::volumes::{GuestConf, StorageInfo, VmType};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    match std::env::var_os("PVESIM_CONFORMANCE_DIR") {
        Some(d) => PathBuf::from(d).join("pvesr"),
        // `../shared` beside the checkout; worktrees sit one level deeper.
        None => Path::new(env!("CARGO_MANIFEST_DIR"))
            .ancestors()
            .skip(1)
            .map(|a| a.join("shared/conformance/pvesr"))
            .find(|p| p.is_dir())
            .unwrap_or_else(|| PathBuf::from("../shared/conformance/pvesr")),
    }
}

struct Harness {
    local: String,
    members: BTreeMap<String, bool>,
    jobs: BTreeMap<String, Value>,
    guests: BTreeMap<u32, (VmType, String, BTreeMap<String, Value>)>,
    state: StateFile,
    /// volid -> snapshot name -> counter value (id = timestamp).
    volumes: BTreeMap<String, BTreeMap<String, i64>>,
    counter: i64,
    replicate_mock: Option<Value>,
    remote_mock: bool,
    /// T[target][volid] = snapshot name; absent target = never created.
    tracker: BTreeMap<String, BTreeMap<String, String>>,
    calls: Vec<Value>,
    /// The harness log, when a track_jobs call is collecting it.
    sink: Option<(i64, Vec<String>)>,
    log: Vec<String>,
}

impl Harness {
    fn new(scenario: &Value) -> Result<Harness, String> {
        let env = &scenario["environment"];
        if env["storage_cfg"] != json!("default") {
            return Err("only the default storage_cfg is supported".into());
        }
        let mut guests = BTreeMap::new();
        for (vmid, g) in env["guests"].as_object().ok_or("guests")? {
            let ty = match g["type"].as_str() {
                Some("qemu") => VmType::Qemu,
                Some("lxc") => VmType::Lxc,
                other => return Err(format!("guest type {other:?}")),
            };
            guests.insert(
                vmid.parse().map_err(|_| "vmid")?,
                (
                    ty,
                    g["node"].as_str().ok_or("node")?.to_string(),
                    g["config"]
                        .as_object()
                        .cloned()
                        .unwrap_or_default()
                        .into_iter()
                        .collect(),
                ),
            );
        }
        let mut h = Harness {
            local: env["local_node"].as_str().ok_or("local_node")?.to_string(),
            members: env["members"]
                .as_object()
                .ok_or("members")?
                .iter()
                .map(|(n, m)| (n.clone(), m["online"].as_bool().unwrap_or(false)))
                .collect(),
            jobs: env["replication_jobs"]
                .as_object()
                .ok_or("replication_jobs")?
                .clone()
                .into_iter()
                .collect(),
            guests,
            state: StateFile::new(),
            volumes: BTreeMap::new(),
            counter: 0,
            replicate_mock: scenario["mocks"]["replicate"].as_object().map(|o| json!(o)),
            remote_mock: scenario["mocks"]["remote"]["mode"] == json!("target-tracker"),
            tracker: BTreeMap::new(),
            calls: Vec::new(),
            sink: None,
            log: Vec::new(),
        };
        for v in env["volumes"].as_array().ok_or("volumes")? {
            let volid = v["volid"].as_str().ok_or("volid")?.to_string();
            h.volumes.entry(volid.clone()).or_default();
            for s in v["snapshots"].as_array().cloned().unwrap_or_default() {
                h.counter += 1;
                let c = h.counter;
                h.volumes
                    .get_mut(&volid)
                    .unwrap()
                    .insert(s.as_str().ok_or("snapshot")?.to_string(), c);
            }
        }
        Ok(h)
    }

    fn vmlist_json(&self) -> Value {
        let ids: serde_json::Map<String, Value> = self
            .guests
            .iter()
            .map(|(vmid, (ty, node, _))| {
                (
                    vmid.to_string(),
                    json!({"node": node, "type": ty.as_str(), "version": 1}),
                )
            })
            .collect();
        json!({ "ids": ids })
    }

    fn job_from_json(id: &str, v: &Value) -> Job {
        let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_string);
        let guest = match &v["guest"] {
            Value::Number(n) => n.as_u64().unwrap_or(0) as u32,
            Value::String(s) => s.parse().unwrap_or(0),
            _ => 0,
        };
        Job {
            id: id.to_string(),
            guest,
            target: s("target").unwrap_or_default(),
            schedule: s("schedule"),
            rate: v.get("rate").and_then(Value::as_f64),
            comment: s("comment"),
            disable: v
                .get("disable")
                .is_some_and(|d| d == &json!(1) || d == &json!(true) || d == &json!("1")),
            remove_job: s("remove_job").as_deref().and_then(RemoveMode::parse),
            source: s("source"),
        }
    }
}

impl SnapshotStore for Harness {
    fn list_snapshots(&mut self, volid: &str) -> BTreeMap<String, SnapInfo> {
        self.volumes
            .get(volid)
            .map(|m| {
                m.iter()
                    .map(|(n, c)| (n.clone(), Some((*c as u64, *c))))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn delete_snapshot(&mut self, volid: &str, snap: &str) -> Result<(), Error> {
        let v = self
            .volumes
            .get_mut(volid)
            .ok_or_else(|| format!("no such volid '{volid}'\n"))?;
        v.remove(snap)
            .map(|_| ())
            .ok_or_else(|| format!("no such snapshot '{snap}' on '{volid}'\n"))
    }
}

impl Env for Harness {
    fn local_node(&self) -> String {
        self.local.clone()
    }
    fn zone(&self) -> Zone {
        Zone::utc()
    }
    fn members(&self) -> BTreeMap<String, bool> {
        self.members.clone()
    }
    fn vmlist(&self) -> BTreeMap<u32, GuestInfo> {
        self.guests
            .iter()
            .map(|(vmid, (ty, node, _))| {
                (
                    *vmid,
                    GuestInfo {
                        node: node.as_str().into(),
                        vmtype: *ty,
                    },
                )
            })
            .collect()
    }
    fn read_jobs(&mut self) -> Result<BTreeMap<String, Job>, Error> {
        Ok(self
            .jobs
            .iter()
            .map(|(id, v)| (id.clone(), Harness::job_from_json(id, v)))
            .collect())
    }
    fn write_jobs(&mut self, _jobs: &BTreeMap<String, Job>) -> Result<(), Error> {
        Ok(()) // writes are discarded (README 2.2)
    }
    fn delete_job(&mut self, id: &str) -> Result<(), Error> {
        self.jobs.remove(id);
        Ok(())
    }
    fn read_state(&mut self) -> Result<StateFile, Error> {
        Ok(self.state.clone())
    }
    fn write_state(&mut self, state: &StateFile) -> Result<(), Error> {
        self.state = state.clone();
        Ok(())
    }
    fn guest_config(&mut self, vmid: u32, _vmtype: VmType) -> Result<GuestConf, Error> {
        let (_, node, conf) = self
            .guests
            .get(&vmid)
            .ok_or_else(|| format!("no such guest '{vmid}'\n"))?;
        if *node != self.local {
            return Err(format!("guest '{vmid}' is on node '{node}'\n"));
        }
        let mut gc = GuestConf::default();
        for (k, v) in conf {
            match (k.as_str(), v) {
                ("snapshots", Value::Object(snaps)) => {
                    for (name, sv) in snaps {
                        let sec = sv
                            .as_object()
                            .map(|o| o.iter().map(|(k, v)| (k.clone(), value_text(v))).collect())
                            .unwrap_or_default();
                        gc.snapshots.insert(name.clone(), sec);
                    }
                }
                _ => {
                    gc.main.insert(k.clone(), value_text(v));
                }
            }
        }
        Ok(gc)
    }
    fn guest_running(&mut self, _vmid: u32, _vmtype: VmType) -> u64 {
        0
    }
    fn storage(&self, sid: &str) -> Option<StorageInfo> {
        let ty = match sid {
            "local" => "dir",
            "local-zfs" => "zfspool",
            _ => return None,
        };
        Some(StorageInfo {
            ty: ty.into(),
            shared: false,
            disabled: false,
            nodes: None,
        })
    }
    fn transport(&self) -> Transport {
        Transport::default()
    }
    fn create_snapshot(&mut self, volid: &str, snap: &str, _now: i64) -> Result<(), Error> {
        if !self.volumes.contains_key(volid) {
            return Err(format!("no such volid '{volid}'\n"));
        }
        self.counter += 1;
        let c = self.counter;
        self.volumes
            .get_mut(volid)
            .unwrap()
            .insert(snap.to_string(), c);
        Ok(())
    }
    fn remote_prepare(
        &mut self,
        target: &str,
        args: &PrepareArgs,
        _log: &mut dyn FnMut(&str),
    ) -> Result<SnapMap, Error> {
        if !self.remote_mock {
            return Err("remote operations are not mocked in this scenario\n".into());
        }
        let Some(t) = self.tracker.get_mut(target) else {
            return Ok(SnapMap::new());
        };
        let last = format!("__replicate_{}_{}__", args.jobid, args.last_sync);
        let mut out = SnapMap::new();
        t.retain(|volid, snap| {
            if !args.volids.contains(volid) {
                return false;
            }
            if *snap == last {
                out.entry(volid.clone())
                    .or_default()
                    .insert(last.clone(), None);
            }
            true
        });
        Ok(out)
    }
    fn remote_finalize(
        &mut self,
        _target: &str,
        _jobid: &str,
        _guest: u32,
        _volids: &[String],
        _last_sync: i64,
        _log: &mut dyn FnMut(&str),
    ) -> Result<(), Error> {
        if !self.remote_mock {
            return Err("remote operations are not mocked in this scenario\n".into());
        }
        Ok(())
    }
    fn transfer(
        &mut self,
        target: &str,
        volid: &str,
        _base: Option<&str>,
        snap: &str,
        _rate: Option<f64>,
        _transport: &Transport,
        _log: &mut dyn FnMut(&str),
    ) -> Result<(), Error> {
        if !self.remote_mock {
            return Err("remote operations are not mocked in this scenario\n".into());
        }
        self.tracker
            .entry(target.to_string())
            .or_default()
            .insert(volid.to_string(), snap.to_string());
        Ok(())
    }
    fn log_start(&mut self, _jobid: &str) {}
    fn log(&mut self, jobid: &str, msg: &str) {
        if let Some((ctime, lines)) = self.sink.as_mut() {
            lines.push(format!("{ctime} {jobid}: {msg}"));
        }
    }
    fn replicate_override(
        &mut self,
        job: &Job,
        vmtype: VmType,
        state: &JobState,
        start_time: i64,
    ) -> Option<Result<Vec<String>, Error>> {
        let mock = self.replicate_mock.as_ref()?;
        match mock["mode"].as_str() {
            Some("die") => Some(Err(mock["error"].as_str().unwrap_or("").to_string())),
            Some("record") => {
                self.calls.push(json!({
                    "id": job.id,
                    "guest": job.guest,
                    "vmtype": vmtype.as_str(),
                    "guest_class": match vmtype {
                        VmType::Qemu => "PVE::QemuConfig",
                        VmType::Lxc => "PVE::LXC::Config",
                    },
                    "last_sync": state.last_sync,
                    "start": start_time,
                }));
                Some(Ok(Vec::new()))
            }
            _ => None,
        }
    }
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The state values track_jobs compares, as strings ("" when missing).
fn state_value(st: &JobState, key: &str) -> String {
    match key {
        "last_node" => st.last_node.clone().unwrap_or_default(),
        "last_try" => st.last_try.to_string(),
        "last_sync" => st.last_sync.to_string(),
        "fail_count" => st.fail_count.to_string(),
        "error" => st.error.clone().unwrap_or_default(),
        _ => unreachable!(),
    }
}

fn status_map(h: &mut Harness) -> Result<BTreeMap<String, JobStatus>, String> {
    let list = runner::job_status(h, false)?;
    Ok(list.into_iter().map(|j| (j.job.id.clone(), j)).collect())
}

fn track_jobs(
    h: &mut Harness,
    ctime: i64,
    previous: &mut Option<BTreeMap<String, JobStatus>>,
) -> Result<(), String> {
    let mut out = Vec::new();
    if previous.is_none() {
        let p = status_map(h)?;
        for (id, j) in &p {
            out.push(format!(
                "{ctime} {id}: new job next_sync => {}",
                j.next_sync
            ));
        }
        *previous = Some(p);
    }
    h.sink = Some((ctime, Vec::new()));
    let r = runner::run_jobs(h, ctime);
    let (_, lines) = h.sink.take().unwrap();
    out.extend(lines);
    r?;
    let current = status_map(h)?;
    let prev = previous.as_ref().unwrap();
    for id in prev.keys() {
        if !current.contains_key(id) {
            out.push(format!("{ctime} {id}: vanished job"));
        }
    }
    for (id, cur) in &current {
        let Some(old) = prev.get(id) else {
            out.push(format!(
                "{ctime} {id}: new job next_sync => {}",
                cur.next_sync
            ));
            continue;
        };
        let cfg = |j: &JobStatus, k: &str| -> String {
            match k {
                "target" => j.job.target.clone(),
                "guest" => j.job.guest.to_string(),
                "vmtype" => j.vmtype.as_str().to_string(),
                "next_sync" => j.next_sync.to_string(),
                _ => unreachable!(),
            }
        };
        for k in ["target", "guest", "vmtype", "next_sync"] {
            if cfg(old, k) != cfg(cur, k) {
                out.push(format!(
                    "{ctime} {id}: changed config {k} => {}",
                    cfg(cur, k)
                ));
            }
        }
        let mut changed = Vec::new();
        for k in ["last_node", "last_try", "last_sync", "fail_count", "error"] {
            let o = state_value(&old.state, k);
            let n = state_value(&cur.state, k);
            let n = chomp(&n).to_string();
            if o != n {
                changed.push(format!("{k} => {n}"));
            }
        }
        if !changed.is_empty() {
            out.push(format!(
                "{ctime} {id}: changed state {}",
                changed.join(", ")
            ));
        }
        let set = |j: &JobStatus| -> BTreeSet<String> {
            j.state
                .storeid_list
                .clone()
                .unwrap_or_default()
                .into_iter()
                .collect()
        };
        if set(old) != set(cur) {
            out.push(format!(
                "{ctime} {id}: changed storeid list {}",
                cur.state.storeid_list.clone().unwrap_or_default().join(",")
            ));
        }
    }
    *previous = Some(current);
    h.log.extend(out);
    Ok(())
}

fn int(v: &Value, k: &str) -> Result<i64, String> {
    v[k].as_i64()
        .ok_or_else(|| format!("step field '{k}' missing"))
}

/// Run one scenario; Err describes the first mismatch.
fn run_scenario(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let scenario: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if scenario["format"] != json!("pvesr-scenario/1") {
        return Err(format!("unknown format {}", scenario["format"]));
    }
    let mut h = Harness::new(&scenario)?;
    let mut previous = None;
    for (i, step) in scenario["steps"]
        .as_array()
        .ok_or("steps")?
        .iter()
        .enumerate()
    {
        let action = step["action"].as_str().unwrap_or("");
        let ctx = |m: String| format!("step {i} ({action}): {m}");
        match action {
            "assert_nodename" => {
                if json!(h.local) != step["expect"] {
                    return Err(ctx(format!("node name {} != {}", h.local, step["expect"])));
                }
            }
            "assert_vmlist" => {
                let got = h.vmlist_json();
                if got != step["expect"] {
                    return Err(ctx(format!("vmlist {got} != {}", step["expect"])));
                }
            }
            "assert_replication_config" => {
                let jobs = h.read_jobs()?;
                // Rebuild the table from what the runner reads, so a reader
                // that loses a key fails this step.
                let ids: serde_json::Map<String, Value> = jobs
                    .iter()
                    .map(|(id, j)| {
                        let mut o = serde_json::Map::new();
                        o.insert("type".into(), json!("local"));
                        o.insert("target".into(), json!(j.target));
                        o.insert("guest".into(), json!(j.guest));
                        if let Some(m) = j.remove_job {
                            o.insert("remove_job".into(), json!(m.as_str()));
                        }
                        if let Some(s) = &j.schedule {
                            o.insert("schedule".into(), json!(s));
                        }
                        if let Some(s) = &j.source {
                            o.insert("source".into(), json!(s));
                        }
                        (id.clone(), Value::Object(o))
                    })
                    .collect();
                let got = json!({ "ids": ids });
                if got != step["expect"] {
                    return Err(ctx(format!("config {got} != {}", step["expect"])));
                }
            }
            "run_jobs" => {
                let (start, stepw, count) =
                    (int(step, "start")?, int(step, "step")?, int(step, "count")?);
                for k in 0..count {
                    runner::run_jobs(&mut h, start + k * stepw).map_err(ctx)?;
                }
            }
            "track_jobs" => {
                let (start, stepw, count) =
                    (int(step, "start")?, int(step, "step")?, int(step, "count")?);
                for k in 0..count {
                    track_jobs(&mut h, start + k * stepw, &mut previous).map_err(ctx)?;
                }
            }
            "run_single_job" => {
                let jobid = step["jobid"].as_str().ok_or("jobid")?;
                let want = step["expect_error"].as_str().ok_or("expect_error")?;
                match runner::run_single_job(&mut h, jobid, int(step, "now")?) {
                    Ok(_) => return Err(ctx(format!("expected error {want:?}, got success"))),
                    Err(e) if e == want => {}
                    Err(e) => return Err(ctx(format!("error {e:?} != {want:?}"))),
                }
            }
            "set_guest_config" => {
                let vmid = step["vmid"].as_u64().ok_or("vmid")? as u32;
                let key = step["key"].as_str().ok_or("key")?.to_string();
                let g = h.guests.get_mut(&vmid).ok_or("no such guest")?;
                g.2.insert(key, step["value"].clone());
            }
            "register_volume" => {
                let volid = step["volid"].as_str().ok_or("volid")?;
                h.volumes.entry(volid.to_string()).or_default();
            }
            "set_job_option" => {
                let jobid = step["jobid"].as_str().ok_or("jobid")?;
                let key = step["key"].as_str().ok_or("key")?;
                let job = h.jobs.get_mut(jobid).ok_or("no such job")?;
                job[key] = step["value"].clone();
            }
            other => return Err(format!("step {i}: unknown action '{other}'")),
        }
    }
    if let Some(calls) = scenario["expect"].get("replicate_calls") {
        if &json!(h.calls) != calls {
            return Err(format!(
                "replicate calls differ:\n got {}\nwant {calls}",
                json!(h.calls)
            ));
        }
    }
    if let Some(file) = scenario["expect"]["log_file"].as_str() {
        let want = std::fs::read_to_string(path.with_file_name(file)).map_err(|e| e.to_string())?;
        let got: String = h.log.iter().map(|l| format!("{l}\n")).collect();
        if got != want {
            let diff: Vec<String> = want
                .lines()
                .zip(got.lines().chain(std::iter::repeat("<missing>")))
                .enumerate()
                .filter(|(_, (w, g))| w != g)
                .take(5)
                .map(|(n, (w, g))| format!("line {}:\n want {w:?}\n  got {g:?}", n + 1))
                .collect();
            return Err(format!(
                "log differs ({} lines expected, {} got):\n{}",
                want.lines().count(),
                got.lines().count(),
                diff.join("\n")
            ));
        }
    }
    Ok(())
}

#[test]
fn pvesr_corpus() {
    let dir = corpus_dir();
    let mut scenarios: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    scenarios.sort();
    assert!(
        scenarios.len() >= 6,
        "corpus has {} scenarios",
        scenarios.len()
    );
    let known: BTreeSet<String> = include_str!("pvesr_conformance_known_failures.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let mut problems = Vec::new();
    for path in &scenarios {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        match (run_scenario(path), known.contains(&name)) {
            (Ok(()), false) => {}
            (Ok(()), true) => problems.push(format!(
                "{name}: passes now - remove it from pvesr_conformance_known_failures.txt"
            )),
            (Err(e), false) => problems.push(format!("{name}: {e}")),
            (Err(_), true) => {}
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

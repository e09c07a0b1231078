//! Whole-process latency and peak memory of pvesim commands.
//!
//! Not a test: a measuring tool. Run with
//! `cargo bench --bench latency` (builds release binaries, prepares large
//! roots under target/bench-roots, prints one line per measurement). The
//! recorded results live in docs/benchmarks.md.
//!
//! All roots are prepared first and left at rest for 300 ms; then the
//! commands run in turns, `RUNS` times each after a warm-up, so that the
//! drift of a shared machine affects all of them alike. The median and the
//! 90th percentile wall time of the whole process (fork, exec, parse, read
//! the root, render, exit) are reported, and the peak resident memory of
//! one run as measured by GNU time (`/usr/bin/time -f %M`) when it is
//! installed. `cargo bench --bench latency -- pvesr` measures only the
//! commands whose name contains `pvesr`. The first line, `/bin/true` run
//! the same way, shows what starting any process costs on the machine at
//! that moment.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

const RUNS: usize = 50;

fn bin(name: &str) -> PathBuf {
    // cargo bench builds the binaries in release mode next to this bench's deps dir.
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join(name)
}

/// Run a setup command, failing loudly.
fn sh(root: &Path, node: &str, tool: &str, args: &[&str]) {
    let out = Command::new(bin(tool))
        .args(args)
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {tool}: {e}"));
    assert!(
        out.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

struct Measure {
    median_ms: f64,
    p90_ms: f64,
    peak_kib: Option<u64>,
}

/// One measured command.
struct Case {
    what: &'static str,
    root: PathBuf,
    tool: &'static str,
    args: &'static [&'static str],
}

impl Case {
    fn command(&self) -> Command {
        let mut c = Command::new(bin(self.tool));
        c.args(self.args)
            .env("PVESIM_ROOT", &self.root)
            .env("PVESIM_NODE", "pve1");
        c
    }

    /// Wall time of one whole run in ms.
    fn run(&self) -> f64 {
        let t = Instant::now();
        let st = self
            .command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "{} failed during measurement", self.what);
        t.elapsed().as_secs_f64() * 1000.0
    }

    /// Peak resident memory of one run (GNU time), when installed.
    fn peak_kib(&self) -> Option<u64> {
        let c = self.command();
        Command::new("/usr/bin/time")
            .arg("-f")
            .arg("%M")
            .arg(c.get_program())
            .args(c.get_args())
            .envs(c.get_envs().filter_map(|(k, v)| Some((k, v?))))
            .stdout(Stdio::null())
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stderr)
                    .lines()
                    .last()
                    .and_then(|l| l.trim().parse().ok())
            })
    }
}

/// Run the cases in turns, `RUNS` times each after a warm-up, so that a
/// shared machine whose speed drifts slows all of them alike.
fn measure(cases: &[Case]) -> Vec<Measure> {
    // The roots at rest: for 100 ms after a guest directory changes, the
    // view refresh of every command lists all guest configs again (a
    // change within one file-system clock tick would not show in the
    // directory's time); the last setup steps have just changed them.
    std::thread::sleep(std::time::Duration::from_millis(300));
    for c in cases {
        c.run();
    }
    let mut times: Vec<Vec<f64>> = vec![Vec::with_capacity(RUNS); cases.len()];
    for _ in 0..RUNS {
        for (c, t) in cases.iter().zip(&mut times) {
            t.push(c.run());
        }
    }
    cases
        .iter()
        .zip(times)
        .map(|(c, mut t)| {
            t.sort_by(|a, b| a.partial_cmp(b).unwrap());
            Measure {
                median_ms: t[RUNS / 2],
                p90_ms: t[RUNS * 9 / 10],
                peak_kib: c.peak_kib(),
            }
        })
        .collect()
}

fn report(what: &str, m: &Measure) {
    println!(
        "{what:<45} median {:>7.2} ms   p90 {:>7.2} ms   peak {}",
        m.median_ms,
        m.p90_ms,
        m.peak_kib
            .map(|k| format!("{:.1} MiB", k as f64 / 1024.0))
            .unwrap_or_else(|| "n/a (install GNU time)".into())
    );
}

fn fresh_root(name: &str) -> PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-roots");
    let root = base.join(name);
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&base).unwrap();
    root
}

fn main() {
    // `cargo bench` passes --bench; ignore arguments.
    let filter: Option<String> = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let wanted = |name: &str| filter.as_deref().is_none_or(|f| name.contains(f));
    println!("pvesim whole-process latency, {RUNS} runs each in turns (release build)");
    // the machine's own cost of starting a process, measured in the same
    // turns: a reference for how fast the machine is while measuring
    let mut cases = vec![Case {
        what: "reference: /bin/true (no pvesim code)",
        root: PathBuf::from("/"),
        tool: "/bin/true",
        args: &[],
    }];

    if wanted("pvecm") {
        let root = fresh_root("pvecm16");
        sh(
            &root,
            "pve1",
            "pvesim",
            &["init", "--nodes", "16", "--cluster", "bench"],
        );
        cases.push(Case {
            what: "pvecm status (16 nodes)",
            root,
            tool: "pvecm",
            args: &["status"],
        });
    }
    if wanted("ha-manager") || wanted("qm") {
        let root = fresh_root("guests1000");
        sh(
            &root,
            "pve1",
            "pvesim",
            &["init", "--nodes", "4", "--cluster", "bench"],
        );
        for i in 0..1000u32 {
            let vmid = (100 + i).to_string();
            let node = format!("pve{}", 1 + i % 4);
            sh(&root, &node, "qm", &["create", &vmid, "--memory", "512"]);
        }
        for i in 0..1000u32 {
            let sid = format!("vm:{}", 100 + i);
            sh(&root, "pve1", "ha-manager", &["add", &sid]);
        }
        sh(&root, "pve1", "pvesim", &["tick", "3"]);
        // (after the tick, pve1's 250 VMs run: qm list shows their PIDs)
        cases.push(Case {
            what: "qm list (1,000 guests)",
            root: root.clone(),
            tool: "qm",
            args: &["list"],
        });
        cases.push(Case {
            what: "ha-manager status (1,000 services)",
            root,
            tool: "ha-manager",
            args: &["status"],
        });
    }
    if wanted("pvesr") {
        let root = fresh_root("jobs1000");
        sh(
            &root,
            "pve1",
            "pvesim",
            &["init", "--nodes", "2", "--cluster", "bench"],
        );
        for i in 0..1000u32 {
            let vmid = (100 + i).to_string();
            sh(
                &root,
                "pve1",
                "qm",
                &["create", &vmid, "--scsi0", "local-zfs:1"],
            );
            sh(
                &root,
                "pve1",
                "pvesr",
                &["create-local-job", &format!("{vmid}-0"), "pve2"],
            );
        }
        cases.push(Case {
            what: "pvesr status (1,000 jobs)",
            root,
            tool: "pvesr",
            args: &["status"],
        });
    }
    for (c, m) in cases.iter().zip(measure(&cases)) {
        report(c.what, &m);
    }
}

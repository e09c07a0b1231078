//! Whole-process latency and peak memory of pvesim commands.
//!
//! Not a test: a measuring tool. Run with
//! `cargo bench --bench latency` (builds release binaries, prepares large
//! roots under target/bench-roots, prints one line per measurement). The
//! recorded results live in docs/benchmarks.md.
//!
//! Each command is run `RUNS` times after a warm-up; the median and the 90th
//! percentile wall time of the whole process (fork, exec, parse, read the
//! root, render, exit) are reported, and the peak resident memory of one run
//! as measured by GNU time (`/usr/bin/time -f %M`) when it is installed.

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

fn measure(root: &Path, node: &str, tool: &str, args: &[&str]) -> Measure {
    let run = || {
        let t = Instant::now();
        let st = Command::new(bin(tool))
            .args(args)
            .env("PVESIM_ROOT", root)
            .env("PVESIM_NODE", node)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "{tool} {args:?} failed during measurement");
        t.elapsed().as_secs_f64() * 1000.0
    };
    run();
    let mut times: Vec<f64> = (0..RUNS).map(|_| run()).collect();
    times.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let peak_kib = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M")
        .arg(bin(tool))
        .args(args)
        .env("PVESIM_ROOT", root)
        .env("PVESIM_NODE", node)
        .stdout(Stdio::null())
        .output()
        .ok()
        .and_then(|o| {
            String::from_utf8_lossy(&o.stderr)
                .lines()
                .last()
                .and_then(|l| l.trim().parse().ok())
        });
    Measure {
        median_ms: times[RUNS / 2],
        p90_ms: times[RUNS * 9 / 10],
        peak_kib,
    }
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
    println!("pvesim whole-process latency, {RUNS} runs each (release build)");

    if wanted("pvecm") {
        let root = fresh_root("pvecm16");
        sh(
            &root,
            "pve1",
            "pvesim",
            &["init", "--nodes", "16", "--cluster", "bench"],
        );
        report(
            "pvecm status (16 nodes)",
            &measure(&root, "pve1", "pvecm", &["status"]),
        );
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
        report(
            "qm list (1,000 guests)",
            &measure(&root, "pve1", "qm", &["list"]),
        );
        for i in 0..1000u32 {
            let sid = format!("vm:{}", 100 + i);
            sh(&root, "pve1", "ha-manager", &["add", &sid]);
        }
        sh(&root, "pve1", "pvesim", &["tick", "3"]);
        report(
            "ha-manager status (1,000 services)",
            &measure(&root, "pve1", "ha-manager", &["status"]),
        );
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
        report(
            "pvesr status (1,000 jobs)",
            &measure(&root, "pve1", "pvesr", &["status"]),
        );
    }
}

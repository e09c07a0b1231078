//! HA engine benchmark (not a test): replay of the whole upstream corpus,
//! and one engine round (every node's CRM and LRM once) at 32 nodes with
//! 1,000 and 10,000 HA services.
//!
//! Run: `cargo run --release --example bench_ha [CONFORMANCE_DIR]`
//! (`PVESIM_BENCH_SIZES=1000,5000,10000` chooses other service counts,
//! `PVESIM_BENCH_ROUNDS=N` the number of measured rounds per size)
//! Results are recorded in docs/benchmarks.md.
//!
//! The growth from the smallest to the largest size is measured a second
//! way: both clusters are kept, and blocks of rounds of each alternate
//! (the first round of each block, which finds the other cluster's data
//! in the caches, is not counted). A shared machine whose speed drifts
//! then affects both sizes alike, so their ratio is steadier than that of
//! two separate runs.

use pvesim::sim::replay::{replay, BenchCluster, TestDir};
use std::path::PathBuf;
use std::time::Instant;

/// CPU time of this process in ms (Linux /proc; None elsewhere). The build
/// machine is shared, so CPU time is the steadier number.
fn cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let rest = &stat[stat.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = f.get(11)?.parse().ok()?;
    let stime: f64 = f.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0) // USER_HZ = 100
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("../shared/conformance"));
    let ha = dir.join("ha");
    let mut tests = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&ha) {
        let mut dirs: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        dirs.sort();
        for d in dirs {
            if let Ok(t) = TestDir::load(&d) {
                tests.push(t);
            }
        }
    }
    if tests.is_empty() {
        eprintln!(
            "no scenarios under {} (pass the conformance dir)",
            ha.display()
        );
    } else {
        // warm-up, then the measured pass
        for t in &tests {
            replay(t);
        }
        let mut per: Vec<f64> = Vec::new();
        let cpu0 = cpu_ms();
        let all = Instant::now();
        for t in &tests {
            let s = Instant::now();
            replay(t);
            per.push(s.elapsed().as_secs_f64() * 1000.0);
        }
        let total = all.elapsed().as_secs_f64() * 1000.0;
        let cpu = cpu_ms().zip(cpu0).map(|(a, b)| a - b).unwrap_or(f64::NAN);
        per.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "corpus replay: {} scenarios in {:.1} ms wall, {:.0} ms CPU (median {:.3} ms, max {:.3} ms per scenario)",
            tests.len(),
            total,
            cpu,
            per[per.len() / 2],
            per[per.len() - 1]
        );
    }

    // PVESIM_BENCH_SIZES=1000,2000,5000 overrides the service counts
    let sizes: Vec<usize> = std::env::var("PVESIM_BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![1_000, 10_000]);
    for (nodes, services) in sizes.iter().map(|n| (32, *n)) {
        let mut c = BenchCluster::new(nodes, services);
        // settle: master elected, all services started and confirmed
        for _ in 0..6 {
            c.round().expect("round");
        }
        // per-round wall times; the median is robust against a noisy
        // neighbour on a shared machine, the CPU mean is printed beside it
        // PVESIM_BENCH_ROUNDS sets the number of measured rounds (default 30)
        let n: usize = std::env::var("PVESIM_BENCH_ROUNDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .filter(|n| *n > 0)
            .unwrap_or(30);
        let mut times: Vec<f64> = Vec::with_capacity(n);
        let cpu0 = cpu_ms();
        for _ in 0..n {
            let s = Instant::now();
            c.round().expect("round");
            times.push(s.elapsed().as_secs_f64() * 1000.0);
        }
        let cpu = cpu_ms()
            .zip(cpu0)
            .map(|(a, b)| (a - b) / n as f64)
            .unwrap_or(f64::NAN);
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        println!(
            "engine round: {nodes} nodes, {services} services ({} started): median {:.1} ms, min {:.1} ms wall; {cpu:.1} ms CPU per round (mean)",
            c.started(),
            times[n / 2],
            times[0]
        );
    }

    if let (Some(&small), Some(&large)) = (sizes.iter().min(), sizes.iter().max()) {
        if small < large {
            growth(small, large);
        }
    }
}

/// Alternate blocks of rounds of a `small` and a `large` cluster (32 nodes)
/// and print the median round of each and their ratio.
fn growth(small: usize, large: usize) {
    const BLOCKS: usize = 12;
    const PER_BLOCK: usize = 6;
    let mut clusters = [BenchCluster::new(32, small), BenchCluster::new(32, large)];
    for c in &mut clusters {
        for _ in 0..6 {
            c.round().expect("round");
        }
    }
    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut ratios = Vec::new();
    for _ in 0..BLOCKS {
        let mut block = [0.0; 2];
        for (i, c) in clusters.iter_mut().enumerate() {
            let mut t: Vec<f64> = (0..PER_BLOCK)
                .map(|_| {
                    let s = Instant::now();
                    c.round().expect("round");
                    s.elapsed().as_secs_f64() * 1000.0
                })
                .skip(1)
                .collect();
            t.sort_by(|a, b| a.partial_cmp(b).unwrap());
            block[i] = t[t.len() / 2];
            times[i].extend(t);
        }
        ratios.push(block[1] / block[0]);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(|a, b| a.partial_cmp(b).unwrap());
        v[v.len() / 2]
    };
    let (a, b) = (median(&mut times[0]), median(&mut times[1]));
    println!(
        "growth, alternating blocks: {small} services median {a:.2} ms, {large} services median {b:.2} ms: {:.1}x for {:.0}x the services (median of the {BLOCKS} block ratios {:.1}x)",
        b / a,
        large as f64 / small as f64,
        median(&mut ratios)
    );
}

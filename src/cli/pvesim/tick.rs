//! `pvesim tick`: advance the simulated clock, running the HA daemons of
//! every powered node (see `sim::tick` for the time model), and
//! `pvesim shutdown|reboot NODE`, the clean node shutdown the HA shutdown
//! policies act on.

use crate::cli::{CliError, CliResult, Context};
use crate::sim::tick::{self, Until};

/// Advance the simulated clock: HA rounds (and replication runs).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Number of rounds (one round: every node's CRM and LRM once; 20 s of
    /// simulated time for up to 10 nodes).
    #[arg(value_name = "ROUNDS", conflicts_with_all = ["for_", "until_stable"])]
    pub rounds: Option<u64>,
    /// Run for this much simulated time, e.g. 90s, 15m, 1h, 1h30m.
    #[arg(long = "for", value_name = "DURATION", value_parser = parse_duration, conflicts_with = "until_stable")]
    pub for_: Option<i64>,
    /// Run until no service or node is between states (at most --max-rounds).
    #[arg(long)]
    pub until_stable: bool,
    /// The cap for --until-stable.
    #[arg(long, value_name = "N", default_value_t = 500)]
    pub max_rounds: u64,
    /// Keep ticking, one round per wall-clock interval, until interrupted.
    #[arg(long, conflicts_with_all = ["rounds", "for_", "until_stable"])]
    pub live: bool,
    /// Wall-clock seconds between rounds in --live mode (0.05 to 3600).
    #[arg(long, value_name = "SECONDS", value_parser = parse_interval, default_value = "1", requires = "live")]
    pub interval: std::time::Duration,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Parse the wall-clock seconds between live rounds: a plain number from
/// 0.05 (a round must have time to run) to 3600.
pub fn parse_interval(s: &str) -> Result<std::time::Duration, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if (0.05..=3600.0).contains(&v) => Ok(std::time::Duration::from_secs_f64(v)),
        _ => Err("expected a number of seconds from 0.05 to 3600".into()),
    }
}

/// Parse `90`, `90s`, `15m`, `1h`, `2d`, `1h30m` into seconds.
pub fn parse_duration(s: &str) -> Result<i64, String> {
    let bad = || format!("invalid duration '{s}' (examples: 90s, 15m, 1h, 1h30m)");
    if s.is_empty() {
        return Err(bad());
    }
    if let Ok(n) = s.parse::<i64>() {
        return if n >= 0 { Ok(n) } else { Err(bad()) };
    }
    let mut total: i64 = 0;
    let mut num = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            num.push(c);
            continue;
        }
        let unit = match c {
            's' => 1,
            'm' => 60,
            'h' => 3600,
            'd' => 86400,
            _ => return Err(bad()),
        };
        let n: i64 = num.parse().map_err(|_| bad())?;
        total = n
            .checked_mul(unit)
            .and_then(|v| total.checked_add(v))
            .ok_or_else(bad)?;
        num.clear();
    }
    if !num.is_empty() {
        return Err(bad());
    }
    Ok(total)
}

/// Shut a node down cleanly (the HA shutdown policy applies).
#[derive(Debug, clap::Args)]
pub struct ShutdownArgs {
    /// The node.
    pub node: String,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let root = ctx.store_root()?;
    let zone = crate::replication::localtime::Zone::from_tz(ctx.tz.as_deref());
    let print = |lines: &[String]| {
        if !args.quiet {
            for l in lines {
                println!("{l}");
            }
        }
    };
    stop_after_the_round_on_interrupt();
    let summary = |r: &tick::TickReport, rounds: u64| {
        if !args.quiet {
            eprintln!(
                "{}{rounds} round(s): {} -> {}{}",
                if tick::stop_requested() {
                    "interrupted: "
                } else {
                    ""
                },
                zone.format(r.start),
                zone.format(r.end),
                if r.stable { ", stable" } else { "" }
            );
        }
    };
    if args.live {
        let start = crate::sim::clock::now(&root)?;
        if !args.quiet {
            eprintln!(
                "ticking one round every {} s from {}; Ctrl-C stops",
                args.interval.as_secs_f64(),
                zone.format(start)
            );
        }
        let mut rounds = 0;
        loop {
            let mut r = tick::tick(&root, Until::Rounds(1), zone.clone()).map_err(fail)?;
            print(&r.lines);
            rounds += r.rounds;
            // wait in short steps, so that Ctrl-C ends a long interval
            let until = std::time::Instant::now() + args.interval;
            while !tick::stop_requested() && std::time::Instant::now() < until {
                let left = until.saturating_duration_since(std::time::Instant::now());
                std::thread::sleep(left.min(std::time::Duration::from_millis(50)));
            }
            if tick::stop_requested() {
                r.start = start;
                summary(&r, rounds);
                return Ok(());
            }
        }
    }
    let until = if let Some(s) = args.for_ {
        Until::Seconds(s)
    } else if args.until_stable {
        Until::Stable {
            cap: args.max_rounds,
        }
    } else {
        Until::Rounds(args.rounds.unwrap_or(1))
    };
    let r = tick::tick(&root, until, zone.clone()).map_err(fail)?;
    print(&r.lines);
    summary(&r, r.rounds);
    if r.interrupted {
        // as a shell reports a command ended by SIGINT
        return Err(CliError::with_code("", 130));
    }
    if args.until_stable && !r.stable {
        return Err(CliError::fail(format!(
            "not stable after {} rounds (--max-rounds)",
            r.rounds
        )));
    }
    Ok(())
}

/// Let SIGINT (Ctrl-C) and SIGTERM end the tick after the round in
/// progress instead of in the middle of it; a second signal ends the
/// process at once, as the default action does.
fn stop_after_the_round_on_interrupt() {
    extern "C" fn on_signal(sig: libc::c_int) {
        tick::STOP.store(true, std::sync::atomic::Ordering::Relaxed);
        // SAFETY: `signal` is async-signal-safe; it restores the default
        // action for the next signal of this kind.
        unsafe {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: the handler only stores to an atomic and calls an
        // async-signal-safe function.
        unsafe {
            libc::signal(sig, on_signal as *const () as libc::sighandler_t);
        }
    }
}

pub fn run_shutdown(ctx: &Context, args: ShutdownArgs, reboot: bool) -> CliResult {
    let root = ctx.store_root()?;
    tick::request_shutdown(&root, &args.node, reboot).map_err(fail)
}

fn fail(e: tick::TickError) -> CliError {
    CliError::fail(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::{parse_duration, parse_interval};
    use std::time::Duration;

    #[test]
    fn intervals() {
        assert_eq!(parse_interval("1"), Ok(Duration::from_secs(1)));
        assert_eq!(parse_interval("0.05"), Ok(Duration::from_millis(50)));
        assert_eq!(parse_interval("3600"), Ok(Duration::from_secs(3600)));
        for bad in ["", "0", "0.01", "-3", "3601", "inf", "NaN", "1e300", "1s"] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90"), Ok(90));
        assert_eq!(parse_duration("90s"), Ok(90));
        assert_eq!(parse_duration("15m"), Ok(900));
        assert_eq!(parse_duration("1h30m"), Ok(5400));
        assert_eq!(parse_duration("2d"), Ok(172800));
        for bad in ["", "m", "1x", "1h3", "-5", "99999999999999999999d"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }
}

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
    if args.live {
        if !args.quiet {
            eprintln!(
                "ticking one round every {} s from {}; Ctrl-C stops",
                args.interval.as_secs_f64(),
                zone.format(crate::sim::clock::now(&root)?)
            );
        }
        loop {
            let r = tick::tick(&root, Until::Rounds(1), zone.clone()).map_err(fail)?;
            print(&r.lines);
            std::thread::sleep(args.interval);
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
    if !args.quiet {
        eprintln!(
            "{} round(s): {} -> {}{}",
            r.rounds,
            zone.format(r.start),
            zone.format(r.end),
            if r.stable { ", stable" } else { "" }
        );
    }
    if args.until_stable && !r.stable {
        return Err(CliError::fail(format!(
            "not stable after {} rounds (--max-rounds)",
            r.rounds
        )));
    }
    Ok(())
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

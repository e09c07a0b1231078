//! `pvesim schedule-analyze SCHEDULE [--starttime EPOCH] [--iterations N]`:
//! the next events of a calendar-event schedule, like the Proxmox API's
//! schedule-analyze, one `<epoch> <local time>` per line.

use crate::cli::{CliError, CliResult, Context};
use crate::replication::calendar::verify_schedule;
use crate::replication::localtime::Zone;

/// Show the next events of a calendar-event schedule.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The schedule, e.g. '*/15', 'mon..fri 22:00' or 'daily UTC'.
    pub schedule: String,
    /// Start from this time (epoch seconds); default: the simulated clock.
    #[arg(long)]
    pub starttime: Option<i64>,
    /// Number of events to show.
    #[arg(long, default_value_t = 10)]
    pub iterations: u32,
}

pub fn run(ctx: &Context, args: Args) -> CliResult {
    let event = verify_schedule(&args.schedule)
        .map_err(|e| CliError::fail(format!("schedule: invalid format - {e}")))?;
    let start = match args.starttime {
        Some(t) => t,
        None => crate::sim::clock::now(&ctx.store_root()?)?,
    };
    let zone = Zone::from_tz(ctx.tz.as_deref());
    let mut out = String::new();
    // Like the API, each event is the first one strictly after the previous.
    let mut last = start;
    for _ in 0..args.iterations {
        match event.next_event(last, &zone) {
            Some(t) => {
                out.push_str(&format!("{t} {}\n", zone.format(t)));
                last = t;
            }
            None => break,
        }
    }
    print!("{out}");
    Ok(())
}

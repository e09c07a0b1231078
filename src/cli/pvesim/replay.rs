//! `pvesim replay DIR`: replay an upstream HA regression test directory and
//! print its log in the upstream line format.

use crate::cli::{CliError, CliResult};
use crate::sim::replay::{replay, TestDir};
use std::io::Write;
use std::path::PathBuf;

/// Replay an upstream HA test directory (cmdlist, hardware_status,
/// service_config, ...) and print the simulator log.
#[derive(Debug, clap::Args)]
pub struct ReplayArgs {
    /// The test directory.
    pub dir: PathBuf,
}

pub fn run(args: &ReplayArgs) -> CliResult {
    let test = TestDir::load(&args.dir).map_err(CliError::fail)?;
    let out = replay(&test);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(out.as_bytes())?;
    Ok(())
}

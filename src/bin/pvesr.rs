//! `pvesr`: storage replication over the simulated cluster.
fn main() {
    pvesim::cli::default_sigpipe();
    let code = match pvesim::cli::pvesr::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

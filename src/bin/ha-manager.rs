//! `ha-manager`: the HA resource manager's command line over the state root.
fn main() {
    pvesim::cli::default_sigpipe();
    let code = match pvesim::cli::ha_manager::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

//! `ha-manager`: the HA resource manager's command line over the state root.
fn main() {
    let code = match pvesim::cli::ha_manager::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

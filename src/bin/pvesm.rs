//! `pvesm`: the emulated Proxmox VE storage manager.
fn main() {
    let code = match pvesim::cli::pvesm::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

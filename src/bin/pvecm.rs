//! `pvecm`: the Proxmox VE cluster manager, emulated over the state root.
fn main() {
    pvesim::cli::default_sigpipe();
    let code = match pvesim::cli::pvecm::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

//! `pvesim`: the lab bench around the emulated Proxmox tools.
fn main() {
    pvesim::cli::default_sigpipe();
    let code = match pvesim::cli::pvesim::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}

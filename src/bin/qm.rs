//! `qm`: the emulated Qemu/KVM virtual machine manager.
fn main() {
    pvesim::cli::default_sigpipe();
    let code = match pvesim::cli::qm::main(pvesim::cli::Context::from_env()) {
        Ok(()) => 0,
        Err(e) => pvesim::cli::report(&e),
    };
    std::process::exit(code);
}
